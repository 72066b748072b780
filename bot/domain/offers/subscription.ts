import type { ActorStamp } from '../actor.js';
import type { AuditEntry, AuditOfCreation } from '../ports.js';

/**
 * One offer for one contact on one client file. Several contacts of a file may each have one.
 * Every change is a single-document update guarded by `version`, so two staff acting at once
 * cannot both win, and a stale card is recognised.
 */
export type SubscriptionState = 'waitingForGuest' | 'active' | 'ended';

export interface OfferSubscription {
  id: string;
  firmId: string;
  clientFileId: string;
  contactId: string;
  offerId: string;
  state: SubscriptionState;
  version: number;
  /** Post-activation steps done (ids of the offer's steps), with who and when. */
  steps: { id: string; done: ActorStamp }[];
  proposed: ActorStamp;
  activatedAt?: Date;
  ended?: ActorStamp;
  /** When the client said they had read their card. */
  acknowledgedAt?: Date;
  /** Where the client's card was posted, to refresh it. */
  clientCard?: { conversationId: string; activityId?: string };
}

export interface SubscriptionStore {
  /** Inserts or, if the pair (file, contact) already has a subscription, returns it untouched. The entry goes with the insert only. */
  insertUnlessExists(subscription: Omit<OfferSubscription, 'id'>, audit?: AuditOfCreation): Promise<{ inserted: boolean; subscription: OfferSubscription }>;
  findById(firmId: string, id: string): Promise<OfferSubscription | null>;
  listWaitingForContact(firmId: string, contactId: string): Promise<OfferSubscription[]>;
  /** Every offer of these contacts, ended ones included (a guest's engagement, the review). */
  listByContacts(firmId: string, contactIds: string[]): Promise<OfferSubscription[]>;
  /** A contact's offers on every file, for what the client asks about their onboarding. */
  listByContact(firmId: string, contactId: string): Promise<OfferSubscription[]>;
  /** Ids of the offers some subscription of the firm has, ended ones included: those are never deleted. */
  offerIdsInUse(firmId: string): Promise<string[]>;
  /** A client file's offers, for its page in the tab. */
  listByClientFile(firmId: string, clientFileId: string): Promise<OfferSubscription[]>;
  /** Remembers where the client's card is, without changing the version (cards in hand stay valid). */
  setClientCard(firmId: string, id: string, clientCard: NonNullable<OfferSubscription['clientCard']>): Promise<void>;
  /** Active offers of a contact whose card could not be sent yet (they were not in their team). */
  listActiveWithoutCard(firmId: string, contactId: string): Promise<OfferSubscription[]>;
  /** Applies `changes` only if the stored version is `expectedVersion`; bumps the version; writes the entry with the change. */
  update(firmId: string, id: string, expectedVersion: number, changes: Partial<Omit<OfferSubscription, 'id' | 'firmId' | 'version'>>, audit?: AuditEntry): Promise<OfferSubscription | null>;
}
