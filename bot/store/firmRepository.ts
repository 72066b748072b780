import type { Collection, Db, ObjectId } from 'mongodb';
import type { FirmSettings, FirmStore, GuestPolicy } from '../domain/ports.js';
import { collections, guarded, isDuplicateKey } from './mongo.js';

interface FirmDocument {
  _id?: ObjectId;
  firmId: string;
  orgRoles: string[];
  guestPolicy?: GuestPolicy;
  createdAt: Date;
}

export class MongoFirmStore implements FirmStore {
  private readonly collection: Collection<FirmDocument>;

  constructor(db: Db) {
    this.collection = db.collection<FirmDocument>(collections.firms);
  }

  ensure(firmId: string, defaults: Omit<FirmSettings, 'firmId'>): Promise<FirmSettings> {
    return guarded(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const document = await this.collection.findOneAndUpdate(
            { firmId },
            { $setOnInsert: { firmId, orgRoles: defaults.orgRoles, guestPolicy: defaults.guestPolicy, createdAt: new Date() } },
            { upsert: true, returnDocument: 'after' },
          );
          // Settings added after a firm was created take their defaults until the firm changes them.
          return { firmId, orgRoles: document?.orgRoles ?? defaults.orgRoles, guestPolicy: { ...defaults.guestPolicy, ...document?.guestPolicy } };
        } catch (error) {
          if (!isDuplicateKey(error) || attempt > 0) throw error;
        }
      }
    });
  }

  addOrgRole(firmId: string, role: string): Promise<boolean> {
    return guarded(async () => (await this.collection.updateOne({ firmId }, { $addToSet: { orgRoles: role } })).modifiedCount === 1);
  }

  removeOrgRole(firmId: string, role: string): Promise<boolean> {
    return guarded(async () => (await this.collection.updateOne({ firmId }, { $pull: { orgRoles: role } })).modifiedCount === 1);
  }

  updateGuestPolicy(firmId: string, policy: GuestPolicy): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ firmId }, { $set: { guestPolicy: policy } });
    });
  }
}
