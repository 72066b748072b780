import { checkText } from '../fieldRules.js';
import { auditEntry, ok, refuse, stampOf, type AccessOutcome, type AccessRequestRefusal, type StaffIdentity } from './accessOutcome.js';
import { isAdministrator, type AccessContext } from './policy.js';
import type { AccessNotifier, AccessRequest, AccessRequestKind, AccessRequestStore, Approver, MembershipStore, RequestedOffer, StructureStore } from './ports.js';
import { administratorProfile, hasProfile, type Profile } from './profiles.js';
import { defaultStructureId } from './structures.js';
import type { StructureAdministration } from './structureAdministration.js';

/**
 * Requests staff file for what they may not do alone: join (a service of) the firm, hold a profile,
 * or a paid offer (filed by the offers' use cases); approved or refused by `RequestApprovals`.
 */
export class AccessRequests {
  constructor(
    private readonly deps: {
      memberships: MembershipStore;
      requests: AccessRequestStore;
      structures: Pick<StructureStore, 'mainManagerEmail'>;
      /** Sends each approver the new request's card. */
      notifier: Pick<AccessNotifier, 'requestFiled'>;
      /** Resolves the service a join request names. */
      administration: Pick<StructureAdministration, 'activeService'>;
      now: () => Date;
    },
  ) {}

  /** `service`: for a join request, the name or id of the service (of the default structure) to join. */
  async request(
    requester: StaffIdentity & { email: string },
    input: { kind: AccessRequestKind; profile?: Profile; offer?: RequestedOffer; comment?: string; service?: string },
  ): Promise<AccessOutcome<AccessRequest, AccessRequestRefusal>> {
    const membership = await this.deps.memberships.findByEmail(requester.firmId, requester.email);
    const attached = membership?.status === 'attached';
    let serviceId: string | undefined;
    let serviceName: string | undefined;
    if (input.kind === 'profile') {
      if (!input.profile) return refuse('notAttached');
      if (attached && hasProfile(membership.profiles, input.profile)) return refuse('alreadyHeld');
    }
    if (input.kind === 'join' && input.service) {
      const service = await this.deps.administration.activeService(requester.firmId, input.service);
      if (!service.ok) return service;
      serviceId = service.value.id;
      serviceName = service.value.name;
      // Attached to the whole structure, or already to this service: nothing to ask for.
      if (attached && (membership.services.length === 0 || membership.services.includes(serviceId))) return refuse('alreadyHeld');
    } else if (input.kind === 'join' && attached) {
      return refuse('alreadyHeld');
    }
    if (await this.deps.requests.findPendingLike(requester.firmId, requester.userId, input.kind, input.profile, input.offer, serviceId)) return refuse('alreadyRequested');
    const comment = checkText(input.comment, { required: false, max: 500 });
    const stamp = stampOf(requester, this.deps.now);
    const request = await this.deps.requests.create(
      {
        firmId: requester.firmId,
        kind: input.kind,
        requester: { userId: requester.userId, email: requester.email, displayName: requester.displayName },
        profile: input.profile,
        offer: input.offer,
        service: serviceId,
        serviceName,
        comment: comment.ok ? comment.value : undefined,
        status: 'pending',
        createdAt: this.deps.now(),
      },
      // The number is the firm counter's next value: known to the store only, just before the insert.
      (numbered) => auditEntry(requester.firmId, stamp, 'access.requested', { number: numbered.number, kind: numbered.kind, profile: numbered.profile ?? null, service: serviceId ?? null, ...offerDetails(numbered.offer) }),
    );
    const copies = await this.deps.notifier.requestFiled(request, await this.approversOf(requester.firmId, requester.userId));
    if (copies.length === 0) return ok(request);
    await this.deps.requests.setApproverCards(request.firmId, request.number, copies);
    return ok({ ...request, approverCards: copies });
  }

  /**
   * Who decides requests and is told of them: the main manager and the administrators who have used
   * Passerelle (Teams knows them by id), never the requester themselves.
   */
  async approversOf(firmId: string, requesterId?: string): Promise<Approver[]> {
    const [members, mainManagerEmail] = await Promise.all([this.deps.memberships.list(firmId), this.deps.structures.mainManagerEmail(firmId, defaultStructureId)]);
    return members
      .filter((member) => member.status === 'attached' && member.userId && member.userId !== requesterId)
      .filter((member) => member.email === mainManagerEmail || hasProfile(member.profiles, administratorProfile))
      .map((member) => ({ userId: member.userId!, email: member.email }));
  }

  /** The requests waiting for a decision, for those who decide them (administrators); nobody else sees any. */
  async listPending(firmId: string, access: AccessContext): Promise<AccessRequest[]> {
    return isAdministrator(access) ? this.deps.requests.listPending(firmId, 50) : [];
  }

  /** How many requests wait for this member of staff to decide: null for someone who decides none. */
  async pendingFor(firmId: string, access: AccessContext): Promise<number | null> {
    return isAdministrator(access) ? this.deps.requests.countPending(firmId) : null;
  }
}

/** A paid-offer request's entry says which operation on which offer, as the approver will read it. */
function offerDetails(offer: RequestedOffer | undefined): Record<string, unknown> {
  if (!offer) return {};
  return {
    operation: offer.operation ?? 'activate',
    offerId: offer.offerId,
    ...(offer.operation === 'change' ? { fromOfferId: offer.fromOfferId } : {}),
  };
}
