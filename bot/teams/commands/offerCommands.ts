import type { TurnContext } from 'botbuilder';
import { legacyAccessesCard } from '../../cards/offerViews.js';
import { contactResultsCard } from '../../cards/views.js';
import { requirements } from '../../domain/access/policy.js';
import { format } from '../../i18n/index.js';
import { proposalFor, type OfferTeamsServices } from '../actions/offerActions.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import { visibleContacts } from '../visibility.js';
import type { TurnSession } from '../session.js';

/** "proposer <e-mail ou nom>": the collaborative service proposal for a contact. */
export class ProposeOfferCommand implements BotCommand {
  readonly name = 'propose';
  readonly requires: Access = requirements.read('offers');
  readonly match = keywordMatcher([/proposer(?:\s+un\s+service(?:\s+collaboratif)?)?/, /offer/], { takesArguments: true });

  constructor(private readonly services: TeamsServices, private readonly offerServices: OfferTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    if (!args) return replyWithText(context, t.contact.missingQuery);
    const found = await this.services.contacts.find(actor.firmId, args);
    if (found.kind === 'none') return replyWithText(context, `${format(t.contact.notFound, { query: args })} ${t.contact.notFoundHint}`);
    if (found.kind === 'many') return replyWithCard(context, contactResultsCard(language, args, await visibleContacts(this.services, session, found.records), found.more, 'offer.openProposal'));
    const card = await proposalFor(this.services, this.offerServices, session, found.record.id);
    if (card) await replyWithCard(context, card);
  }
}

export class LegacyAccessesCommand implements BotCommand {
  readonly name = 'legacy';
  readonly requires: Access = requirements.change('contacts');
  readonly match = keywordMatcher([/anciens\s+acc[eè]s/, /legacy(?:\s+accesses)?/], { takesArguments: false });

  constructor(private readonly offerServices: OfferTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    await replyWithCard(context, legacyAccessesCard(session.language, await this.offerServices.legacy.list(session.actor.firmId)));
  }
}
