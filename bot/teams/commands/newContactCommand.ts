import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { contactFormCard } from '../../cards/views.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';

export class NewContactCommand implements BotCommand {
  readonly name = 'newContact';
  readonly requires: Access = requirements.change('contacts');
  readonly match = keywordMatcher([/nouvel\s+interlocuteur/, /nouveau\s+contact/, /cr[ée]er\s+(?:un\s+)?interlocuteur/, /new\s+contact/], { takesArguments: false });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const settings = await this.services.firmSettings.settings(session.actor.firmId);
    await replyWithCard(context, contactFormCard(session.language, { requestId: this.services.newRequestId(), orgRoles: settings.orgRoles }));
  }
}
