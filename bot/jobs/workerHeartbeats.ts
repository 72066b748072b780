import type { Collection, Db, ObjectId } from 'mongodb';
import { collections, guarded, isDuplicateKey } from '../store/mongo.js';

/**
 * One heartbeat document per running job worker (one per server instance), so that the items a dead
 * server holds can be taken back as soon as its heartbeat stops, instead of when its leases end.
 *
 * A worker whose heartbeat went silent is declared dead once, atomically, in its document. That is
 * the fence: a worker that was only paused (a long GC, a network cut) finds itself declared dead at
 * its next beat and carries on under a new name, so the names other workers reclaim from never
 * designate live work. Times are the servers' clocks, as for the leases themselves.
 */
interface HeartbeatDocument {
  _id: ObjectId;
  owner: string;
  startedAt: Date;
  beatAt: Date;
  /** Set once by the worker that noticed the silence; a dead name is never used again. */
  declaredDeadAt?: Date;
}

/** Dead workers' documents are kept this long (their names may still be on items being taken back). */
const keepDeadForMs = 60 * 60_000;

export class WorkerHeartbeats {
  private readonly heartbeats: Collection<HeartbeatDocument>;

  constructor(db: Db) {
    this.heartbeats = db.collection<HeartbeatDocument>(collections.workerHeartbeats);
  }

  /** Announces a new worker name. */
  register(owner: string, now: Date): Promise<void> {
    return guarded(async () => {
      try {
        await this.heartbeats.updateOne({ owner }, { $set: { beatAt: now }, $setOnInsert: { startedAt: now } }, { upsert: true });
      } catch (error) {
        // Two upserts of one name cannot happen (names are random), but a retried one may meet itself.
        if (!isDuplicateKey(error)) throw error;
      }
    });
  }

  /** Records that the worker is alive; false when it had been declared dead meanwhile (it must take a new name). */
  beat(owner: string, now: Date): Promise<boolean> {
    return guarded(async () => {
      const result = await this.heartbeats.updateOne({ owner, declaredDeadAt: { $exists: false } }, { $set: { beatAt: now } });
      return result.matchedCount === 1;
    });
  }

  /**
   * Declares dead every worker silent since before `silentSince`, and returns the names of all dead
   * workers: their items may be taken back at once.
   */
  deadWorkers(silentSince: Date, now: Date): Promise<string[]> {
    return guarded(async () => {
      await this.heartbeats.updateMany({ beatAt: { $lt: silentSince }, declaredDeadAt: { $exists: false } }, { $set: { declaredDeadAt: now } });
      await this.heartbeats.deleteMany({ declaredDeadAt: { $lt: new Date(now.getTime() - keepDeadForMs) } });
      const dead = await this.heartbeats.find({ declaredDeadAt: { $exists: true } }, { projection: { owner: 1 } }).toArray();
      return dead.map((document) => document.owner);
    });
  }

  /** A worker stopping cleanly: it holds nothing any more. */
  retire(owner: string): Promise<void> {
    return guarded(async () => {
      await this.heartbeats.deleteOne({ owner });
    });
  }
}
