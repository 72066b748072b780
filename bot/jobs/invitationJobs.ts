import { ObjectId, type Collection, type Db } from 'mongodb';
import type { InvitationJob, InvitationJobQueue, NewInvitationJob } from '../domain/invitationJobs.js';
export type { InvitationJob } from '../domain/invitationJobs.js';
import { collections, guarded, insertUnlessExists, toObjectId, toObjectIds } from '../store/mongo.js';

/**
 * Durable invitation jobs: one job document, one item per contact, claimed by workers with leases.
 * A worker that dies leaves leases that expire; another worker (or the restarted server) takes the
 * items back, so a job always finishes and no contact is processed by two workers at once.
 */
export type ItemStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface InvitationJobItem {
  id: string;
  jobId: string;
  firmId: string;
  contactId: string;
  /** The file an offer is proposed on (offer jobs only). */
  clientFileId?: string;
  /** The batch of lines to write (import jobs only; their contactId is empty). */
  importBatch?: number;
  status: ItemStatus;
  attempts: number;
  outcome?: string;
}

interface JobDocument extends Omit<InvitationJob, 'id'> {
  _id: ObjectId;
}

interface ItemDocument {
  _id: ObjectId;
  jobId: ObjectId;
  firmId: string;
  contactId: string;
  clientFileId?: string;
  importBatch?: number;
  status: ItemStatus;
  attempts: number;
  availableAt: Date;
  leaseOwner?: string;
  leaseUntil?: Date;
  outcome?: string;
  finishedAt?: Date;
  /** The worker that recorded the end (which server instance did the work). */
  finishedBy?: string;
}

function jobFromDocument(document: JobDocument): InvitationJob {
  const { _id, ...rest } = document;
  return { ...rest, id: _id.toHexString() };
}

function itemFromDocument(document: ItemDocument): InvitationJobItem {
  return {
    id: document._id.toHexString(),
    jobId: document.jobId.toHexString(),
    firmId: document.firmId,
    contactId: document.contactId,
    ...(document.clientFileId ? { clientFileId: document.clientFileId } : {}),
    ...(document.importBatch !== undefined ? { importBatch: document.importBatch } : {}),
    status: document.status,
    attempts: document.attempts,
    outcome: document.outcome,
  };
}

export class InvitationJobStore implements InvitationJobQueue {
  private readonly jobs: Collection<JobDocument>;
  private readonly items: Collection<ItemDocument>;

  constructor(db: Db) {
    this.jobs = db.collection<JobDocument>(collections.jobs);
    this.items = db.collection<ItemDocument>(collections.jobItems);
  }

  /**
   * Creates the job once per request id (a re-submitted card finds the same job). Contacts already
   * waiting in another running job are not queued twice: their item is recorded as skipped.
   */
  create(request: NewInvitationJob): Promise<{ job: InvitationJob; created: boolean }> {
    return guarded(async () => {
      const contactIds = [...new Set(request.contactIds)];
      const targets: { contactId: string; clientFileId?: string; importBatch?: number }[] =
        request.kind === 'import'
          ? Array.from({ length: request.importBatches ?? 0 }, (_, importBatch) => ({ contactId: '', importBatch }))
          : request.targets
            ? [...new Map(request.targets.map((target) => [`${target.clientFileId}:${target.contactId}`, target])).values()]
            : contactIds.map((contactId) => ({ contactId }));
      const document = {
        firmId: request.firmId,
        requestId: request.requestId,
        createdBy: request.createdBy,
        createdAt: request.createdBy.at,
        total: targets.length,
        counts: { done: 0, failed: 0, skipped: 0 },
        status: 'running' as const,
        personalMessage: request.personalMessage,
        kind: request.kind ?? 'invite',
        ...(request.offerId ? { offerId: request.offerId } : {}),
        progress: request.progress,
      };
      const outcome = await insertUnlessExists(this.jobs as unknown as Collection<Omit<JobDocument, '_id'>>, { firmId: request.firmId, requestId: request.requestId }, document);
      if (!outcome.inserted) return { job: jobFromDocument(outcome.existing as JobDocument), created: false };
      const jobId = outcome.document._id;
      // Two invitation jobs never hold the same contact at once; offers are keyed by (file, contact) and need no such guard.
      const busy = new Set(
        request.kind === 'offer' || request.kind === 'import'
          ? []
          : // Offer items (they name a file) are not invitations: an offer job may itself start a contact's invitation.
            (await this.items.find({ firmId: request.firmId, contactId: { $in: contactIds }, status: { $in: ['pending', 'running'] }, clientFileId: { $exists: false } }, { projection: { contactId: 1 } }).toArray()).map(
              (item) => item.contactId,
            ),
      );
      const now = request.createdBy.at;
      const items: ItemDocument[] = targets.map(({ contactId, clientFileId, importBatch }) => ({
        _id: new ObjectId(),
        jobId,
        firmId: request.firmId,
        contactId,
        ...(clientFileId ? { clientFileId } : {}),
        ...(importBatch !== undefined ? { importBatch } : {}),
        status: busy.has(contactId) ? 'skipped' : 'pending',
        attempts: 0,
        // An import's batches are claimed in file order (each waits for the one before it).
        availableAt: importBatch !== undefined ? new Date(now.getTime() + importBatch) : now,
        ...(busy.has(contactId) ? { outcome: 'alreadyQueued', finishedAt: now } : {}),
      }));
      for (let start = 0; start < items.length; start += 1_000) await this.items.insertMany(items.slice(start, start + 1_000), { ordered: false });
      const skipped = items.filter((item) => item.status === 'skipped').length;
      if (skipped > 0) await this.jobs.updateOne({ _id: jobId }, { $inc: { 'counts.skipped': skipped } });
      await this.finishIfComplete(jobId, now);
      return { job: (await this.find(request.firmId, jobId.toHexString()))!, created: true };
    });
  }

  find(firmId: string, jobId: string): Promise<InvitationJob | null> {
    return guarded(async () => {
      const _id = toObjectId(jobId);
      if (!_id) return null;
      const document = await this.jobs.findOne({ firmId, _id });
      return document ? jobFromDocument(document) : null;
    });
  }

  findByRequestId(firmId: string, requestId: string): Promise<InvitationJob | null> {
    return guarded(async () => {
      const document = await this.jobs.findOne({ firmId, requestId });
      return document ? jobFromDocument(document) : null;
    });
  }

  findById(jobId: string): Promise<InvitationJob | null> {
    return guarded(async () => {
      const _id = toObjectId(jobId);
      const document = _id ? await this.jobs.findOne({ _id }) : null;
      return document ? jobFromDocument(document) : null;
    });
  }

  /**
   * Claims up to `max` items whose turn has come and whose lease is free, expired, or held by one of
   * `deadOwners` (workers whose heartbeat stopped: bot/jobs/workerHeartbeats.ts). Each claim is one
   * atomic update, so two servers never hold one item.
   */
  claim(owner: string, max: number, now: Date, leaseMs: number, deadOwners: readonly string[] = []): Promise<InvitationJobItem[]> {
    return guarded(async () => {
      const claimed: InvitationJobItem[] = [];
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const takeBack = deadOwners.length > 0 ? [{ leaseOwner: { $in: [...deadOwners] } }] : [];
      for (let index = 0; index < max; index++) {
        const document = await this.items.findOneAndUpdate(
          {
            status: { $in: ['pending', 'running'] },
            availableAt: { $lte: now },
            $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lt: now } }, ...takeBack],
          },
          { $set: { status: 'running', leaseOwner: owner, leaseUntil }, $inc: { attempts: 1 } },
          { sort: { availableAt: 1 }, returnDocument: 'after' },
        );
        if (!document) break;
        claimed.push(itemFromDocument(document));
      }
      return claimed;
    });
  }

  /** Keeps the items of a live worker leased. */
  renew(owner: string, itemIds: string[], now: Date, leaseMs: number): Promise<void> {
    return guarded(async () => {
      if (itemIds.length === 0) return;
      await this.items.updateMany(
        { _id: { $in: toObjectIds(itemIds) }, leaseOwner: owner, status: 'running' },
        { $set: { leaseUntil: new Date(now.getTime() + leaseMs) } },
      );
    });
  }

  /**
   * Records an item's end, counted once: only the lease holder can finish it. Returns the job when
   * this call changed it (so progress can be reported), null when the lease had been lost.
   */
  finish(owner: string, item: InvitationJobItem, status: 'done' | 'failed' | 'skipped', outcome: string, now: Date): Promise<InvitationJob | null> {
    return guarded(async () => {
      const _id = toObjectId(item.id)!;
      const result = await this.items.updateOne(
        { _id, leaseOwner: owner, status: 'running' },
        { $set: { status, outcome, finishedAt: now, finishedBy: owner }, $unset: { leaseUntil: '', leaseOwner: '' } },
      );
      if (result.modifiedCount !== 1) return null;
      const jobId = toObjectId(item.jobId)!;
      await this.jobs.updateOne({ _id: jobId }, { $inc: { [`counts.${status}`]: 1 } });
      await this.finishIfComplete(jobId, now);
      const job = await this.jobs.findOne({ _id: jobId });
      return job ? jobFromDocument(job) : null;
    });
  }

  /** Puts the item back in the queue for later (the directory asked to wait). */
  retryLater(owner: string, item: InvitationJobItem, availableAt: Date, reason: string): Promise<void> {
    return guarded(async () => {
      await this.items.updateOne(
        { _id: toObjectId(item.id)!, leaseOwner: owner, status: 'running' },
        { $set: { status: 'pending', availableAt, outcome: reason }, $unset: { leaseUntil: '', leaseOwner: '' } },
      );
    });
  }

  listItems(firmId: string, jobId: string, limit: number): Promise<InvitationJobItem[]> {
    return guarded(async () => {
      const _id = toObjectId(jobId);
      if (!_id) return [];
      return (await this.items.find({ firmId, jobId: _id }).sort({ _id: 1 }).limit(limit).toArray()).map(itemFromDocument);
    });
  }

  /**
   * Repairs jobs whose counters missed an item: a server killed between recording an item and
   * counting it leaves a job that would never finish. The items are the truth; counts are rebuilt
   * from them once nothing is left to do. Returns the jobs it finished.
   */
  reconcileStalled(now: Date): Promise<InvitationJob[]> {
    return guarded(async () => {
      const finished: InvitationJob[] = [];
      for (const job of await this.jobs.find({ status: 'running' }).limit(50).toArray()) {
        if ((await this.items.countDocuments({ jobId: job._id, status: { $in: ['pending', 'running'] } }, { limit: 1 })) > 0) continue;
        const counts = { done: 0, failed: 0, skipped: 0 };
        for (const status of ['done', 'failed', 'skipped'] as const) counts[status] = await this.items.countDocuments({ jobId: job._id, status });
        const updated = await this.jobs.findOneAndUpdate({ _id: job._id, status: 'running' }, { $set: { counts, status: 'finished', finishedAt: now } }, { returnDocument: 'after' });
        if (updated) finished.push(jobFromDocument(updated));
      }
      return finished;
    });
  }

  private async finishIfComplete(jobId: ObjectId, now: Date): Promise<void> {
    const job = await this.jobs.findOne({ _id: jobId });
    if (!job || job.status === 'finished') return;
    if (job.counts.done + job.counts.failed + job.counts.skipped >= job.total) {
      await this.jobs.updateOne({ _id: jobId, status: 'running' }, { $set: { status: 'finished', finishedAt: now } });
    }
  }
}
