import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { FieldError } from '../domain/errors.js';
import type { ImportRow } from '../domain/importFile.js';
import type { ImportService } from '../domain/importService.js';
import { fieldErrorMessage } from '../i18n/index.js';
import { authenticatedRoute, type PortfolioApi } from './portfolio.js';

/** The file travels as base64 in JSON: the tab reads it in the browser, whatever its encoding. */
const importBody = z.object({ fileName: z.string().max(200).optional(), content: z.string().min(1, 'fichier vide').max(6_000_000, 'fichier trop gros (4 Mo au plus)') }).strict();

function errorText(error: ImportRow['errors'][number]['error']): string {
  return error.code === 'import.message' ? (error as { params: { message: string } }).params.message : fieldErrorMessage('fr', error as FieldError);
}

function presentRows(rows: ImportRow[]) {
  const withErrors = rows.filter((row) => row.errors.length > 0);
  return {
    lines: rows.length,
    valid: rows.length - withErrors.length,
    invalid: withErrors.length,
    // The first problems are enough to fix a file; the counts say how many there are.
    errors: withErrors.slice(0, 500).map((row) => ({
      line: row.line,
      code: row.file?.code ?? null,
      problems: row.errors.map((problem) => ({ column: problem.column, message: errorText(problem.error) })),
    })),
  };
}

/**
 * POST /api/import/preview: what the CSV contains and each line's errors, nothing written.
 * POST /api/import: writes the valid lines (re-importing updates, never duplicates).
 */
export function registerImportRoutes(server: Server, api: Pick<PortfolioApi, 'auth' | 'access' | 'logger'>, imports: ImportService): void {
  const decode = (body: unknown) => {
    const parsed = importBody.safeParse(body ?? {});
    if (!parsed.success) return { error: `Requête invalide : ${parsed.error.issues.map((issue) => issue.message).join(' ; ')}.` } as const;
    return { bytes: new Uint8Array(Buffer.from(parsed.data.content, 'base64')) } as const;
  };
  const missing = (columns: string[]) => `Colonnes obligatoires absentes : ${columns.join(', ')}. La première ligne doit nommer les colonnes (code ; raison_sociale ; …).`;

  server.post(
    '/api/import/preview',
    authenticatedRoute(api, requirements.change('clientFiles'), async (actor, req, res, access) => {
      const decoded = decode(req.body);
      if ('error' in decoded) return void res.send(400, { error: decoded.error });
      const { rows, missingColumns } = await imports.preview(actor.firmId, decoded.bytes, visibleServiceIds(access));
      if (missingColumns.length) return void res.send(400, { error: missing(missingColumns) });
      res.send(200, presentRows(rows));
    }),
  );

  server.post(
    '/api/import',
    authenticatedRoute(api, requirements.change('clientFiles'), async (actor, req, res, access) => {
      const decoded = decode(req.body);
      if ('error' in decoded) return void res.send(400, { error: decoded.error });
      // A line about another service's file is reported as an error and not written.
      const { tally, rows, missingColumns } = await imports.run(actor.firmId, decoded.bytes, { userId: actor.userId, displayName: actor.displayName, at: new Date() }, visibleServiceIds(access));
      if (missingColumns.length) return void res.send(400, { error: missing(missingColumns) });
      res.send(200, { ...presentRows(rows), ...tally });
    }),
  );
}
