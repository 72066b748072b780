import { stampOf, type Actor } from './actor.js';
import { newAuditEntry } from './audit.js';
import { clientFileSearchTokens, validateClientFile, type ClientFile, type ClientFileField, type ClientFileInput } from './clientFile.js';
import { clientFileChanges, editableOf, hasChanges, validateClientFileEdit, type ClientFileEditField, type ClientFileEditInput } from './clientFileEdit.js';
import { fieldLimits } from './catalogues.js';
import { canSeeService, OtherServiceError } from './access/policy.js';
import type { Contact } from './contact.js';
import type { FieldErrors } from './errors.js';
import { checkClientFileCode, normaliseForSearch } from './fieldRules.js';
import type { ClientFileStore, ContactLink, ContactLinkStore, ContactStore, FirmTeam, TeamStore } from './ports.js';

export type CreateOutcome<T, Field extends string> =
  | { status: 'created'; record: T }
  /** The same form submission arrived again: nothing new was written. */
  | { status: 'alreadyCreated'; record: T }
  | { status: 'invalid'; errors: FieldErrors<Field> };

export type FindOutcome<T> = { kind: 'one'; record: T } | { kind: 'many'; records: T[]; more: boolean } | { kind: 'none' };

export interface LinkedContact {
  contact: Contact;
  scope: string;
  primary: boolean;
}

export interface ClientFileDetails {
  file: ClientFile;
  contacts: LinkedContact[];
  guestTeam?: FirmTeam;
}

export type UpdateOutcome =
  | { status: 'updated'; record: ClientFile }
  /** The edit asked for what the file already holds: nothing written, nothing recorded. */
  | { status: 'unchanged'; record: ClientFile }
  | { status: 'invalid'; errors: FieldErrors<ClientFileEditField> }
  /** Someone changed the file after the editor loaded it: nothing written, the editor reloads. */
  | { status: 'changedMeanwhile' }
  | { status: 'notFound' };

export const searchPageSize = 10;

export class ClientFileService {
  constructor(
    private readonly deps: {
      clientFiles: ClientFileStore;
      contacts: ContactStore;
      links: ContactLinkStore;
      teams: TeamStore;
      now: () => Date;
    },
  ) {}

  async create(actor: Actor, requestId: string, input: ClientFileInput): Promise<CreateOutcome<ClientFile, ClientFileField>> {
    const validation = validateClientFile(input);
    if (!validation.ok) return { status: 'invalid', errors: validation.errors };
    const at = this.deps.now();
    const outcome = await this.deps.clientFiles.insertUnlessCodeExists(
      {
        ...validation.value,
        firmId: actor.firmId,
        searchTokens: clientFileSearchTokens(validation.value),
        creationRequestId: requestId,
        created: stampOf(actor, at),
        updatedAt: at,
      },
      (clientFileId) => newAuditEntry({ firmId: actor.firmId, actor: stampOf(actor, at), action: 'clientFile.created', clientFileId, details: { code: validation.value.code } }),
    );
    if (!outcome.inserted) {
      if (outcome.existing.creationRequestId === requestId) return { status: 'alreadyCreated', record: outcome.existing };
      return { status: 'invalid', errors: { code: { code: 'code.taken', params: { name: outcome.existing.companyName } } } };
    }
    return { status: 'created', record: outcome.record };
  }

  /**
   * Staff's edit of an open file: checked whole first (same rules as creation), then written only
   * over the version the editor saw, so two people editing at once never silently undo each other.
   * `visibility` as for find: a file of another service is refused with OtherServiceError.
   */
  async update(actor: Actor, clientFileId: string, expectedUpdatedAt: Date, input: ClientFileEditInput, visibility: 'all' | readonly string[] = 'all'): Promise<UpdateOutcome> {
    const file = await this.deps.clientFiles.findById(actor.firmId, clientFileId);
    if (!file) return { status: 'notFound' };
    // Before any validation: another service's file is refused whatever the edit holds.
    if (!canSeeService(visibility, file.serviceId)) throw new OtherServiceError(file.serviceId!);
    const before = editableOf(file);
    const validation = validateClientFileEdit(before, input);
    if (!validation.ok) return { status: 'invalid', errors: validation.errors };
    // Stale before any comparison: "no change" against an old version would hide someone's edit.
    if (file.updatedAt.getTime() !== expectedUpdatedAt.getTime()) return { status: 'changedMeanwhile' };
    const after = validation.value;
    const changes = clientFileChanges(before, after);
    if (!hasChanges(changes)) return { status: 'unchanged', record: file };
    const at = this.deps.now();
    const outcome = await this.deps.clientFiles.updateEditable(
      actor.firmId, clientFileId, expectedUpdatedAt, { ...after, searchTokens: clientFileSearchTokens({ code: file.code, companyName: after.companyName }) }, at,
      newAuditEntry({ firmId: actor.firmId, actor: stampOf(actor, at), action: 'clientFile.updated', clientFileId, details: { code: file.code, ...changes } }),
    );
    if (outcome !== 'updated') return { status: outcome };
    const record = await this.deps.clientFiles.findById(actor.firmId, clientFileId);
    return record ? { status: 'updated', record } : { status: 'notFound' };
  }

  /**
   * A code finds its file; otherwise every word of the query must start a word of the name or code.
   * With `visibility` (from the policy's visibleServiceIds) files of other services are left out,
   * and a file asked for that only another service may see is refused with OtherServiceError.
   */
  async find(firmId: string, query: string, visibility: 'all' | readonly string[] = 'all'): Promise<FindOutcome<ClientFile>> {
    const trimmed = query.trim().slice(0, fieldLimits.searchQuery);
    const code = checkClientFileCode(trimmed);
    if (code.ok) {
      const byCode = await this.deps.clientFiles.findByCode(firmId, code.value);
      if (byCode && !canSeeService(visibility, byCode.serviceId)) throw new OtherServiceError(byCode.serviceId!);
      if (byCode) return { kind: 'one', record: byCode };
    }
    const words = normaliseForSearch(trimmed).split(' ').filter(Boolean);
    if (words.length === 0) return { kind: 'none' };
    const found = await this.deps.clientFiles.searchByWords(firmId, words, searchPageSize + 1);
    const matches = found.filter((file) => canSeeService(visibility, file.serviceId));
    if (matches.length === 0 && found.length > 0) throw new OtherServiceError(found[0]!.serviceId!);
    if (matches.length === 0) return { kind: 'none' };
    if (matches.length === 1) return { kind: 'one', record: matches[0]! };
    return { kind: 'many', records: matches.slice(0, searchPageSize), more: matches.length > searchPageSize };
  }

  /**
   * `visibility` as for find: a file of another service is refused with OtherServiceError. The file and
   * its contacts are read together (no write follows, so reading the contacts of a refused file is harmless).
   */
  async details(firmId: string, clientFileId: string, visibility: 'all' | readonly string[] = 'all'): Promise<ClientFileDetails | null> {
    const [file, contacts] = await Promise.all([this.deps.clientFiles.findById(firmId, clientFileId), this.deps.links.contactsOfClientFile(firmId, clientFileId)]);
    if (!file) return null;
    if (!canSeeService(visibility, file.serviceId)) throw new OtherServiceError(file.serviceId!);
    return this.detailsWith(file, contacts, await this.teamOf(file));
  }

  /** The details of a file already read (found by its code or name, just created): not read again. */
  async detailsOf(file: ClientFile, visibility: 'all' | readonly string[] = 'all'): Promise<ClientFileDetails> {
    if (!canSeeService(visibility, file.serviceId)) throw new OtherServiceError(file.serviceId!);
    const [contacts, guestTeam] = await Promise.all([this.deps.links.contactsOfClientFile(file.firmId, file.id), this.teamOf(file)]);
    return this.detailsWith(file, contacts, guestTeam);
  }

  private async teamOf(file: ClientFile): Promise<FirmTeam | undefined> {
    return file.guestTeamId ? ((await this.deps.teams.find(file.firmId, file.guestTeamId)) ?? undefined) : undefined;
  }

  private detailsWith(file: ClientFile, contacts: { link: ContactLink; contact: Contact }[], guestTeam: FirmTeam | undefined): ClientFileDetails {
    const linked = contacts.map(({ link, contact }) => ({ contact, scope: link.scope, primary: file.primaryContactId === contact.id }));
    linked.sort((a, b) => Number(b.primary) - Number(a.primary) || a.contact.lastName.localeCompare(b.contact.lastName, 'fr'));
    return { file, contacts: linked, guestTeam };
  }

  /** The files a user with this visibility may not see: those of services not theirs (none for 'all'). */
  async hiddenFileIds(firmId: string, visibility: 'all' | readonly string[]): Promise<Set<string>> {
    if (visibility === 'all') return new Set();
    return new Set(await this.deps.clientFiles.listIdsOfOtherServices(firmId, visibility));
  }

  /**
   * What a user with this visibility may not see, files and contacts: a contact is out of sight when
   * every file it is linked to is (a contact of no file is everyone's, like a file of no service).
   */
  async hiddenFilesAndContacts(firmId: string, visibility: 'all' | readonly string[]): Promise<{ clientFileIds: Set<string>; contactIds: Set<string> }> {
    const clientFileIds = await this.hiddenFileIds(firmId, visibility);
    if (clientFileIds.size === 0) return { clientFileIds, contactIds: new Set() };
    const candidates = [...new Set((await this.deps.links.listByClientFiles(firmId, [...clientFileIds])).map((link) => link.contactId))];
    const seen = new Set((await this.deps.links.listByContacts(firmId, candidates)).flatMap((link) => (clientFileIds.has(link.clientFileId) ? [] : [link.contactId])));
    return { clientFileIds, contactIds: new Set(candidates.filter((contactId) => !seen.has(contactId))) };
  }

  /** Entrusts a file to a service (checked active by the caller) or to none: who sees it follows. */
  async assignService(actor: Actor, clientFileId: string, serviceId: string | null): Promise<'done' | 'unchanged' | 'clientFileNotFound'> {
    const file = await this.deps.clientFiles.findById(actor.firmId, clientFileId);
    if (!file) return 'clientFileNotFound';
    if ((file.serviceId ?? null) === serviceId) return 'unchanged';
    const at = this.deps.now();
    const assigned = newAuditEntry({
      firmId: actor.firmId,
      actor: stampOf(actor, at),
      action: 'clientFile.serviceAssigned',
      clientFileId,
      details: { code: file.code, before: file.serviceId ?? null, after: serviceId },
    });
    if (!(await this.deps.clientFiles.setService(actor.firmId, clientFileId, serviceId, at, assigned))) return 'clientFileNotFound';
    return 'done';
  }

  /** One primary contact per file, held on the file itself so two staff cannot set two at once. */
  async setPrimaryContact(actor: Actor, clientFileId: string, contactId: string): Promise<'done' | 'unchanged' | 'clientFileNotFound' | 'notLinked'> {
    const file = await this.deps.clientFiles.findById(actor.firmId, clientFileId);
    if (!file) return 'clientFileNotFound';
    if (file.primaryContactId === contactId) return 'unchanged';
    if (!(await this.deps.links.exists(actor.firmId, clientFileId, contactId))) return 'notLinked';
    const at = this.deps.now();
    await this.deps.clientFiles.setPrimaryContact(
      actor.firmId, clientFileId, contactId, at,
      newAuditEntry({ firmId: actor.firmId, actor: stampOf(actor, at), action: 'clientFile.primaryContactSet', clientFileId, contactId, details: { previousPrimaryContactId: file.primaryContactId ?? null } }),
    );
    return 'done';
  }
}
