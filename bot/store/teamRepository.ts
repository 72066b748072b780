import type { Collection, Db, ObjectId } from 'mongodb';
import type { FirmTeam, TeamStore } from '../domain/ports.js';
import { collections, guarded } from './mongo.js';

type TeamDocument = FirmTeam & { _id?: ObjectId; updatedAt: Date };

export class MongoTeamStore implements TeamStore {
  private readonly collection: Collection<TeamDocument>;

  constructor(db: Db) {
    this.collection = db.collection<TeamDocument>(collections.teams);
  }

  remember(team: Omit<FirmTeam, 'internal'>): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne(
        { firmId: team.firmId, teamId: team.teamId },
        { $set: { displayName: team.displayName, conversationId: team.conversationId, updatedAt: new Date() }, $setOnInsert: { internal: false } },
        { upsert: true },
      );
    });
  }

  list(firmId: string): Promise<FirmTeam[]> {
    return guarded(async () => (await this.collection.find({ firmId }, { projection: { _id: 0, updatedAt: 0 } }).sort({ displayName: 1 }).limit(200).toArray()) as FirmTeam[]);
  }

  find(firmId: string, teamId: string): Promise<FirmTeam | null> {
    return guarded(() => this.collection.findOne({ firmId, teamId }, { projection: { _id: 0, updatedAt: 0 } }) as Promise<FirmTeam | null>);
  }

  setInternal(firmId: string, teamId: string, internal: boolean): Promise<boolean> {
    return guarded(async () => (await this.collection.updateOne({ firmId, teamId }, { $set: { internal } })).matchedCount === 1);
  }
}
