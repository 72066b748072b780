import type { Collection, Db, ObjectId } from 'mongodb';
import type { UserPreferenceStore } from '../domain/ports.js';
import { collections, guarded } from './mongo.js';

interface UserPreferenceDocument {
  _id?: ObjectId;
  firmId: string;
  userId: string;
  locale?: string;
  updatedAt: Date;
}

export class MongoUserPreferenceStore implements UserPreferenceStore {
  private readonly collection: Collection<UserPreferenceDocument>;

  constructor(db: Db) {
    this.collection = db.collection<UserPreferenceDocument>(collections.userPreferences);
  }

  getLocale(firmId: string, userId: string): Promise<string | undefined> {
    return guarded(async () => (await this.collection.findOne({ firmId, userId }))?.locale);
  }

  setLocale(firmId: string, userId: string, locale: string): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ firmId, userId }, { $set: { locale, updatedAt: new Date() } }, { upsert: true });
    });
  }
}
