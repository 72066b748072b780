import { checkText } from '../fieldRules.js';
import type { StaffActor } from '../staffActor.js';
import { auditEntry, maxUpdateAttempts, ok, refuse, stampOf, type AccessOutcome, type ApprovalRefusal, type Denial, type StaffIdentity } from './accessOutcome.js';
import { decide, requirements } from './policy.js';
import type { MembershipAdministration } from './membershipAdministration.js';
import type { AccessNotifier, AccessRequest, AccessRequestStore, ApprovalResult, MembershipStore, RequestedOffer } from './ports.js';
import { defaultStaffProfiles, normaliseProfiles } from './profiles.js';
import type { StaffSessions } from './staffSessions.js';
import { defaultStructureId } from './structures.js';

type Outcome<T> = AccessOutcome<T, ApprovalRefusal>;

/** Runs an approved paid-offer request's operation as the approver: the offers' use cases. */
export interface PaidOfferApprover {
  applyApproved(offer: RequestedOffer, approver: StaffActor): Promise<ApprovalResult>;
}

/**
 * Approving or refusing a request. The approval is recorded once, then what was asked is carried out
 * as the approver; the requester and the approver are told what actually happened.
 */
export class RequestApprovals {
  constructor(
    private readonly deps: {
      memberships: MembershipStore;
      requests: AccessRequestStore;
      notifier: AccessNotifier;
      sessions: Pick<StaffSessions, 'contextFor'>;
      members: Pick<MembershipAdministration, 'addProfile' | 'attach' | 'attachedEntry'>;
      paidOffers: PaidOfferApprover;
      now: () => Date;
    },
  ) {}

  /**
   * Records the approval once, then carries out what was asked as the approver; the result says
   * whether it was done or why not (the situation changed meanwhile), for the approver and the requester.
   */
  async approve(actor: StaffIdentity, number: number): Promise<Outcome<{ request: AccessRequest; result: ApprovalResult }>> {
    const denied = await this.deniedTo(actor);
    if (denied) return denied;
    const request = await this.deps.requests.find(actor.firmId, number);
    if (!request) return refuse('requestNotFound');
    if (request.status !== 'pending') return refuse('alreadyDecided');
    const decision = { by: this.stamp(actor) };
    const approved = auditEntry(actor.firmId, decision.by, 'access.requestApproved', { number, kind: request.kind, service: request.service ?? null });
    if (!(await this.deps.requests.decide(actor.firmId, number, 'approved', decision, approved))) return refuse('alreadyDecided');
    const result = await this.carryOut(actor, request);
    const decided: AccessRequest = { ...request, status: 'approved', decision };
    await this.deps.notifier.requestDecided(decided, result);
    return ok({ request: decided, result });
  }

  async refuse(actor: StaffIdentity, number: number, rawReason: string | undefined): Promise<Outcome<AccessRequest>> {
    const reason = checkText(rawReason, { required: true, max: 500 });
    if (!reason.ok || !reason.value) return refuse('reasonRequired');
    const denied = await this.deniedTo(actor);
    if (denied) return denied;
    const request = await this.deps.requests.find(actor.firmId, number);
    if (!request) return refuse('requestNotFound');
    const decision = { by: this.stamp(actor), reason: reason.value };
    const refused = auditEntry(actor.firmId, decision.by, 'access.requestRefused', { number, reason: reason.value });
    if (!(await this.deps.requests.decide(actor.firmId, number, 'refused', decision, refused))) return refuse('alreadyDecided');
    const decided: AccessRequest = { ...request, status: 'refused', decision };
    await this.deps.notifier.requestDecided(decided);
    return ok(decided);
  }

  /** Requests are decided by the administrators of the firm (« Organisation – modification »). */
  private async deniedTo(actor: StaffIdentity): Promise<{ ok: false; refusal: 'notAdministrator'; denied: Denial } | undefined> {
    const decision = decide(await this.deps.sessions.contextFor(actor), requirements.change('organisation'));
    return decision.allowed ? undefined : { ok: false, refusal: 'notAdministrator', denied: decision };
  }

  private async carryOut(actor: StaffIdentity, request: AccessRequest): Promise<ApprovalResult> {
    if (request.kind === 'paidOffer') {
      if (!request.offer) return { applied: false, reason: 'gone' };
      return this.deps.paidOffers.applyApproved(request.offer, { ...actor, access: await this.deps.sessions.contextFor(actor) });
    }
    if (request.kind === 'join') {
      await this.approveJoin(actor, request);
      return { applied: true };
    }
    if (!request.profile) return { applied: false, reason: 'gone' };
    const outcome = await this.deps.members.addProfile(actor, request.requester.email, request.profile);
    if (!outcome.ok && outcome.refusal === 'targetNotAttached') {
      await this.deps.members.attach(actor, { email: request.requester.email, displayName: request.requester.displayName, profiles: [...defaultStaffProfiles, request.profile] });
    } else if (!outcome.ok && outcome.refusal === 'changedMeanwhile') {
      return { applied: false, reason: 'changedMeanwhile' };
    }
    return { applied: true };
  }

  /** Joining a service adds it to the requester's services; someone not attached yet is attached to it alone. */
  private async approveJoin(actor: StaffIdentity, request: AccessRequest): Promise<void> {
    const email = request.requester.email;
    const service = request.service;
    let membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    // Another admin may change their services meanwhile: re-read and add again rather than lose the approval.
    for (let attempt = 0; membership?.status === 'attached' && service && attempt < maxUpdateAttempts; attempt++) {
      if (membership.services.length === 0 || membership.services.includes(service)) return;
      const next = [...membership.services, service];
      const changed = auditEntry(actor.firmId, this.stamp(actor), 'access.servicesChanged', { email, structureId: defaultStructureId, before: membership.services, after: next });
      if (await this.deps.memberships.replaceServices(actor.firmId, email, membership.services, next, undefined, changed)) {
        return;
      }
      membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    }
    if (membership?.status === 'attached' && service) return;
    // The service was chosen when the request was made and is kept even if deactivated since.
    const services = service ? [service] : [];
    const profiles = normaliseProfiles(membership?.profiles ?? defaultStaffProfiles);
    await this.deps.memberships.attach(
      { firmId: actor.firmId, userId: membership?.userId, email, displayName: request.requester.displayName, services, profiles, status: 'attached' },
      this.deps.members.attachedEntry(actor, email, defaultStructureId, { profiles, services }),
    );
  }

  private stamp(identity: StaffIdentity) {
    return stampOf(identity, this.deps.now);
  }
}
