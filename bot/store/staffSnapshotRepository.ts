import type { Collection, Db } from 'mongodb';
import type { StaffSnapshot, StaffSnapshotStore } from '../domain/access/ports.js';
import { defaultStructureId } from '../domain/access/structures.js';
import { membershipFrom, structureFrom, type FirmStructureDocument, type MembershipDocument } from './accessRepositories.js';
import { collections, guarded } from './mongo.js';

type SnapshotRow = MembershipDocument & { firm: (FirmStructureDocument & { firmId: string })[]; preferences: { firmId: string; locale?: string }[] };

/**
 * The acting member's membership of the default structure (memberships, firm_user), joined to the firm
 * document that holds that structure (firm_unique) and to their preferences (user): one round trip
 * where a turn used to make three. Joined records of another firm are ignored.
 */
export class MongoStaffSnapshotStore implements StaffSnapshotStore {
  private readonly memberships: Collection<MembershipDocument>;

  constructor(db: Db) {
    this.memberships = db.collection<MembershipDocument>(collections.memberships);
  }

  snapshot(firmId: string, userId: string): Promise<StaffSnapshot | null> {
    return guarded(async () => {
      const [row] = await this.memberships
        .aggregate<SnapshotRow>([
          { $match: { firmId, userId } },
          { $limit: 1 },
          { $lookup: { from: collections.firms, localField: 'firmId', foreignField: 'firmId', as: 'firm' } },
          { $lookup: { from: collections.userPreferences, localField: 'userId', foreignField: 'userId', as: 'preferences' } },
        ])
        .toArray();
      if (!row) return null;
      const { firm, preferences, ...membership } = row;
      return {
        membership: membershipFrom(membership),
        structure: structureFrom(firmId, defaultStructureId, firm.find((document) => document.firmId === firmId) ?? null),
        locale: preferences.find((preference) => preference.firmId === firmId)?.locale,
      };
    });
  }
}
