import type { Collection, Db, ObjectId, UpdateFilter } from 'mongodb';
import type { OfferSubscription, SubscriptionStore } from '../domain/offers/subscription.js';
import { collections, guarded, insertUnlessExists, toObjectId } from './mongo.js';

type SubscriptionDocument = Omit<OfferSubscription, 'id'> & { _id?: ObjectId };

function fromDocument(document: SubscriptionDocument & { _id: ObjectId }): OfferSubscription {
  const { _id, ...rest } = document;
  return { ...rest, id: _id.toHexString() };
}

export class MongoSubscriptionStore implements SubscriptionStore {
  private readonly collection: Collection<SubscriptionDocument>;

  constructor(db: Db) {
    this.collection = db.collection<SubscriptionDocument>(collections.offerSubscriptions);
  }

  insertUnlessExists(subscription: Omit<OfferSubscription, 'id'>): Promise<{ inserted: boolean; subscription: OfferSubscription }> {
    return guarded(async () => {
      const outcome = await insertUnlessExists(this.collection, { firmId: subscription.firmId, clientFileId: subscription.clientFileId, contactId: subscription.contactId }, subscription);
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

  setClientCard(firmId: string, id: string, clientCard: NonNullable<OfferSubscription['clientCard']>): Promise<void> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (_id) await this.collection.updateOne({ firmId, _id }, { $set: { clientCard } });
    });
  }

  listActiveWithoutCard(firmId: string, contactId: string): Promise<OfferSubscription[]> {
    return guarded(async () => (await this.collection.find({ firmId, contactId, state: 'active', clientCard: { $exists: false } }).limit(200).toArray()).map(fromDocument));
  }

  update(firmId: string, id: string, expectedVersion: number, changes: Partial<Omit<OfferSubscription, 'id' | 'firmId' | 'version'>>): Promise<OfferSubscription | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      // A field set to undefined is removed: "ended: undefined" reopens an ended offer.
      const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      const unset = Object.fromEntries(Object.entries(changes).filter(([, value]) => value === undefined).map(([key]) => [key, '']));
      const document = await this.collection.findOneAndUpdate(
        { firmId, _id, version: expectedVersion },
        { $set: set, $inc: { version: 1 }, ...(Object.keys(unset).length ? { $unset: unset } : {}) } as UpdateFilter<SubscriptionDocument>,
        { returnDocument: 'after' },
      );
      return document ? fromDocument(document) : null;
    });
  }
}
