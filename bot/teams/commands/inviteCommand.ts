import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { bulkInvitePreviewCard, invitePreviewCard } from '../../cards/guestViews.js';
import { contactResultsCard } from '../../cards/views.js';
import { checkClientFileCode } from '../../domain/fieldRules.js';
import { format } from '../../i18n/index.js';
import type { GuestTeamsServices } from '../guestServices.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { staffActorOf } from '../staffActor.js';
import { findClientFileFor, invitationPreviewFor, visibleContacts } from '../visibility.js';

/**
 * "inviter lea@…" or "inviter bernard": one contact, with a confirmation card.
 * "inviter dossier 000001 000002", "inviter 000001" or "inviter tous": many, as one job.
 */
export class InviteCommand implements BotCommand {
  readonly name = 'invite';
  readonly requires: Access = requirements.change('invitations');
  readonly match = keywordMatcher([/inviter/, /invite/], { takesArguments: true });

  constructor(private readonly services: TeamsServices, private readonly guest: GuestTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    if (!args) return replyWithText(context, t.guest.usage);
    if (/^(tous|tout le monde|all|everyone)$/i.test(args)) {
      const contacts = await this.guest.invitations.contactsToInvite(staffActorOf(session), { kind: 'notInvited' });
      return replyWithCard(context, bulkInvitePreviewCard(language, contacts, { kind: 'notInvited' }, this.services.newRequestId()));
    }
    const explicitFiles = /^(dossiers?|files?|client\s+files?)\s+(.+)$/i.exec(args);
    const words = (explicitFiles ? explicitFiles[2]! : args).split(/[\s,;]+/).filter(Boolean);
    const codes = words.map((word) => checkClientFileCode(word));
    if (explicitFiles || (codes.every((code) => code.ok) && words.length > 0)) {
      // One code of another service refuses the whole request, saying why, rather than inviting part of it.
      const files = await Promise.all(codes.map((code) => (code.ok ? findClientFileFor(this.services, session, code.value) : undefined)));
      const ids = files.flatMap((found) => (found?.kind === 'one' ? [found.record.id] : []));
      if (ids.length === words.length) {
        const contacts = await this.guest.invitations.contactsToInvite(staffActorOf(session), { kind: 'clientFiles', ids });
        return replyWithCard(context, bulkInvitePreviewCard(language, contacts, { kind: 'clientFiles', ids }, this.services.newRequestId()));
      }
      if (explicitFiles) return replyWithText(context, `${format(t.clientFile.notFound, { query: words.join(' ') })} ${t.guest.usage}`);
    }
    const found = await this.services.contacts.find(actor.firmId, args);
    if (found.kind === 'none') return replyWithText(context, `${format(t.contact.notFound, { query: args })} ${t.guest.usage}`);
    if (found.kind === 'many') return replyWithCard(context, contactResultsCard(language, args, await visibleContacts(this.services, session, found.records), found.more, 'guest.preview'));
    const preview = await invitationPreviewFor(this.services, this.guest, session, found.record);
    if (!preview) return replyWithText(context, t.contact.gone);
    await replyWithCard(context, invitePreviewCard(language, preview, this.services.newRequestId()));
  }
}
