import { decide, requirements, visibleServiceIds } from './access/policy.js';
import type { Requirement } from './access/profiles.js';
import { stampOf, type ActorStamp } from './actor.js';
import type { ClientFileService } from './clientFileService.js';
import type { Contact } from './contact.js';
import type { ContactService } from './contactService.js';
import type { GuestOnboardingService, InvitationSelection } from './guestOnboardingService.js';
import type { InvitationJob, InvitationJobQueue } from './invitationJobs.js';
import type { StaffActor } from './staffActor.js';

/** Whom to invite: one contact (refused if only other services' clients), or a selection narrowed to what the actor sees. */
export type InvitationTarget = { kind: 'contact'; contactId: string } | InvitationSelection;

export type QueueOutcome =
  /** `created` false: an earlier identical request (same requestId) already made this job. */
  | { status: 'queued'; job: InvitationJob; created: boolean }
  | { status: 'refused'; missing: Requirement }
  | { status: 'contactNotFound' };

/**
 * The one place invitation jobs are queued: inviting or reminding contacts (from Teams or the tab),
 * proposing an offer to many, the invitation an offer starts for a contact not yet a guest, and the
 * writing of an imported file (the same durable jobs, kind 'import'). Staff
 * requests check « Invitations – modification » and the files' services before anything is queued.
 */
export class GuestInvitations {
  constructor(
    private readonly deps: {
      jobs: InvitationJobQueue;
      onboarding: Pick<GuestOnboardingService, 'contactsToInvite' | 'contactsToRemind'>;
      clientFiles: Pick<ClientFileService, 'hiddenFilesAndContacts'>;
      contacts: Pick<ContactService, 'details'>;
      /** Tells the job runner that work is waiting. */
      nudge: () => void;
      now: () => Date;
    },
  ) {}

  async invite(
    actor: StaffActor,
    input: { requestId: string; target: InvitationTarget; personalMessage?: string; progress?: InvitationJob['progress'] },
  ): Promise<QueueOutcome> {
    const refused = this.refusedUnless(actor, requirements.change('invitations'));
    if (refused) return refused;
    // A re-submitted card or call finds its job; the selection is only resolved the first time.
    const existing = await this.deps.jobs.findByRequestId(actor.firmId, input.requestId);
    if (existing) return { status: 'queued', job: existing, created: false };
    let contactIds: string[];
    if (input.target.kind === 'contact') {
      // Throws OtherServiceError for a contact of other services' files only, before any job exists.
      if (!(await this.deps.contacts.details(actor.firmId, input.target.contactId, visibleServiceIds(actor.access)))) return { status: 'contactNotFound' };
      contactIds = [input.target.contactId];
    } else {
      contactIds = (await this.contactsToInvite(actor, input.target)).map((contact) => contact.id);
    }
    return this.queue(actor, { requestId: input.requestId, contactIds, personalMessage: input.personalMessage, progress: input.progress, kind: 'invite' });
  }

  /** « Relancer »: the invitation again for the files' contacts still waiting for acceptance (or only `contactIds` of them). */
  async remind(actor: StaffActor, input: { requestId: string; clientFileIds: string[]; contactIds?: string[] }): Promise<QueueOutcome> {
    const refused = this.refusedUnless(actor, requirements.change('invitations'));
    if (refused) return refused;
    const existing = await this.deps.jobs.findByRequestId(actor.firmId, input.requestId);
    if (existing) return { status: 'queued', job: existing, created: false };
    const hidden = await this.hidden(actor);
    const fileIds = hidden ? input.clientFileIds.filter((id) => !hidden.clientFileIds.has(id)) : input.clientFileIds;
    const contacts = (await this.deps.onboarding.contactsToRemind(actor.firmId, fileIds)).filter((contact) => !input.contactIds || input.contactIds.includes(contact.id));
    return this.queue(actor, { requestId: input.requestId, contactIds: contacts.map((contact) => contact.id), kind: 'remind' });
  }

  /**
   * The contacts a selection designates, within what the actor may see: files of other services are
   * dropped (a card's ids may be forged or the file reassigned since), and so are contacts linked only
   * to such files (« inviter tous » of a « Pôle social » user invites Pôle social's clients).
   */
  async contactsToInvite(actor: StaffActor, selection: InvitationSelection): Promise<Contact[]> {
    const hidden = await this.hidden(actor);
    if (!hidden) return this.deps.onboarding.contactsToInvite(actor.firmId, selection);
    const narrowed: InvitationSelection = selection.kind === 'clientFiles' ? { kind: 'clientFiles', ids: selection.ids.filter((id) => !hidden.clientFileIds.has(id)) } : selection;
    const contacts = await this.deps.onboarding.contactsToInvite(actor.firmId, narrowed);
    return contacts.filter((contact) => !hidden.contactIds.has(contact.id));
  }

  /** The job of a bulk offer proposal; the offers' use case has checked the profile and the paid-offer rule. */
  async queueOfferProposals(actor: StaffActor, input: { requestId: string; offerId: string; targets: { clientFileId: string; contactId: string }[] }): Promise<InvitationJob> {
    const { job } = await this.deps.jobs.create({
      firmId: actor.firmId,
      requestId: input.requestId,
      createdBy: stampOf(actor, this.deps.now()),
      contactIds: input.targets.map((target) => target.contactId),
      targets: input.targets,
      kind: 'offer',
      offerId: input.offerId,
    });
    this.deps.nudge();
    return job;
  }

  /** The job that writes a checked import file, one item per batch of lines; the import's use case has checked the file and the profile. */
  async queueImport(input: { firmId: string; requestId: string; createdBy: ActorStamp; batches: number }): Promise<{ job: InvitationJob; created: boolean }> {
    const queued = await this.deps.jobs.create({ firmId: input.firmId, requestId: input.requestId, createdBy: input.createdBy, contactIds: [], importBatches: input.batches, kind: 'import' });
    this.deps.nudge();
    return queued;
  }

  /** A confirmed change of an invited contact's e-mail, carried out by the same durable jobs (one per change). */
  async queueIdentityChange(input: { firmId: string; changeId: string; contactId: string; by: ActorStamp }): Promise<void> {
    await this.deps.jobs.create({ firmId: input.firmId, requestId: `identity-change:${input.changeId}`, createdBy: input.by, contactIds: [input.contactId], kind: 'identityChange' });
    this.deps.nudge();
  }

  /** An offer for a contact not yet invited starts their invitation through the same durable jobs. */
  async inviteForOffer(firmId: string, contactId: string, by: ActorStamp): Promise<void> {
    await this.deps.jobs.create({ firmId, requestId: `offer-invitation:${contactId}:${by.at.getTime()}`, createdBy: by, contactIds: [contactId] });
    this.deps.nudge();
  }

  private async queue(actor: StaffActor, job: { requestId: string; contactIds: string[]; personalMessage?: string; progress?: InvitationJob['progress']; kind: 'invite' | 'remind' }): Promise<QueueOutcome> {
    const { job: queued, created } = await this.deps.jobs.create({ firmId: actor.firmId, createdBy: stampOf(actor, this.deps.now()), ...job });
    this.deps.nudge();
    return { status: 'queued', job: queued, created };
  }

  /** Files and contacts the actor may not see; null when they see every service. */
  private async hidden(actor: StaffActor) {
    const visibility = visibleServiceIds(actor.access);
    return visibility === 'all' ? null : this.deps.clientFiles.hiddenFilesAndContacts(actor.firmId, visibility);
  }

  private refusedUnless(actor: StaffActor, requirement: Requirement): { status: 'refused'; missing: Requirement } | null {
    return decide(actor.access, requirement).allowed ? null : { status: 'refused', missing: requirement };
  }
}
