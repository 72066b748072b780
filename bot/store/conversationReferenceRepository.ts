import type { Collection, Db, ObjectId } from 'mongodb';
import { collections, guarded } from './mongo.js';

/**
 * Where the bot can speak later without being spoken to (job progress, welcome of a guest).
 * Kept in MongoDB so any server instance can send the message.
 */
export interface StoredConversation {
  firmId: string;
  conversationId: string;
  conversationType: string;
  teamId?: string;
  /** For a personal chat: the Entra id of the user it is with. */
  userId?: string;
  /** The Bot Framework conversation reference, stored as received: it is opaque to Passerelle. */
  reference: Record<string, unknown>;
  updatedAt: Date;
  welcomedAt?: Date;
}

export class MongoConversationReferenceStore {
  private readonly collection: Collection<StoredConversation & { _id?: ObjectId }>;

  constructor(db: Db) {
    this.collection = db.collection(collections.conversationReferences);
  }

  save(conversation: StoredConversation): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne(
        { firmId: conversation.firmId, conversationId: conversation.conversationId },
        { $set: conversation },
        { upsert: true },
      );
    });
  }

  /** True the first time only: the welcome card is sent once per conversation, even across instances. */
  markWelcomed(firmId: string, conversationId: string): Promise<boolean> {
    return guarded(async () => {
      const before = await this.collection.findOneAndUpdate(
        { firmId, conversationId },
        { $set: { welcomedAt: new Date() } },
        { upsert: true, returnDocument: 'before' },
      );
      return !before || !(before as { welcomedAt?: Date }).welcomedAt;
    });
  }

  /** Any conversation of a team (a channel post, a reply thread): enough to reach its General channel. */
  findForTeam(firmId: string, teamThreadId: string): Promise<StoredConversation | null> {
    return guarded(() => this.collection.findOne({ firmId, teamId: teamThreadId }, { projection: { _id: 0 }, sort: { updatedAt: -1 } }));
  }

  findPersonal(firmId: string, userId: string): Promise<StoredConversation | null> {
    return guarded(() => this.collection.findOne({ firmId, userId, conversationType: 'personal' }, { projection: { _id: 0 }, sort: { updatedAt: -1 } }));
  }

  find(firmId: string, conversationId: string): Promise<StoredConversation | null> {
    return guarded(() => this.collection.findOne({ firmId, conversationId }, { projection: { _id: 0 } }));
  }
}
