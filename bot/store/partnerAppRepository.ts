import type { Collection, Db, ObjectId } from 'mongodb';
import type { ActorStamp } from '../domain/actor.js';
import type { FlowManualStep, FlowSetup, PartnerAppStore, ShineSetup } from '../domain/partners/partnerApps.js';
import { collections, guarded, insertUnlessExists, toObjectId } from './mongo.js';

type Setup = FlowSetup | ShineSetup;
/** Both apps share one collection; each document has the fields of its app. */
type SetupDocument = Partial<Omit<FlowSetup, 'id' | 'app'>> & Partial<Omit<ShineSetup, 'id' | 'app'>> & { _id?: ObjectId; firmId: string; clientFileId: string; app: Setup['app']; version: number };

function fromDocument<T extends Setup>(document: SetupDocument & { _id: ObjectId }): T {
  const { _id, ...rest } = document;
  return { ...rest, id: _id.toHexString() } as unknown as T;
}

export class MongoPartnerAppStore implements PartnerAppStore {
  private readonly collection: Collection<SetupDocument>;

  constructor(db: Db) {
    this.collection = db.collection<SetupDocument>(collections.partnerApps);
  }

  ensureFlow(firmId: string, clientFileId: string): Promise<FlowSetup> {
    return guarded(async () => {
      const outcome = await insertUnlessExists(this.collection, { firmId, clientFileId, app: 'flow' }, { firmId, clientFileId, app: 'flow', version: 1, steps: {} });
      return fromDocument<FlowSetup>(outcome.inserted ? outcome.document : outcome.existing);
    });
  }

  recordFlowStep(firmId: string, id: string, expectedVersion: number, step: FlowManualStep, done: ActorStamp): Promise<FlowSetup | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const document = await this.collection.findOneAndUpdate(
        { firmId, _id, version: expectedVersion },
        { $set: { [`steps.${step}`]: done }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      );
      return document ? fromDocument<FlowSetup>(document) : null;
    });
  }

  findShine(firmId: string, clientFileId: string): Promise<ShineSetup | null> {
    return guarded(async () => {
      const document = await this.collection.findOne({ firmId, clientFileId, app: 'shine' });
      return document ? fromDocument<ShineSetup>(document) : null;
    });
  }

  findShineByEmails(firmId: string, emails: string[]): Promise<ShineSetup[]> {
    return guarded(async () => (await this.collection.find({ firmId, app: 'shine', accountEmail: { $in: emails } }).limit(50).toArray()).map((document) => fromDocument<ShineSetup>(document)));
  }

  insertShine(setup: Omit<ShineSetup, 'id' | 'version'>): Promise<{ inserted: boolean; setup: ShineSetup }> {
    return guarded(async () => {
      const outcome = await insertUnlessExists(this.collection, { firmId: setup.firmId, clientFileId: setup.clientFileId, app: 'shine' }, { ...setup, version: 1, steps: {} } as SetupDocument);
      return { inserted: outcome.inserted, setup: fromDocument<ShineSetup>(outcome.inserted ? outcome.document : outcome.existing) };
    });
  }

  recordShineEmail(firmId: string, id: string, expectedVersion: number, email: NonNullable<ShineSetup['email']>): Promise<ShineSetup | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const document = await this.collection.findOneAndUpdate({ firmId, _id, version: expectedVersion }, { $set: { email }, $inc: { version: 1 } }, { returnDocument: 'after' });
      return document ? fromDocument<ShineSetup>(document) : null;
    });
  }
}
