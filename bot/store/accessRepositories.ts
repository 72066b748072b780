import type { Collection, Db, ObjectId } from 'mongodb';
import type { AccessRequest, AccessRequestKind, AccessRequestStore, MembershipStore, RequestedOffer, StructureStore } from '../domain/access/ports.js';
import type { Membership, Profile } from '../domain/access/profiles.js';
import { collections, guarded, isDuplicateKey } from './mongo.js';

interface FirmStructureFields {
  firmId: string;
  mainManagerEmail?: string;
  /** Last number given to an access request of the firm. */
  requestCounter?: number;
}

/** The structure's fields live on the firm document: one main manager is one field, never two. */
export class MongoStructureStore implements StructureStore {
  private readonly firms: Collection<FirmStructureFields & { _id?: ObjectId }>;

  constructor(db: Db) {
    this.firms = db.collection(collections.firms);
  }

  mainManagerEmail(firmId: string): Promise<string | null> {
    return guarded(async () => (await this.firms.findOne({ firmId }, { projection: { mainManagerEmail: 1 } }))?.mainManagerEmail ?? null);
  }

  claimMainManager(firmId: string, email: string): Promise<boolean> {
    return guarded(async () => {
      // Make sure the firm document exists (keyed on firmId alone), then claim the empty field.
      await this.firms.updateOne({ firmId }, { $setOnInsert: { firmId } }, { upsert: true }).catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error;
      });
      const result = await this.firms.updateOne({ firmId, mainManagerEmail: { $exists: false } }, { $set: { mainManagerEmail: email } });
      return result.modifiedCount === 1;
    });
  }

  transferMainManager(firmId: string, from: string, to: string): Promise<boolean> {
    return guarded(async () => (await this.firms.updateOne({ firmId, mainManagerEmail: from }, { $set: { mainManagerEmail: to } })).modifiedCount === 1);
  }
}

type MembershipDocument = Membership & { _id?: ObjectId; updatedAt: Date };

function membershipFrom(document: MembershipDocument): Membership {
  const { _id, updatedAt, ...membership } = document;
  void _id;
  void updatedAt;
  return membership;
}

export class MongoMembershipStore implements MembershipStore {
  private readonly collection: Collection<MembershipDocument>;

  constructor(db: Db) {
    this.collection = db.collection<MembershipDocument>(collections.memberships);
  }

  findByUserId(firmId: string, userId: string): Promise<Membership | null> {
    return guarded(async () => {
      const document = await this.collection.findOne({ firmId, userId });
      return document ? membershipFrom(document) : null;
    });
  }

  findByEmail(firmId: string, email: string): Promise<Membership | null> {
    return guarded(async () => {
      const document = await this.collection.findOne({ firmId, email });
      return document ? membershipFrom(document) : null;
    });
  }

  attach(membership: Membership): Promise<{ membership: Membership; created: boolean }> {
    return guarded(async () => {
      const { firmId, email, ...fields } = membership;
      for (let attempt = 0; ; attempt++) {
        try {
          const before = await this.collection.findOneAndUpdate(
            { firmId, email },
            { $set: { ...fields, status: 'attached', updatedAt: new Date() }, $unset: { detachComment: '' } },
            { upsert: true, returnDocument: 'before' },
          );
          const after = await this.collection.findOne({ firmId, email });
          return { membership: membershipFrom(after!), created: !before };
        } catch (error) {
          if (!isDuplicateKey(error) || attempt > 0) throw error;
        }
      }
    });
  }

  bindUserId(firmId: string, email: string, userId: string, displayName: string): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ firmId, email, userId: { $exists: false } }, { $set: { userId, displayName, updatedAt: new Date() } });
    });
  }

  replaceProfiles(firmId: string, email: string, expected: Profile[], profiles: Profile[]): Promise<boolean> {
    return guarded(async () => {
      const result = await this.collection.updateOne({ firmId, email, profiles: { $eq: expected } }, { $set: { profiles, updatedAt: new Date() } });
      return result.modifiedCount === 1 || (result.matchedCount === 1 && JSON.stringify(expected) === JSON.stringify(profiles));
    });
  }

  detach(firmId: string, email: string, comment: string): Promise<boolean> {
    return guarded(async () => (await this.collection.updateOne({ firmId, email, status: 'attached' }, { $set: { status: 'detached', detachComment: comment, updatedAt: new Date() } })).modifiedCount === 1);
  }

  list(firmId: string): Promise<Membership[]> {
    return guarded(async () => (await this.collection.find({ firmId }).sort({ displayName: 1 }).limit(500).toArray()).map(membershipFrom));
  }

  count(firmId: string): Promise<number> {
    return guarded(() => this.collection.countDocuments({ firmId }, { limit: 1 }));
  }
}

type RequestDocument = AccessRequest & { _id?: ObjectId };

export class MongoAccessRequestStore implements AccessRequestStore {
  private readonly collection: Collection<RequestDocument>;
  private readonly firms: Collection<FirmStructureFields & { _id?: ObjectId }>;

  constructor(db: Db) {
    this.collection = db.collection<RequestDocument>(collections.accessRequests);
    this.firms = db.collection(collections.firms);
  }

  create(request: Omit<AccessRequest, 'number'>): Promise<AccessRequest> {
    return guarded(async () => {
      const counter = await this.firms.findOneAndUpdate({ firmId: request.firmId }, { $inc: { requestCounter: 1 } }, { upsert: true, returnDocument: 'after' });
      const stored: AccessRequest = { ...request, number: counter?.requestCounter ?? 1 };
      await this.collection.insertOne({ ...stored });
      return stored;
    });
  }

  findPendingLike(firmId: string, userId: string, kind: AccessRequestKind, profile?: Profile, offer?: RequestedOffer): Promise<AccessRequest | null> {
    return guarded(async () => {
      const filter: Record<string, unknown> = { firmId, 'requester.userId': userId, kind, status: 'pending' };
      if (profile) Object.assign(filter, { 'profile.application': profile.application, 'profile.level': profile.level });
      if (offer) Object.assign(filter, { 'offer.clientFileId': offer.clientFileId, 'offer.contactId': offer.contactId, 'offer.offerId': offer.offerId });
      const document = await this.collection.findOne(filter, { projection: { _id: 0 } });
      return document;
    });
  }

  find(firmId: string, number: number): Promise<AccessRequest | null> {
    return guarded(() => this.collection.findOne({ firmId, number }, { projection: { _id: 0 } }));
  }

  listPending(firmId: string, limit: number): Promise<AccessRequest[]> {
    return guarded(() => this.collection.find({ firmId, status: 'pending' }, { projection: { _id: 0 } }).sort({ number: 1 }).limit(limit).toArray());
  }

  countPending(firmId: string): Promise<number> {
    return guarded(() => this.collection.countDocuments({ firmId, status: 'pending' }));
  }

  decide(firmId: string, number: number, status: 'approved' | 'refused', decision: AccessRequest['decision']): Promise<boolean> {
    return guarded(async () => (await this.collection.updateOne({ firmId, number, status: 'pending' }, { $set: { status, decision } })).modifiedCount === 1);
  }
}
