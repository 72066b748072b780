import type { TurnContext } from 'botbuilder';
import { requirements } from '../../domain/access/policy.js';
import { contactResultsCard } from '../../cards/views.js';
import { format } from '../../i18n/index.js';
import { editFormFor, guestReviewFor, type JourneyTeamsServices } from '../actions/journeyActions.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { visibleContacts } from '../visibility.js';

/** « modifier interlocuteur <e-mail ou nom> »: the creation form, filled, saving through the contact's use case. */
export class EditContactCommand implements BotCommand {
  readonly name = 'editContact';
  readonly requires: Access = requirements.change('contacts');
  readonly match = keywordMatcher([/modifier\s+(?:l[’']\s*)?interlocuteur/, /edit\s+contact/], { takesArguments: true });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, query: string): Promise<void> {
    const { t, actor, language } = session;
    if (!query) return replyWithText(context, t.engagement.editUsage);
    const found = await this.services.contacts.find(actor.firmId, query);
    if (found.kind === 'none') return replyWithText(context, `${format(t.contact.notFound, { query })} ${t.engagement.editUsage}`);
    if (found.kind === 'many') return replyWithCard(context, contactResultsCard(language, query, await visibleContacts(this.services, session, found.records), found.more, 'contact.openEdit'));
    const answer = await editFormFor(this.services, session, found.record.id);
    return 'card' in answer ? replyWithCard(context, answer.card) : replyWithText(context, answer.message);
  }
}

/** « revue des invités »: guests nothing has engaged for the firm's review delay, each to decide on. */
export class GuestReviewCommand implements BotCommand {
  readonly name = 'guestReview';
  readonly requires: Access = requirements.read('invitations');
  readonly match = keywordMatcher([/revue\s+des\s+invit[ée]s/, /guest\s+review/], { takesArguments: false });

  constructor(private readonly journey: JourneyTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const answer = await guestReviewFor(this.journey, session);
    return 'card' in answer ? replyWithCard(context, answer.card) : replyWithText(context, answer.message);
  }
}
