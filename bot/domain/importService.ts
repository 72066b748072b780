import { canSeeService, visibleServiceIds } from './access/policy.js';
import { stampOf, type ActorStamp } from './actor.js';
import { newAuditEntry } from './audit.js';
import { clientFileSearchTokens } from './clientFile.js';
import { contactSearchTokens } from './contact.js';
import type { FirmSettingsService } from './firmSettingsService.js';
import { readImport, type ImportRow } from './importFile.js';
import { batchesOf, tallyOf, type ImportBatch, type ImportBatchStore, type ImportSummary, type ImportTally, type LineToWrite, type WriteOutcome, type WrittenLine } from './importJobs.js';
import type { InvitationJob, InvitationJobQueue } from './invitationJobs.js';
import type { GuestInvitations } from './guestInvitations.js';
import type { AuditLog, ClientFileStore, ContactLinkStore, ContactStore } from './ports.js';
import type { StaffActor } from './staffActor.js';

export type { ImportTally } from './importJobs.js';

export interface ImportLimits {
  /** A file with more lines is refused whole, before anything is checked or written. */
  maxLines: number;
  /** Lines per job item: what a worker writes in one go, and what is written again after a crash. */
  batchLines: number;
}

export const defaultImportLimits: ImportLimits = { maxLines: 50_000, batchLines: 250 };

/** What a whole file's check says: nothing is written at this stage. */
export type ImportCheck =
  | { status: 'missingColumns'; columns: string[] }
  | { status: 'tooManyLines'; lines: number; max: number }
  | { status: 'checked'; rows: ImportRow[] };

export type ImportSubmission = Exclude<ImportCheck, { status: 'checked' }> | { status: 'queued'; job: InvitationJob; summary: ImportSummary; created: boolean };

export interface ImportReport {
  job: InvitationJob;
  summary: ImportSummary;
  tally: ImportTally;
  /** Every line of the file in order: written (with what it did) or refused (with why). Written lines appear once their batch is. */
  lines: ({ line: number; code: string | null } & ({ written: WrittenLine } | { refused: ImportRow['errors'] } | { notWritten: true }))[];
}

/**
 * Imports client files and contacts from the firm's CSV: the preview checks every line without
 * writing; a submission checks the whole file again and queues a durable job that writes the valid
 * lines on natural keys (file code, contact e-mail), so running it again updates and never duplicates.
 */
export class ImportService {
  private readonly limits: ImportLimits;

  constructor(
    private readonly deps: {
      clientFiles: ClientFileStore;
      contacts: ContactStore;
      links: ContactLinkStore;
      firmSettings: FirmSettingsService;
      audit: AuditLog;
      batches: ImportBatchStore;
      jobs: Pick<InvitationJobQueue, 'findByRequestId' | 'find'>;
      invitations: Pick<GuestInvitations, 'queueImport'>;
      now: () => Date;
      limits?: Partial<ImportLimits>;
    },
  ) {
    this.limits = { ...defaultImportLimits, ...deps.limits };
  }

  /** `visibility` (the policy's visibleServiceIds): a line about an existing file of another service is an error. */
  async check(firmId: string, bytes: Uint8Array, visibility: 'all' | readonly string[] = 'all'): Promise<ImportCheck> {
    const settings = await this.deps.firmSettings.settings(firmId);
    const read = readImport(bytes, settings.orgRoles, this.limits.maxLines);
    if (read.missingColumns.length) return { status: 'missingColumns', columns: read.missingColumns };
    if (read.lines > this.limits.maxLines) return { status: 'tooManyLines', lines: read.lines, max: this.limits.maxLines };
    await this.refuseOtherServices(firmId, read.rows, visibility);
    return { status: 'checked', rows: read.rows };
  }

  /** Checks the whole file, then queues its writing; the same request id finds the same job and writes nothing more. */
  async submit(actor: StaffActor, input: { requestId: string; fileName?: string; bytes: Uint8Array }): Promise<ImportSubmission> {
    const existing = await this.existing(actor.firmId, input.requestId);
    if (existing) return existing;
    const checked = await this.check(actor.firmId, input.bytes, visibleServiceIds(actor.access));
    if (checked.status !== 'checked') return checked;
    const batches = batchesOf(checked.rows, this.limits.batchLines);
    const refused = batches.reduce((count, batch) => count + batch.refused.length, 0);
    const summary: ImportSummary = {
      firmId: actor.firmId, requestId: input.requestId, fileName: input.fileName ?? null, lines: checked.rows.length, valid: checked.rows.length - refused, refused,
      batches: batches.length, createdBy: stampOf(actor, this.deps.now()),
    };
    // The lines are stored before the job exists: a worker never finds a job without its lines.
    await this.deps.batches.save(summary, batches);
    const stored = (await this.deps.batches.summary(actor.firmId, input.requestId)) ?? summary;
    const { job, created } = await this.deps.invitations.queueImport({ firmId: actor.firmId, requestId: input.requestId, createdBy: stored.createdBy, batches: stored.batches });
    // An empty file (or one with only refused lines) has no item: its job is finished at once.
    if (job.status === 'finished') await this.complete(job);
    return { status: 'queued', job, summary: stored, created };
  }

  /**
   * Writes one batch of an import job (a job item), in file order: 'waiting' while the batch before
   * it is not written (a file or contact is created, counted and audited at its first line). Written
   * again after a crash, a batch finds by natural key what it wrote.
   */
  async writeBatch(job: InvitationJob, index: number): Promise<'written' | 'waiting'> {
    if (index > 0 && !(await this.deps.batches.isWritten(job.firmId, job.requestId, index - 1))) return 'waiting';
    const batch = await this.deps.batches.batch(job.firmId, job.requestId, index);
    if (!batch || batch.written) return 'written';
    const written: WrittenLine[] = [];
    for (const line of batch.lines) written.push(await this.writeLine(job.firmId, line, job.createdBy));
    await this.deps.batches.recordWritten(job.firmId, job.requestId, index, written);
    return 'written';
  }

  /** A batch that kept failing: its lines are reported as not written, and the next batches go on. */
  async abandonBatch(job: InvitationJob, index: number): Promise<void> {
    await this.deps.batches.recordWritten(job.firmId, job.requestId, index, [], true);
  }

  /** The import's end, audited once with its totals, whichever worker sees the job finish. */
  async complete(job: InvitationJob): Promise<void> {
    if (job.kind !== 'import' || job.status !== 'finished') return;
    const tally = tallyOf(await this.deps.batches.batches(job.firmId, job.requestId));
    if (!(await this.deps.batches.markCompleted(job.firmId, job.requestId, this.deps.now()))) return;
    // The end of an import changes no record: straight to the log.
    await this.deps.audit.record(newAuditEntry({ firmId: job.firmId, actor: job.createdBy, action: 'import.done', details: { ...tally } }));
  }

  /** An import job of the firm and what was submitted, without its lines (what the tab polls); null when there is none. */
  async progress(firmId: string, jobId: string): Promise<Pick<ImportReport, 'job' | 'summary'> | null> {
    const job = await this.deps.jobs.find(firmId, jobId);
    if (!job || job.kind !== 'import') return null;
    const summary = await this.deps.batches.summary(firmId, job.requestId);
    return summary ? { job, summary } : null;
  }

  /** An import job of the firm with its totals so far and every line's outcome; null when there is none. */
  async report(firmId: string, jobId: string): Promise<ImportReport | null> {
    const job = await this.deps.jobs.find(firmId, jobId);
    if (!job || job.kind !== 'import') return null;
    const summary = await this.deps.batches.summary(firmId, job.requestId);
    if (!summary) return null;
    const batches = await this.deps.batches.batches(firmId, job.requestId);
    return { job, summary, tally: tallyOf(batches), lines: linesOf(batches) };
  }

  private async existing(firmId: string, requestId: string): Promise<ImportSubmission | null> {
    const job = await this.deps.jobs.findByRequestId(firmId, requestId);
    const summary = job?.kind === 'import' ? await this.deps.batches.summary(firmId, requestId) : null;
    return job && summary ? { status: 'queued', job, summary, created: false } : null;
  }

  /**
   * A record this very job created reads as unchanged when written again: after a crash, an outage,
   * or a write the driver retried because its answer was lost. Its creation stamp (the job's) tells
   * it was created, so the report counts it once, as created.
   */
  private async createdByThisJob(outcome: WriteOutcome, find: () => Promise<{ created: ActorStamp } | null>, by: ActorStamp): Promise<WriteOutcome> {
    if (outcome !== 'unchanged') return outcome;
    const record = await find();
    return record && record.created.at.getTime() === by.at.getTime() && record.created.userId === by.userId ? 'created' : outcome;
  }

  private async writeLine(firmId: string, line: LineToWrite, by: ActorStamp): Promise<WrittenLine> {
    const code = line.file.code;
    const file = await this.deps.clientFiles.upsertFromImport(
      { ...line.file, firmId, searchTokens: clientFileSearchTokens(line.file), creationRequestId: `import:${code}`, created: by, updatedAt: by.at },
      line.firstOfFile ? (change) => newAuditEntry({ firmId, actor: by, action: `clientFile.import.${change.outcome}`, clientFileId: change.id, details: { code, line: line.line } }) : undefined,
    );
    const fileOutcome = await this.createdByThisJob(file.outcome, () => this.deps.clientFiles.findById(firmId, file.id), by);
    const written: WrittenLine = { line: line.line, code, file: fileOutcome, linkCreated: false, countsFile: line.firstOfFile, countsContact: line.firstOfContact };
    if (!line.contact) return written;
    const { primary, scope, ...contactFields } = line.contact;
    const contact = await this.deps.contacts.upsertFromImport(
      { ...contactFields, firmId, searchTokens: contactSearchTokens(contactFields), creationRequestId: `import:${contactFields.email}`, created: by, updatedAt: by.at },
      line.firstOfContact ? (change) => newAuditEntry({ firmId, actor: by, action: `contact.import.${change.outcome}`, contactId: change.id, details: { line: line.line } }) : undefined,
    );
    const contactOutcome = await this.createdByThisJob(contact.outcome, () => this.deps.contacts.findById(firmId, contact.id), by);
    written.contact = { email: contactFields.email, outcome: contactOutcome };
    const link = await this.deps.links.upsert({ firmId, clientFileId: file.id, contactId: contact.id, scope, linked: by }, (change) =>
      newAuditEntry({
        firmId, actor: by, action: change.created ? 'contact.linked' : 'contact.linkScopeChanged', clientFileId: file.id, contactId: contact.id,
        details: { scope, previousScope: change.previousScope ?? null, line: line.line },
      }),
    );
    written.linkCreated = link.created;
    // Set (and logged) only when it changes: a second import of the same file writes nothing.
    if (primary && (await this.deps.clientFiles.findById(firmId, file.id))?.primaryContactId !== contact.id) {
      await this.deps.clientFiles.setPrimaryContact(
        firmId, file.id, contact.id, by.at,
        newAuditEntry({ firmId, actor: by, action: 'clientFile.primaryContactSet', clientFileId: file.id, contactId: contact.id, details: { line: line.line } }),
      );
    }
    return written;
  }

  /**
   * An import updates files by code: a user of services must not overwrite (nor link contacts to) a
   * file another service follows, so its lines become errors and are not written. New codes are
   * created with no service, like the bot's « nouveau dossier ».
   */
  private async refuseOtherServices(firmId: string, rows: ImportRow[], visibility: 'all' | readonly string[]): Promise<void> {
    if (visibility === 'all') return;
    const hidden = new Map<string, boolean>();
    for (const row of rows) {
      const code = row.file?.code;
      if (!code) continue;
      if (!hidden.has(code)) {
        const existing = await this.deps.clientFiles.findByCode(firmId, code);
        hidden.set(code, Boolean(existing && !canSeeService(visibility, existing.serviceId)));
      }
      if (hidden.get(code)) row.errors.push({ column: 'code', error: { code: 'import.otherService' } });
    }
  }
}

function linesOf(batches: ImportBatch[]): ImportReport['lines'] {
  const lines: ImportReport['lines'] = [];
  for (const batch of batches) {
    for (const refused of batch.refused) lines.push({ line: refused.line, code: refused.code, refused: refused.errors });
    for (const written of batch.written ?? []) lines.push({ line: written.line, code: written.code, written });
    if (batch.failed) for (const line of batch.lines) lines.push({ line: line.line, code: line.file.code, notWritten: true });
  }
  return lines.sort((a, b) => a.line - b.line);
}
