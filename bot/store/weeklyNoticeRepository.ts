import type { Collection, Db } from 'mongodb';
import type { WeeklyNotices } from '../domain/weeklyNotices.js';
import { collections, guarded } from './mongo.js';

interface FirmNoticeDocument {
  firmId: string;
  weeklyNotices?: Record<string, { week: string; at: Date }>;
}

/** The weekly notices' claims, kept on the firm's own record: one document, one atomic update per claim. */
export class MongoWeeklyNotices implements WeeklyNotices {
  private readonly collection: Collection<FirmNoticeDocument>;

  constructor(db: Db) {
    this.collection = db.collection<FirmNoticeDocument>(collections.firms);
  }

  listFirmIds(): Promise<string[]> {
    return guarded(async () => (await this.collection.distinct('firmId')) as string[]);
  }

  claimWeek(firmId: string, notice: string, week: string, at: Date): Promise<boolean> {
    return guarded(async () => {
      const field = `weeklyNotices.${notice}`;
      const result = await this.collection.updateOne({ firmId, [`${field}.week`]: { $ne: week } }, { $set: { [field]: { week, at } } });
      return result.modifiedCount === 1;
    });
  }
}
