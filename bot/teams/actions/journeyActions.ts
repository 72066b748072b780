import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { requirements } from '../../domain/access/policy.js';
import type { Requirement } from '../../domain/access/profiles.js';
import { deleteContactCard, guestReviewCard, identityChangeCard, reviewDecisionCard, unlinkCard } from '../../cards/journeyViews.js';
import { contactDetailsCard, contactFormCard, contactFormFields } from '../../cards/views.js';
import { contactDisplayName, type Contact, type ContactInput } from '../../domain/contact.js';
import type { ContactChanges } from '../../domain/contactChanges.js';
import type { GuestEngagement } from '../../domain/guestEngagement.js';
import { guestFates, type GuestFate } from '../../domain/ports.js';
import { format } from '../../i18n/index.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { staffActorOf } from '../staffActor.js';
import { contactFor } from '../visibility.js';
import { contactCreateData, contactRef, parseCardData } from './cardData.js';

/** The use cases of a contact's changes and of the end of an engagement, as the Teams handlers reach them. */
export interface JourneyTeamsServices {
  changes: ContactChanges;
  engagement: GuestEngagement;
}

const objectId = z.string().regex(/^[0-9a-f]{24}$/i);
const fate = z.enum(guestFates as [GuestFate, ...GuestFate[]]);
const contactUpdateData = contactCreateData.omit({ requestId: true, clientFileId: true }).extend({ contactId: objectId });
const identityData = contactUpdateData.extend({ oldGuestFate: fate, expectedEmail: z.string().min(1).max(254) });
const unlinkData = z.object({ contactId: objectId, clientFileId: objectId.optional() });
const deleteData = z.object({ contactId: objectId, confirmed: z.literal('true').optional(), guestFate: fate.optional() });
const decisionData = z.object({ contactId: objectId, decision: fate.optional() });

export function missingProfileText(session: TurnSession, missing: Requirement): string {
  const t = session.t;
  return format(t.access.refusedMissingProfile, { application: t.access.applications[missing.application], level: t.access.levels[missing.level] });
}

/** The form's values of a contact, as the creation form names them. */
export function formValuesOf(contact: Contact): Record<(typeof contactFormFields)[number], string> {
  return {
    lastName: contact.lastName,
    firstName: contact.firstName ?? '',
    mobile: contact.mobile,
    landline: contact.landline ?? '',
    email: contact.email,
    orgRole: contact.orgRole ?? '',
    address1: contact.address.line1 ?? '',
    address2: contact.address.line2 ?? '',
    address3: contact.address.line3 ?? '',
    city: contact.address.city ?? '',
  };
}

/** The edit form of a contact the user may see, filled with their record. */
export async function editFormFor(services: TeamsServices, session: TurnSession, contactId: string): Promise<CardActionResult> {
  const details = await contactFor(services, session, contactId);
  if (!details) return { message: session.t.contact.gone };
  const settings = await services.firmSettings.settings(session.actor.firmId);
  return { card: contactFormCard(session.language, { requestId: services.newRequestId(), orgRoles: settings.orgRoles, values: formValuesOf(details.contact), editing: details.contact }) };
}

async function contactCard(services: TeamsServices, session: TurnSession, contactId: string, banner: string): Promise<CardActionResult> {
  const details = await contactFor(services, session, contactId);
  return details ? { card: contactDetailsCard(session.language, details, banner) } : { message: banner || session.t.contact.gone };
}

export class OpenEditContactAction implements CardActionHandler {
  readonly verb = 'contact.openEdit';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    return editFormFor(this.services, session, parseCardData(this.verb, contactRef, data).contactId);
  }
}

/** Saves the form: errors next to their fields (nothing written), or the identity change to confirm, or the updated card. */
export class UpdateContactAction implements CardActionHandler {
  readonly verb = 'contact.update';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices, private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, ...values } = parseCardData(this.verb, contactUpdateData, data);
    return answerEdit(this.services, this.journey, session, contactId, values);
  }
}

export class ChangeIdentityAction implements CardActionHandler {
  readonly verb = 'contact.changeIdentity';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices, private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, oldGuestFate, expectedEmail, ...values } = parseCardData(this.verb, identityData, data);
    return answerEdit(this.services, this.journey, session, contactId, values, { oldGuestFate, expectedEmail });
  }
}

async function answerEdit(
  services: TeamsServices,
  journey: JourneyTeamsServices,
  session: TurnSession,
  contactId: string,
  values: ContactInput,
  confirmation?: { oldGuestFate: GuestFate; expectedEmail: string },
): Promise<CardActionResult> {
  const t = session.t.engagement;
  const outcome = await journey.changes.edit(staffActorOf(session), contactId, values, confirmation);
  switch (outcome.status) {
    case 'invalid': {
      const [settings, details] = await Promise.all([services.firmSettings.settings(session.actor.firmId), contactFor(services, session, contactId)]);
      if (!details) return { message: session.t.contact.gone };
      return { card: contactFormCard(session.language, { requestId: services.newRequestId(), orgRoles: settings.orgRoles, values, errors: outcome.errors, editing: details.contact }) };
    }
    case 'confirmIdentityChange':
      return { card: identityChangeCard(session.language, outcome.plan, Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value ?? '']))) };
    case 'identityChangeStarted':
      return contactCard(services, session, contactId, format(t.identityStarted, { from: outcome.change.from, to: outcome.change.to }));
    case 'identityChangeInProgress':
      return { message: format(t.identityInProgress, { from: outcome.contact.identityChange!.from, to: outcome.contact.identityChange!.to }) };
    case 'updated':
      return contactCard(services, session, contactId, t.updated);
    case 'unchanged':
      return contactCard(services, session, contactId, t.unchanged);
    case 'changedMeanwhile':
      return { message: t.changedMeanwhile };
    case 'refused':
      return { message: missingProfileText(session, outcome.missing) };
    case 'notFound':
      return { message: session.t.contact.gone };
  }
}

export class CancelChangeAction implements CardActionHandler {
  readonly verb = 'contact.cancelChange';
  readonly requires: Access = 'attached';

  async handle(_context: TurnContext, session: TurnSession): Promise<CardActionResult> {
    return { message: session.t.engagement.cancelled };
  }
}

/** Chooses the file (when the contact has several), then states what leaving it ends. */
export class OpenUnlinkAction implements CardActionHandler {
  readonly verb = 'contact.openUnlink';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices, private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, clientFileId } = parseCardData(this.verb, unlinkData, data);
    const details = await contactFor(this.services, session, contactId);
    if (!details) return { message: session.t.contact.gone };
    const chosen = clientFileId ?? (details.clientFiles.length === 1 ? details.clientFiles[0]!.file.id : undefined);
    if (!chosen) return { card: unlinkCard(session.language, { contact: details.contact, files: details.clientFiles.map((entry) => entry.file) }) };
    const outcome = await this.journey.changes.unlink(staffActorOf(session), contactId, chosen, false);
    if (outcome.status === 'confirm') return { card: unlinkCard(session.language, { contact: outcome.contact, confirm: outcome }) };
    return unlinkAnswer(this.services, session, contactId, outcome);
  }
}

export class UnlinkContactAction implements CardActionHandler {
  readonly verb = 'contact.unlink';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices, private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, clientFileId } = parseCardData(this.verb, unlinkData.required({ clientFileId: true }), data);
    return unlinkAnswer(this.services, session, contactId, await this.journey.changes.unlink(staffActorOf(session), contactId, clientFileId, true));
  }
}

async function unlinkAnswer(services: TeamsServices, session: TurnSession, contactId: string, outcome: Awaited<ReturnType<ContactChanges['unlink']>>): Promise<CardActionResult> {
  const t = session.t.engagement;
  switch (outcome.status) {
    case 'done': {
      const ended = outcome.endedOffers > 0 ? ` ${format(t.revokeEndedOffers, { count: String(outcome.endedOffers) })}` : '';
      return contactCard(services, session, contactId, `${format(t.unlinked, { name: contactDisplayName(outcome.contact), code: outcome.file.code })}${ended}`);
    }
    case 'notLinked':
      return { message: t.notLinked };
    case 'refused':
      return { message: missingProfileText(session, outcome.missing) };
    default:
      return { message: session.t.contact.gone };
  }
}

export class OpenDeleteContactAction implements CardActionHandler {
  readonly verb = 'contact.openDelete';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId } = parseCardData(this.verb, contactRef, data);
    return deleteAnswer(session, await this.journey.changes.delete(staffActorOf(session), contactId, null));
  }
}

export class DeleteContactAction implements CardActionHandler {
  readonly verb = 'contact.delete';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, confirmed, guestFate } = parseCardData(this.verb, deleteData, data);
    // Without the confirmation's mark, the card is shown again rather than acting.
    const confirmation = confirmed ? { guestFate: guestFate ?? 'keep' } : null;
    return deleteAnswer(session, await this.journey.changes.delete(staffActorOf(session), contactId, confirmation));
  }
}

function deleteAnswer(session: TurnSession, outcome: Awaited<ReturnType<ContactChanges['delete']>>): CardActionResult {
  const t = session.t.engagement;
  switch (outcome.status) {
    case 'confirm':
      return { card: deleteContactCard(session.language, outcome) };
    case 'done': {
      const ended = outcome.endedOffers > 0 ? ` ${format(t.revokeEndedOffers, { count: String(outcome.endedOffers) })}` : '';
      const fateText = outcome.fate ? ` ${t.fateDone[outcome.fate]}` : '';
      return { message: `${format(t.deleted, { name: outcome.name })}${ended}${fateText}` };
    }
    case 'identityChangeInProgress':
      return { message: t.deleteDuringIdentityChange };
    case 'refused':
      return { message: missingProfileText(session, outcome.missing) };
    case 'notFound':
      return { message: session.t.contact.gone };
  }
}

/** The review list as a card (command « revue des invités » and the weekly card's button). */
export async function guestReviewFor(journey: JourneyTeamsServices, session: TurnSession, banner?: string): Promise<CardActionResult> {
  const list = await journey.engagement.reviewList(staffActorOf(session));
  if ('status' in list) return { message: missingProfileText(session, list.missing) };
  return { card: guestReviewCard(session.language, { ...list, banner }) };
}

export class ShowGuestReviewAction implements CardActionHandler {
  readonly verb = 'guest.review';
  readonly requires: Access = requirements.read('invitations');
  constructor(private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession): Promise<CardActionResult> {
    return guestReviewFor(this.journey, session);
  }
}

export class OpenReviewDecisionAction implements CardActionHandler {
  readonly verb = 'guest.openReviewDecision';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId } = parseCardData(this.verb, decisionData, data);
    const list = await this.journey.engagement.reviewList(staffActorOf(session));
    if ('status' in list) return { message: missingProfileText(session, list.missing) };
    const entry = list.entries.find((candidate) => candidate.contact.id === contactId);
    if (!entry) return { message: session.t.engagement.reviewNotDue };
    return { card: reviewDecisionCard(session.language, entry, await this.journey.engagement.defaultFate(session.actor.firmId)) };
  }
}

export class ReviewDecideAction implements CardActionHandler {
  readonly verb = 'guest.reviewDecide';
  readonly requires: Access = requirements.change('invitations');
  constructor(private readonly journey: JourneyTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, decision } = parseCardData(this.verb, decisionData, data);
    const outcome = await this.journey.engagement.decideReview(staffActorOf(session), contactId, decision ?? 'keep');
    const t = session.t.engagement;
    if (outcome.status === 'refused') return { message: missingProfileText(session, outcome.missing) };
    if (outcome.status !== 'done') return outcome.status === 'notDue' ? guestReviewFor(this.journey, session, t.reviewNotDue) : { message: session.t.contact.gone };
    return guestReviewFor(this.journey, session, format(t.reviewDone, { name: outcome.name, decision: t.fates[outcome.decision] }));
  }
}
