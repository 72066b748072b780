import { AccessRequests } from './accessRequests.js';
import type { MainManagerAvailability } from './mainManagerAvailability.js';
import { MembershipAdministration } from './membershipAdministration.js';
import type { AccessNotifier, AccessRequestStore, MembershipStore, StructureStore } from './ports.js';
import { RequestApprovals, type PaidOfferApprover } from './requestApprovals.js';
import { StaffSessions } from './staffSessions.js';
import { StructureAdministration } from './structureAdministration.js';

export type { AccessOutcome, AccessRefusal, StaffIdentity } from './accessOutcome.js';
export type { HandoverScope, StructureAccess } from './membershipAdministration.js';

/** The access use cases that need nothing from the rest of the domain. */
export interface AccessCore {
  sessions: StaffSessions;
  structures: StructureAdministration;
  members: MembershipAdministration;
  requests: AccessRequests;
}

/** Every access use case, approvals included (they run the operations the requests carry). */
export interface AccessUseCases extends AccessCore {
  approvals: RequestApprovals;
}

export interface AccessStores {
  structures: StructureStore;
  memberships: MembershipStore;
  requests: AccessRequestStore;
  now: () => Date;
  /** Ids of new services; random unless a test fixes them. */
  newId?: () => string;
}

export function createAccessCore(stores: AccessStores, notifier: AccessNotifier, availability: Pick<MainManagerAvailability, 'unavailable'>): AccessCore {
  const { now } = stores;
  const sessions = new StaffSessions({ structures: stores.structures, memberships: stores.memberships, now });
  const structures = new StructureAdministration({ structures: stores.structures, memberships: stores.memberships, sessions, now, newId: stores.newId });
  const members = new MembershipAdministration({ structures: stores.structures, memberships: stores.memberships, administration: structures, availability, now });
  const requests = new AccessRequests({ memberships: stores.memberships, requests: stores.requests, structures: stores.structures, notifier, administration: structures, now });
  return { sessions, structures, members, requests };
}

/**
 * Approvals come last: the offers' use cases file their requests through `AccessCore.requests` and
 * are handed to the approvals here, so an approved paid offer runs the very operation it asked for.
 */
export function withApprovals(core: AccessCore, stores: AccessStores, notifier: AccessNotifier, paidOffers: PaidOfferApprover): AccessUseCases {
  const approvals = new RequestApprovals({
    memberships: stores.memberships,
    requests: stores.requests,
    notifier,
    sessions: core.sessions,
    members: core.members,
    paidOffers,
    now: stores.now,
  });
  return { ...core, approvals };
}
