import { randomUUID } from 'node:crypto';
import { decide, requirements, visibleServiceIds } from './access/policy.js';
import type { Requirement } from './access/profiles.js';
import { stampOf, type ActorStamp } from './actor.js';
import { newAuditEntry } from './audit.js';
import type { ClientFile } from './clientFile.js';
import { contactDisplayName, contactSearchTokens, validateContact, type Contact, type ContactField, type ContactInput, type IdentityChange, type ValidContact } from './contact.js';
import type { ContactService } from './contactService.js';
import type { FieldErrors } from './errors.js';
import type { FirmSettingsService } from './firmSettingsService.js';
import { guestMemberships, isActiveGuest, revocationOf, type GuestStateName } from './guest.js';
import type { GuestEngagement } from './guestEngagement.js';
import type { AuditLog, ClientFileStore, ContactLinkStore, ContactStore, GuestFate } from './ports.js';
import type { StaffActor } from './staffActor.js';

/** What an identity change will do, stated on the confirmation card before anything is written. */
export interface IdentityChangePlan {
  contact: Contact;
  from: string;
  to: string;
  guestState: GuestStateName;
  /** Offers that will wait for the new address to accept, then start again. */
  openOffers: number;
  /** The firm's default for the old guest account; the person confirming may choose another. */
  defaultOldGuestFate: GuestFate;
}

export type ContactEditOutcome =
  | { status: 'updated' | 'unchanged'; contact: Contact }
  | { status: 'invalid'; errors: FieldErrors<ContactField> }
  | { status: 'confirmIdentityChange'; plan: IdentityChangePlan }
  | { status: 'identityChangeStarted'; contact: Contact; change: IdentityChange }
  | { status: 'identityChangeInProgress'; contact: Contact }
  | { status: 'changedMeanwhile' | 'notFound' }
  | { status: 'refused'; missing: Requirement };

/** The confirmation of an identity change, as the card sent it: what the old guest becomes, and the address it was shown for. */
export interface IdentityConfirmation {
  oldGuestFate: GuestFate;
  expectedEmail: string;
}

/** Queues the durable job that carries out an identity change (bot/jobs/invitationRunner.ts runs it). */
export interface IdentityChangeQueue {
  queueIdentityChange(input: { firmId: string; changeId: string; contactId: string; by: ActorStamp }): Promise<void>;
}

export type UnlinkOutcome =
  | { status: 'confirm'; contact: Contact; file: ClientFile; openOffers: number; primary: boolean }
  | { status: 'done'; contact: Contact; file: ClientFile; endedOffers: number }
  | { status: 'notLinked' | 'notFound' }
  | { status: 'refused'; missing: Requirement };

export type DeleteOutcome =
  | { status: 'confirm'; contact: Contact; files: number; openOffers: number; isGuest: boolean; defaultFate: GuestFate }
  | { status: 'done'; name: string; endedOffers: number; fate?: GuestFate }
  | { status: 'notFound' | 'identityChangeInProgress' }
  | { status: 'refused'; missing: Requirement };

/**
 * Changes to a contact after creation: editing every field of the creation form, the e-mail of an
 * invited contact as one recorded identity change, unlinking from a file and deleting. The rules
 * (profiles, services, confirmations, what happens to offers and guest) are here; cards and routes
 * parse, call and translate.
 */
export class ContactChanges {
  constructor(
    private readonly deps: {
      contacts: ContactStore;
      links: ContactLinkStore;
      clientFiles: Pick<ClientFileStore, 'findById' | 'clearPrimaryContact'>;
      contactDetails: Pick<ContactService, 'details'>;
      firmSettings: FirmSettingsService;
      engagement: Pick<GuestEngagement, 'openOffers' | 'endAll' | 'fateRefusal' | 'paidOfferRefusal' | 'defaultFate' | 'settleGuestAfterOffer'>;
      identityJobs: IdentityChangeQueue;
      audit: AuditLog;
      now: () => Date;
    },
  ) {}

  /**
   * Checks every field as creation does and writes nothing when one is wrong. A new e-mail of a contact
   * already invited is a new guest identity: without `confirmation` the plan is returned to be shown;
   * with it, the change is written and its directory steps queued as one durable job.
   */
  async edit(actor: StaffActor, contactId: string, input: ContactInput, confirmation?: IdentityConfirmation): Promise<ContactEditOutcome> {
    const refused = this.refusedUnless(actor, requirements.change('contacts'));
    if (refused) return refused;
    // Throws OtherServiceError for a contact of other services' files only, before anything is written.
    const details = await this.deps.contactDetails.details(actor.firmId, contactId, visibleServiceIds(actor.access));
    if (!details) return { status: 'notFound' };
    const contact = details.contact;
    const settings = await this.deps.firmSettings.settings(actor.firmId);
    const validation = validateContact(input, settings.orgRoles);
    if (!validation.ok) return { status: 'invalid', errors: validation.errors };
    const next = validation.value;

    if (confirmation && contact.identityChange && contact.identityChange.from === confirmation.expectedEmail && contact.identityChange.to === next.email) {
      // The same confirmation submitted again: the change is under way; make sure its job exists.
      await this.queue(actor.firmId, contact.identityChange, contact.id);
      return { status: 'identityChangeStarted', contact, change: contact.identityChange };
    }
    const emailChanges = next.email !== contact.email;
    if (emailChanges && contact.identityChange) return { status: 'identityChangeInProgress', contact };
    if (emailChanges) {
      const owner = await this.deps.contacts.findByEmail(actor.firmId, next.email);
      if (owner && owner.id !== contact.id) return { status: 'invalid', errors: { email: { code: 'email.taken', params: { name: contactDisplayName(owner) } } } };
    }
    if (emailChanges && isActiveGuest(contact.guest)) return this.changeIdentity(actor, contact, next, confirmation);

    const changes = contactChanges(contact, next);
    if (Object.keys(changes.after).length === 0) return { status: 'unchanged', contact };
    const at = this.deps.now();
    const written = await this.deps.contacts.updateDetails(
      actor.firmId, contact.id, contact.email, { ...next, searchTokens: contactSearchTokens(next) },
      // A contact never invited (or whose invitation failed or was revoked) starts afresh with a new address.
      emailChanges ? 'reset' : 'keep',
      newAuditEntry({ firmId: actor.firmId, actor: stampOf(actor, at), action: 'contact.updated', contactId: contact.id, details: changes }),
    );
    if (written === 'taken') return { status: 'invalid', errors: { email: { code: 'email.taken', params: { name: next.email } } } };
    if (written === 'changed') return { status: 'changedMeanwhile' };
    return { status: 'updated', contact: (await this.deps.contacts.findById(actor.firmId, contact.id)) ?? contact };
  }

  private async changeIdentity(actor: StaffActor, contact: Contact, next: ValidContact, confirmation?: IdentityConfirmation): Promise<ContactEditOutcome> {
    const mayInvite = this.refusedUnless(actor, requirements.change('invitations'));
    if (mayInvite) return mayInvite;
    const openOffers = await this.deps.engagement.openOffers(actor.firmId, contact.id);
    if (!confirmation) {
      return {
        status: 'confirmIdentityChange',
        plan: { contact, from: contact.email, to: next.email, guestState: contact.guest!.state, openOffers: openOffers.length, defaultOldGuestFate: await this.deps.engagement.defaultFate(actor.firmId) },
      };
    }
    if (confirmation.expectedEmail !== contact.email) return { status: 'changedMeanwhile' };
    const fateMissing = this.deps.engagement.fateRefusal(actor, confirmation.oldGuestFate);
    if (fateMissing) return { status: 'refused', missing: fateMissing };
    const at = this.deps.now();
    const guest = contact.guest!;
    const change: IdentityChange = {
      id: randomUUID(),
      from: contact.email,
      to: next.email,
      requested: stampOf(actor, at),
      oldGuest: guest.directoryUserId ? { directoryUserId: guest.directoryUserId, memberships: guestMemberships(guest), fate: confirmation.oldGuestFate, done: false } : undefined,
      offersCarriedOver: openOffers.length,
    };
    const entry = newAuditEntry({
      firmId: actor.firmId,
      actor: change.requested,
      action: 'contact.identityChangeRequested',
      contactId: contact.id,
      details: { before: change.from, after: change.to, action: revocationOf(confirmation.oldGuestFate), offersCarriedOver: change.offersCarriedOver },
    });
    const otherFields = contactChanges(contact, next, ['email']);
    const written = await this.deps.contacts.updateDetails(actor.firmId, contact.id, contact.email, { ...next, searchTokens: contactSearchTokens(next) }, { identityChange: change }, entry);
    if (written === 'taken') return { status: 'invalid', errors: { email: { code: 'email.taken', params: { name: next.email } } } };
    if (written === 'changed') return { status: 'changedMeanwhile' };
    // The other fields changed by the same form: their own line in the log.
    if (Object.keys(otherFields.after).length > 0) {
      await this.deps.audit.record(newAuditEntry({ firmId: actor.firmId, actor: change.requested, action: 'contact.updated', contactId: contact.id, details: otherFields }));
    }
    await this.queue(actor.firmId, change, contact.id);
    return { status: 'identityChangeStarted', contact: (await this.deps.contacts.findById(actor.firmId, contact.id)) ?? contact, change };
  }

  private queue(firmId: string, change: IdentityChange, contactId: string): Promise<void> {
    return this.deps.identityJobs.queueIdentityChange({ firmId, changeId: change.id, contactId, by: change.requested });
  }

  /**
   * Takes a contact off a client file. Without `confirmed` the consequences are returned to be shown:
   * their offers on that file end, and the file loses its primary contact if it was them.
   */
  async unlink(actor: StaffActor, contactId: string, clientFileId: string, confirmed: boolean): Promise<UnlinkOutcome> {
    const refused = this.refusedUnless(actor, requirements.change('contacts'));
    if (refused) return refused;
    const details = await this.deps.contactDetails.details(actor.firmId, contactId, visibleServiceIds(actor.access));
    const linked = details?.clientFiles.find((entry) => entry.file.id === clientFileId);
    if (!details) return { status: 'notFound' };
    if (!linked) return { status: 'notLinked' };
    const open = (await this.deps.engagement.openOffers(actor.firmId, contactId)).filter((subscription) => subscription.clientFileId === clientFileId);
    if (!confirmed) return { status: 'confirm', contact: details.contact, file: linked.file, openOffers: open.length, primary: linked.primary };
    const paidMissing = await this.deps.engagement.paidOfferRefusal(actor, open);
    if (paidMissing) return { status: 'refused', missing: paidMissing };
    const by = stampOf(actor, this.deps.now());
    const endedOffers = await this.deps.engagement.endAll(actor.firmId, open, by);
    // A second submission finds no link: nothing is done twice.
    if (!(await this.deps.links.remove(actor.firmId, clientFileId, contactId))) return { status: 'notLinked' };
    await this.deps.clientFiles.clearPrimaryContact(actor.firmId, clientFileId, contactId, by.at);
    await this.deps.audit.record(newAuditEntry({ firmId: actor.firmId, actor: by, action: 'contact.unlinked', clientFileId, contactId, details: { endedOffers } }));
    return { status: 'done', contact: details.contact, file: linked.file, endedOffers };
  }

  /**
   * Deletes a contact: their open offers end, their links go, and their guest account meets the fate
   * chosen on the confirmation (deleting the account needs an administrator). Without `confirmed`,
   * what will happen is returned to be shown.
   */
  async delete(actor: StaffActor, contactId: string, confirmation: { guestFate: GuestFate } | null): Promise<DeleteOutcome> {
    const refused = this.refusedUnless(actor, requirements.change('contacts'));
    if (refused) return refused;
    const details = await this.deps.contactDetails.details(actor.firmId, contactId, visibleServiceIds(actor.access));
    if (!details) return { status: 'notFound' };
    const { contact } = details;
    if (contact.identityChange) return { status: 'identityChangeInProgress' };
    // Every link counts, other services' too: the person leaves the firm's records altogether.
    const links = await this.deps.links.listByContact(actor.firmId, contactId);
    const open = await this.deps.engagement.openOffers(actor.firmId, contactId);
    const isGuest = isActiveGuest(contact.guest);
    if (!confirmation) {
      return { status: 'confirm', contact, files: links.length, openOffers: open.length, isGuest, defaultFate: await this.deps.engagement.defaultFate(actor.firmId) };
    }
    if (details.otherServiceFiles) return { status: 'refused', missing: requirements.change('organisation') };
    const missing = (isGuest && this.deps.engagement.fateRefusal(actor, confirmation.guestFate)) || (await this.deps.engagement.paidOfferRefusal(actor, open));
    if (missing) return { status: 'refused', missing };
    const by = stampOf(actor, this.deps.now());
    const endedOffers = await this.deps.engagement.endAll(actor.firmId, open, by);
    if (isGuest) await this.deps.engagement.settleGuestAfterOffer(actor, contactId, confirmation.guestFate, '');
    for (const link of links) {
      await this.deps.links.remove(actor.firmId, link.clientFileId, contactId);
      await this.deps.clientFiles.clearPrimaryContact(actor.firmId, link.clientFileId, contactId, by.at);
    }
    const name = contactDisplayName(contact);
    // Logged before the record goes: the entry names the person, since the record will not any more.
    await this.deps.audit.record(
      newAuditEntry({ firmId: actor.firmId, actor: by, action: 'contact.deleted', contactId, details: { contactName: name, endedOffers, action: isGuest ? revocationOf(confirmation.guestFate) : null } }),
    );
    if (!(await this.deps.contacts.delete(actor.firmId, contactId))) return { status: 'notFound' };
    return { status: 'done', name, endedOffers, fate: isGuest ? confirmation.guestFate : undefined };
  }

  private refusedUnless(actor: StaffActor, requirement: Requirement): { status: 'refused'; missing: Requirement } | null {
    return decide(actor.access, requirement).allowed ? null : { status: 'refused', missing: requirement };
  }
}

/** Before and after of the edited fields that differ (the address as one group); `leaveOut` for fields said elsewhere. */
export function contactChanges(before: ValidContact, after: ValidContact, leaveOut: readonly string[] = []): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const changes = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  for (const key of ['lastName', 'firstName', 'mobile', 'landline', 'email', 'orgRole'] as const) {
    if (leaveOut.includes(key) || (before[key] ?? null) === (after[key] ?? null)) continue;
    changes.before[key] = before[key] ?? null;
    changes.after[key] = after[key] ?? null;
  }
  for (const key of ['line1', 'line2', 'line3', 'city'] as const) {
    if ((before.address[key] ?? null) === (after.address[key] ?? null)) continue;
    ((changes.before.address ??= {}) as Record<string, unknown>)[key] = before.address[key] ?? null;
    ((changes.after.address ??= {}) as Record<string, unknown>)[key] = after.address[key] ?? null;
  }
  return changes;
}
