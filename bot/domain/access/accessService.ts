import type { ActorStamp } from '../actor.js';
import type { AuditLog } from '../ports.js';
import { checkEmail, checkText } from '../fieldRules.js';
import { decide, isAdministrator, type AccessContext, type Decision } from './policy.js';
import type { AccessNotifier, AccessRequest, AccessRequestKind, AccessRequestStore, MembershipStore, RequestedOffer, StructureStore } from './ports.js';
import { applications, defaultStaffProfiles, hasProfile, normaliseProfiles, type Membership, type Profile, type Requirement } from './profiles.js';

export interface StaffIdentity {
  firmId: string;
  userId: string;
  email?: string;
  displayName: string;
}

export type AccessRefusal =
  | 'invalidEmail'
  | 'notAttached'
  | 'alreadyHeld'
  | 'alreadyRequested'
  | 'commentRequired'
  | 'reasonRequired'
  | 'mainManagerNeedsSuccessor'
  | 'notMainManager'
  | 'targetNotAttached'
  | 'requestNotFound'
  | 'alreadyDecided'
  | 'changedMeanwhile';

export type AccessOutcome<T = undefined> = { ok: true; value: T } | { ok: false; refusal: AccessRefusal };

const ok = <T>(value: T): AccessOutcome<T> => ({ ok: true, value });
const refuse = (refusal: AccessRefusal): AccessOutcome<never> => ({ ok: false, refusal });

/**
 * Structures, users, profiles and approvals. The first person of a firm to use Passerelle becomes
 * its main manager; everyone else is attached by an administrator or asks to join.
 */
export class AccessService {
  constructor(
    private readonly deps: {
      structures: StructureStore;
      memberships: MembershipStore;
      requests: AccessRequestStore;
      audit: AuditLog;
      notifier: AccessNotifier;
      now: () => Date;
    },
  ) {}

  /** Who the acting user is for the policy; binds an e-mail attachment to the Entra id on first use. */
  async contextFor(identity: StaffIdentity): Promise<AccessContext & { email?: string }> {
    const checked = identity.email ? checkEmail(identity.email) : undefined;
    const email = checked?.ok ? checked.value : undefined;
    let membership = await this.deps.memberships.findByUserId(identity.firmId, identity.userId);
    if (!membership && email) {
      membership = await this.deps.memberships.findByEmail(identity.firmId, email);
      if (membership && !membership.userId) {
        await this.deps.memberships.bindUserId(identity.firmId, email, identity.userId, identity.displayName);
        membership = { ...membership, userId: identity.userId };
      }
    }
    if (!membership && email && (await this.deps.memberships.count(identity.firmId)) === 0) {
      membership = await this.bootstrap(identity, email);
    }
    const mainManager = await this.deps.structures.mainManagerEmail(identity.firmId);
    return { membership, role: membership ? (membership.email === mainManager ? 'mainManager' : 'user') : null, email: membership?.email ?? email };
  }

  check(access: AccessContext, requirement: Requirement | null): Decision {
    return decide(access, requirement);
  }

  /** The first user of a firm: attached, administrator, main manager. */
  private async bootstrap(identity: StaffIdentity, email: string): Promise<Membership | null> {
    const { membership, created } = await this.deps.memberships.attach({
      firmId: identity.firmId, userId: identity.userId, email, displayName: identity.displayName, services: [], profiles: normaliseProfiles([...defaultStaffProfiles, ...applications.map((application) => ({ application, level: 'modification' as const }))]), status: 'attached',
    });
    if (!created) return membership;
    const claimed = await this.deps.structures.claimMainManager(identity.firmId, email);
    await this.audit(identity.firmId, this.stamp(identity), 'access.bootstrapped', { email, mainManager: claimed });
    return membership;
  }

  async attach(actor: StaffIdentity, input: { email: string; displayName?: string; services?: string[]; profiles?: Profile[] }): Promise<AccessOutcome<Membership>> {
    const email = checkEmail(input.email);
    if (!email.ok) return refuse('invalidEmail');
    const before = await this.deps.memberships.findByEmail(actor.firmId, email.value);
    const { membership } = await this.deps.memberships.attach({
      firmId: actor.firmId, userId: before?.userId, email: email.value, displayName: input.displayName ?? before?.displayName ?? email.value,
      services: input.services ?? [], profiles: normaliseProfiles(input.profiles ?? before?.profiles ?? defaultStaffProfiles), status: 'attached',
    });
    await this.audit(actor.firmId, this.stamp(actor), 'access.attached', { email: email.value, before: before ? { status: before.status, profiles: before.profiles } : null, after: { profiles: membership.profiles, services: membership.services } });
    return ok(membership);
  }

  /** Replaces a user's habilitation as submitted; nothing changes before the form is sent. */
  async replaceProfiles(actor: StaffIdentity, email: string, profiles: Profile[]): Promise<AccessOutcome<Membership>> {
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    const next = normaliseProfiles(profiles);
    if (!(await this.deps.memberships.replaceProfiles(actor.firmId, email, membership.profiles, next))) return refuse('changedMeanwhile');
    await this.audit(actor.firmId, this.stamp(actor), 'access.profilesChanged', { email, before: membership.profiles, after: next });
    return ok({ ...membership, profiles: next });
  }

  /** Adds one profile; refused with a clear reason when the user already holds it. */
  async addProfile(actor: StaffIdentity, email: string, profile: Profile): Promise<AccessOutcome<Membership>> {
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    if (hasProfile(membership.profiles, profile)) return refuse('alreadyHeld');
    return this.replaceProfiles(actor, email, [...membership.profiles.filter((held) => held.application !== profile.application), profile]);
  }

  async detach(actor: StaffIdentity, email: string, rawComment: string | undefined): Promise<AccessOutcome> {
    const comment = checkText(rawComment, { required: true, max: 500 });
    if (!comment.ok || !comment.value) return refuse('commentRequired');
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    // A main manager who leaves without a successor would block every approval.
    if ((await this.deps.structures.mainManagerEmail(actor.firmId)) === email) return refuse('mainManagerNeedsSuccessor');
    await this.deps.memberships.detach(actor.firmId, email, comment.value);
    await this.audit(actor.firmId, this.stamp(actor), 'access.detached', { email, comment: comment.value });
    return ok(undefined);
  }

  async transferMainManager(actor: StaffIdentity & { email?: string }, toEmail: string): Promise<AccessOutcome> {
    const current = await this.deps.structures.mainManagerEmail(actor.firmId);
    if (!actor.email || current !== actor.email) return refuse('notMainManager');
    const target = checkEmail(toEmail);
    if (!target.ok) return refuse('invalidEmail');
    const membership = await this.deps.memberships.findByEmail(actor.firmId, target.value);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    if (!(await this.deps.structures.transferMainManager(actor.firmId, current, target.value))) return refuse('changedMeanwhile');
    await this.audit(actor.firmId, this.stamp(actor), 'access.mainManagerTransferred', { before: current, after: target.value });
    return ok(undefined);
  }

  /** What approving a paid-offer request does (wired to the offers at start-up). */
  private paidOfferApprover?: (request: AccessRequest, by: ActorStamp) => Promise<void>;

  onPaidOfferApproved(approver: (request: AccessRequest, by: ActorStamp) => Promise<void>): void {
    this.paidOfferApprover = approver;
  }

  async request(
    requester: StaffIdentity & { email: string },
    input: { kind: AccessRequestKind; profile?: Profile; offer?: RequestedOffer; comment?: string; service?: string },
  ): Promise<AccessOutcome<AccessRequest>> {
    const membership = await this.deps.memberships.findByEmail(requester.firmId, requester.email);
    if (input.kind === 'profile') {
      if (!input.profile) return refuse('notAttached');
      if (membership?.status === 'attached' && hasProfile(membership.profiles, input.profile)) return refuse('alreadyHeld');
    }
    if (input.kind === 'join' && membership?.status === 'attached') return refuse('alreadyHeld');
    if (await this.deps.requests.findPendingLike(requester.firmId, requester.userId, input.kind, input.profile, input.offer)) return refuse('alreadyRequested');
    const comment = checkText(input.comment, { required: false, max: 500 });
    const request = await this.deps.requests.create({
      firmId: requester.firmId,
      kind: input.kind,
      requester: { userId: requester.userId, email: requester.email, displayName: requester.displayName },
      profile: input.profile,
      offer: input.offer,
      service: input.service,
      comment: comment.ok ? comment.value : undefined,
      status: 'pending',
      createdAt: this.deps.now(),
    });
    await this.audit(requester.firmId, this.stamp(requester), 'access.requested', { number: request.number, kind: request.kind, profile: request.profile ?? null });
    return ok(request);
  }

  async approve(actor: StaffIdentity, number: number): Promise<AccessOutcome<AccessRequest>> {
    const request = await this.deps.requests.find(actor.firmId, number);
    if (!request) return refuse('requestNotFound');
    if (request.status !== 'pending') return refuse('alreadyDecided');
    const decision = { by: this.stamp(actor) };
    if (!(await this.deps.requests.decide(actor.firmId, number, 'approved', decision))) return refuse('alreadyDecided');
    if (request.kind === 'paidOffer') {
      await this.paidOfferApprover?.(request, decision.by);
    } else if (request.kind === 'join') {
      await this.attach(actor, { email: request.requester.email, displayName: request.requester.displayName, services: request.service ? [request.service] : [] });
    } else if (request.profile) {
      const outcome = await this.addProfile(actor, request.requester.email, request.profile);
      if (!outcome.ok && outcome.refusal === 'targetNotAttached') {
        await this.attach(actor, { email: request.requester.email, displayName: request.requester.displayName, profiles: [...defaultStaffProfiles, request.profile] });
      }
    }
    const decided: AccessRequest = { ...request, status: 'approved', decision };
    await this.audit(actor.firmId, decision.by, 'access.requestApproved', { number });
    await this.deps.notifier.requestDecided(decided);
    return ok(decided);
  }

  async refuse(actor: StaffIdentity, number: number, rawReason: string | undefined): Promise<AccessOutcome<AccessRequest>> {
    const reason = checkText(rawReason, { required: true, max: 500 });
    if (!reason.ok || !reason.value) return refuse('reasonRequired');
    const request = await this.deps.requests.find(actor.firmId, number);
    if (!request) return refuse('requestNotFound');
    const decision = { by: this.stamp(actor), reason: reason.value };
    if (!(await this.deps.requests.decide(actor.firmId, number, 'refused', decision))) return refuse('alreadyDecided');
    const decided: AccessRequest = { ...request, status: 'refused', decision };
    await this.audit(actor.firmId, decision.by, 'access.requestRefused', { number, reason: reason.value });
    await this.deps.notifier.requestDecided(decided);
    return ok(decided);
  }

  listPending(firmId: string) {
    return this.deps.requests.listPending(firmId, 50);
  }

  countPending(firmId: string) {
    return this.deps.requests.countPending(firmId);
  }

  listMembers(firmId: string) {
    return this.deps.memberships.list(firmId);
  }

  mainManagerEmail(firmId: string) {
    return this.deps.structures.mainManagerEmail(firmId);
  }

  isAdministrator(access: AccessContext): boolean {
    return isAdministrator(access);
  }

  private stamp(identity: StaffIdentity): ActorStamp {
    return { userId: identity.userId, displayName: identity.displayName, at: this.deps.now() };
  }

  private async audit(firmId: string, actor: ActorStamp, action: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit.record({ firmId, actor, action, details });
  }
}
