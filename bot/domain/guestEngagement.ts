import { decide, requirements, visibleServiceIds } from './access/policy.js';
import type { Requirement } from './access/profiles.js';
import { stampOf, type ActorStamp } from './actor.js';
import { newAuditEntry } from './audit.js';
import type { ClientFileService } from './clientFileService.js';
import type { Contact } from './contact.js';
import type { ContactService } from './contactService.js';
import type { FirmSettingsService } from './firmSettingsService.js';
import { isActiveGuest, revocationOf, type RevocationAction } from './guest.js';
import type { GuestOnboardingService } from './guestOnboardingService.js';
import type { OfferService } from './offers/offerService.js';
import type { OfferSubscription, SubscriptionStore } from './offers/subscription.js';
import type { AuditLog, ClientFileStore, ContactStore, GuestFate } from './ports.js';
import { assertSeesFile, type StaffActor } from './staffActor.js';

/**
 * Deleting a guest account is final for the client (their Microsoft account leaves the firm's tenant
 * with everything shared with it), unlike inviting or removing from a team: it is an administrator's
 * decision, « Organisation – modification » (or the main manager), not « Invitations – modification ».
 */
export const guestDeletionRequirement: Requirement = requirements.change('organisation');

/** What becomes of a guest once nothing engages them any more, as carried out. */
export type GuestFateOutcome = { fate: GuestFate; outcome: 'done' | 'notAGuest' | 'offersRemain' };

export type RevokeOutcome =
  | { status: 'done'; endedOffers: number }
  | { status: 'refused'; missing: Requirement }
  | { status: 'notAGuest' | 'contactNotFound' };

/** What ending one offer means for its contact's guest account: shown on the confirmation before anything is done. */
export interface EndingPlan {
  /** No other offer of the contact is still open (active or waiting for the guest). */
  lastOffer: boolean;
  /** The contact is a guest of the tenant: their fate is to be chosen. */
  asksGuestFate: boolean;
  defaultFate: GuestFate;
}

export interface ReviewEntry {
  contact: Contact;
  /** Since when nothing engages the guest: their last offer's end, or their invitation if they never had one. */
  idleSince: Date;
  idleDays: number;
}

export type ReviewDecisionOutcome =
  | { status: 'done'; decision: GuestFate; name: string }
  | { status: 'refused'; missing: Requirement }
  | { status: 'notDue' | 'contactNotFound' };

const dayMs = 86_400_000;

/**
 * The end of an engagement: what becomes of a guest when their last offer ends (the firm's default,
 * or the choice of the person ending it), revoking a guest (which ends their offers), and the
 * periodic review of guests nothing engages any more (Entra ID access reviews, without the licence).
 */
export class GuestEngagement {
  constructor(
    private readonly deps: {
      contacts: ContactStore;
      subscriptions: Pick<SubscriptionStore, 'listByContacts' | 'findById'>;
      clientFileStore: Pick<ClientFileStore, 'findById'>;
      offers: Pick<OfferService, 'end' | 'offerOf'>;
      onboarding: Pick<GuestOnboardingService, 'revoke'>;
      contactDetails: Pick<ContactService, 'details'>;
      clientFiles: Pick<ClientFileService, 'hiddenFilesAndContacts'>;
      firmSettings: FirmSettingsService;
      audit: AuditLog;
      now: () => Date;
    },
  ) {}

  /** The profile missing to carry out this fate, or null: removing or blocking is the inviter's, deleting an administrator's. */
  fateRefusal(actor: StaffActor, fate: GuestFate): Requirement | null {
    if (fate === 'keep') return null;
    if (fate === 'delete') return decide(actor.access, guestDeletionRequirement).allowed ? null : guestDeletionRequirement;
    return decide(actor.access, requirements.change('invitations')).allowed ? null : requirements.change('invitations');
  }

  async defaultFate(firmId: string): Promise<GuestFate> {
    return (await this.deps.firmSettings.settings(firmId)).engagementPolicy.guestFateAtEnd;
  }

  /** Offers of the contact still open (active or waiting for the guest). */
  async openOffers(firmId: string, contactId: string): Promise<OfferSubscription[]> {
    return (await this.deps.subscriptions.listByContacts(firmId, [contactId])).filter((subscription) => subscription.state !== 'ended');
  }

  async endingPlan(firmId: string, subscription: OfferSubscription, contact: Contact): Promise<EndingPlan> {
    const others = (await this.openOffers(firmId, subscription.contactId)).filter((open) => open.id !== subscription.id);
    const lastOffer = others.length === 0;
    return { lastOffer, asksGuestFate: lastOffer && isActiveGuest(contact.guest), defaultFate: await this.defaultFate(firmId) };
  }

  /** The ending plan of an offer the actor may see (the tab's confirmation); null when it is gone. */
  async endingPlanFor(actor: StaffActor, subscriptionId: string): Promise<EndingPlan | null> {
    const subscription = await this.deps.subscriptions.findById(actor.firmId, subscriptionId);
    const file = subscription && (await this.deps.clientFileStore.findById(actor.firmId, subscription.clientFileId));
    const contact = subscription && (await this.deps.contacts.findById(actor.firmId, subscription.contactId));
    if (!subscription || !file || !contact) return null;
    assertSeesFile(actor, file);
    return this.endingPlan(actor.firmId, subscription, contact);
  }

  /** After an offer ended: when it was the contact's last, the guest's fate is carried out and recorded. */
  async settleGuestAfterOffer(actor: StaffActor, contactId: string, fate: GuestFate, subscriptionId: string): Promise<GuestFateOutcome> {
    if ((await this.openOffers(actor.firmId, contactId)).length > 0) return { fate, outcome: 'offersRemain' };
    const contact = await this.deps.contacts.findById(actor.firmId, contactId);
    if (!contact || !isActiveGuest(contact.guest)) return { fate, outcome: 'notAGuest' };
    return { fate, outcome: await this.carryOut(contact, fate, stampOf(actor, this.deps.now()), { subscriptionId }) };
  }

  /**
   * Revokes a guest: their open offers end first (the card said so), then the account is taken out of
   * its teams and, if chosen, blocked or deleted. Ending a paid offer needs « Offres – modification ».
   */
  async revoke(actor: StaffActor, contactId: string, action: RevocationAction): Promise<RevokeOutcome> {
    const fate: GuestFate = action === 'deleted' ? 'delete' : action === 'blocked' ? 'block' : 'removeFromTeam';
    const missing = this.fateRefusal(actor, fate);
    if (missing) return { status: 'refused', missing };
    // Throws OtherServiceError for a contact of other services' files only, before the directory is touched.
    const details = await this.deps.contactDetails.details(actor.firmId, contactId, visibleServiceIds(actor.access));
    if (!details) return { status: 'contactNotFound' };
    if (!isActiveGuest(details.contact.guest)) return { status: 'notAGuest' };
    const open = await this.openOffers(actor.firmId, contactId);
    const paidMissing = await this.paidOfferRefusal(actor, open);
    if (paidMissing) return { status: 'refused', missing: paidMissing };
    const by = stampOf(actor, this.deps.now());
    const endedOffers = await this.endAll(actor.firmId, open, by);
    const outcome = await this.deps.onboarding.revoke(actor.firmId, contactId, action, by, { endedOffers });
    return outcome === 'done' ? { status: 'done', endedOffers } : { status: outcome };
  }

  /** Ends these offers as `by`; an offer changed meanwhile is read again once. Returns how many ended. */
  async endAll(firmId: string, open: OfferSubscription[], by: ActorStamp): Promise<number> {
    let ended = 0;
    for (const subscription of open) {
      let outcome = await this.deps.offers.end(firmId, by, subscription.id, subscription.version);
      if (outcome.status === 'stale') outcome = await this.deps.offers.end(firmId, by, subscription.id, outcome.subscription.version);
      if (outcome.status === 'done') ended++;
    }
    return ended;
  }

  /** Ending a paid offer commits the firm: without « Offres – modification » a revocation that would end one is refused. */
  async paidOfferRefusal(actor: StaffActor, open: OfferSubscription[]): Promise<Requirement | null> {
    if (decide(actor.access, requirements.change('offers')).allowed) return null;
    for (const subscription of open) if ((await this.deps.offers.offerOf(actor.firmId, subscription.offerId))?.paid) return requirements.change('offers');
    return null;
  }

  /**
   * Guests nothing has engaged for the firm's review delay (no active or waiting offer), oldest first,
   * within what the actor may see. A guest kept at a review is listed again once the delay has passed anew.
   */
  async reviewList(actor: StaffActor): Promise<{ entries: ReviewEntry[]; afterDays: number } | { status: 'refused'; missing: Requirement }> {
    if (!decide(actor.access, requirements.read('invitations')).allowed) return { status: 'refused', missing: requirements.read('invitations') };
    return { entries: await this.dueForReview(actor.firmId, visibleServiceIds(actor.access)), afterDays: (await this.deps.firmSettings.settings(actor.firmId)).engagementPolicy.reviewAfterDays };
  }

  /** The same list for a system process (the weekly card to the main manager): every service. */
  async dueForReview(firmId: string, visibility: 'all' | readonly string[] = 'all'): Promise<ReviewEntry[]> {
    const now = this.deps.now();
    const afterDays = (await this.deps.firmSettings.settings(firmId)).engagementPolicy.reviewAfterDays;
    const guests = await this.deps.contacts.listGuests(firmId, 5_000);
    const hidden = visibility === 'all' ? null : await this.deps.clientFiles.hiddenFilesAndContacts(firmId, visibility);
    const subscriptions = await this.deps.subscriptions.listByContacts(firmId, guests.map((contact) => contact.id));
    const entries: ReviewEntry[] = [];
    for (const contact of guests) {
      if (hidden?.contactIds.has(contact.id) || contact.identityChange) continue;
      const own = subscriptions.filter((subscription) => subscription.contactId === contact.id);
      if (own.some((subscription) => subscription.state !== 'ended')) continue;
      const moments = [contact.guest!.invitedAt, contact.guest!.acceptedAt, contact.review?.by.at, ...own.map((subscription) => subscription.ended?.at)];
      const idleSince = new Date(Math.max(...moments.filter((moment): moment is Date => moment instanceof Date).map((moment) => moment.getTime()), 0));
      const idleDays = Math.floor((now.getTime() - idleSince.getTime()) / dayMs);
      if (idleDays >= afterDays) entries.push({ contact, idleSince, idleDays });
    }
    return entries.sort((a, b) => a.idleSince.getTime() - b.idleSince.getTime());
  }

  /** A review's decision on one guest, recorded; a guest no longer due (an offer since, decided already) is left alone. */
  async decideReview(actor: StaffActor, contactId: string, decision: GuestFate): Promise<ReviewDecisionOutcome> {
    const mayDecide = decide(actor.access, requirements.change('invitations')).allowed ? this.fateRefusal(actor, decision) : requirements.change('invitations');
    if (mayDecide) return { status: 'refused', missing: mayDecide };
    const due = (await this.dueForReview(actor.firmId, visibleServiceIds(actor.access))).find((entry) => entry.contact.id === contactId);
    if (!due) return (await this.deps.contacts.findById(actor.firmId, contactId)) ? { status: 'notDue' } : { status: 'contactNotFound' };
    const by = stampOf(actor, this.deps.now());
    const details = { decision, inactiveDays: due.idleDays };
    if (decision === 'keep') {
      await this.deps.contacts.setReview(actor.firmId, contactId, { decision: 'keep', by }, newAuditEntry({ firmId: actor.firmId, actor: by, action: 'guest.reviewKept', contactId, details }));
    } else {
      await this.carryOut(due.contact, decision, by, details);
    }
    return { status: 'done', decision, name: [due.contact.firstName, due.contact.lastName].filter(Boolean).join(' ') };
  }

  private async carryOut(contact: Contact, fate: GuestFate, by: ActorStamp, details: Record<string, unknown>): Promise<'done' | 'notAGuest'> {
    const action = revocationOf(fate);
    if (!action) {
      await this.deps.audit.record(newAuditEntry({ firmId: contact.firmId, actor: by, action: 'guest.keptAtEnd', contactId: contact.id, details }));
      return 'done';
    }
    const outcome = await this.deps.onboarding.revoke(contact.firmId, contact.id, action, by, details);
    return outcome === 'done' ? 'done' : 'notAGuest';
  }
}
