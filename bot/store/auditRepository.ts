import { randomUUID } from 'node:crypto';
import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { AuditEntry, AuditLog, AuditQuery } from '../domain/ports.js';
import { AuditRelay, auditDocument, entryFromDocument, type AuditDocument, type AuditListener } from './auditRelay.js';
import { collections, guarded, toObjectId, toObjectIds } from './mongo.js';

/** Append-only: this class has no update or delete; entries arrive through the audit relay. */
export class MongoAuditLog implements AuditLog {
  private readonly collection: Collection<AuditDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<AuditDocument>(collections.auditLog);
    this.relay = relay;
  }

  /** Straight to the log, for entries that change no record (nothing to queue them on). */
  async record(entry: Omit<AuditEntry, 'id'> & { id?: string }): Promise<void> {
    await this.relay.append(auditDocument({ ...entry, id: entry.id ?? randomUUID() }));
  }

  /** Called once per entry after it reached the log, whichever way it came; see AuditRelay.subscribe. */
  subscribe(listener: AuditListener): () => void {
    return this.relay.subscribe(listener);
  }

  search(firmId: string, query: AuditQuery, limit: number): Promise<AuditEntry[]> {
    return guarded(async () => {
      const filter: Filter<AuditDocument> = { firmId };
      if (query.clientFileId) filter.clientFileId = toObjectId(query.clientFileId) ?? new ObjectId('000000000000000000000000');
      if (query.contactId) filter.contactId = toObjectId(query.contactId) ?? new ObjectId('000000000000000000000000');
      if (query.userId) filter['actor.userId'] = query.userId;
      if (query.from || query.to) filter.at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
      // In the query, not after it: the limit counts only entries the user may see.
      if (query.excluding?.clientFileIds.length) filter.clientFileId = { ...(filter.clientFileId ? { $eq: filter.clientFileId as ObjectId } : {}), $nin: toObjectIds(query.excluding.clientFileIds) };
      if (query.excluding?.contactIds.length) filter.contactId = { ...(filter.contactId ? { $eq: filter.contactId as ObjectId } : {}), $nin: toObjectIds(query.excluding.contactIds) };
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
