import { ObjectId, type Collection, type Db, type UpdateFilter } from 'mongodb';
import type { OfferSubscription, SubscriptionStore } from '../domain/offers/subscription.js';
import type { AuditEntry, AuditOfCreation } from '../domain/ports.js';
import { AuditRelay, pendingOnInsert, withAudit, withoutPending, type PendingAudit } from './auditRelay.js';
import { collections, guarded, insertUnlessExists, toObjectId } from './mongo.js';

type SubscriptionDocument = Omit<OfferSubscription, 'id'> & { _id?: ObjectId; pendingAudit?: PendingAudit[] };

function fromDocument(document: SubscriptionDocument & { _id: ObjectId }): OfferSubscription {
  const { _id, ...rest } = withoutPending(document);
  return { ...rest, id: _id.toHexString() };
}

export class MongoSubscriptionStore implements SubscriptionStore {
  private readonly collection: Collection<SubscriptionDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<SubscriptionDocument>(collections.offerSubscriptions);
    this.relay = relay;
  }

  insertUnlessExists(subscription: Omit<OfferSubscription, 'id'>, audit?: AuditOfCreation): Promise<{ inserted: boolean; subscription: OfferSubscription }> {
    return guarded(async () => {
      const _id = new ObjectId();
      const key = { firmId: subscription.firmId, clientFileId: subscription.clientFileId, contactId: subscription.contactId };
      const outcome = await insertUnlessExists(this.collection, key, { ...subscription, _id, ...pendingOnInsert(audit?.(_id.toHexString())) });
      if (outcome.inserted && audit) await this.relay.flush(collections.offerSubscriptions, _id);
      return outcome.inserted ? { inserted: true, subscription: fromDocument(outcome.document) } : { inserted: false, subscription: fromDocument(outcome.existing) };
    });
  }

  findById(firmId: string, id: string): Promise<OfferSubscription | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      const document = _id ? await this.collection.findOne({ firmId, _id }) : null;
      return document ? fromDocument(document) : null;
    });
  }

  listWaitingForContact(firmId: string, contactId: string): Promise<OfferSubscription[]> {
    return guarded(async () => (await this.collection.find({ firmId, contactId, state: 'waitingForGuest' }).limit(200).toArray()).map(fromDocument));
  }

  listByContacts(firmId: string, contactIds: string[]): Promise<OfferSubscription[]> {
    return guarded(async () => (contactIds.length === 0 ? [] : (await this.collection.find({ firmId, contactId: { $in: contactIds } }).limit(10_000).toArray()).map(fromDocument)));
  }

  listByContact(firmId: string, contactId: string): Promise<OfferSubscription[]> {
    return guarded(async () => (await this.collection.find({ firmId, contactId }).limit(200).toArray()).map(fromDocument));
  }

  offerIdsInUse(firmId: string): Promise<string[]> {
    return guarded(async () => {
      const documents = await this.collection.find({ firmId }, { projection: { _id: 0, offerId: 1 } }).toArray();
      return [...new Set(documents.map((document) => document.offerId))];
    });
  }

  listByClientFile(firmId: string, clientFileId: string): Promise<OfferSubscription[]> {
    return guarded(async () => (await this.collection.find({ firmId, clientFileId }).limit(200).toArray()).map(fromDocument));
  }

  setClientCard(firmId: string, id: string, clientCard: NonNullable<OfferSubscription['clientCard']>): Promise<void> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (_id) await this.collection.updateOne({ firmId, _id }, { $set: { clientCard } });
    });
  }

  listActiveWithoutCard(firmId: string, contactId: string): Promise<OfferSubscription[]> {
    return guarded(async () => (await this.collection.find({ firmId, contactId, state: 'active', clientCard: { $exists: false } }).limit(200).toArray()).map(fromDocument));
  }

  update(firmId: string, id: string, expectedVersion: number, changes: Partial<Omit<OfferSubscription, 'id' | 'firmId' | 'version'>>, audit?: AuditEntry): Promise<OfferSubscription | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      // A field set to undefined is removed: "ended: undefined" reopens an ended offer.
      const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const unset = Object.fromEntries(Object.entries(changes).filter(([, value]) => value === undefined).map(([key]) => [key, '']));
      const document = await this.collection.findOneAndUpdate(
        { firmId, _id, version: expectedVersion },
        withAudit({ $set: set, $inc: { version: 1 }, ...(Object.keys(unset).length ? { $unset: unset } : {}) }, audit) as UpdateFilter<SubscriptionDocument>,
        { returnDocument: 'after' },
      );
      if (document && audit) await this.relay.flush(collections.offerSubscriptions, _id);
      return document ? fromDocument(document) : null;
    });
  }
}
