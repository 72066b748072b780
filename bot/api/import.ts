import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { FieldError } from '../domain/errors.js';
import type { ImportLineError, ImportRow } from '../domain/importFile.js';
import type { ImportService } from '../domain/importService.js';
import { apiMessagesFor, issueKey } from '../i18n/apiMessages.js';
import { fieldErrorMessage, format, type Language } from '../i18n/index.js';
import { problem } from './http/problems.js';
import { json, tabRoute, type TabEdge } from './http/route.js';

/** The file travels as base64 in JSON: the tab reads it in the browser, whatever its encoding. */
const importBody = z.object({ fileName: z.string().max(200).optional(), content: z.string().min(1, issueKey('emptyFile')).max(6_000_000, issueKey('fileTooBig')) }).strict();

function errorText(language: Language, error: FieldError | ImportLineError): string {
  return isImportLineError(error) ? format(apiMessagesFor(language).importLines[error.code], error.params) : fieldErrorMessage(language, error);
}

function isImportLineError(error: FieldError | ImportLineError): error is ImportLineError {
  return error.code.startsWith('import.');
}

function presentRows(language: Language, rows: ImportRow[]) {
  const withErrors = rows.filter((row) => row.errors.length > 0);
  return {
    lines: rows.length,
    valid: rows.length - withErrors.length,
    invalid: withErrors.length,
    // The first problems are enough to fix a file; the counts say how many there are.
    errors: withErrors.slice(0, 500).map((row) => ({
      line: row.line,
      code: row.file?.code ?? null,
      problems: row.errors.map((problem) => ({ column: problem.column, message: errorText(language, problem.error) })),
    })),
  };
}

/**
 * POST /api/import/preview: what the CSV contains and each line's errors, nothing written.
 * POST /api/import: writes the valid lines (re-importing updates, never duplicates).
 */
export function registerImportRoutes(server: Server, api: TabEdge, imports: ImportService): void {
  const bytesOf = (content: string) => new Uint8Array(Buffer.from(content, 'base64'));
  const missing = (language: Language, columns: string[]) => problem(language, 'import.missingColumns', { columns: columns.join(apiMessagesFor(language).layout.list) });

  server.post(
    '/api/import/preview',
    tabRoute(api, {
      requirement: requirements.change('clientFiles'),
      body: importBody,
      maxBodyBytes: 8_000_000,
      async handle({ actor, access, language, body }) {
        const { rows, missingColumns } = await imports.preview(actor.firmId, bytesOf(body.content), visibleServiceIds(access));
        if (missingColumns.length) return missing(language, missingColumns);
        return json(presentRows(language, rows));
      },
    }),
  );

  server.post(
    '/api/import',
    tabRoute(api, {
      requirement: requirements.change('clientFiles'),
      body: importBody,
      maxBodyBytes: 8_000_000,
      async handle({ actor, access, language, body }) {
        // A line about another service's file is reported as an error and not written.
        const { tally, rows, missingColumns } = await imports.run(actor.firmId, bytesOf(body.content), { userId: actor.userId, displayName: actor.displayName, at: new Date() }, visibleServiceIds(access));
        if (missingColumns.length) return missing(language, missingColumns);
        return json({ ...presentRows(language, rows), ...tally });
      },
    }),
  );
}
