import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { bulkInvitePreviewCard, chooseTeamCard, firmTeamsCard, invitePreviewCard, jobProgressCard, revokeCard } from '../../cards/guestViews.js';
import { clientFileDetailsCard } from '../../cards/views.js';
import { stampOf } from '../../domain/actor.js';
import { contactDisplayName } from '../../domain/contact.js';
import { checkText } from '../../domain/fieldRules.js';
import type { InvitationTarget } from '../../domain/guestInvitations.js';
import type { InvitationSelection } from '../../domain/guestOnboardingService.js';
import { accessRefusedCard } from '../../cards/accessViews.js';
import { format } from '../../i18n/index.js';
import type { InvitationJob } from '../../jobs/invitationJobs.js';
import type { GuestTeamsServices } from '../guestServices.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { staffActorOf } from '../staffActor.js';
import type { GuestEngagement } from '../../domain/guestEngagement.js';
import { missingProfileText } from './journeyActions.js';
import { clientFileFor, contactFor, invitationPreviewFor } from '../visibility.js';
import {
  chooseTeamData,
  contactRef,
  InvalidCardDataError,
  inviteManyData,
  inviteOneData,
  invitePreviewManyData,
  jobRef,
  parseCardData,
  revokeData,
  setInternalData,
  clientFileRef,
} from './cardData.js';

/** The progress card of a job, with the names of the contacts that failed. */
export async function renderJobProgress(
  guest: Pick<GuestTeamsServices, 'jobs' | 'contacts'>,
  session: TurnSession | { language: TurnSession['language'] },
  job: InvitationJob,
) {
  const items = job.counts.failed > 0 ? (await guest.jobs.listItems(job.firmId, job.id, 5_000)).filter((item) => item.status === 'failed').slice(0, 20) : [];
  const contacts = await guest.contacts.findByIds(job.firmId, items.map((item) => item.contactId));
  const names = new Map(contacts.map((contact) => [contact.id, contactDisplayName(contact)]));
  return jobProgressCard(session.language, job, items.map((item) => ({ ...item, name: names.get(item.contactId) ?? item.contactId })));
}

function personalMessageOf(raw: string | undefined): string | undefined {
  const checked = checkText(raw, { required: false, max: 1_000 });
  if (!checked.ok) throw new InvalidCardDataError('personalMessage');
  return checked.value;
}

/** Queues through the use case (profile, services, idempotency by requestId), then shows the job's progress. */
async function startJob(
  context: TurnContext,
  session: TurnSession,
  guest: GuestTeamsServices,
  request: { requestId: string; target: InvitationTarget; personalMessage?: string },
): Promise<CardActionResult> {
  const outcome = await guest.invitations.invite(staffActorOf(session), {
    ...request,
    progress: { conversationId: context.activity.conversation.id, activityId: context.activity.replyToId, language: session.language },
  });
  if (outcome.status === 'contactNotFound') return { message: session.t.contact.gone };
  if (outcome.status === 'refused') return { card: accessRefusedCard(session.language, 'missingProfile', outcome.missing) };
  return { card: await renderJobProgress(guest, session, outcome.job) };
}

export class PreviewInvitationAction implements CardActionHandler {
  readonly verb = 'guest.preview';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly services: TeamsServices, private readonly guest: GuestTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId } = parseCardData(this.verb, contactRef, data);
    const preview = await invitationPreviewFor(this.services, this.guest, session, contactId);
    return preview ? { card: invitePreviewCard(session.language, preview, this.services.newRequestId()) } : { message: session.t.contact.gone };
  }
}

export class PreviewManyInvitationsAction implements CardActionHandler {
  readonly verb = 'guest.previewMany';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly services: TeamsServices, private readonly guest: GuestTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { selection } = parseCardData(this.verb, invitePreviewManyData, data);
    const contacts = await this.guest.invitations.contactsToInvite(staffActorOf(session), selection);
    return { card: bulkInvitePreviewCard(session.language, contacts, selection, this.services.newRequestId()) };
  }
}

export class InviteContactAction implements CardActionHandler {
  readonly verb = 'guest.invite';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly guest: GuestTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { requestId, contactId, personalMessage } = parseCardData(this.verb, inviteOneData, data);
    // A contact of other services' files only is refused by the use case before any job is created.
    return startJob(context, session, this.guest, { requestId, target: { kind: 'contact', contactId }, personalMessage: personalMessageOf(personalMessage) });
  }
}

export class InviteManyAction implements CardActionHandler {
  readonly verb = 'guest.inviteMany';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly guest: GuestTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { requestId, selection, personalMessage } = parseCardData(this.verb, inviteManyData, data);
    // A re-submitted card finds its job; the selection is only resolved the first time (by the use case).
    return startJob(context, session, this.guest, { requestId, target: selection as InvitationSelection, personalMessage: personalMessageOf(personalMessage) });
  }
}

export class CancelInvitationAction implements CardActionHandler {
  readonly verb = 'guest.cancel';
  readonly requires: Access = 'attached';

  async handle(_context: TurnContext, session: TurnSession): Promise<CardActionResult> {
    return { message: session.t.guest.cancelled };
  }
}

export class ShowJobAction implements CardActionHandler {
  readonly verb = 'job.show';
  readonly requires: Access = requirements.read('invitations');
  constructor(private readonly guest: GuestTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { jobId } = parseCardData(this.verb, jobRef, data);
    const job = await this.guest.jobs.find(session.actor.firmId, jobId);
    return job ? { card: await renderJobProgress(this.guest, session, job) } : { message: session.t.errors.staleCard };
  }
}

export class OpenTeamChoiceAction implements CardActionHandler {
  readonly verb = 'clientFile.openTeamChoice';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly services: TeamsServices, private readonly guest: GuestTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { clientFileId } = parseCardData(this.verb, clientFileRef, data);
    const details = await clientFileFor(this.services, session, clientFileId);
    if (!details) return { message: session.t.clientFile.gone };
    return { card: chooseTeamCard(session.language, details.file, await this.guest.teams.list(session.actor.firmId)) };
  }
}

export class ChooseTeamAction implements CardActionHandler {
  readonly verb = 'clientFile.chooseTeam';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly services: TeamsServices, private readonly guest: GuestTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { t, actor, language } = session;
    const { clientFileId, teamId } = parseCardData(this.verb, chooseTeamData, data);
    const details = await clientFileFor(this.services, session, clientFileId);
    if (!details) return { message: t.clientFile.gone };
    const teams = await this.guest.teams.list(actor.firmId);
    const team = teams.find((candidate) => candidate.teamId === teamId);
    if (!teamId || !team) return { card: chooseTeamCard(language, details.file, teams, t.guest.teamNotFound) };
    const outcome = await this.guest.onboarding.chooseTeam({ ...stampOf(actor, new Date()), firmId: actor.firmId }, clientFileId, teamId);
    const sentence = {
      done: t.guest.teamChosen,
      unchanged: t.guest.teamUnchanged,
      teamIsInternal: t.guest.teamIsInternal,
      teamHasOtherClient: t.guest.teamHasOtherClient,
      teamNotFound: t.guest.teamNotFound,
      clientFileNotFound: t.clientFile.gone,
    }[outcome];
    const banner = format(sentence, { team: team.displayName });
    if (outcome !== 'done' && outcome !== 'unchanged') return { card: chooseTeamCard(language, details.file, teams, banner) };
    this.guest.nudgeRunner();
    const refreshed = await this.services.clientFiles.details(actor.firmId, clientFileId);
    return { card: clientFileDetailsCard(language, refreshed ?? details, banner) };
  }
}

export class SetTeamInternalAction implements CardActionHandler {
  readonly verb = 'teams.setInternal';
  readonly requires: Access = requirements.change('organisation');
  constructor(private readonly services: TeamsServices, private readonly guest: GuestTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { teamId, internal } = parseCardData(this.verb, setInternalData, data);
    if (!(await this.guest.teams.setInternal(session.actor.firmId, teamId, internal === 'true'))) return { message: session.t.guest.teamNotFound };
    return { card: await firmTeamsOverview(this.services, this.guest, session) };
  }
}

export async function firmTeamsOverview(services: TeamsServices, guest: GuestTeamsServices, session: TurnSession) {
  void services;
  const firmId = session.actor.firmId;
  const teams = await guest.teams.list(firmId);
  const withFiles = await Promise.all(teams.map(async (team) => ({ team, files: await guest.onboarding.clientFilesOfTeam(firmId, team.teamId) })));
  return firmTeamsCard(session.language, withFiles);
}

export class OpenRevokeAction implements CardActionHandler {
  readonly verb = 'guest.openRevoke';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly guest: GuestTeamsServices, private readonly services: TeamsServices, private readonly engagement?: Pick<GuestEngagement, 'openOffers'>) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId } = parseCardData(this.verb, contactRef, data);
    await contactFor(this.services, session, contactId);
    const contact = await this.guest.contacts.findById(session.actor.firmId, contactId);
    if (!contact) return { message: session.t.contact.gone };
    if (!contact.guest || !['invited', 'accepted', 'member'].includes(contact.guest.state)) {
      return { message: format(session.t.guest.revokeNotGuest, { name: contactDisplayName(contact) }) };
    }
    const team = contact.guest.teamId ? await this.guest.teams.find(session.actor.firmId, contact.guest.teamId) : null;
    const openOffers = this.engagement ? (await this.engagement.openOffers(session.actor.firmId, contactId)).length : 0;
    return { card: revokeCard(session.language, contact, team?.displayName, openOffers) };
  }
}

export class RevokeGuestAction implements CardActionHandler {
  readonly verb = 'guest.revoke';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly guest: GuestTeamsServices, private readonly services: TeamsServices, private readonly engagement?: Pick<GuestEngagement, 'revoke'>) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, action } = parseCardData(this.verb, revokeData, data);
    if (this.engagement) {
      // The use case checks the profiles (deleting needs an administrator), the services, and ends the guest's offers first.
      const outcome = await this.engagement.revoke(staffActorOf(session), contactId, action ?? 'removedFromTeam');
      if (outcome.status === 'refused') return { message: missingProfileText(session, outcome.missing) };
      if (outcome.status === 'contactNotFound') return { message: session.t.contact.gone };
      const name = contactDisplayName((await this.guest.contacts.findById(session.actor.firmId, contactId))!);
      if (outcome.status !== 'done') return { message: format(session.t.guest.revokeNotGuest, { name }) };
      const ended = outcome.endedOffers > 0 ? ` ${format(session.t.engagement.revokeEndedOffers, { count: String(outcome.endedOffers) })}` : '';
      return { message: format(session.t.guest.revokeDone, { name, action: session.t.guest.revocations[action ?? 'removedFromTeam'] }) + ended };
    }
    // Removing a guest of another service's client is acting on that client: refused before the directory is touched.
    await contactFor(this.services, session, contactId);
    const contact = await this.guest.contacts.findById(session.actor.firmId, contactId);
    if (!contact) return { message: session.t.contact.gone };
    const name = contactDisplayName(contact);
    const outcome = await this.guest.onboarding.revoke(session.actor.firmId, contactId, action ?? 'removedFromTeam', stampOf(session.actor, new Date()));
    if (outcome === 'contactNotFound') return { message: session.t.contact.gone };
    if (outcome === 'notAGuest') return { message: format(session.t.guest.revokeNotGuest, { name }) };
    return { message: format(session.t.guest.revokeDone, { name, action: session.t.guest.revocations[action ?? 'removedFromTeam'] }) };
  }
}
