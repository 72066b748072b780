import type { Collection, Db, ObjectId } from 'mongodb';
import type { ActorStamp } from '../domain/actor.js';
import type { ContactLink, ContactLinkStore } from '../domain/ports.js';
import { collections, guarded, isDuplicateKey, toObjectId } from './mongo.js';

interface ContactLinkDocument {
  _id?: ObjectId;
  firmId: string;
  clientFileId: ObjectId;
  contactId: ObjectId;
  scope: string;
  linked: ActorStamp;
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

  constructor(db: Db) {
    this.collection = db.collection<ContactLinkDocument>(collections.contactLinks);
  }

  upsert(link: ContactLink): Promise<{ created: boolean; scopeChanged: boolean; previousScope?: string }> {
    return guarded(async () => {
      const clientFileId = toObjectId(link.clientFileId);
      const contactId = toObjectId(link.contactId);
      if (!clientFileId || !contactId) throw new Error('link ids must be object ids');
      const key = { firmId: link.firmId, clientFileId, contactId };
      for (let attempt = 0; ; attempt++) {
        try {
          // A replayed request sets the same scope again: the caller sees no change and audits nothing.
          const before = await this.collection.findOneAndUpdate(
            key,
            { $set: { scope: link.scope }, $setOnInsert: { linked: link.linked } },
            { upsert: true, returnDocument: 'before' },
          );
          if (!before) return { created: true, scopeChanged: false };
          return { created: false, scopeChanged: before.scope !== link.scope, previousScope: before.scope };
        } catch (error) {
          if (!isDuplicateKey(error) || attempt > 0) throw error;
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

  listByContact(firmId: string, contactId: string): Promise<ContactLink[]> {
    return guarded(async () => {
      const id = toObjectId(contactId);
      if (!id) return [];
      return (await this.collection.find({ firmId, contactId: id }).limit(500).toArray()).map(linkFromDocument);
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
}
