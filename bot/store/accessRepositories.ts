import { ObjectId, type Collection, type Db } from 'mongodb';
import type { AccessRequest, AccessRequestKind, AccessRequestStore, Attachment, RequestCardCopy, MembershipStore, RequestedOffer, StructureStore } from '../domain/access/ports.js';
import type { Membership, Profile } from '../domain/access/profiles.js';
import { defaultStructureId, type Service, type Structure, type StructureDetails } from '../domain/access/structures.js';
import type { AuditEntry, AuditOfChange } from '../domain/ports.js';
import { AuditRelay, pendingOnInsert, withAudit, withoutPending, type PendingAudit } from './auditRelay.js';
import { collections, guarded, isDuplicateKey } from './mongo.js';

/**
 * Stored fields of a structure. The default structure's live on the firm document, where its main
 * manager always was (existing firms keep working without a migration); a firm's further structures
 * are documents of `structures` with the same fields. Either way one main manager is one field.
 */
interface StructureFields {
  firmId: string;
  mainManagerEmail?: string;
  structureDetails?: StructureDetails;
  registerSiret?: string;
  registerLegalName?: string;
  structureServices?: Service[];
  /** Absent: active. */
  structureActive?: boolean;
  /** Absent: 0. */
  structureVersion?: number;
  /** Last number given to an access request of the firm (firm document only). */
  requestCounter?: number;
  pendingAudit?: PendingAudit[];
}

export type FirmStructureDocument = StructureFields & { _id?: ObjectId };
type StructureDocument = StructureFields & { _id?: ObjectId; structureId: string };

export function structureFrom(firmId: string, structureId: string, document: StructureFields | null): Structure {
  return {
    firmId,
    id: structureId,
    ...document?.structureDetails,
    siret: document?.registerSiret,
    legalName: document?.registerLegalName,
    active: document?.structureActive !== false,
    mainManagerEmail: document?.mainManagerEmail ?? null,
    services: document?.structureServices ?? [],
    version: document?.structureVersion ?? 0,
  };
}

const isDefault = (structureId: string | undefined) => !structureId || structureId === defaultStructureId;

export class MongoStructureStore implements StructureStore {
  private readonly firms: Collection<FirmStructureDocument>;
  private readonly others: Collection<StructureDocument>;

  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.firms = db.collection(collections.firms);
    this.others = db.collection(collections.structures);
    this.relay = relay;
  }

  /** Where a structure's fields are: the firm document for the default one. */
  private target(firmId: string, structureId: string): { collection: Collection<StructureFields>; filter: Record<string, unknown> } {
    return isDefault(structureId)
      ? { collection: this.firms as unknown as Collection<StructureFields>, filter: { firmId } }
      : { collection: this.others as unknown as Collection<StructureFields>, filter: { firmId, structureId } };
  }

  /** The firm document may not exist yet (created lazily by whoever needs it first). */
  private async ensureFirm(firmId: string): Promise<void> {
    await this.firms.updateOne({ firmId }, { $setOnInsert: { firmId } }, { upsert: true }).catch((error: unknown) => {
      if (!isDuplicateKey(error)) throw error;
    });
  }

  find(firmId: string, structureId: string): Promise<Structure | null> {
    return guarded(async () => {
      if (isDefault(structureId)) return structureFrom(firmId, defaultStructureId, await this.firms.findOne({ firmId }));
      const document = await this.others.findOne({ firmId, structureId });
      return document ? structureFrom(firmId, structureId, document) : null;
    });
  }

  list(firmId: string): Promise<Structure[]> {
    return guarded(async () => {
      const main = structureFrom(firmId, defaultStructureId, await this.firms.findOne({ firmId }));
      const others = (await this.others.find({ firmId }).limit(200).toArray()).map((document) => structureFrom(firmId, document.structureId, document));
      others.sort((a, b) => (a.displayName ?? a.legalName ?? '').localeCompare(b.displayName ?? b.legalName ?? '', 'fr'));
      return [main, ...others];
    });
  }

  create(structure: Omit<Structure, 'version'>, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const { displayName, addressLine, phone, contactEmail } = structure;
      const _id = new ObjectId();
      try {
        await this.others.insertOne({
          firmId: structure.firmId,
          structureId: structure.id,
          structureDetails: { displayName, addressLine, phone, contactEmail },
          registerSiret: structure.siret,
          registerLegalName: structure.legalName,
          structureServices: structure.services,
          structureActive: structure.active,
          structureVersion: 0,
          mainManagerEmail: structure.mainManagerEmail ?? undefined,
          _id,
          ...pendingOnInsert(audit),
        });
        if (audit) await this.relay.flush(collections.structures, _id);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  mainManagerEmail(firmId: string, structureId: string = defaultStructureId): Promise<string | null> {
    return guarded(async () => {
      const { collection, filter } = this.target(firmId, structureId);
      return (await collection.findOne(filter, { projection: { mainManagerEmail: 1 } }))?.mainManagerEmail ?? null;
    });
  }

  claimMainManager(firmId: string, structureId: string, email: string, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      if (isDefault(structureId)) await this.ensureFirm(firmId);
      const { collection, filter } = this.target(firmId, structureId);
      const claimed = (await collection.updateOne({ ...filter, mainManagerEmail: { $exists: false } }, withAudit({ $set: { mainManagerEmail: email } }, audit))).modifiedCount === 1;
      if (claimed && audit) await this.relay.flush(collection.collectionName, filter);
      return claimed;
    });
  }

  transferMainManager(firmId: string, structureId: string, from: string, to: string, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const { collection, filter } = this.target(firmId, structureId);
      const done = (await collection.updateOne({ ...filter, mainManagerEmail: from }, withAudit({ $set: { mainManagerEmail: to } }, audit))).modifiedCount === 1;
      if (done && audit) await this.relay.flush(collection.collectionName, filter);
      return done;
    });
  }

  update(firmId: string, structureId: string, expectedVersion: number, change: { details?: StructureDetails; services?: Service[]; active?: boolean }, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      if (isDefault(structureId)) await this.ensureFirm(firmId);
      const { collection, filter } = this.target(firmId, structureId);
      const set: Record<string, unknown> = { structureVersion: expectedVersion + 1 };
      if (change.details) set.structureDetails = change.details;
      if (change.services) set.structureServices = change.services;
      if (change.active !== undefined) set.structureActive = change.active;
      // Version 0 is also a structure never changed, whose document has no version yet.
      const version = expectedVersion === 0 ? { $or: [{ structureVersion: 0 }, { structureVersion: { $exists: false } }] } : { structureVersion: expectedVersion };
      const done = (await collection.updateOne({ ...filter, ...version }, withAudit({ $set: set }, audit))).modifiedCount === 1;
      if (done && audit) await this.relay.flush(collection.collectionName, filter);
      return done;
    });
  }
}

export type MembershipDocument = Membership & { _id?: ObjectId; updatedAt: Date; pendingAudit?: PendingAudit[] };

export function membershipFrom(document: MembershipDocument): Membership {
  const { _id, updatedAt, ...membership } = withoutPending(document);
  void _id;
  void updatedAt;
  return membership;
}

/**
 * Memberships of the default structure stay in `memberships` (one per firm and e-mail, as before);
 * those of further structures are in `structureMemberships`, one per firm, structure and e-mail.
 */
export class MongoMembershipStore implements MembershipStore {
  private readonly collection: Collection<MembershipDocument>;
  private readonly others: Collection<MembershipDocument>;

  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<MembershipDocument>(collections.memberships);
    this.others = db.collection<MembershipDocument>(collections.structureMemberships);
    this.relay = relay;
  }

  /** One conditional update of the membership `key` names, carrying its audit entry. */
  private async change(collection: Collection<MembershipDocument>, key: Record<string, unknown>, condition: Record<string, unknown>, update: Record<string, unknown>, audit: AuditEntry | undefined) {
    const result = await collection.updateOne({ ...key, ...condition }, withAudit(update, audit));
    // Found again by its key: the condition no longer holds once the change is made.
    if (result.matchedCount === 1 && audit) await this.relay.flush(collection.collectionName, key);
    return result;
  }

  private target(structureId: string | undefined): { collection: Collection<MembershipDocument>; scope: Record<string, unknown> } {
    return isDefault(structureId) ? { collection: this.collection, scope: {} } : { collection: this.others, scope: { structureId } };
  }

  findByUserId(firmId: string, userId: string, structureId?: string): Promise<Membership | null> {
    return guarded(async () => {
      const { collection, scope } = this.target(structureId);
      const document = await collection.findOne({ firmId, ...scope, userId });
      return document ? membershipFrom(document) : null;
    });
  }

  findByEmail(firmId: string, email: string, structureId?: string): Promise<Membership | null> {
    return guarded(async () => {
      const { collection, scope } = this.target(structureId);
      const document = await collection.findOne({ firmId, ...scope, email });
      return document ? membershipFrom(document) : null;
    });
  }

  listForEmail(firmId: string, email: string): Promise<Membership[]> {
    return guarded(async () => {
      const [main, others] = await Promise.all([this.collection.findOne({ firmId, email }), this.others.find({ firmId, email }).limit(200).toArray()]);
      return [...(main ? [main] : []), ...others].map(membershipFrom);
    });
  }

  /**
   * A creation is an insert-only upsert carrying the `created` entry; a re-attachment is written only
   * if the membership is still as read, so the entry's `before` is what it replaced. Either way the
   * membership and its entry are one operation.
   */
  attach(membership: Membership, audit?: (attachment: Attachment) => AuditEntry | undefined): Promise<{ membership: Membership; created: boolean }> {
    return guarded(async () => {
      const { firmId, email, structureId, ...fields } = membership;
      const { collection, scope } = this.target(structureId);
      const key = { firmId, ...scope, email };
      for (let attempt = 0; ; attempt++) {
        try {
          let before = await collection.findOne(key);
          if (!before) {
            const _id = new ObjectId();
            const entry = audit?.({ created: true });
            before = await collection.findOneAndUpdate(
              key,
              { $setOnInsert: { _id, ...fields, ...scope, status: 'attached', updatedAt: new Date(), ...pendingOnInsert(entry) } },
              { upsert: true, returnDocument: 'before' },
            );
            if (!before) {
              if (entry) await this.relay.flush(collection.collectionName, _id);
              return { membership: membershipFrom((await collection.findOne({ _id }))!), created: true };
            }
          }
          const entry = audit?.({ created: false, before: membershipFrom(before) });
          const result = await collection.updateOne(
            { _id: before._id, ...asRead(before) },
            withAudit({ $set: { ...fields, ...scope, status: 'attached', updatedAt: new Date() }, $unset: { detachComment: '' } }, entry),
          );
          if (result.matchedCount === 1) {
            if (entry) await this.relay.flush(collection.collectionName, before._id!);
            return { membership: membershipFrom((await collection.findOne({ _id: before._id }))!), created: false };
          }
          if (attempt > 2) throw new Error('membership changed too often meanwhile');
        } catch (error) {
          if (!isDuplicateKey(error) || attempt > 2) throw error;
        }
      }
    });
  }

  bindUserId(firmId: string, email: string, userId: string, displayName: string): Promise<void> {
    return guarded(async () => {
      const change = { $set: { userId, displayName, updatedAt: new Date() } };
      await this.collection.updateOne({ firmId, email, userId: { $exists: false } }, change);
      await this.others.updateMany({ firmId, email, userId: { $exists: false } }, change);
    });
  }

  replaceProfiles(firmId: string, email: string, expected: Profile[], profiles: Profile[], structureId?: string, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const { collection, scope } = this.target(structureId);
      const result = await this.change(collection, { firmId, ...scope, email }, { profiles: { $eq: expected } }, { $set: { profiles, updatedAt: new Date() } }, audit);
      return result.modifiedCount === 1 || (result.matchedCount === 1 && JSON.stringify(expected) === JSON.stringify(profiles));
    });
  }

  replaceServices(firmId: string, email: string, expected: string[], services: string[], structureId?: string, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const { collection, scope } = this.target(structureId);
      const result = await this.change(collection, { firmId, ...scope, email }, { status: 'attached', services: { $eq: expected } }, { $set: { services, updatedAt: new Date() } }, audit);
      return result.modifiedCount === 1 || (result.matchedCount === 1 && JSON.stringify(expected) === JSON.stringify(services));
    });
  }

  detach(firmId: string, email: string, comment: string, structureId?: string, audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const { collection, scope } = this.target(structureId);
      return (await this.change(collection, { firmId, ...scope, email }, { status: 'attached' }, { $set: { status: 'detached', detachComment: comment, updatedAt: new Date() } }, audit)).modifiedCount === 1;
    });
  }

  list(firmId: string, structureId?: string): Promise<Membership[]> {
    return guarded(async () => {
      const { collection, scope } = this.target(structureId);
      return (await collection.find({ firmId, ...scope }).sort({ displayName: 1 }).limit(500).toArray()).map(membershipFrom);
    });
  }

  count(firmId: string): Promise<number> {
    return guarded(async () => (await this.collection.countDocuments({ firmId }, { limit: 1 })) + (await this.others.countDocuments({ firmId }, { limit: 1 })));
  }
}

/** The fields an attachment's entry reports as they were: the re-attachment applies only if they still are. */
function asRead(before: MembershipDocument): Record<string, unknown> {
  const same = (value: unknown) => (value === undefined ? { $exists: false } : { $eq: value });
  return { status: same(before.status), profiles: same(before.profiles), services: same(before.services) };
}

type RequestDocument = AccessRequest & { _id?: ObjectId; pendingAudit?: PendingAudit[] };

export class MongoAccessRequestStore implements AccessRequestStore {
  private readonly collection: Collection<RequestDocument>;
  private readonly firms: Collection<FirmStructureDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.collection = db.collection<RequestDocument>(collections.accessRequests);
    this.firms = db.collection(collections.firms);
    this.relay = relay;
  }

  /** The entry is built once the counter gave the number, and inserted with the request. */
  create(request: Omit<AccessRequest, 'number'>, audit?: AuditOfChange<AccessRequest>): Promise<AccessRequest> {
    return guarded(async () => {
      const counter = await this.firms.findOneAndUpdate({ firmId: request.firmId }, { $inc: { requestCounter: 1 } }, { upsert: true, returnDocument: 'after' });
      const stored: AccessRequest = { ...request, number: counter?.requestCounter ?? 1 };
      const _id = new ObjectId();
      await this.collection.insertOne({ ...stored, _id, ...pendingOnInsert(audit?.(stored)) });
      if (audit) await this.relay.flush(collections.accessRequests, _id);
      return stored;
    });
  }

  findPendingLike(firmId: string, userId: string, kind: AccessRequestKind, profile?: Profile, offer?: RequestedOffer, service?: string): Promise<AccessRequest | null> {
    return guarded(async () => {
      const filter: Record<string, unknown> = { firmId, 'requester.userId': userId, kind, status: 'pending' };
      if (service) filter.service = service;
      if (profile) Object.assign(filter, { 'profile.application': profile.application, 'profile.level': profile.level });
      if (offer) {
        Object.assign(filter, { 'offer.clientFileId': offer.clientFileId, 'offer.contactId': offer.contactId, 'offer.offerId': offer.offerId });
        // The same wish is the same operation on the same subscription; older requests (no operation) are activations.
        if (offer.operation === 'change' || offer.operation === 'end') Object.assign(filter, { 'offer.operation': offer.operation, 'offer.subscriptionId': offer.subscriptionId });
        else filter['offer.operation'] = { $in: [null, 'activate'] };
      }
      const document = await this.collection.findOne(filter, { projection: { _id: 0, pendingAudit: 0 } });
      return document;
    });
  }

  find(firmId: string, number: number): Promise<AccessRequest | null> {
    return guarded(() => this.collection.findOne({ firmId, number }, { projection: { _id: 0, pendingAudit: 0 } }));
  }

  listPending(firmId: string, limit: number): Promise<AccessRequest[]> {
    return guarded(() => this.collection.find({ firmId, status: 'pending' }, { projection: { _id: 0, pendingAudit: 0 } }).sort({ number: 1 }).limit(limit).toArray());
  }

  countPending(firmId: string): Promise<number> {
    return guarded(() => this.collection.countDocuments({ firmId, status: 'pending' }));
  }

  setApproverCards(firmId: string, number: number, copies: RequestCardCopy[]): Promise<void> {
    return guarded(async () => {
      await this.collection.updateOne({ firmId, number }, { $set: { approverCards: copies } });
    });
  }

  decide(firmId: string, number: number, status: 'approved' | 'refused', decision: AccessRequest['decision'], audit?: AuditEntry): Promise<boolean> {
    return guarded(async () => {
      const decided = (await this.collection.updateOne({ firmId, number, status: 'pending' }, withAudit({ $set: { status, decision } }, audit))).modifiedCount === 1;
      if (decided && audit) await this.relay.flush(collections.accessRequests, { firmId, number });
      return decided;
    });
  }
}
