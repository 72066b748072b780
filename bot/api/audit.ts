import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import type { ContactService } from '../domain/contactService.js';
import type { AuditEntry, AuditLog, AuditQuery, ClientFileStore, ContactStore } from '../domain/ports.js';
import { apiMessagesFor, issueKey } from '../i18n/apiMessages.js';
import { auditWording, presentAuditText } from './auditPresenter.js';
import { csvDateTime, csvLine } from './http/csv.js';
import { csvFile, json, tabRoute, type TabEdge } from './http/route.js';
import type { PortfolioApi } from './portfolio.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, issueKey('id'));
const frenchOrIsoDate = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4})$/, issueKey('date'))
  .transform((text) => (text.includes('/') ? new Date(`${text.slice(6)}-${text.slice(3, 5)}-${text.slice(0, 2)}T00:00:00Z`) : new Date(`${text}T00:00:00Z`)))
  .refine((date) => !Number.isNaN(date.getTime()), issueKey('noSuchDate'));

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
  .strict(issueKey('unknownParameter'));

/** GET /api/audit: staff with « Journal d’audit – consultation » search the log and export it (CSV, « ; », UTF-8 with BOM for Excel). */
export function registerAuditRoutes(
  server: Server,
  api: TabEdge & Pick<PortfolioApi, 'auditNames'>,
  deps: { audit: AuditLog; clientFiles: ClientFileStore; contacts: ContactStore; clientFileService: ClientFileService; contactService: ContactService },
): void {
  server.get(
    '/api/audit',
    tabRoute(api, {
      requirement: requirements.read('audit'),
      query: auditQuerySchema,
      async handle({ actor, access, language, query: { format, limit, to, ...query } }) {
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
          auditWording(api.auditNames, actor.firmId, language, entries),
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
        if (format === 'json') return json({ entries: rows });
        const { header, fileName } = apiMessagesFor(language).auditCsv;
        const lines = rows.map((row) => csvLine([csvDateTime(language, new Date(row.at)), row.who, row.label, row.clientFile, row.contact, row.details]));
        return csvFile(fileName, [csvLine(header), ...lines]);
      },
    }),
  );
}
