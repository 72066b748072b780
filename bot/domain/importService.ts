import type { ActorStamp } from './actor.js';
import { canSeeService } from './access/policy.js';
import { newAuditEntry } from './audit.js';
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

  /** `visibility` (the policy's visibleServiceIds): a line about an existing file of another service is an error. */
  async preview(firmId: string, bytes: Uint8Array, visibility: 'all' | readonly string[] = 'all') {
    const settings = await this.deps.firmSettings.settings(firmId);
    const read = readImport(bytes, settings.orgRoles);
    await this.refuseOtherServices(firmId, read.rows, visibility);
    return read;
  }

  async run(firmId: string, bytes: Uint8Array, by: ActorStamp, visibility: 'all' | readonly string[] = 'all'): Promise<{ tally: ImportTally; rows: ImportRow[]; missingColumns: string[] }> {
    const { rows, missingColumns } = await this.preview(firmId, bytes, visibility);
    const tally: ImportTally = { filesCreated: 0, filesUpdated: 0, filesUnchanged: 0, contactsCreated: 0, contactsUpdated: 0, contactsUnchanged: 0, linksCreated: 0, rowsWithErrors: 0 };
    // Natural keys: a file or contact on several lines is counted and audited at its first line only.
    const seenFiles = new Set<string>();
    const seenContacts = new Set<string>();
    for (const row of rows) {
      if (row.errors.length > 0 || !row.file) {
        tally.rowsWithErrors++;
        continue;
      }
      const code = row.file.code;
      const firstOfFile = !seenFiles.has(code);
      const file = await this.deps.clientFiles.upsertFromImport(
        { ...row.file, firmId, searchTokens: clientFileSearchTokens(row.file), creationRequestId: `import:${code}`, created: by, updatedAt: by.at },
        firstOfFile ? (change) => newAuditEntry({ firmId, actor: by, action: `clientFile.import.${change.outcome}`, clientFileId: change.id, details: { code, line: row.line } }) : undefined,
      );
      if (firstOfFile) {
        seenFiles.add(code);
        if (file.outcome === 'created') tally.filesCreated++;
        else if (file.outcome === 'updated') tally.filesUpdated++;
        else tally.filesUnchanged++;
      }
      if (!row.contact) continue;
      const { primary, scope, ...contactFields } = row.contact;
      const firstOfContact = !seenContacts.has(contactFields.email);
      const contact = await this.deps.contacts.upsertFromImport(
        { ...contactFields, firmId, searchTokens: contactSearchTokens(contactFields), creationRequestId: `import:${contactFields.email}`, created: by, updatedAt: by.at },
        firstOfContact ? (change) => newAuditEntry({ firmId, actor: by, action: `contact.import.${change.outcome}`, contactId: change.id, details: { line: row.line } }) : undefined,
      );
      if (firstOfContact) {
        seenContacts.add(contactFields.email);
        if (contact.outcome === 'created') tally.contactsCreated++;
        else if (contact.outcome === 'updated') tally.contactsUpdated++;
        else tally.contactsUnchanged++;
      }
      const link = await this.deps.links.upsert({ firmId, clientFileId: file.id, contactId: contact.id, scope, linked: by }, (change) =>
        newAuditEntry({
          firmId, actor: by, action: change.created ? 'contact.linked' : 'contact.linkScopeChanged', clientFileId: file.id, contactId: contact.id,
          details: { scope, previousScope: change.previousScope ?? null, line: row.line },
        }),
      );
      if (link.created) tally.linksCreated++;
      // Set (and logged) only when it changes: a second import of the same file writes nothing.
      if (primary && (await this.deps.clientFiles.findById(firmId, file.id))?.primaryContactId !== contact.id) {
        await this.deps.clientFiles.setPrimaryContact(
          firmId, file.id, contact.id, by.at,
          newAuditEntry({ firmId, actor: by, action: 'clientFile.primaryContactSet', clientFileId: file.id, contactId: contact.id, details: { line: row.line } }),
        );
      }
    }
    // The end of an import changes no record: straight to the log.
    await this.deps.audit.record(newAuditEntry({ firmId, actor: by, action: 'import.done', details: { ...tally } }));
    return { tally, rows, missingColumns };
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
