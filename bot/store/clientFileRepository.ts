import { ObjectId, type Collection, type Db } from 'mongodb';
import { defaultEquipment, type ClientFile, type DataCollection, type Equipment, type NewClientFile } from '../domain/clientFile.js';
import type { ClientFileEditable } from '../domain/clientFileEdit.js';
import type { AuditEntry, AuditOfChange, AuditOfCreation, ClientFileStore, EditOutcome, ImportOutcome, InsertOutcome } from '../domain/ports.js';
import { AuditRelay, auditDocument, pendingOnInsert, withAudit, withoutPending, type PendingAudit } from './auditRelay.js';
import { collections, guarded, insertUnlessExists, toObjectId, toObjectIds, upsertImported, wordsFilter } from './mongo.js';

// Files stored before the console's views existed have no equipment or collection: both are optional here.
export type ClientFileDocument = Omit<ClientFile, 'id' | 'primaryContactId' | 'equipment' | 'collection'> & {
  _id?: ObjectId;
  primaryContactId?: ObjectId;
  equipment?: Partial<Equipment>;
  collection?: DataCollection;
  pendingAudit?: PendingAudit[];
};
// guestTeamId stays a string: it is a Microsoft 365 group id, not one of ours.

export function clientFileFromDocument(document: ClientFileDocument & { _id: ObjectId }): ClientFile {
  const { _id, primaryContactId, equipment, collection, ...rest } = withoutPending(document);
  return {
    ...rest,
    id: _id.toHexString(),
    ...(primaryContactId ? { primaryContactId: primaryContactId.toHexString() } : {}),
    equipment: equipmentWithDefaults(equipment),
    collection: collection ?? {},
  };
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Fills what an older document lacks, field by field, so a partly written equipment still reads whole. */
function equipmentWithDefaults(stored: Partial<Equipment> | undefined): Equipment {
  const defaults = defaultEquipment();
  return {
    ...stored,
    mandate: stored?.mandate ?? defaults.mandate,
    einvoicingRegistration: stored?.einvoicingRegistration ?? defaults.einvoicingRegistration,
    reformAwareness: stored?.reformAwareness ?? defaults.reformAwareness,
  };
}

export class MongoClientFileStore implements ClientFileStore {
  private readonly collection: Collection<ClientFileDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<ClientFileDocument>(collections.clientFiles);
    this.relay = relay;
  }

  insertUnlessCodeExists(record: NewClientFile, audit?: AuditOfCreation): Promise<InsertOutcome<ClientFile>> {
    return guarded(async () => {
      const { primaryContactId, equipment, collection, ...rest } = record;
      // New files store their defaults so the portfolio can filter and sort on them without special cases.
      const _id = new ObjectId();
      const document: ClientFileDocument = {
        ...rest,
        _id,
        equipment: equipment ?? defaultEquipment(),
        collection: collection ?? {},
        primaryContactId: primaryContactId ? toObjectId(primaryContactId) ?? undefined : undefined,
        ...pendingOnInsert(audit?.(_id.toHexString())),
      };
      const outcome = await insertUnlessExists(this.collection, { firmId: record.firmId, code: record.code }, document);
      if (outcome.inserted) await this.relay.flushInserted(collections.clientFiles, _id, document.pendingAudit);
      return outcome.inserted
        ? { inserted: true, record: clientFileFromDocument(outcome.document) }
        : { inserted: false, existing: clientFileFromDocument(outcome.existing) };
    });
  }

  findById(firmId: string, id: string): Promise<ClientFile | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const document = await this.collection.findOne({ firmId, _id });
      return document ? clientFileFromDocument(document) : null;
    });
  }

  findByCode(firmId: string, code: string): Promise<ClientFile | null> {
    return guarded(async () => {
      const document = await this.collection.findOne({ firmId, code });
      return document ? clientFileFromDocument(document) : null;
    });
  }

  findByIds(firmId: string, ids: string[]): Promise<ClientFile[]> {
    return guarded(async () => {
      if (ids.length === 0) return [];
      const documents = await this.collection.find({ firmId, _id: { $in: toObjectIds(ids) } }).toArray();
      return documents.map(clientFileFromDocument);
    });
  }

  searchByWords(firmId: string, words: string[], limit: number): Promise<ClientFile[]> {
    return guarded(async () => {
      const documents = await this.collection
        .find({ firmId, ...wordsFilter(words) })
        .sort({ companyName: 1, code: 1 })
        .limit(limit)
        .toArray();
      return documents.map(clientFileFromDocument);
    });
  }

  setPrimaryContact(firmId: string, id: string, contactId: string, at: Date, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(id);
      const primaryContactId = toObjectId(contactId);
      if (!_id || !primaryContactId) return false;
      // Only a change is written and audited: two writers of the same choice record it once.
      const result = await this.collection.updateOne({ firmId, _id, primaryContactId: { $ne: primaryContactId } }, withAudit({ $set: { primaryContactId, updatedAt: at } }, audit));
      if (result.matchedCount === 1 && audit) await this.relay.flush(collections.clientFiles, _id);
      return result.matchedCount === 1;
    });
  }

  clearPrimaryContact(firmId: string, id: string, contactId: string, at: Date): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(id);
      const primaryContactId = toObjectId(contactId);
      if (!_id || !primaryContactId) return false;
      return (await this.collection.updateOne({ firmId, _id, primaryContactId }, { $unset: { primaryContactId: '' }, $set: { updatedAt: at } })).modifiedCount === 1;
    });
  }

  setGuestTeam(firmId: string, id: string, teamId: string, at: Date, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return false;
      const matched = (await this.collection.updateOne({ firmId, _id }, withAudit({ $set: { guestTeamId: teamId, updatedAt: at } }, audit))).matchedCount === 1;
      if (matched && audit) await this.relay.flush(collections.clientFiles, _id);
      return matched;
    });
  }
  setService(firmId: string, id: string, serviceId: string | null, at: Date, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return false;
      const change = serviceId ? { $set: { serviceId, updatedAt: at } } : { $unset: { serviceId: true as const }, $set: { updatedAt: at } };
      const matched = (await this.collection.updateOne({ firmId, _id }, withAudit(change, audit))).matchedCount === 1;
      if (matched && audit) await this.relay.flush(collections.clientFiles, _id);
      return matched;
    });
  }


  updateEditable(firmId: string, id: string, expectedUpdatedAt: Date, edit: ClientFileEditable & { searchTokens: string[] }, at: Date, audit?: AuditEntry): Promise<EditOutcome> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return 'notFound';
      const { equipment, collection, ...fields } = edit;
      const set: Record<string, unknown> = { ...definedOnly(fields), equipment: definedOnly(equipment), collection: definedOnly(collection), updatedAt: at };
      // A cleared field is removed rather than stored empty, as creation leaves it absent.
      const unset = Object.fromEntries((['legalForm', 'siret', 'apeCode', 'taxRegime', 'notes'] as const).filter((key) => fields[key] === undefined).map((key) => [key, '']));
      // Applies only to the version the editor saw: a change made since then is never overwritten.
      const result = await this.collection.updateOne(
        { firmId, _id, updatedAt: expectedUpdatedAt },
        withAudit({ $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}) }, audit) as never,
      );
      if (result.matchedCount === 1 && audit) await this.relay.flush(collections.clientFiles, _id);
      if (result.matchedCount === 1) return 'updated';
      return (await this.collection.countDocuments({ firmId, _id }, { limit: 1 })) === 1 ? 'changedMeanwhile' : 'notFound';
    });
  }

  setPartnerEquipment(firmId: string, id: string, apps: Pick<Equipment, 'purchases' | 'sales'>, at: Date): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return false;
      const set: Record<string, unknown> = { updatedAt: at };
      for (const [key, value] of Object.entries(apps)) if (value !== undefined) set[`equipment.${key}`] = value;
      return (await this.collection.updateOne({ firmId, _id }, { $set: set })).matchedCount === 1;
    });
  }

  findByGuestTeam(firmId: string, teamId: string, limit: number): Promise<ClientFile[]> {
    return guarded(async () => (await this.collection.find({ firmId, guestTeamId: teamId }).limit(limit).toArray()).map(clientFileFromDocument));
  }

  listIdsOfOtherServices(firmId: string, serviceIds: readonly string[]): Promise<string[]> {
    return guarded(async () => {
      const documents = await this.collection.find({ firmId, serviceId: { $exists: true, $nin: [...serviceIds] } }, { projection: { _id: 1 } }).toArray();
      return documents.map((document) => document._id.toHexString());
    });
  }

  upsertFromImport(record: NewClientFile, audit?: AuditOfChange<ImportOutcome>): Promise<{ id: string; outcome: 'created' | 'updated' | 'unchanged' }> {
    return guarded(async () => {
      const { creationRequestId, created, primaryContactId, guestTeamId, equipment, collection, ...fields } = record;
      void primaryContactId;
      void guestTeamId;
      // The import carries no equipment: a re-import must not wipe what staff recorded, so defaults go in on creation only.
      const onInsert = { creationRequestId, created, equipment: equipment ?? defaultEquipment(), collection: collection ?? {} };
      const result = await upsertImported(
        this.collection,
        { firmId: record.firmId, code: record.code },
        fields as Partial<ClientFileDocument>,
        onInsert as Partial<ClientFileDocument>,
        audit && ((change) => ({ pendingAudit: auditDocument(audit({ id: change.id.toHexString(), outcome: change.outcome })) })),
      );
      if (audit && result.outcome !== 'unchanged') await this.relay.flush(collections.clientFiles, result.id);
      return { id: result.id.toHexString(), outcome: result.outcome };
    });
  }
}
