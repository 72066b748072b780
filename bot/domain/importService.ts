import type { ActorStamp } from './actor.js';
import { clientFileSearchTokens } from './clientFile.js';
import { contactSearchTokens } from './contact.js';
import type { FirmSettingsService } from './firmSettingsService.js';
import { readImport, type ImportRow } from './importFile.js';
import type { AuditLog, ClientFileStore, ContactLinkStore, ContactStore } from './ports.js';

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

/**
 * Imports client files and contacts from the firm's CSV: the preview checks every line without
 * writing; the import writes the valid lines on natural keys (file code, contact e-mail), so running
 * it again updates and never duplicates.
 */
export class ImportService {
  constructor(
    private readonly deps: { clientFiles: ClientFileStore; contacts: ContactStore; links: ContactLinkStore; firmSettings: FirmSettingsService; audit: AuditLog },
  ) {}

  async preview(firmId: string, bytes: Uint8Array) {
    const settings = await this.deps.firmSettings.settings(firmId);
    return readImport(bytes, settings.orgRoles);
  }

  async run(firmId: string, bytes: Uint8Array, by: ActorStamp): Promise<{ tally: ImportTally; rows: ImportRow[]; missingColumns: string[] }> {
    const { rows, missingColumns } = await this.preview(firmId, bytes);
    const tally: ImportTally = { filesCreated: 0, filesUpdated: 0, filesUnchanged: 0, contactsCreated: 0, contactsUpdated: 0, contactsUnchanged: 0, linksCreated: 0, rowsWithErrors: 0 };
    const seenFiles = new Set<string>();
    const seenContacts = new Set<string>();
    for (const row of rows) {
      if (row.errors.length > 0 || !row.file) {
        tally.rowsWithErrors++;
        continue;
      }
      const file = await this.deps.clientFiles.upsertFromImport({
        ...row.file, firmId, searchTokens: clientFileSearchTokens(row.file), creationRequestId: `import:${row.file.code}`, created: by, updatedAt: by.at,
      });
      if (!seenFiles.has(file.id)) {
        seenFiles.add(file.id);
        if (file.outcome === 'created') tally.filesCreated++;
        else if (file.outcome === 'updated') tally.filesUpdated++;
        else tally.filesUnchanged++;
        if (file.outcome !== 'unchanged') await this.deps.audit.record({ firmId, actor: by, action: `clientFile.import.${file.outcome}`, clientFileId: file.id, details: { code: row.file.code, line: row.line } });
      }
      if (!row.contact) continue;
      const { primary, scope, ...contactFields } = row.contact;
      const contact = await this.deps.contacts.upsertFromImport({
        ...contactFields, firmId, searchTokens: contactSearchTokens(contactFields), creationRequestId: `import:${contactFields.email}`, created: by, updatedAt: by.at,
      });
      if (!seenContacts.has(contact.id)) {
        seenContacts.add(contact.id);
        if (contact.outcome === 'created') tally.contactsCreated++;
        else if (contact.outcome === 'updated') tally.contactsUpdated++;
        else tally.contactsUnchanged++;
        if (contact.outcome !== 'unchanged') await this.deps.audit.record({ firmId, actor: by, action: `contact.import.${contact.outcome}`, contactId: contact.id, details: { line: row.line } });
      }
      const link = await this.deps.links.upsert({ firmId, clientFileId: file.id, contactId: contact.id, scope, linked: by });
      if (link.created) tally.linksCreated++;
      if (primary) await this.deps.clientFiles.setPrimaryContact(firmId, file.id, contact.id, by.at);
    }
    await this.deps.audit.record({ firmId, actor: by, action: 'import.done', details: { ...tally } });
    return { tally, rows, missingColumns };
  }
}
