import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import type { ContactService } from '../domain/contactService.js';
import type { AuditEntry, AuditLog, AuditQuery, ClientFileStore, ContactStore } from '../domain/ports.js';
import { auditWording, presentAuditText, requestLanguage } from './auditPresenter.js';
import { authenticatedRoute, csvCell, type PortfolioApi } from './portfolio.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'identifiant invalide');
const frenchOrIsoDate = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})$/, 'date attendue : jj/mm/aaaa ou aaaa-mm-jj')
  .transform((text) => (text.includes('/') ? new Date(`${text.slice(6)}-${text.slice(3, 5)}-${text.slice(0, 2)}T00:00:00Z`) : new Date(`${text}T00:00:00Z`)))
  .refine((date) => !Number.isNaN(date.getTime()), 'date inexistante');

export const auditQuerySchema = z
  .object({
    clientFileId: objectId.optional(),
    contactId: objectId.optional(),
    userId: z.string().min(1).max(100).optional(),
    from: frenchOrIsoDate.optional(),
    to: frenchOrIsoDate.optional(),
    format: z.enum(['json', 'csv']).default('json'),
    limit: z.coerce.number().int().min(1).max(5_000).default(200),
  })
  .strict();

/** GET /api/audit: staff with « Journal d’audit – consultation » search the log and export it (CSV, « ; », UTF-8 with BOM for Excel). */
export function registerAuditRoutes(
  server: Server,
  api: Pick<PortfolioApi, 'auth' | 'access' | 'logger' | 'auditNames'>,
  deps: { audit: AuditLog; clientFiles: ClientFileStore; contacts: ContactStore; clientFileService: ClientFileService; contactService: ContactService },
): void {
  server.get(
    '/api/audit',
    authenticatedRoute(api, requirements.read('audit'), async (actor, req, res, access) => {
      const parsed = auditQuerySchema.safeParse(req.query ?? {});
      if (!parsed.success) {
        res.send(400, { error: `Requête invalide : ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'requête'} : ${issue.message}`).join(' ; ')}.` });
        return;
      }
      const { format, limit, to, ...query } = parsed.data;
      // "to" is a day: include all of it.
      const until = to ? new Date(to.getTime() + 86_400_000 - 1) : undefined;
      // A user of services: another service's file, or a contact linked only to such files, is refused
      // (403 with the reason); any other search leaves out the entries about them, in the query itself.
      const visibility = visibleServiceIds(access);
      let excluding: AuditQuery['excluding'];
      if (visibility !== 'all') {
        if (query.clientFileId) await deps.clientFileService.details(actor.firmId, query.clientFileId, visibility);
        if (query.contactId) await deps.contactService.details(actor.firmId, query.contactId, visibility);
        const hidden = await deps.clientFileService.hiddenFilesAndContacts(actor.firmId, visibility);
        excluding = { clientFileIds: [...hidden.clientFileIds], contactIds: [...hidden.contactIds] };
      }
      const entries = await deps.audit.search(actor.firmId, { ...query, to: until, excluding }, limit);
      const [files, contacts, wording] = await Promise.all([
        deps.clientFiles.findByIds(actor.firmId, [...new Set(entries.flatMap((entry) => (entry.clientFileId ? [entry.clientFileId] : [])))]),
        deps.contacts.findByIds(actor.firmId, [...new Set(entries.flatMap((entry) => (entry.contactId ? [entry.contactId] : [])))]),
        auditWording(api.auditNames, actor.firmId, requestLanguage(req), entries),
      ]);
      const code = new Map(files.map((file) => [file.id, `${file.code} – ${file.companyName}`]));
      const email = new Map(contacts.map((contact) => [contact.id, contact.email]));
      const rows = entries.map((entry: AuditEntry) => ({
        at: entry.actor.at.toISOString(),
        who: entry.actor.displayName,
        action: entry.action,
        ...presentAuditText(entry, wording),
        clientFile: entry.clientFileId ? (code.get(entry.clientFileId) ?? entry.clientFileId) : '',
        contact: entry.contactId ? (email.get(entry.contactId) ?? entry.contactId) : '',
      }));
      if (format === 'json') {
        res.send(200, { entries: rows });
        return;
      }
      const header = ['Date', 'Qui', 'Action', 'Dossier', 'Interlocuteur', 'Détails'];
      const lines = rows.map((row) =>
        [new Date(row.at).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }), row.who, row.label, row.clientFile, row.contact, row.details].map(csvCell).join(';'),
      );
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="journal-passerelle.csv"');
      res.sendRaw(200, `\uFEFF${[header.join(';'), ...lines].join('\r\n')}\r\n`);
    }),
  );
}
