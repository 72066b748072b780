import { stampOf, type Actor } from './actor.js';
import { newAuditEntry } from './audit.js';
import { canSeeService, OtherServiceError } from './access/policy.js';
import { fieldLimits, unlimitedScope } from './catalogues.js';
import type { ClientFile } from './clientFile.js';
import type { ClientFileService, CreateOutcome, FindOutcome } from './clientFileService.js';
import { searchPageSize } from './clientFileService.js';
import { contactSearchTokens, validateContact, type Contact, type ContactField, type ContactInput } from './contact.js';
import type { FieldErrors } from './errors.js';
import { checkClientFileCode, checkEmail, normaliseForSearch } from './fieldRules.js';
import { FormChecker } from './form.js';
import type { AuditEntry, AuditLog, ClientFileStore, ContactLink, ContactLinkStore, ContactStore, FirmTeam, TeamStore } from './ports.js';
import type { FirmSettingsService } from './firmSettingsService.js';

export interface ContactDetails {
  contact: Contact;
  clientFiles: { file: ClientFile; scope: string; primary: boolean }[];
  /**
   * Files of the contact the user may not see (services not theirs): counted, never named. The count
   * tells a « Pôle social » user the person is also a client of another service, so that inviting,
   * revoking or changing them is not done as if they were theirs alone.
   */
  otherServiceFiles?: number;
  /** The team the contact joined as a guest, when they did. */
  guestTeam?: FirmTeam;
  /** The latest recorded events about the contact, newest first. */
  history: AuditEntry[];
}

/** Events shown on a contact's card; the full log is in the audit trail. */
export const historyLength = 8;

export const linkFields = ['contact', 'clientFile', 'scope'] as const;
export type LinkField = (typeof linkFields)[number];

/** A link request as it comes from a card or a command: references are typed by people, ids by buttons. */
export interface LinkInput {
  contactId?: string;
  contactEmail?: string;
  clientFileId?: string;
  clientFileCode?: string;
  scope?: string;
  primary?: boolean;
}

export type LinkOutcome =
  | { status: 'linked' | 'updated' | 'unchanged'; contact: Contact; file: ClientFile; scope: string; primary: boolean }
  | { status: 'invalid'; errors: FieldErrors<LinkField> };

export class ContactService {
  constructor(
    private readonly deps: {
      contacts: ContactStore;
      clientFiles: ClientFileStore;
      links: ContactLinkStore;
      firmSettings: FirmSettingsService;
      teams: TeamStore;
      audit: AuditLog;
      clientFileService: ClientFileService;
      now: () => Date;
    },
  ) {}

  async create(actor: Actor, requestId: string, input: ContactInput): Promise<CreateOutcome<Contact, ContactField>> {
    const settings = await this.deps.firmSettings.settings(actor.firmId);
    const validation = validateContact(input, settings.orgRoles);
    if (!validation.ok) return { status: 'invalid', errors: validation.errors };
    const at = this.deps.now();
    const outcome = await this.deps.contacts.insertUnlessEmailExists(
      {
        ...validation.value,
        firmId: actor.firmId,
        searchTokens: contactSearchTokens(validation.value),
        creationRequestId: requestId,
        created: stampOf(actor, at),
        updatedAt: at,
      },
      (contactId) => newAuditEntry({ firmId: actor.firmId, actor: stampOf(actor, at), action: 'contact.created', contactId }),
    );
    if (!outcome.inserted) {
      if (outcome.existing.creationRequestId === requestId) return { status: 'alreadyCreated', record: outcome.existing };
      return { status: 'invalid', errors: { email: { code: 'email.taken', params: { name: [outcome.existing.firstName, outcome.existing.lastName].filter(Boolean).join(' ') } } } };
    }
    return { status: 'created', record: outcome.record };
  }

  /** An e-mail finds its contact; otherwise every word must start a word of the name or e-mail. */
  async find(firmId: string, query: string): Promise<FindOutcome<Contact>> {
    const trimmed = query.trim().slice(0, fieldLimits.searchQuery);
    const email = checkEmail(trimmed);
    if (email.ok) {
      const byEmail = await this.deps.contacts.findByEmail(firmId, email.value);
      return byEmail ? { kind: 'one', record: byEmail } : { kind: 'none' };
    }
    const words = normaliseForSearch(trimmed).split(' ').filter(Boolean);
    if (words.length === 0) return { kind: 'none' };
    const matches = await this.deps.contacts.searchByWords(firmId, words, searchPageSize + 1);
    if (matches.length === 0) return { kind: 'none' };
    if (matches.length === 1) return { kind: 'one', record: matches[0]! };
    return { kind: 'many', records: matches.slice(0, searchPageSize), more: matches.length > searchPageSize };
  }

  /**
   * With `visibility` (the policy's visibleServiceIds): files of other services are counted, not
   * listed, and their events left out of the history; a contact whose every file is of another
   * service is refused with OtherServiceError (about: 'contact'). A contact of no file is everyone's,
   * like a file of no service.
   */
  async details(firmId: string, contactId: string, visibility: 'all' | readonly string[] = 'all'): Promise<ContactDetails | null> {
    // Read together: all three need only the id, and nothing is written after.
    const [contact, files, events] = await Promise.all([
      this.deps.contacts.findById(firmId, contactId),
      this.deps.links.clientFilesOfContact(firmId, contactId),
      this.deps.audit.listForContact(firmId, contactId, historyLength),
    ]);
    return contact ? this.detailsWith(contact, files, events, visibility) : null;
  }

  /** The details of a contact already read (found by its e-mail or name): not read again. */
  async detailsOf(contact: Contact, visibility: 'all' | readonly string[] = 'all'): Promise<ContactDetails> {
    const [files, events] = await Promise.all([
      this.deps.links.clientFilesOfContact(contact.firmId, contact.id),
      this.deps.audit.listForContact(contact.firmId, contact.id, historyLength),
    ]);
    return this.detailsWith(contact, files, events, visibility);
  }

  private async detailsWith(contact: Contact, files: { link: ContactLink; file: ClientFile }[], events: AuditEntry[], visibility: 'all' | readonly string[]): Promise<ContactDetails> {
    const linked = files.map(({ link, file }) => ({ file, scope: link.scope, primary: file.primaryContactId === contact.id }));
    const clientFiles = linked.filter((entry) => canSeeService(visibility, entry.file.serviceId));
    if (clientFiles.length === 0 && linked.length > 0) throw new OtherServiceError(linked[0]!.file.serviceId!, 'contact');
    clientFiles.sort((a, b) => a.file.code.localeCompare(b.file.code, 'fr'));
    const guestTeam = contact.guest?.teamId ? ((await this.deps.teams.find(contact.firmId, contact.guest.teamId)) ?? undefined) : undefined;
    const hidden = new Set(linked.filter((entry) => !clientFiles.includes(entry)).map((entry) => entry.file.id));
    // Filtered after the read: the card may show fewer than historyLength events, never another service's.
    const history = events.filter((entry) => !entry.clientFileId || !hidden.has(entry.clientFileId));
    return { contact, clientFiles, otherServiceFiles: hidden.size, guestTeam, history };
  }

  /**
   * Links a contact to a client file (or changes the scope); re-submitting the same link changes nothing.
   * With `visibility`, a file of another service is refused with OtherServiceError before anything is written.
   */
  async link(actor: Actor, input: LinkInput, visibility: 'all' | readonly string[] = 'all'): Promise<LinkOutcome> {
    const form = new FormChecker<LinkField>();
    const scope = form.text('scope', input.scope, { required: false, max: fieldLimits.scope }) ?? unlimitedScope;
    const contact = await this.resolveContact(actor.firmId, input, form);
    const file = await this.resolveClientFile(actor.firmId, input, form);
    if (file && !canSeeService(visibility, file.serviceId)) throw new OtherServiceError(file.serviceId!);
    if (form.hasErrors || !contact || !file) return { status: 'invalid', errors: form.errors };

    const at = this.deps.now();
    const result = await this.deps.links.upsert({ firmId: actor.firmId, clientFileId: file.id, contactId: contact.id, scope, linked: stampOf(actor, at) }, (change) =>
      newAuditEntry({
        firmId: actor.firmId,
        actor: stampOf(actor, at),
        action: change.created ? 'contact.linked' : 'contact.linkScopeChanged',
        clientFileId: file.id,
        contactId: contact.id,
        details: { scope, previousScope: change.previousScope ?? null },
      }),
    );
    // A guest already in a team joins this file's team too (the acceptance watcher does it, now).
    const guest = contact.guest;
    if (result.created && file.guestTeamId && guest && (guest.state === 'accepted' || guest.state === 'member')) {
      await this.deps.contacts.updateGuest(actor.firmId, contact.id, guest.state, { ...guest, nextCheckAt: at });
    }
    let primaryChanged = false;
    if (input.primary) {
      primaryChanged = (await this.deps.clientFileService.setPrimaryContact(actor, file.id, contact.id)) === 'done';
    }
    const refreshed = (await this.deps.clientFiles.findById(actor.firmId, file.id)) ?? file;
    const status = result.created ? 'linked' : result.scopeChanged || primaryChanged ? 'updated' : 'unchanged';
    return { status, contact, file: refreshed, scope, primary: refreshed.primaryContactId === contact.id };
  }

  private async resolveContact(firmId: string, input: LinkInput, form: FormChecker<LinkField>): Promise<Contact | null> {
    if (input.contactId) {
      const byId = await this.deps.contacts.findById(firmId, input.contactId);
      if (!byId) form.errors.contact = { code: 'contact.notFound' };
      return byId;
    }
    const emailText = form.text('contact', input.contactEmail, { required: true, max: 254 });
    if (emailText === undefined) return null;
    const email = form.take('contact', checkEmail(emailText));
    if (!email) return null;
    const byEmail = await this.deps.contacts.findByEmail(firmId, email);
    if (!byEmail) form.errors.contact = { code: 'contact.notFound', params: { email } };
    return byEmail;
  }

  private async resolveClientFile(firmId: string, input: LinkInput, form: FormChecker<LinkField>): Promise<ClientFile | null> {
    if (input.clientFileId) {
      const byId = await this.deps.clientFiles.findById(firmId, input.clientFileId);
      if (!byId) form.errors.clientFile = { code: 'clientFile.notFound' };
      return byId;
    }
    const codeText = form.text('clientFile', input.clientFileCode, { required: true, max: 20 });
    if (codeText === undefined) return null;
    const code = form.take('clientFile', checkClientFileCode(codeText));
    if (!code) return null;
    const byCode = await this.deps.clientFiles.findByCode(firmId, code);
    if (!byCode) form.errors.clientFile = { code: 'clientFile.notFound', params: { code } };
    return byCode;
  }
}
