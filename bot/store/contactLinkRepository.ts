import { ObjectId, type Collection, type Db } from 'mongodb';
import type { ActorStamp } from '../domain/actor.js';
import type { ClientFile } from '../domain/clientFile.js';
import type { Contact } from '../domain/contact.js';
import type { AuditOfChange, ContactLink, ContactLinkStore, LinkChange } from '../domain/ports.js';
import { clientFileFromDocument, type ClientFileDocument } from './clientFileRepository.js';
import { contactFromDocument, type ContactDocument } from './contactRepository.js';
import { AuditRelay, pendingOnInsert, withAudit, type PendingAudit } from './auditRelay.js';
import { collections, guarded, isDuplicateKey, toObjectId, toObjectIds } from './mongo.js';

interface ContactLinkDocument {
  _id?: ObjectId;
  firmId: string;
  clientFileId: ObjectId;
  contactId: ObjectId;
  scope: string;
  linked: ActorStamp;
  pendingAudit?: PendingAudit[];
}

function linkFromDocument(document: ContactLinkDocument): ContactLink {
  return {
    firmId: document.firmId,
    clientFileId: document.clientFileId.toHexString(),
    contactId: document.contactId.toHexString(),
    scope: document.scope,
    linked: document.linked,
  };
}

export class MongoContactLinkStore implements ContactLinkStore {
  private readonly collection: Collection<ContactLinkDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<ContactLinkDocument>(collections.contactLinks);
    this.relay = relay;
  }

  /**
   * A replayed request sets the same scope again: nothing is written and nothing audited. A creation
   * or a scope change is one operation carrying its audit entry; the scope is changed only if it is
   * still the one read, so the entry's previous scope is the one replaced.
   */
  upsert(link: ContactLink, audit?: AuditOfChange<LinkChange>): Promise<{ created: boolean; scopeChanged: boolean; previousScope?: string }> {
    return guarded(async () => {
      const clientFileId = toObjectId(link.clientFileId);
      const contactId = toObjectId(link.contactId);
      if (!clientFileId || !contactId) throw new Error('link ids must be object ids');
      const key = { firmId: link.firmId, clientFileId, contactId };
      for (let attempt = 0; ; attempt++) {
        try {
          let before = await this.collection.findOne(key);
          if (!before) {
            const _id = new ObjectId();
            before = await this.collection.findOneAndUpdate(
              key,
              { $setOnInsert: { _id, scope: link.scope, linked: link.linked, ...pendingOnInsert(audit?.({ created: true })) } },
              { upsert: true, returnDocument: 'before' },
            );
            if (!before) {
              if (audit) await this.relay.flush(collections.contactLinks, _id);
              return { created: true, scopeChanged: false };
            }
          }
          if (before.scope === link.scope) return { created: false, scopeChanged: false, previousScope: before.scope };
          const result = await this.collection.updateOne(
            { ...key, scope: before.scope },
            withAudit({ $set: { scope: link.scope } }, audit?.({ created: false, previousScope: before.scope })),
          );
          if (result.modifiedCount === 1) {
            if (audit) await this.relay.flush(collections.contactLinks, before._id!);
            return { created: false, scopeChanged: true, previousScope: before.scope };
          }
          if (attempt > 2) throw new Error('link changed too often meanwhile');
        } catch (error) {
          if (!isDuplicateKey(error) || attempt > 2) throw error;
        }
      }
    });
  }

  listByClientFile(firmId: string, clientFileId: string): Promise<ContactLink[]> {
    return guarded(async () => {
      const id = toObjectId(clientFileId);
      if (!id) return [];
      return (await this.collection.find({ firmId, clientFileId: id }).limit(500).toArray()).map(linkFromDocument);
    });
  }

  listByClientFiles(firmId: string, clientFileIds: string[]): Promise<ContactLink[]> {
    return guarded(async () => {
      const links: ContactLink[] = [];
      // Chunks keep each query's $in list reasonable for thousands of files.
      for (let start = 0; start < clientFileIds.length; start += 1_000) {
        const ids = toObjectIds(clientFileIds.slice(start, start + 1_000));
        if (ids.length > 0) links.push(...(await this.collection.find({ firmId, clientFileId: { $in: ids } }).toArray()).map(linkFromDocument));
      }
      return links;
    });
  }

  listByContacts(firmId: string, contactIds: string[]): Promise<ContactLink[]> {
    return guarded(async () => {
      const links: ContactLink[] = [];
      for (let start = 0; start < contactIds.length; start += 1_000) {
        const ids = toObjectIds(contactIds.slice(start, start + 1_000));
        if (ids.length > 0) links.push(...(await this.collection.find({ firmId, contactId: { $in: ids } }).toArray()).map(linkFromDocument));
      }
      return links;
    });
  }

  listByContact(firmId: string, contactId: string): Promise<ContactLink[]> {
    return guarded(async () => {
      const id = toObjectId(contactId);
      if (!id) return [];
      return (await this.collection.find({ firmId, contactId: id }).limit(500).toArray()).map(linkFromDocument);
    });
  }

  /**
   * One round trip instead of two: the links (firm_file_contact_unique) joined to their contacts by _id.
   * The joined record must be of the same firm, as every record a firm reads.
   */
  contactsOfClientFile(firmId: string, clientFileId: string): Promise<{ link: ContactLink; contact: Contact }[]> {
    return guarded(async () => {
      const id = toObjectId(clientFileId);
      if (!id) return [];
      const rows = await this.collection
        .aggregate<ContactLinkDocument & { joined: (ContactDocument & { _id: ObjectId })[] }>([
          { $match: { firmId, clientFileId: id } },
          { $limit: 500 },
          { $lookup: { from: collections.contacts, localField: 'contactId', foreignField: '_id', as: 'joined' } },
        ])
        .toArray();
      return rows.flatMap(({ joined, ...link }) => {
        const contact = joined.find((document) => document.firmId === firmId);
        return contact ? [{ link: linkFromDocument(link), contact: contactFromDocument(contact) }] : [];
      });
    });
  }

  /** One round trip instead of two: the links (firm_contact) joined to their files by _id, of the same firm. */
  clientFilesOfContact(firmId: string, contactId: string): Promise<{ link: ContactLink; file: ClientFile }[]> {
    return guarded(async () => {
      const id = toObjectId(contactId);
      if (!id) return [];
      const rows = await this.collection
        .aggregate<ContactLinkDocument & { joined: (ClientFileDocument & { _id: ObjectId })[] }>([
          { $match: { firmId, contactId: id } },
          { $limit: 500 },
          { $lookup: { from: collections.clientFiles, localField: 'clientFileId', foreignField: '_id', as: 'joined' } },
        ])
        .toArray();
      return rows.flatMap(({ joined, ...link }) => {
        const file = joined.find((document) => document.firmId === firmId);
        return file ? [{ link: linkFromDocument(link), file: clientFileFromDocument(file) }] : [];
      });
    });
  }

  exists(firmId: string, clientFileId: string, contactId: string): Promise<boolean> {
    return guarded(async () => {
      const fileId = toObjectId(clientFileId);
      const personId = toObjectId(contactId);
      if (!fileId || !personId) return false;
      return (await this.collection.countDocuments({ firmId, clientFileId: fileId, contactId: personId }, { limit: 1 })) > 0;
    });
  }

  remove(firmId: string, clientFileId: string, contactId: string): Promise<boolean> {
    return guarded(async () => {
      const fileId = toObjectId(clientFileId);
      const personId = toObjectId(contactId);
      if (!fileId || !personId) return false;
      return (await this.collection.deleteOne({ firmId, clientFileId: fileId, contactId: personId })).deletedCount === 1;
    });
  }
}
