import { ActivityHandler, CardFactory, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, MessageFactory } from 'botbuilder';
import restify from 'restify';
import { BotEndpointAdapter } from '../../bot/api/botAdapter.js';
import { registerBotRoute } from '../../bot/api/messages.js';
import { silentLogger } from '../../bot/logger.js';

/** What a bot costs when it does nothing: one fixed Adaptive Card per activity, no database, no lookup. */
const fixedCard = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Passerelle', weight: 'Bolder', size: 'Medium' },
    { type: 'TextBlock', text: 'Réponse fixe du banc d’essai.', wrap: true },
  ],
  actions: [{ type: 'Action.Execute', title: 'Aide', verb: 'help', data: {} }],
};

class BareBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(fixedCard)));
      await next();
    });
  }
}

/** The bare bot behind the same adapter, route and restify stack as Passerelle (unsigned, as in local mode). */
export async function startBareBot(): Promise<{ url: string; stop(): Promise<void> }> {
  const credentials = { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' };
  const adapter = new BotEndpointAdapter(new ConfigurationBotFrameworkAuthentication(credentials, new ConfigurationServiceClientCredentialFactory(credentials)));
  const server = restify.createServer({ name: 'bare-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  registerBotRoute(server, adapter, new BareBot(), silentLogger, { tokenRequired: false });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
