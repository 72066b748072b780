import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { AuditEntry, AuditLog, AuditQuery } from '../domain/ports.js';
import { collections, guarded, toObjectId } from './mongo.js';

interface AuditDocument {
  _id?: ObjectId;
  firmId: string;
  at: Date;
  actor: AuditEntry['actor'];
  action: string;
  clientFileId?: ObjectId;
  contactId?: ObjectId;
  details?: Record<string, unknown>;
}

function entryFromDocument(document: AuditDocument): AuditEntry {
  return {
    firmId: document.firmId,
    actor: document.actor,
    action: document.action,
    clientFileId: document.clientFileId?.toHexString(),
    contactId: document.contactId?.toHexString(),
    details: document.details,
  };
}

/** Append-only: this class has no update or delete. */
export class MongoAuditLog implements AuditLog {
  private readonly collection: Collection<AuditDocument>;

  constructor(db: Db) {
    this.collection = db.collection<AuditDocument>(collections.auditLog);
  }

  record(entry: AuditEntry): Promise<void> {
    return guarded(async () => {
      await this.collection.insertOne({
        firmId: entry.firmId,
        at: entry.actor.at,
        actor: entry.actor,
        action: entry.action,
        clientFileId: entry.clientFileId ? toObjectId(entry.clientFileId) ?? undefined : undefined,
        contactId: entry.contactId ? toObjectId(entry.contactId) ?? undefined : undefined,
        details: entry.details,
      });
    });
  }

  search(firmId: string, query: AuditQuery, limit: number): Promise<AuditEntry[]> {
    return guarded(async () => {
      const filter: Filter<AuditDocument> = { firmId };
      if (query.clientFileId) filter.clientFileId = toObjectId(query.clientFileId) ?? new ObjectId('000000000000000000000000');
      if (query.contactId) filter.contactId = toObjectId(query.contactId) ?? new ObjectId('000000000000000000000000');
      if (query.userId) filter['actor.userId'] = query.userId;
      if (query.from || query.to) filter.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
      const documents = await this.collection.find(filter).sort({ at: -1, _id: -1 }).limit(limit).toArray();
      return documents.map(entryFromDocument);
    });
  }

  listForClientFile(firmId: string, clientFileId: string, limit: number): Promise<AuditEntry[]> {
    return this.list(firmId, 'clientFileId', clientFileId, limit);
  }

  listForContact(firmId: string, contactId: string, limit: number): Promise<AuditEntry[]> {
    return this.list(firmId, 'contactId', contactId, limit);
  }

  private list(firmId: string, field: 'clientFileId' | 'contactId', id: string, limit: number): Promise<AuditEntry[]> {
    return guarded(async () => {
      const objectId = toObjectId(id);
      if (!objectId) return [];
      const documents = await this.collection.find({ firmId, [field]: objectId }).sort({ at: -1, _id: -1 }).limit(limit).toArray();
      return documents.map(entryFromDocument);
    });
  }
}
