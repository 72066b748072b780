import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { revokeCard } from '../../cards/guestViews.js';
import { contactResultsCard } from '../../cards/views.js';
import { contactDisplayName } from '../../domain/contact.js';
import { format } from '../../i18n/index.js';
import type { GuestTeamsServices } from '../guestServices.js';
import type { GuestEngagement } from '../../domain/guestEngagement.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { contactFor, visibleContacts } from '../visibility.js';

/** "révoquer <e-mail ou nom>": a card to choose what to remove, which is itself the confirmation. */
export class RevokeCommand implements BotCommand {
  readonly name = 'revoke';
  readonly requires: Access = requirements.change('invitations');
  readonly match = keywordMatcher([/r[ée]voquer/, /revoke/], { takesArguments: true });

  constructor(private readonly services: TeamsServices, private readonly guest: GuestTeamsServices, private readonly engagement?: Pick<GuestEngagement, 'openOffers'>) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    if (!args) return replyWithText(context, t.guest.revokeUsage);
    const found = await this.services.contacts.find(actor.firmId, args);
    if (found.kind === 'none') return replyWithText(context, `${format(t.contact.notFound, { query: args })} ${t.guest.revokeUsage}`);
    if (found.kind === 'many') return replyWithCard(context, contactResultsCard(language, args, await visibleContacts(this.services, session, found.records), found.more, 'guest.openRevoke'));
    const contact = found.record;
    await contactFor(this.services, session, contact.id);
    if (!contact.guest || !['invited', 'accepted', 'member'].includes(contact.guest.state)) {
      return replyWithText(context, format(t.guest.revokeNotGuest, { name: contactDisplayName(contact) }));
    }
    const team = contact.guest.teamId ? await this.guest.teams.find(actor.firmId, contact.guest.teamId) : null;
    const openOffers = this.engagement ? (await this.engagement.openOffers(actor.firmId, contact.id)).length : 0;
    await replyWithCard(context, revokeCard(language, contact, team?.displayName, openOffers));
  }
}
