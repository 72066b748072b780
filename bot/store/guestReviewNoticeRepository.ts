import type { Collection, Db } from 'mongodb';
import type { GuestReviewNotices } from '../domain/guestReviewReminder.js';
import { collections, guarded } from './mongo.js';

interface FirmNoticeDocument {
  firmId: string;
  guestReviewNotice?: { week: string; at: Date };
}

/** The weekly guest review's claim, kept on the firm's own record: one document, one atomic update. */
export class MongoGuestReviewNotices implements GuestReviewNotices {
  private readonly collection: Collection<FirmNoticeDocument>;

  constructor(db: Db) {
    this.collection = db.collection<FirmNoticeDocument>(collections.firms);
  }

  listFirmIds(): Promise<string[]> {
    return guarded(async () => (await this.collection.distinct('firmId')) as string[]);
  }

  claimWeek(firmId: string, week: string, at: Date): Promise<boolean> {
    return guarded(async () => {
      const result = await this.collection.updateOne({ firmId, 'guestReviewNotice.week': { $ne: week } }, { $set: { guestReviewNotice: { week, at } } });
      return result.modifiedCount === 1;
    });
  }
}
