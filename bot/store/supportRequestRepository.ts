import { ObjectId, type Collection, type Db, type Document, type Filter, type UpdateFilter } from 'mongodb';
import { decide, visibleServiceIds } from '../domain/access/policy.js';
import type { MembershipStore } from '../domain/access/ports.js';
import { contactDisplayName, type Contact } from '../domain/contact.js';
import type { AuditEntry, AuditOfCreation, ContactLinkStore } from '../domain/ports.js';
import { supportRequirement } from '../domain/support/supportRequests.js';
import type { SupportChanges, SupportClient, SupportDirectory, SupportRequestQuery, SupportRequestStore, SupportStaffMember } from '../domain/support/supportPorts.js';
import type { PostedCard, SupportRequest, SupportState, TimelineEntry } from '../domain/support/supportRequest.js';
import { AuditRelay, pendingOnInsert, withAudit, withoutPending, type PendingAudit } from './auditRelay.js';
import { collections, guarded, insertUnlessExists, isDuplicateKey, toObjectId, wordsFilter } from './mongo.js';

type SupportDocument = Omit<SupportRequest, 'id'> & { _id?: ObjectId; pendingAudit?: PendingAudit[] };

function fromDocument(document: SupportDocument & { _id: ObjectId }): SupportRequest {
  const { _id, ...rest } = withoutPending(document);
  return { ...rest, id: _id.toHexString() };
}

/** The MongoDB filter of a list: the firm always; the queue never shows drafts, nor files of services not given. */
export function supportFilter(query: SupportRequestQuery): Filter<SupportDocument> {
  const and: Document[] = [{ firmId: query.firmId }];
  if (query.requesterUserId) and.push({ 'requester.userId': query.requesterUserId });
  if (query.services) {
    and.push({ state: { $ne: 'draft' } });
    if (query.services !== 'all') and.push({ $or: [{ serviceId: { $exists: false } }, { serviceId: { $in: [...query.services] } }] });
  }
  if (query.states?.length) and.push({ state: { $in: [...query.states] } });
  if (query.category) and.push({ category: query.category });
  if (query.clientFileId) and.push({ clientFileId: query.clientFileId });
  if (query.number !== undefined) and.push({ number: query.number });
  if (query.words?.length) and.push(wordsFilter([...query.words]));
  return (and.length === 1 ? and[0] : { $and: and }) as Filter<SupportDocument>;
}

/** The request's changes as one update: fields set to undefined are removed (a refused solution forgets its closing date). */
function changesUpdate(changes: SupportChanges, entry: TimelineEntry | undefined): UpdateFilter<SupportDocument> {
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const unset = Object.fromEntries(Object.entries(changes).filter(([, value]) => value === undefined).map(([key]) => [key, '']));
  return {
    $set: set,
    $inc: { version: 1 },
    ...(Object.keys(unset).length ? { $unset: unset } : {}),
    ...(entry ? { $push: { timeline: entry } } : {}),
  } as UpdateFilter<SupportDocument>;
}

export class MongoSupportRequestStore implements SupportRequestStore {
  private readonly collection: Collection<SupportDocument>;
  private readonly counters: Collection<{ firmId: string; value: number }>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<SupportDocument>(collections.supportRequests);
    this.counters = db.collection(collections.supportCounters);
    this.relay = relay;
  }

  nextNumber(firmId: string): Promise<number> {
    return guarded(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          const counter = await this.counters.findOneAndUpdate({ firmId }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after' });
          return counter!.value;
        } catch (error) {
          // Two first requests of a firm at once: the second upsert meets the unique index, and simply increments next time.
          if (!isDuplicateKey(error) || attempt > 0) throw error;
        }
      }
    });
  }

  findByCreation(firmId: string, creationRequestId: string): Promise<SupportRequest | null> {
    return guarded(async () => {
      const document = await this.collection.findOne({ firmId, creationRequestId });
      return document ? fromDocument(document) : null;
    });
  }

  insertUnlessExists(request: Omit<SupportRequest, 'id'>, audit?: AuditOfCreation): Promise<{ inserted: boolean; request: SupportRequest }> {
    return guarded(async () => {
      const _id = new ObjectId();
      const outcome = await insertUnlessExists(this.collection, { firmId: request.firmId, creationRequestId: request.creationRequestId }, { ...request, _id, ...pendingOnInsert(audit?.(_id.toHexString())) });
      if (outcome.inserted && audit) await this.relay.flush(collections.supportRequests, _id);
      return outcome.inserted ? { inserted: true, request: fromDocument(outcome.document) } : { inserted: false, request: fromDocument(outcome.existing) };
    });
  }

  findById(firmId: string, id: string): Promise<SupportRequest | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      const document = _id ? await this.collection.findOne({ firmId, _id }) : null;
      return document ? fromDocument(document) : null;
    });
  }

  update(firmId: string, id: string, expectedVersion: number, changes: SupportChanges, entry: TimelineEntry | undefined, audit?: AuditEntry): Promise<SupportRequest | null> {
    return this.conditional(id, { firmId, version: expectedVersion }, changes, entry, audit);
  }

  updateOnce(firmId: string, id: string, unsetField: 'closeWarnedAt' | 'reminderSentAt', changes: SupportChanges, entry: TimelineEntry, audit?: AuditEntry): Promise<SupportRequest | null> {
    // A reminder is only for a request still waiting for its first answer; a warning only for one still resolved.
    const still = unsetField === 'reminderSentAt' ? { firstAnswerAt: { $exists: false }, state: { $in: ['inProgress', 'actionRequired'] } } : { state: 'resolved' };
    return this.conditional(id, { firmId, [unsetField]: { $exists: false }, ...still } as Filter<SupportDocument>, changes, entry, audit);
  }

  private conditional(id: string, filter: Filter<SupportDocument>, changes: SupportChanges, entry: TimelineEntry | undefined, audit?: AuditEntry): Promise<SupportRequest | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const document = await this.collection.findOneAndUpdate({ ...filter, _id } as Filter<SupportDocument>, withAudit(changesUpdate(changes, entry), audit), { returnDocument: 'after' });
      if (document && audit) await this.relay.flush(collections.supportRequests, _id);
      return document ? fromDocument(document) : null;
    });
  }

  setCard(firmId: string, id: string, which: 'supportCard' | 'requesterCard', card: PostedCard): Promise<void> {
    return guarded(async () => {
      const _id = toObjectId(id);
      // Not a change of the request: its version stays, so a card in hand remains valid.
      if (_id) await this.collection.updateOne({ firmId, _id }, { $set: { [which]: card } });
    });
  }

  list(query: SupportRequestQuery, page: { skip: number; limit: number }): Promise<SupportRequest[]> {
    return guarded(async () => {
      const documents = await this.collection.find(supportFilter(query)).sort({ updatedAt: -1, number: -1 }).skip(page.skip).limit(page.limit).toArray();
      return documents.map(fromDocument);
    });
  }

  count(query: SupportRequestQuery): Promise<number> {
    return guarded(() => this.collection.countDocuments(supportFilter(query)));
  }

  countByState(query: SupportRequestQuery): Promise<Partial<Record<SupportState, number>>> {
    return guarded(async () => {
      const groups = await this.collection.aggregate<{ _id: SupportState; count: number }>([{ $match: supportFilter(query) }, { $group: { _id: '$state', count: { $sum: 1 } } }]).toArray();
      return Object.fromEntries(groups.map((group) => [group._id, group.count]));
    });
  }

  dueForCloseWarning(now: Date, limit: number): Promise<SupportRequest[]> {
    return this.due({ state: 'resolved', closeWarningAt: { $lte: now }, closeWarnedAt: { $exists: false } }, limit);
  }

  dueForAutoClose(now: Date, limit: number): Promise<SupportRequest[]> {
    return this.due({ state: 'resolved', autoCloseAt: { $lte: now } }, limit);
  }

  dueForReminder(now: Date, limit: number): Promise<SupportRequest[]> {
    return this.due({ state: { $in: ['inProgress', 'actionRequired'] }, firstAnswerDueAt: { $lte: now }, firstAnswerAt: { $exists: false }, reminderSentAt: { $exists: false } }, limit);
  }

  private due(filter: Filter<SupportDocument>, limit: number): Promise<SupportRequest[]> {
    return guarded(async () => (await this.collection.find(filter).limit(limit).toArray()).map(fromDocument));
  }
}

/** Who a guest is (their contact and files) and who answers requests, from the stores Passerelle already has. */
export class MongoSupportDirectory implements SupportDirectory {
  private readonly contacts: Collection<Omit<Contact, 'id'> & { _id: ObjectId }>;

  constructor(db: Db, private readonly deps: { links: Pick<ContactLinkStore, 'listByContact'>; memberships: Pick<MembershipStore, 'list'> }) {
    this.contacts = db.collection(collections.contacts);
  }

  clientOf(firmId: string, directoryUserId: string): Promise<SupportClient | null> {
    return guarded(async () => {
      const contact = await this.contacts.findOne({ firmId, 'guest.directoryUserId': directoryUserId });
      if (!contact) return null;
      const contactId = contact._id.toHexString();
      const links = await this.deps.links.listByContact(firmId, contactId);
      return { contactId, displayName: contactDisplayName(contact), clientFileIds: links.map((link) => link.clientFileId) };
    });
  }

  async supportStaff(firmId: string): Promise<SupportStaffMember[]> {
    const members = await this.deps.memberships.list(firmId);
    const seen = new Map<string, SupportStaffMember>();
    for (const membership of members) {
      if (!membership.userId || membership.status !== 'attached') continue;
      const access = { membership, role: 'user' as const };
      if (decide(access, supportRequirement).allowed) seen.set(membership.userId, { userId: membership.userId, displayName: membership.displayName, services: visibleServiceIds(access) });
    }
    return [...seen.values()].slice(0, 50);
  }
}
