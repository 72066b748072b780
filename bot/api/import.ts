import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { FieldError } from '../domain/errors.js';
import type { ImportLineError, ImportRow } from '../domain/importFile.js';
import type { ImportCheck, ImportReport, ImportService } from '../domain/importService.js';
import { apiMessagesFor, issueKey } from '../i18n/apiMessages.js';
import { fieldErrorMessage, format, type Language } from '../i18n/index.js';
import { csvLine } from './http/csv.js';
import { problem, type Problem } from './http/problems.js';
import { csvFile, json, tabRoute, type TabEdge } from './http/route.js';

/**
 * The file travels as base64 in JSON: the tab reads it in the browser, whatever its encoding (the
 * server tells UTF-8 from Windows-1252 on the bytes). 40 M characters of base64 is a 30 MB file.
 */
export const importContentMaxChars = 40_000_000;
/** The file's base64 text and the JSON around it: read in memory, after authentication, never more. */
const importBodyLimit = importContentMaxChars + 1_000_000;
const content = z.string().min(1, issueKey('emptyFile')).max(importContentMaxChars, issueKey('fileTooBig'));
const fileName = z.string().max(200).optional();
const previewBody = z.object({ fileName, content, requestId: z.string().uuid(issueKey('requestId')).optional() }).strict();
const importBody = z.object({ requestId: z.string().uuid(issueKey('requestId')), fileName, content }).strict();
const importParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i) });

type LineProblems = ImportRow['errors'];

function errorText(language: Language, error: FieldError | ImportLineError): string {
  return isImportLineError(error) ? format(apiMessagesFor(language).importLines[error.code], error.params) : fieldErrorMessage(language, error);
}

function isImportLineError(error: FieldError | ImportLineError): error is ImportLineError {
  return error.code.startsWith('import.');
}

const presentProblems = (language: Language, errors: LineProblems) => errors.map((problem) => ({ column: problem.column, message: errorText(language, problem.error) }));

function presentRows(language: Language, rows: ImportRow[]) {
  const withErrors = rows.filter((row) => row.errors.length > 0 || !row.file);
  return {
    lines: rows.length,
    valid: rows.length - withErrors.length,
    invalid: withErrors.length,
    // The first problems are enough to fix a file; the counts say how many there are.
    errors: withErrors.slice(0, 500).map((row) => ({ line: row.line, code: row.file?.code ?? row.code ?? null, problems: presentProblems(language, row.errors) })),
  };
}

const number = (language: Language, value: number) => value.toLocaleString(language === 'fr' ? 'fr-FR' : 'en-GB');

/** A whole file refused before anything is written: its columns, or its length. */
function refusedFile(language: Language, outcome: Exclude<ImportCheck, { status: 'checked' }>): Problem {
  if (outcome.status === 'missingColumns') return problem(language, 'import.missingColumns', { columns: outcome.columns.join(apiMessagesFor(language).layout.list) });
  return problem(language, 'import.tooManyLines', { lines: number(language, outcome.lines), max: number(language, outcome.max) });
}

/** An import job as the tab follows it: progress while it runs, then the totals and the first refused lines. */
function presentImport(language: Language, report: Pick<ImportReport, 'job' | 'summary'> & Partial<ImportReport>) {
  const { job, summary } = report;
  const processed = job.counts.done + job.counts.failed + job.counts.skipped;
  const refusedLines = (report.lines ?? []).flatMap((line) => ('refused' in line ? [line] : []));
  return {
    id: job.id,
    status: job.status,
    fileName: summary.fileName,
    lines: summary.lines,
    valid: summary.valid,
    refused: summary.refused,
    progress: { processed, total: job.total, failed: job.counts.failed },
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    ...(report.tally && job.status === 'finished' ? { report: report.tally } : {}),
    refusedLines: refusedLines.slice(0, 500).map((line) => ({ line: line.line, code: line.code, problems: presentProblems(language, line.refused) })),
  };
}

function reportCsv(language: Language, report: ImportReport) {
  const texts = apiMessagesFor(language).importReportCsv;
  const rows = report.lines.map((line) => {
    if ('refused' in line) {
      const reasons = presentProblems(language, line.refused).map((problem) => format(texts.problem, problem)).join(apiMessagesFor(language).layout.separator);
      return csvLine([String(line.line), line.code ?? '', texts.refused, '', '', reasons]);
    }
    if ('notWritten' in line) return csvLine([String(line.line), line.code ?? '', texts.notWritten, '', '', '']);
    const { written } = line;
    const contact = written.contact ? `${written.contact.email} (${texts.outcomes[written.contact.outcome]})` : '';
    return csvLine([String(line.line), line.code ?? '', texts.imported, texts.outcomes[written.file], contact, '']);
  });
  return csvFile(texts.fileName, [csvLine(texts.header), ...rows]);
}

/**
 * POST /api/import/preview: the whole file checked, each line's errors, nothing written.
 * POST /api/import: the whole file checked again, then written by a durable job (202 with the job);
 * the same requestId finds the same job. GET /api/imports/:id: its progress, then its report;
 * GET /api/imports/:id/report: every line's outcome as CSV in the reader's language.
 */
export function registerImportRoutes(server: Server, api: TabEdge, imports: ImportService): void {
  const bytesOf = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

  server.post(
    '/api/import/preview',
    tabRoute(api, {
      requirement: requirements.change('clientFiles'),
      body: previewBody,
      maxBodyBytes: importBodyLimit,
      async handle({ actor, access, language, body }) {
        const checked = await imports.check(actor.firmId, bytesOf(body.content), visibleServiceIds(access));
        if (checked.status !== 'checked') return refusedFile(language, checked);
        return json(presentRows(language, checked.rows));
      },
    }),
  );

  server.post(
    '/api/import',
    tabRoute(api, {
      requirement: requirements.change('clientFiles'),
      body: importBody,
      maxBodyBytes: importBodyLimit,
      async handle({ actor, access, language, body }) {
        // A line about another service's file is refused and not written.
        const outcome = await imports.submit({ ...actor, access }, { requestId: body.requestId, fileName: body.fileName, bytes: bytesOf(body.content) });
        if (outcome.status !== 'queued') return refusedFile(language, outcome);
        const report = outcome.job.status === 'finished' ? await imports.report(actor.firmId, outcome.job.id) : null;
        return json(presentImport(language, report ?? outcome), 202);
      },
    }),
  );

  server.get(
    '/api/imports/:id',
    tabRoute(api, {
      requirement: requirements.change('clientFiles'),
      params: importParams,
      invalidParams: 'import.notFound',
      async handle({ actor, language, params }) {
        // Polled while the job runs: the lines are read only once it has finished.
        const progress = await imports.progress(actor.firmId, params.id);
        if (!progress) return problem(language, 'import.notFound');
        const report = progress.job.status === 'finished' ? await imports.report(actor.firmId, params.id) : null;
        return json(presentImport(language, report ?? progress));
      },
    }),
  );

  server.get(
    '/api/imports/:id/report',
    tabRoute(api, {
      requirement: requirements.change('clientFiles'),
      params: importParams,
      invalidParams: 'import.notFound',
      async handle({ actor, language, params }) {
        const report = await imports.report(actor.firmId, params.id);
        return report ? reportCsv(language, report) : problem(language, 'import.notFound');
      },
    }),
  );
}

export type ImportJobView = ReturnType<typeof presentImport>;
