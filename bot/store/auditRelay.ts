import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import type { AuditAction } from '../domain/audit.js';
import type { AuditEntry } from '../domain/ports.js';
import { silentLogger, type Logger } from '../logger.js';
import { auditedCollections, collections, guarded, isDuplicateKey, toObjectId } from './mongo.js';

/**
 * The audit outbox. A store method that changes a record pushes the change's audit entry onto that
 * record's `pendingAudit` array in the same single-document operation, so the change and its entry
 * exist together or not at all. The relay then moves pending entries to the append-only log: right
 * after the write (flush), and from a sweep at start-up and every few seconds for entries a crash or
 * an unreachable log left behind. Delivery is at least once; the entry's id makes the log keep one.
 */

/** How an entry is stored, in the log and while it waits on the changed record. */
export interface AuditDocument {
  _id: ObjectId;
  /** Absent on entries logged before entries had ids. */
  id?: string;
  firmId: string;
  at: Date;
  actor: AuditEntry['actor'];
  action: string;
  clientFileId?: ObjectId;
  contactId?: ObjectId;
  details?: Record<string, unknown>;
}

export type PendingAudit = AuditDocument & { id: string };

/** Time between two sweeps; the flush after each write delivers almost everything before. */
export const auditSweepEveryMs = 15_000;

export type AuditListener = (entry: AuditEntry) => Promise<void> | void;

/**
 * The stored form of an entry. Its _id is given now, when the change is written, so the log's order
 * (time, then _id) is the order of the changes even when an entry reaches the log late.
 */
export function auditDocument(entry: AuditEntry): PendingAudit {
  const clientFileId = entry.clientFileId ? toObjectId(entry.clientFileId) : null;
  const contactId = entry.contactId ? toObjectId(entry.contactId) : null;
  return {
    _id: new ObjectId(),
    id: entry.id,
    firmId: entry.firmId,
    at: entry.actor.at,
    actor: entry.actor,
    action: entry.action,
    ...(clientFileId ? { clientFileId } : {}),
    ...(contactId ? { contactId } : {}),
    ...(entry.details ? { details: entry.details } : {}),
  };
}

export function entryFromDocument(document: AuditDocument): AuditEntry {
  return {
    id: document.id ?? document._id.toHexString(),
    firmId: document.firmId,
    actor: document.actor,
    // An action no longer recorded keeps its code; the label table shows it as it is.
    action: document.action as AuditAction,
    clientFileId: document.clientFileId?.toHexString(),
    contactId: document.contactId?.toHexString(),
    details: document.details,
  };
}

/** The fields an inserted record gets to carry its creation's entry. */
export function pendingOnInsert(entry: AuditEntry | undefined): { pendingAudit?: PendingAudit[] } {
  return entry ? { pendingAudit: [auditDocument(entry)] } : {};
}

/** `update` plus the push of the entry, so both are one atomic operation on one document. */
export function withAudit<U extends Document>(update: U, entry: AuditEntry | undefined): U {
  if (!entry) return update;
  return { ...update, $push: { ...(update.$push as Document | undefined), pendingAudit: auditDocument(entry) } };
}

/** Records read back for the domain never show their pending entries. */
export function withoutPending<T extends { pendingAudit?: unknown }>(document: T): Omit<T, 'pendingAudit'> {
  const { pendingAudit, ...rest } = document;
  void pendingAudit;
  return rest;
}

/**
 * One per server, made with its stores (see createStores): every store that writes an audited change
 * flushes through it, and its subscribers (the portfolio projector) hear each entry once.
 */
export class AuditRelay {
  private readonly log: Collection<AuditDocument>;
  private readonly listeners = new Set<AuditListener>();
  /** Entries being written now: a flush and a sweep meeting on one entry write it once. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private logger: Logger = silentLogger;
  private running = false;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(private readonly db: Db) {
    this.log = db.collection<AuditDocument>(collections.auditLog);
  }

  /** Called once per entry, after it reached the log; a failing listener is logged and skipped. */
  subscribe(listener: AuditListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Writes the entry to the log unless it is there already; true when this call wrote it. The
   * stand-in enforces no unique index, hence the look first; on a real server the unique index on
   * `id` settles two instances racing, and its duplicate-key error means "already there". The entry's
   * `_id`, given when the change was written, is the same in every delivery, so even the stand-in
   * refuses the second of two racing inserts: only the instance that wrote it notifies subscribers.
   */
  append(document: PendingAudit): Promise<boolean> {
    const running = this.inFlight.get(document.id);
    if (running) return running.then(() => false);
    const attempt = this.insertOnce(document).finally(() => this.inFlight.delete(document.id));
    this.inFlight.set(document.id, attempt);
    return attempt;
  }

  private async insertOnce(document: PendingAudit): Promise<boolean> {
    const inserted = await guarded(async () => {
      if (await this.log.findOne({ id: document.id }, { projection: { _id: 1 } })) return false;
      try {
        await this.log.insertOne(document);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    });
    if (inserted) await this.notify(entryFromDocument(document));
    return inserted;
  }

  private async notify(entry: AuditEntry): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(entry);
      } catch (error) {
        this.logger.warn('audit subscriber failed', { action: entry.action, error });
      }
    }
  }

  /**
   * Delivers the pending entries of one record, right after the write that queued them. Never
   * throws: the change is stored with its entry, and the sweep delivers what this could not.
   */
  async flush(collection: string, where: ObjectId | Document): Promise<void> {
    try {
      const document = await guarded(() => this.db.collection(collection).findOne(where instanceof ObjectId ? { _id: where } : where, { projection: { pendingAudit: 1 } }));
      if (document) await this.deliver(collection, document._id as ObjectId, (document.pendingAudit as PendingAudit[] | undefined) ?? []);
    } catch (error) {
      this.logger.warn('audit entry left pending for the sweep', { collection, error });
    }
  }

  /**
   * As flush, for a record the caller has just inserted with these entries: they are known, so they are
   * not read back (one round trip fewer on every creation). Never throws either.
   */
  async flushInserted(collection: string, _id: ObjectId, pending: PendingAudit[] | undefined): Promise<void> {
    if (!pending?.length) return;
    try {
      await this.deliver(collection, _id, pending);
    } catch (error) {
      this.logger.warn('audit entry left pending for the sweep', { collection, error });
    }
  }

  /** Each entry to the log, then off the record; a crash in between only means a second, ignored delivery. */
  private async deliver(collection: string, _id: ObjectId, pending: PendingAudit[]): Promise<number> {
    let written = 0;
    for (const entry of pending) {
      if (await this.append(entry)) written++;
      await guarded(() => this.db.collection(collection).updateOne({ _id }, { $pull: { pendingAudit: { id: entry.id } } } as Document));
    }
    return written;
  }

  /** One pass over every audited collection; returns how many entries it wrote to the log. */
  async sweep(batch = 500): Promise<number> {
    let written = 0;
    let failed = 0;
    let lastError: unknown;
    for (const name of auditedCollections) {
      const records = await guarded(() =>
        this.db.collection(name).find({ 'pendingAudit.id': { $exists: true } }, { projection: { pendingAudit: 1 } }).limit(batch).toArray(),
      );
      for (const record of records) {
        try {
          written += await this.deliver(name, record._id as ObjectId, (record.pendingAudit as PendingAudit[] | undefined) ?? []);
        } catch (error) {
          failed++;
          lastError = error;
        }
      }
    }
    if (failed > 0) this.logger.warn('audit sweep left entries pending', { records: failed, error: lastError });
    return written;
  }

  /** Sweeps once `ready` (the database connected), then every `everyMs` until stop(). */
  start(logger: Logger, ready: Promise<void> = Promise.resolve(), everyMs = auditSweepEveryMs): void {
    this.logger = logger;
    this.running = true;
    const tick = () => {
      if (!this.running) return;
      this.sweeping = this.sweep()
        .then((written) => {
          if (written > 0) logger.info('audit sweep delivered pending entries', { written });
        })
        .catch((error: unknown) => logger.warn('audit sweep failed', { error }))
        .finally(() => {
          if (this.running) this.timer = setTimeout(tick, everyMs).unref();
        });
    };
    void ready.then(tick);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping;
  }
}
