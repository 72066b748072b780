import { ObjectId, type Collection, type Db } from 'mongodb';
import type { Contact, IdentityChange, ValidContact } from '../domain/contact.js';
import type { GuestOnboarding, GuestStateName } from '../domain/guest.js';
import type { AuditEntry, AuditOfChange, AuditOfCreation, ContactStore, ImportOutcome, InsertOutcome } from '../domain/ports.js';
import { AuditRelay, auditDocument, pendingOnInsert, withAudit, withoutPending, type PendingAudit } from './auditRelay.js';
import { collections, guarded, insertUnlessExists, isDuplicateKey, toObjectId, toObjectIds, upsertImported, wordsFilter } from './mongo.js';
import { legacyStartPattern } from '../domain/offers/legacy.js';

export type ContactDocument = Omit<Contact, 'id'> & { _id?: ObjectId; pendingAudit?: PendingAudit[] };

export function contactFromDocument(document: ContactDocument & { _id: ObjectId }): Contact {
  const { _id, ...rest } = withoutPending(document);
  return { ...rest, id: _id.toHexString() };
}

export class MongoContactStore implements ContactStore {
  private readonly collection: Collection<ContactDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<ContactDocument>(collections.contacts);
    this.relay = relay;
  }

  insertUnlessEmailExists(record: Omit<Contact, 'id'>, audit?: AuditOfCreation): Promise<InsertOutcome<Contact>> {
    return guarded(async () => {
      const _id = new ObjectId();
      const pending = pendingOnInsert(audit?.(_id.toHexString()));
      const outcome = await insertUnlessExists(this.collection, { firmId: record.firmId, email: record.email }, { ...record, _id, ...pending });
      if (outcome.inserted) await this.relay.flushInserted(collections.contacts, _id, pending.pendingAudit);
      return outcome.inserted
        ? { inserted: true, record: contactFromDocument(outcome.document) }
        : { inserted: false, existing: contactFromDocument(outcome.existing) };
    });
  }

  findById(firmId: string, id: string): Promise<Contact | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const document = await this.collection.findOne({ firmId, _id });
      return document ? contactFromDocument(document) : null;
    });
  }

  findByEmail(firmId: string, email: string): Promise<Contact | null> {
    return guarded(async () => {
      const document = await this.collection.findOne({ firmId, email });
      return document ? contactFromDocument(document) : null;
    });
  }

  findByIds(firmId: string, ids: string[]): Promise<Contact[]> {
    return guarded(async () => {
      if (ids.length === 0) return [];
      const documents = await this.collection.find({ firmId, _id: { $in: toObjectIds(ids) } }).toArray();
      return documents.map(contactFromDocument);
    });
  }

  findByGuestUserId(firmId: string, directoryUserId: string): Promise<Contact | null> {
    return guarded(async () => {
      const document = await this.collection.findOne({ firmId, 'guest.directoryUserId': directoryUserId });
      return document ? contactFromDocument(document) : null;
    });
  }

  setLegacyCoproductionLicence(firmId: string, contactId: string, flagged: boolean, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(contactId);
      if (!_id) return false;
      const change = flagged ? { $set: { legacyCoproductionLicence: true, updatedAt: new Date() } } : { $set: { updatedAt: new Date() }, $unset: { legacyCoproductionLicence: '' } };
      const found = (await this.collection.updateOne({ firmId, _id }, withAudit(change, audit) as never)).matchedCount === 1;
      if (found && audit) await this.relay.flush(collections.contacts, _id);
      return found;
    });
  }

  searchByWords(firmId: string, words: string[], limit: number): Promise<Contact[]> {
    return guarded(async () => {
      const documents = await this.collection.find({ firmId, ...wordsFilter(words) }).sort({ lastName: 1, firstName: 1 }).limit(limit).toArray();
      return documents.map(contactFromDocument);
    });
  }

  updateGuest(firmId: string, contactId: string, expectedState: GuestStateName | undefined, guest: GuestOnboarding, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(contactId);
      if (!_id) return false;
      const expected = expectedState === undefined ? { guest: { $exists: false } } : { 'guest.state': expectedState };
      const result = await this.collection.updateOne({ firmId, _id, ...expected }, withAudit({ $set: { guest, updatedAt: new Date() } }, audit));
      if (result.modifiedCount === 1 && audit) await this.relay.flush(collections.contacts, _id);
      return result.modifiedCount === 1;
    });
  }

  claimGuestCheck(firmId: string, contactId: string, expected: Date, until: Date): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(contactId);
      if (!_id) return false;
      const result = await this.collection.updateOne({ firmId, _id, 'guest.nextCheckAt': expected }, { $set: { 'guest.nextCheckAt': until } });
      return result.modifiedCount === 1;
    });
  }

  listGuestsDueForCheck(now: Date, limit: number): Promise<Contact[]> {
    return guarded(async () => {
      const documents = await this.collection
        // Members too: a guest linked to another file since joining has that file's team to join.
        .find({ 'guest.state': { $in: ['invited', 'accepted', 'member'] }, 'guest.nextCheckAt': { $lte: now } })
        .sort({ 'guest.nextCheckAt': 1 })
        .limit(limit)
        .toArray();
      return documents.map(contactFromDocument);
    });
  }

  listNotInvited(firmId: string, limit: number): Promise<Contact[]> {
    return guarded(async () => {
      const documents = await this.collection
        .find({ firmId, $or: [{ guest: { $exists: false } }, { 'guest.state': 'failed' }] })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return documents.map(contactFromDocument);
    });
  }

  findByIdsWithGuestState(firmId: string, ids: string[], state: GuestStateName): Promise<Contact[]> {
    return guarded(async () => {
      if (ids.length === 0) return [];
      const documents = await this.collection.find({ firmId, _id: { $in: toObjectIds(ids) }, 'guest.state': state }).toArray();
      return documents.map(contactFromDocument);
    });
  }

  listLegacy(firmId: string, limit: number): Promise<Contact[]> {
    return guarded(async () => {
      const documents = await this.collection
        .find({ firmId, $or: [{ email: { $regex: legacyStartPattern.source } }, { legacyCoproductionLicence: true }] })
        .sort({ lastName: 1 })
        .limit(limit)
        .toArray();
      return documents.map(contactFromDocument);
    });
  }

  /** A new identity: the guest journey of the old address does not carry over. */
  changeEmail(firmId: string, contactId: string, expected: string, email: string, searchTokens: string[], audit?: AuditEntry): Promise<'done' | 'changed' | 'taken'> {
    return guarded(async () => {
      const _id = toObjectId(contactId);
      if (!_id) return 'changed';
      if (await this.collection.findOne({ firmId, email, _id: { $ne: _id } }, { projection: { _id: 1 } })) return 'taken';
      try {
        const result = await this.collection.updateOne(
          { firmId, _id, email: expected },
          withAudit({ $set: { email, searchTokens, updatedAt: new Date() }, $unset: { legacyCoproductionLicence: '', guest: '' } }, audit),
        );
        if (result.modifiedCount === 1 && audit) await this.relay.flush(collections.contacts, _id);
        return result.modifiedCount === 1 ? 'done' : 'changed';
      } catch (error) {
        if (isDuplicateKey(error)) return 'taken';
        throw error;
      }
    });
  }

  upsertFromImport(record: Omit<Contact, 'id'>, audit?: AuditOfChange<ImportOutcome>): Promise<{ id: string; outcome: 'created' | 'updated' | 'unchanged' }> {
    return guarded(async () => {
      // The import has no address columns: an address is only set when the contact is created.
      const { creationRequestId, created, guest, address, ...fields } = record;
      void guest;
      const result = await upsertImported(
        this.collection,
        { firmId: record.firmId, email: record.email },
        fields as Partial<ContactDocument>,
        { creationRequestId, created, address } as Partial<ContactDocument>,
        audit && ((change) => ({ pendingAudit: auditDocument(audit({ id: change.id.toHexString(), outcome: change.outcome })) })),
      );
      if (audit && result.outcome !== 'unchanged') await this.relay.flush(collections.contacts, result.id);
      return { id: result.id.toHexString(), outcome: result.outcome };
    });
  }

  updateDetails(
    firmId: string,
    contactId: string,
    expectedEmail: string,
    details: ValidContact & { searchTokens: string[] },
    guest: 'keep' | 'reset' | { identityChange: IdentityChange },
    audit?: AuditEntry,
  ): Promise<'done' | 'changed' | 'taken'> {
    return guarded(async () => {
      const _id = toObjectId(contactId);
      if (!_id) return 'changed';
      if (details.email !== expectedEmail && (await this.collection.findOne({ firmId, email: details.email, _id: { $ne: _id } }, { projection: { _id: 1 } }))) return 'taken';
      const { lastName, firstName, mobile, landline, email, orgRole, address, searchTokens } = details;
      // Cleared optional fields are removed, so that a stored contact and its edit compare equal.
      const fields = { lastName, firstName, mobile, landline, email, orgRole, address, searchTokens };
      const set: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      const unset: Record<string, ''> = Object.fromEntries(Object.entries(fields).filter(([, value]) => value === undefined).map(([key]) => [key, '']));
      set.updatedAt = new Date();
      if (guest !== 'keep') {
        unset.guest = '';
        unset.legacyCoproductionLicence = '';
        unset.review = '';
      }
      if (typeof guest === 'object') set.identityChange = guest.identityChange;
      try {
        const result = await this.collection.updateOne({ firmId, _id, email: expectedEmail }, withAudit({ $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) }, audit));
        if (result.modifiedCount === 1 && audit) await this.relay.flush(collections.contacts, _id);
        return result.matchedCount === 1 ? 'done' : 'changed';
      } catch (error) {
        if (isDuplicateKey(error)) return 'taken';
        throw error;
      }
    });
  }

  updateIdentityChange(firmId: string, contactId: string, changeId: string, next: IdentityChange | null, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(contactId);
      if (!_id) return false;
      const update = next ? { $set: { identityChange: next } } : { $unset: { identityChange: '' as const } };
      const result = await this.collection.updateOne({ firmId, _id, 'identityChange.id': changeId }, withAudit(update, audit));
      if (result.modifiedCount === 1 && audit) await this.relay.flush(collections.contacts, _id);
      return result.modifiedCount === 1;
    });
  }

  setReview(firmId: string, contactId: string, review: NonNullable<Contact['review']>, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(contactId);
      if (!_id) return false;
      const result = await this.collection.updateOne({ firmId, _id }, withAudit({ $set: { review } }, audit));
      if (result.modifiedCount === 1 && audit) await this.relay.flush(collections.contacts, _id);
      return result.modifiedCount === 1;
    });
  }

  listGuests(firmId: string, limit: number): Promise<Contact[]> {
    return guarded(async () => {
      const documents = await this.collection.find({ firmId, 'guest.state': { $in: ['invited', 'accepted', 'member'] } }).sort({ _id: 1 }).limit(limit).toArray();
      return documents.map(contactFromDocument);
    });
  }

  delete(firmId: string, contactId: string): Promise<boolean> {
    return guarded(async () => {
      const _id = toObjectId(contactId);
      if (!_id) return false;
      return (await this.collection.deleteOne({ firmId, _id })).deletedCount === 1;
    });
  }
}
