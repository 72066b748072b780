import type { ActorStamp } from '../actor.js';
import type { Membership, Profile } from './profiles.js';

/** The firm as a Chorus-Pro-like structure: exactly one main manager, held in one field. */
export interface StructureStore {
  mainManagerEmail(firmId: string): Promise<string | null>;
  /** Sets the main manager only when there is none yet (the first user attached). */
  claimMainManager(firmId: string, email: string): Promise<boolean>;
  /** Hands the role over only if `from` still holds it: two concurrent handovers cannot both win. */
  transferMainManager(firmId: string, from: string, to: string): Promise<boolean>;
}

export interface MembershipStore {
  findByUserId(firmId: string, userId: string): Promise<Membership | null>;
  findByEmail(firmId: string, email: string): Promise<Membership | null>;
  /** Creates or re-attaches the membership of this e-mail; returns the stored one. */
  attach(membership: Membership): Promise<{ membership: Membership; created: boolean }>;
  bindUserId(firmId: string, email: string, userId: string, displayName: string): Promise<void>;
  /** Replaces the profiles only if they are still `expected` (no lost update between two admins). */
  replaceProfiles(firmId: string, email: string, expected: Profile[], profiles: Profile[]): Promise<boolean>;
  detach(firmId: string, email: string, comment: string): Promise<boolean>;
  list(firmId: string): Promise<Membership[]>;
  count(firmId: string): Promise<number>;
}

export type AccessRequestKind = 'join' | 'profile' | 'paidOffer';

/** A paid offer a user without "Offres – modification" asked for: activated when approved. */
export interface RequestedOffer {
  clientFileId: string;
  contactId: string;
  offerId: string;
  /** What the approver reads, e.g. « Consultation pour Léa Bernard (dossier 000001) ». */
  summary: string;
}

export interface AccessRequest {
  firmId: string;
  /** Sequential per firm, what people quote: « demande n° 12 ». */
  number: number;
  kind: AccessRequestKind;
  requester: { userId: string; email: string; displayName: string };
  profile?: Profile;
  offer?: RequestedOffer;
  service?: string;
  comment?: string;
  status: 'pending' | 'approved' | 'refused';
  createdAt: Date;
  decision?: { by: ActorStamp; reason?: string };
}

export interface AccessRequestStore {
  create(request: Omit<AccessRequest, 'number'>): Promise<AccessRequest>;
  findPendingLike(firmId: string, userId: string, kind: AccessRequestKind, profile?: Profile, offer?: RequestedOffer): Promise<AccessRequest | null>;
  find(firmId: string, number: number): Promise<AccessRequest | null>;
  listPending(firmId: string, limit: number): Promise<AccessRequest[]>;
  countPending(firmId: string): Promise<number>;
  /** Records the decision only if the request is still pending. */
  decide(firmId: string, number: number, status: 'approved' | 'refused', decision: AccessRequest['decision']): Promise<boolean>;
}

/** Tells a requester in Teams that their request was decided. */
export interface AccessNotifier {
  requestDecided(request: AccessRequest): Promise<void>;
}
