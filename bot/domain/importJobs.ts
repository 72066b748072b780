import type { ActorStamp } from './actor.js';
import type { ImportRow } from './importFile.js';

/**
 * An import runs as a durable job (the invitation jobs' store and runner, kind 'import'): the file is
 * checked whole when submitted, its lines stored in batches, and each batch is one job item a worker
 * writes. A batch written again after a crash finds its records by natural key and changes nothing.
 */
export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/** A checked line, ready to write; `firstOf*` say where a file or contact on several lines is counted. */
export interface LineToWrite {
  line: number;
  file: NonNullable<ImportRow['file']>;
  contact?: ImportRow['contact'];
  firstOfFile: boolean;
  firstOfContact: boolean;
}

/** A line not written, with its problems as codes (worded in the reader's language when shown). */
export interface RefusedLine {
  line: number;
  code: string | null;
  errors: ImportRow['errors'];
}

export interface WrittenLine {
  line: number;
  code: string;
  file: WriteOutcome;
  contact?: { email: string; outcome: WriteOutcome };
  linkCreated: boolean;
  /** Counted in the report's totals (a file or contact on several lines counts once). */
  countsFile: boolean;
  countsContact: boolean;
}

export interface ImportBatch {
  index: number;
  lines: LineToWrite[];
  refused: RefusedLine[];
  /** Set once the batch is written: a batch taken again after a crash is written again, then set. */
  written?: WrittenLine[];
  /** Given up after repeated errors: its lines were not (all) written. */
  failed?: boolean;
}

export interface ImportSummary {
  firmId: string;
  requestId: string;
  fileName: string | null;
  lines: number;
  valid: number;
  refused: number;
  batches: number;
  createdBy: ActorStamp;
}

export interface ImportTally {
  filesCreated: number;
  filesUpdated: number;
  filesUnchanged: number;
  contactsCreated: number;
  contactsUpdated: number;
  contactsUnchanged: number;
  linksCreated: number;
  rowsWithErrors: number;
}

/** Where a submitted import's lines wait to be written, and what each batch did. */
export interface ImportBatchStore {
  /** Stores the summary and batches once per (firm, request id): a second identical submission changes nothing. */
  save(summary: ImportSummary, batches: ImportBatch[]): Promise<void>;
  summary(firmId: string, requestId: string): Promise<ImportSummary | null>;
  batch(firmId: string, requestId: string, index: number): Promise<ImportBatch | null>;
  isWritten(firmId: string, requestId: string, index: number): Promise<boolean>;
  recordWritten(firmId: string, requestId: string, index: number, written: WrittenLine[], failed?: boolean): Promise<void>;
  /** Every batch in line order (the report). */
  batches(firmId: string, requestId: string): Promise<ImportBatch[]>;
  /** True for the one caller that marks the import complete (the end is audited once). */
  markCompleted(firmId: string, requestId: string, at: Date): Promise<boolean>;
}

export const emptyTally = (): ImportTally => ({ filesCreated: 0, filesUpdated: 0, filesUnchanged: 0, contactsCreated: 0, contactsUpdated: 0, contactsUnchanged: 0, linksCreated: 0, rowsWithErrors: 0 });

/** The totals of the batches written so far (all of them once the job has finished). */
export function tallyOf(batches: ImportBatch[]): ImportTally {
  const tally = emptyTally();
  const key = { created: 'Created', updated: 'Updated', unchanged: 'Unchanged' } as const;
  for (const batch of batches) {
    tally.rowsWithErrors += batch.refused.length;
    for (const line of batch.written ?? []) {
      if (line.countsFile) tally[`files${key[line.file]}`]++;
      if (line.contact && line.countsContact) tally[`contacts${key[line.contact.outcome]}`]++;
      if (line.linkCreated) tally.linksCreated++;
    }
  }
  return tally;
}

/** Checked rows → batches of `size` lines, each file and contact counted at its first line in the whole file. */
export function batchesOf(rows: ImportRow[], size: number): ImportBatch[] {
  const batches: ImportBatch[] = [];
  const seenFiles = new Set<string>();
  const seenContacts = new Set<string>();
  for (let start = 0; start < rows.length; start += size) {
    const batch: ImportBatch = { index: batches.length, lines: [], refused: [] };
    for (const row of rows.slice(start, start + size)) {
      if (row.errors.length > 0 || !row.file) {
        batch.refused.push({ line: row.line, code: row.file?.code ?? row.code ?? null, errors: row.errors });
        continue;
      }
      const firstOfFile = !seenFiles.has(row.file.code);
      seenFiles.add(row.file.code);
      const firstOfContact = Boolean(row.contact && !seenContacts.has(row.contact.email));
      if (row.contact) seenContacts.add(row.contact.email);
      batch.lines.push({ line: row.line, file: row.file, ...(row.contact ? { contact: row.contact } : {}), firstOfFile, firstOfContact });
    }
    batches.push(batch);
  }
  return batches;
}
