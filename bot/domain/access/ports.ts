import type { ActorStamp } from '../actor.js';
import type { AuditEntry, AuditOfChange } from '../ports.js';
import type { Membership, Profile } from './profiles.js';
import type { Service, Structure, StructureDetails } from './structures.js';

/**
 * The firm's structures. Each holds exactly one main manager in one field, so two concurrent
 * handovers cannot both win. The default structure always exists (it is the firm itself).
 */
export interface StructureStore {
  find(firmId: string, structureId: string): Promise<Structure | null>;
  /** The default structure first, then the others by name. */
  list(firmId: string): Promise<Structure[]>;
  /** Creates a further structure; false when the id is already taken. */
  create(structure: Omit<Structure, 'version'>, audit?: AuditEntry): Promise<boolean>;
  mainManagerEmail(firmId: string, structureId: string): Promise<string | null>;
  /** Sets the main manager only when there is none yet (the first user attached); the entry only if it did. */
  claimMainManager(firmId: string, structureId: string, email: string, audit?: AuditEntry): Promise<boolean>;
  /** Hands the role over only if `from` still holds it: two concurrent handovers cannot both win. */
  transferMainManager(firmId: string, structureId: string, from: string, to: string, audit?: AuditEntry): Promise<boolean>;
  /** Applies the change only if the structure is still at `expectedVersion`. */
  update(firmId: string, structureId: string, expectedVersion: number, change: { details?: StructureDetails; services?: Service[]; active?: boolean }, audit?: AuditEntry): Promise<boolean>;
}

/**
 * What attaching found, for its audit entry: no membership yet, or the one it re-attached as it was
 * just before (the write only happens if it is still so).
 */
export type Attachment = { created: true } | { created: false; before: Membership };

/** What a member's turn needs about them, read at once: their place in the default structure, that structure, their language. */
export interface StaffSnapshot {
  membership: Membership;
  structure: Structure;
  /** The language the user chose (their preference), if any. */
  locale?: string;
}

/** One read per turn for the acting member of staff; null when their Entra id is attached to no membership yet. */
export interface StaffSnapshotStore {
  snapshot(firmId: string, userId: string): Promise<StaffSnapshot | null>;
}

/** Memberships per (structure, user); `structureId` absent or undefined: the default structure. */
export interface MembershipStore {
  findByUserId(firmId: string, userId: string, structureId?: string): Promise<Membership | null>;
  findByEmail(firmId: string, email: string, structureId?: string): Promise<Membership | null>;
  /** Every membership of this person, in every structure of the firm. */
  listForEmail(firmId: string, email: string): Promise<Membership[]>;
  /**
   * Creates or re-attaches the membership of this e-mail in `membership.structureId`; returns the
   * stored one. `audit` gives the entry of what it found (none when it returns undefined).
   */
  attach(membership: Membership, audit?: (attachment: Attachment) => AuditEntry | undefined): Promise<{ membership: Membership; created: boolean }>;
  /** Binds the Entra id in every structure the e-mail was attached to before the person first came. */
  bindUserId(firmId: string, email: string, userId: string, displayName: string): Promise<void>;
  /** Replaces the profiles only if they are still `expected` (no lost update between two admins). */
  replaceProfiles(firmId: string, email: string, expected: Profile[], profiles: Profile[], structureId?: string, audit?: AuditEntry): Promise<boolean>;
  /** Replaces the services only if they are still `expected`. */
  replaceServices(firmId: string, email: string, expected: string[], services: string[], structureId?: string, audit?: AuditEntry): Promise<boolean>;
  detach(firmId: string, email: string, comment: string, structureId?: string, audit?: AuditEntry): Promise<boolean>;
  list(firmId: string, structureId?: string): Promise<Membership[]>;
  /** Memberships of the firm in any structure (0 means nobody has used Passerelle yet). */
  count(firmId: string): Promise<number>;
}

export type AccessRequestKind = 'join' | 'profile' | 'paidOffer';

/**
 * The paid-offer operation a user without « Offres – modification » asked for, exactly: approving
 * runs this same operation as the approver. Names are those of the time of asking, for people to
 * read; older requests carry a French `summary` only and no `operation` (an activation).
 */
export type RequestedOffer = RequestedOfferTarget &
  (
    | { operation?: 'activate' }
    /** From the offer the card showed to `offerId`, only if the subscription is still at `expectedVersion`. */
    | { operation: 'change'; subscriptionId: string; expectedVersion: number; fromOfferId: string; fromOfferName?: string }
    /** Ends `offerId`, only if the subscription is still at `expectedVersion`. */
    | { operation: 'end'; subscriptionId: string; expectedVersion: number }
  );

export interface RequestedOfferTarget {
  clientFileId: string;
  contactId: string;
  /** The offer to activate, to move to, or to end. */
  offerId: string;
  offerName?: string;
  contactName?: string;
  clientFileCode?: string;
  /** Older requests: what the approver read, e.g. « Consultation – Léa Bernard (dossier 000001) ». */
  summary?: string;
}

/** Why an approved request could not be carried out: the situation changed between asking and approving. */
export type ApprovalNotApplied = 'changedMeanwhile' | 'alreadyEnded' | 'alreadyHasOffer' | 'offerUnknown' | 'gone' | 'otherService' | 'approverMissingProfile';

/** What approving a request actually did, told to the approver and to the requester. */
export type ApprovalResult = { applied: true } | { applied: false; reason: ApprovalNotApplied };

export interface AccessRequest {
  firmId: string;
  /** Sequential per firm, what people quote: « demande n° 12 ». */
  number: number;
  kind: AccessRequestKind;
  requester: { userId: string; email: string; displayName: string };
  profile?: Profile;
  offer?: RequestedOffer;
  /** A join request into this service (its id) of the default structure. */
  service?: string;
  /** The service's name when asked, for the approver and the requester to read. */
  serviceName?: string;
  comment?: string;
  status: 'pending' | 'approved' | 'refused';
  createdAt: Date;
  decision?: { by: ActorStamp; reason?: string };
  /** Where the request's card went to each approver, so that a decision updates every copy. */
  approverCards?: RequestCardCopy[];
}

/** Someone who decides requests (the main manager, an administrator), as Teams knows them. */
export interface Approver {
  userId: string;
  email: string;
}

/** One approver's copy of a request's card: their personal conversation and the card's activity. */
export interface RequestCardCopy {
  userId: string;
  conversationId: string;
  activityId: string;
}

export interface AccessRequestStore {
  /** Numbers the request; `audit` gives its entry once the number is known, inserted with it. */
  create(request: Omit<AccessRequest, 'number'>, audit?: AuditOfChange<AccessRequest>): Promise<AccessRequest>;
  findPendingLike(firmId: string, userId: string, kind: AccessRequestKind, profile?: Profile, offer?: RequestedOffer, service?: string): Promise<AccessRequest | null>;
  find(firmId: string, number: number): Promise<AccessRequest | null>;
  listPending(firmId: string, limit: number): Promise<AccessRequest[]>;
  countPending(firmId: string): Promise<number>;
  /** Records the decision only if the request is still pending. */
  decide(firmId: string, number: number, status: 'approved' | 'refused', decision: AccessRequest['decision'], audit?: AuditEntry): Promise<boolean>;
  setApproverCards(firmId: string, number: number, copies: RequestCardCopy[]): Promise<void>;
}

/**
 * Tells the approvers in Teams that a request arrived (a card each; the copies it could send are
 * returned), and, once decided, the requester what was decided and every approver's copy the outcome.
 */
export interface AccessNotifier {
  requestFiled(request: AccessRequest, approvers: Approver[]): Promise<RequestCardCopy[]>;
  requestDecided(request: AccessRequest, result?: ApprovalResult): Promise<void>;
}
