import type { AccessOutcome, AccessRefusal, StaffIdentity } from '../access/accessUseCases.js';
import { decide, OtherServiceError, requirements } from '../access/policy.js';
import type { AccessRequest, AccessRequestKind, ApprovalResult, RequestedOffer } from '../access/ports.js';
import type { Requirement } from '../access/profiles.js';
import { stampOf } from '../actor.js';
import type { ClientFile } from '../clientFile.js';
import { contactDisplayName, type Contact } from '../contact.js';
import type { InvitationJob } from '../invitationJobs.js';
import type { GuestEngagement, GuestFateOutcome } from '../guestEngagement.js';
import type { ClientFileStore, ContactLinkStore, ContactStore, GuestFate } from '../ports.js';
import { assertSeesFile, type StaffActor } from '../staffActor.js';
import type { OfferDefinition } from './catalogue.js';
import type { ChangeOutcome, OfferService, ProposeOutcome } from './offerService.js';
import type { OfferSubscription } from './subscription.js';

/** Files a request in the requester's name (the access requests' use case). */
export interface ApprovalRequests {
  request(requester: StaffIdentity & { email: string }, input: { kind: AccessRequestKind; offer: RequestedOffer }): Promise<AccessOutcome<AccessRequest>>;
}

/** Queues the durable job proposing an offer to many (file, contact) pairs. */
export interface OfferProposalQueue {
  queueOfferProposals(actor: StaffActor, input: { requestId: string; offerId: string; targets: { clientFileId: string; contactId: string }[] }): Promise<InvitationJob>;
}

/**
 * What a member of staff may do with a paid offer without « Offres – modification »: one by one from
 * Teams the wish becomes a request to approve ('askApproval'); in bulk, from the tab, or when an
 * approver runs an approved request, it is refused ('refuse').
 */
export type WithoutPaidOfferProfile = 'askApproval' | 'refuse';

/**
 * The outcomes every offer use case may add to its own: refused for a missing profile (with why no
 * request was filed, when one was attempted), or waiting for approval with the request it created.
 */
export type OfferGateOutcome =
  | { status: 'refused'; missing: Requirement; requestRefusal?: AccessRefusal | 'noEmail' }
  | { status: 'needsApproval'; request: AccessRequest };

/** done: activated, waitingForGuest, invitationStarted, unchanged; conflict: alreadyHasOffer; invalid: the rest. */
export type ProposeCommandOutcome = ProposeOutcome | OfferGateOutcome;
/** done; conflict: stale, ended, stepOutOfOrder, notActive; invalid: notFound, offerUnknown. */
export type ChangeCommandOutcome = ChangeOutcome | OfferGateOutcome;
/** Ending an offer also says what became of the guest when it was their last one. */
export type EndCommandOutcome = ChangeCommandOutcome | (Extract<ChangeOutcome, { status: 'done' }> & { guest: GuestFateOutcome });

export type ProposeToManyOutcome =
  | { status: 'queued'; job: InvitationJob; filesWithoutPrimary: number }
  | { status: 'offerUnknown' }
  | { status: 'refused'; missing: Requirement; offer?: OfferDefinition };

/**
 * Propose, change and end offers as a member of staff: the one place that checks the offers
 * profile, the file's service and the paid-offer rule (a paid offer commits the firm: activating it,
 * moving to or from it, or ending it needs « Offres – modification »). Approving a request runs the
 * operation it stored through these same use cases, as the approver.
 */
export class OfferCommands {
  constructor(
    private readonly deps: {
      offers: OfferService;
      clientFiles: Pick<ClientFileStore, 'findById'>;
      contacts: Pick<ContactStore, 'findById'>;
      links: Pick<ContactLinkStore, 'exists'>;
      requests: ApprovalRequests;
      jobs: OfferProposalQueue;
      /** What becomes of a guest whose last offer ends; absent, the guest is left as they are. */
      engagement?: Pick<GuestEngagement, 'fateRefusal' | 'endingPlan' | 'settleGuestAfterOffer'>;
      now: () => Date;
    },
  ) {}

  async propose(actor: StaffActor, input: { clientFileId: string; contactId: string; offerId: string }, withoutProfile: WithoutPaidOfferProfile): Promise<ProposeCommandOutcome> {
    const mayRead = this.refusedUnless(actor, requirements.read('offers'));
    if (mayRead) return mayRead;
    const offer = await this.deps.offers.proposableOfferOf(actor.firmId, input.offerId);
    if (!offer) return { status: 'offerUnknown' };
    const [clientFile, contact] = await Promise.all([this.deps.clientFiles.findById(actor.firmId, input.clientFileId), this.deps.contacts.findById(actor.firmId, input.contactId)]);
    if (!clientFile) return { status: 'clientFileNotFound' };
    assertSeesFile(actor, clientFile);
    if (!contact) return { status: 'contactNotFound' };
    if (!(await this.deps.links.exists(actor.firmId, clientFile.id, contact.id))) return { status: 'notLinked' };
    if (offer.paid && !this.mayChangeOffers(actor)) {
      return this.gate(actor, withoutProfile, { operation: 'activate', ...this.target(clientFile, contact, offer) });
    }
    return this.deps.offers.propose(actor.firmId, stampOf(actor, this.deps.now()), input);
  }

  /** Moving to or away from a paid offer needs the profile; a card out of date files no request. */
  async change(actor: StaffActor, input: { subscriptionId: string; expectedVersion: number; offerId: string }, withoutProfile: WithoutPaidOfferProfile): Promise<ChangeCommandOutcome> {
    const mayRead = this.refusedUnless(actor, requirements.read('offers'));
    if (mayRead) return mayRead;
    const found = await this.current(actor, input);
    if ('status' in found) return found;
    const target = await this.deps.offers.proposableOfferOf(actor.firmId, input.offerId);
    if (!target) return { status: 'offerUnknown' };
    const { subscription, clientFile, contact } = found;
    const from = await this.deps.offers.offerOf(actor.firmId, subscription.offerId);
    if ((target.paid || from?.paid) && !this.mayChangeOffers(actor)) {
      return this.gate(actor, withoutProfile, {
        operation: 'change',
        subscriptionId: subscription.id,
        expectedVersion: subscription.version,
        fromOfferId: subscription.offerId,
        fromOfferName: from?.name,
        ...this.target(clientFile, contact, target),
      });
    }
    return this.deps.offers.change(actor.firmId, stampOf(actor, this.deps.now()), input.subscriptionId, input.expectedVersion, input.offerId);
  }

  /**
   * Ends an offer; when it is the contact's last, `guestFate` (or the firm's default) is carried out:
   * kept, removed from the team, blocked or deleted. A fate the actor may not carry out (deleting
   * needs an administrator) refuses the whole operation before anything changes.
   */
  async end(actor: StaffActor, input: { subscriptionId: string; expectedVersion: number; guestFate?: GuestFate }, withoutProfile: WithoutPaidOfferProfile): Promise<EndCommandOutcome> {
    const mayRead = this.refusedUnless(actor, requirements.read('offers'));
    if (mayRead) return mayRead;
    const found = await this.current(actor, input);
    if ('status' in found) return found;
    const { subscription, clientFile, contact } = found;
    const offer = await this.deps.offers.offerOf(actor.firmId, subscription.offerId);
    if (offer?.paid && !this.mayChangeOffers(actor)) {
      return this.gate(actor, withoutProfile, { operation: 'end', subscriptionId: subscription.id, expectedVersion: subscription.version, ...this.target(clientFile, contact, offer) });
    }
    const engagement = this.deps.engagement;
    const plan = engagement && (await engagement.endingPlan(actor.firmId, subscription, contact));
    const fate = plan?.asksGuestFate ? (input.guestFate ?? plan.defaultFate) : undefined;
    const fateMissing = fate && engagement?.fateRefusal(actor, fate);
    if (fateMissing) return { status: 'refused', missing: fateMissing };
    const outcome = await this.deps.offers.end(actor.firmId, stampOf(actor, this.deps.now()), input.subscriptionId, input.expectedVersion);
    if (outcome.status !== 'done' || !engagement || !fate) return outcome;
    return { ...outcome, guest: await engagement.settleGuestAfterOffer(actor, contact.id, fate, subscription.id) };
  }

  /** A post-activation step; steps commit nothing, reading offers is enough. */
  async completeStep(actor: StaffActor, input: { subscriptionId: string; expectedVersion: number; stepId: string }): Promise<ChangeCommandOutcome> {
    const mayRead = this.refusedUnless(actor, requirements.read('offers'));
    if (mayRead) return mayRead;
    const subscription = await this.deps.offers.findById(actor.firmId, input.subscriptionId);
    const clientFile = subscription && (await this.deps.clientFiles.findById(actor.firmId, subscription.clientFileId));
    if (clientFile) assertSeesFile(actor, clientFile);
    return this.deps.offers.completeStep(actor.firmId, stampOf(actor, this.deps.now()), input.subscriptionId, input.expectedVersion, input.stepId);
  }

  /**
   * Proposes an offer to each file's primary contact (or every contact) as one durable job. In bulk a
   * paid offer is refused without the profile: a request per client would flood the approver.
   */
  async proposeToMany(actor: StaffActor, input: { requestId: string; offerId: string; clientFileIds: string[]; who: 'primary' | 'all' }): Promise<ProposeToManyOutcome> {
    const mayRead = this.refusedUnless(actor, requirements.read('offers'));
    if (mayRead) return mayRead;
    const offer = await this.deps.offers.proposableOfferOf(actor.firmId, input.offerId);
    if (!offer) return { status: 'offerUnknown' };
    if (offer.paid && !this.mayChangeOffers(actor)) return { status: 'refused', missing: requirements.change('offers'), offer };
    const { targets, filesWithoutPrimary } = await this.deps.offers.proposalTargets(actor.firmId, input.clientFileIds, input.who);
    const job = await this.deps.jobs.queueOfferProposals(actor, { requestId: input.requestId, offerId: offer.id, targets });
    return { status: 'queued', job, filesWithoutPrimary };
  }

  /**
   * Runs an approved request's operation as the approver, never filing another request, and says what
   * happened: the offer may have changed, ended or gone between asking and approving.
   */
  async applyApproved(offer: RequestedOffer, approver: StaffActor): Promise<ApprovalResult> {
    try {
      const outcome =
        offer.operation === 'change'
          ? await this.change(approver, { subscriptionId: offer.subscriptionId, expectedVersion: offer.expectedVersion, offerId: offer.offerId }, 'refuse')
          : offer.operation === 'end'
            ? await this.end(approver, { subscriptionId: offer.subscriptionId, expectedVersion: offer.expectedVersion }, 'refuse')
            : await this.propose(approver, { clientFileId: offer.clientFileId, contactId: offer.contactId, offerId: offer.offerId }, 'refuse');
      return approvalResultOf(outcome);
    } catch (error) {
      if (error instanceof OtherServiceError) return { applied: false, reason: 'otherService' };
      throw error;
    }
  }

  mayChangeOffers(actor: StaffActor): boolean {
    return decide(actor.access, requirements.change('offers')).allowed;
  }

  private refusedUnless(actor: StaffActor, requirement: Requirement): { status: 'refused'; missing: Requirement } | null {
    return decide(actor.access, requirement).allowed ? null : { status: 'refused', missing: requirement };
  }

  /** The subscription as the card showed it, with its file (visible to the actor) and contact. */
  private async current(actor: StaffActor, input: { subscriptionId: string; expectedVersion: number }): Promise<{ subscription: OfferSubscription; clientFile: ClientFile; contact: Contact } | ChangeOutcome> {
    const subscription = await this.deps.offers.findById(actor.firmId, input.subscriptionId);
    if (!subscription) return { status: 'notFound' };
    const [clientFile, contact] = await Promise.all([this.deps.clientFiles.findById(actor.firmId, subscription.clientFileId), this.deps.contacts.findById(actor.firmId, subscription.contactId)]);
    if (!clientFile || !contact) return { status: 'notFound' };
    assertSeesFile(actor, clientFile);
    if (subscription.version !== input.expectedVersion) return { status: 'stale', subscription };
    if (subscription.state === 'ended') return { status: 'ended' };
    return { subscription, clientFile, contact };
  }

  private target(clientFile: ClientFile, contact: Contact, offer: OfferDefinition) {
    return { clientFileId: clientFile.id, contactId: contact.id, offerId: offer.id, offerName: offer.name, contactName: contactDisplayName(contact), clientFileCode: clientFile.code };
  }

  private async gate(actor: StaffActor, withoutProfile: WithoutPaidOfferProfile, offer: RequestedOffer): Promise<OfferGateOutcome> {
    const missing = requirements.change('offers');
    if (withoutProfile === 'refuse') return { status: 'refused', missing };
    if (!actor.email) return { status: 'refused', missing, requestRefusal: 'noEmail' };
    const filed = await this.deps.requests.request({ firmId: actor.firmId, userId: actor.userId, displayName: actor.displayName, email: actor.email }, { kind: 'paidOffer', offer });
    return filed.ok ? { status: 'needsApproval', request: filed.value } : { status: 'refused', missing, requestRefusal: filed.refusal };
  }
}

function approvalResultOf(outcome: ProposeCommandOutcome | ChangeCommandOutcome): ApprovalResult {
  switch (outcome.status) {
    case 'done':
    case 'activated':
    case 'waitingForGuest':
    case 'invitationStarted':
    case 'unchanged':
      return { applied: true };
    case 'stale':
      return { applied: false, reason: 'changedMeanwhile' };
    case 'ended':
      return { applied: false, reason: 'alreadyEnded' };
    case 'alreadyHasOffer':
      return { applied: false, reason: 'alreadyHasOffer' };
    case 'offerUnknown':
      return { applied: false, reason: 'offerUnknown' };
    case 'refused':
    case 'needsApproval':
      return { applied: false, reason: 'approverMissingProfile' };
    default:
      return { applied: false, reason: 'gone' };
  }
}
