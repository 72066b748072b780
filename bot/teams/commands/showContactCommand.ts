import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { contactDetailsCard, contactResultsCard } from '../../cards/views.js';
import { format } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { contactFor, visibleContacts } from '../visibility.js';

export class ShowContactCommand implements BotCommand {
  readonly name = 'showContact';
  readonly requires: Access = requirements.read('contacts');
  readonly match = keywordMatcher([/interlocuteur/, /contact/], { takesArguments: true });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, query: string): Promise<void> {
    const { t, actor, language } = session;
    if (!query) return replyWithText(context, t.contact.missingQuery);
    const found = await this.services.contacts.find(actor.firmId, query);
    if (found.kind === 'none') return replyWithText(context, `${format(t.contact.notFound, { query })} ${t.contact.notFoundHint}`);
    if (found.kind === 'many') {
      const visible = await visibleContacts(this.services, session, found.records);
      if (visible.length === 0) return replyWithText(context, `${format(t.contact.notFound, { query })} ${t.contact.notFoundHint}`);
      return replyWithCard(context, contactResultsCard(language, query, visible, found.more));
    }
    const details = await contactFor(this.services, session, found.record);
    if (!details) return replyWithText(context, t.contact.gone);
    await replyWithCard(context, contactDetailsCard(language, details));
  }
}
