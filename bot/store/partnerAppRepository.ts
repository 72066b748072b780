import { ObjectId, type Collection, type Db } from 'mongodb';
import type { ActorStamp } from '../domain/actor.js';
import type { FlowManualStep, FlowSetup, PartnerAppStore, ShineSetup } from '../domain/partners/partnerApps.js';
import type { AuditEntry } from '../domain/ports.js';
import { AuditRelay, pendingOnInsert, withAudit, withoutPending, type PendingAudit } from './auditRelay.js';
import { collections, guarded, insertUnlessExists, toObjectId } from './mongo.js';

type Setup = FlowSetup | ShineSetup;
/** Both apps share one collection; each document has the fields of its app. */
type SetupDocument = Partial<Omit<FlowSetup, 'id' | 'app'>> & Partial<Omit<ShineSetup, 'id' | 'app'>> & { _id?: ObjectId; firmId: string; clientFileId: string; app: Setup['app']; version: number; pendingAudit?: PendingAudit[] };

function fromDocument<T extends Setup>(document: SetupDocument & { _id: ObjectId }): T {
  const { _id, ...rest } = withoutPending(document);
  return { ...rest, id: _id.toHexString() } as unknown as T;
}

export class MongoPartnerAppStore implements PartnerAppStore {
  private readonly collection: Collection<SetupDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<SetupDocument>(collections.partnerApps);
    this.relay = relay;
  }

  ensureFlow(firmId: string, clientFileId: string): Promise<FlowSetup> {
    return guarded(async () => {
      const outcome = await insertUnlessExists(this.collection, { firmId, clientFileId, app: 'flow' }, { firmId, clientFileId, app: 'flow', version: 1, steps: {} });
      return fromDocument<FlowSetup>(outcome.inserted ? outcome.document : outcome.existing);
    });
  }

  recordFlowStep(firmId: string, id: string, expectedVersion: number, step: FlowManualStep, done: ActorStamp, audit?: AuditEntry): Promise<FlowSetup | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const document = await this.collection.findOneAndUpdate(
        { firmId, _id, version: expectedVersion },
        withAudit({ $set: { [`steps.${step}`]: done }, $inc: { version: 1 } }, audit),
        { returnDocument: 'after' },
      );
      if (document && audit) await this.relay.flush(collections.partnerApps, _id);
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

  insertShine(setup: Omit<ShineSetup, 'id' | 'version'>, audit?: AuditEntry): Promise<{ inserted: boolean; setup: ShineSetup }> {
    return guarded(async () => {
      const _id = new ObjectId();
      const document = { ...setup, _id, version: 1, steps: {}, ...pendingOnInsert(audit) } as SetupDocument;
      const outcome = await insertUnlessExists(this.collection, { firmId: setup.firmId, clientFileId: setup.clientFileId, app: 'shine' }, document);
      if (outcome.inserted && audit) await this.relay.flush(collections.partnerApps, _id);
      return { inserted: outcome.inserted, setup: fromDocument<ShineSetup>(outcome.inserted ? outcome.document : outcome.existing) };
    });
  }

  recordShineEmail(firmId: string, id: string, expectedVersion: number, email: NonNullable<ShineSetup['email']>, audit?: AuditEntry): Promise<ShineSetup | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const document = await this.collection.findOneAndUpdate({ firmId, _id, version: expectedVersion }, withAudit({ $set: { email }, $inc: { version: 1 } }, audit), { returnDocument: 'after' });
      if (document && audit) await this.relay.flush(collections.partnerApps, _id);
      return document ? fromDocument<ShineSetup>(document) : null;
    });
  }
}
