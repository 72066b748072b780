import type { ActorStamp } from './actor.js';
import type { ClientFile, Equipment, NewClientFile } from './clientFile.js';
import type { ClientFileEditable } from './clientFileEdit.js';
import type { Contact, IdentityChange, ValidContact } from './contact.js';
import type { GuestOnboarding, GuestStateName } from './guest.js';
import type { AuditAction } from './audit.js';
import type { OfferDefinition } from './offers/catalogue.js';
import type { ShineBillingMode, ShinePlan } from './partners/partnerApps.js';

/**
 * What the domain needs from storage. Every method takes the firm: no query runs without it.
 * Implementations translate "database unreachable" into StorageUnavailableError.
 */
export type InsertOutcome<T> = { inserted: true; record: T } | { inserted: false; existing: T };

export interface ClientFileStore {
  /** Inserts unless the firm already has this code; atomic on the (firm, code) unique key. */
  insertUnlessCodeExists(record: NewClientFile, audit?: AuditOfCreation): Promise<InsertOutcome<ClientFile>>;
  findById(firmId: string, id: string): Promise<ClientFile | null>;
  findByCode(firmId: string, code: string): Promise<ClientFile | null>;
  findByIds(firmId: string, ids: string[]): Promise<ClientFile[]>;
  /** Files whose search tokens start with every given word, ordered by name. */
  searchByWords(firmId: string, words: string[], limit: number): Promise<ClientFile[]>;
  /** True when it changed the primary contact (setting the one already primary writes and audits nothing). */
  setPrimaryContact(firmId: string, id: string, contactId: string, at: Date, audit?: AuditEntry): Promise<boolean>;
  /** Leaves the file without a primary contact if it is still this one (the contact left the file). */
  clearPrimaryContact(firmId: string, id: string, contactId: string, at: Date): Promise<boolean>;
  setGuestTeam(firmId: string, id: string, teamId: string, at: Date, audit?: AuditEntry): Promise<boolean>;
  /** Entrusts the file to a service of the structure, or to none (null); false when the file does not exist. */
  setService(firmId: string, id: string, serviceId: string | null, at: Date, audit?: AuditEntry): Promise<boolean>;
  /** Creates the file of this code or updates the given fields (absent ones untouched): an import run twice changes nothing. */
  upsertFromImport(record: NewClientFile, audit?: AuditOfChange<ImportOutcome>): Promise<{ id: string; outcome: 'created' | 'updated' | 'unchanged' }>;
  /** Files of the firm whose guests go to this team. */
  findByGuestTeam(firmId: string, teamId: string, limit: number): Promise<ClientFile[]>;
  /** Ids of the files entrusted to a service other than these (files of no service are not among them). */
  listIdsOfOtherServices(firmId: string, serviceIds: readonly string[]): Promise<string[]>;
  /**
   * Replaces what staff edit on the file, only if it was last changed at `expectedUpdatedAt`:
   * 'changedMeanwhile' when someone else wrote it first. Absent optional fields are removed.
   */
  updateEditable(firmId: string, id: string, expectedUpdatedAt: Date, edit: ClientFileEditable & { searchTokens: string[] }, at: Date, audit?: AuditEntry): Promise<EditOutcome>;
  /** Records the apps a partner activation put in place (Achat, Vente); fields left undefined are untouched. */
  setPartnerEquipment(firmId: string, id: string, apps: Pick<Equipment, 'purchases' | 'sales'>, at: Date): Promise<boolean>;
}

export type EditOutcome = 'updated' | 'changedMeanwhile' | 'notFound';

export interface ContactStore {
  /** Inserts unless the firm already has this e-mail; atomic on the (firm, email) unique key. */
  insertUnlessEmailExists(record: Omit<Contact, 'id'>, audit?: AuditOfCreation): Promise<InsertOutcome<Contact>>;
  findById(firmId: string, id: string): Promise<Contact | null>;
  findByEmail(firmId: string, email: string): Promise<Contact | null>;
  findByIds(firmId: string, ids: string[]): Promise<Contact[]>;
  searchByWords(firmId: string, words: string[], limit: number): Promise<Contact[]>;
  /**
   * Replaces the contact's guest onboarding only if it is still in `expectedState` (undefined: never
   * invited). False when someone else changed it first: the caller re-reads instead of overwriting.
   * The audit entry, if any, is written with the change and only with it.
   */
  updateGuest(firmId: string, contactId: string, expectedState: GuestStateName | undefined, guest: GuestOnboarding, audit?: AuditEntry): Promise<boolean>;
  /**
   * Takes a due check for this watcher: moves nextCheckAt from `expected` to `until` atomically, so
   * two server instances never handle the same guest at once. False when another one took it.
   */
  claimGuestCheck(firmId: string, contactId: string, expected: Date, until: Date): Promise<boolean>;
  /** Creates the contact of this e-mail or updates the given fields; re-running changes nothing. */
  upsertFromImport(record: Omit<Contact, 'id'>, audit?: AuditOfChange<ImportOutcome>): Promise<{ id: string; outcome: 'created' | 'updated' | 'unchanged' }>;
  /** The contact whose guest account is this directory user: how a client writing to Passerelle is recognised. */
  findByGuestUserId(firmId: string, directoryUserId: string): Promise<Contact | null>;
  /** Flags (or clears) an old paid Co-production access; false when the contact does not exist. */
  setLegacyCoproductionLicence(firmId: string, contactId: string, flagged: boolean, audit?: AuditEntry): Promise<boolean>;
  /** Contacts with an old Start identifier (…@onloop.onmicrosoft.com) or an old paid Co-production licence. */
  listLegacy(firmId: string, limit: number): Promise<Contact[]>;
  /** Replaces the e-mail only if it is still `expected`; false when taken or changed meanwhile. */
  changeEmail(firmId: string, contactId: string, expected: string, email: string, searchTokens: string[], audit?: AuditEntry): Promise<'done' | 'changed' | 'taken'>;
  /** Contacts of every firm whose acceptance should be checked now (the watcher is a system process). */
  listGuestsDueForCheck(now: Date, limit: number): Promise<Contact[]>;
  /** Contacts of the firm never invited (or whose invitation failed), oldest first. */
  listNotInvited(firmId: string, limit: number): Promise<Contact[]>;
  /** Accepted guests of the firm not yet in a team, for the given contacts. */
  findByIdsWithGuestState(firmId: string, ids: string[], state: GuestStateName): Promise<Contact[]>;
  /**
   * Replaces what staff edit, e-mail included, only if the e-mail is still `expectedEmail` ('changed'
   * otherwise; 'taken' when another contact of the firm has the new one). `guest`: 'keep' leaves the
   * guest journey, 'reset' ends it (a new address is a new identity), and with an identity change the
   * change is recorded on the contact by the same write.
   */
  updateDetails(
    firmId: string,
    contactId: string,
    expectedEmail: string,
    details: ValidContact & { searchTokens: string[] },
    guest: 'keep' | 'reset' | { identityChange: IdentityChange },
    audit?: AuditEntry,
  ): Promise<'done' | 'changed' | 'taken'>;
  /** Replaces the identity change of this id (a step done, a failure) or, with null, closes it; false when it is not there any more. */
  updateIdentityChange(firmId: string, contactId: string, changeId: string, next: IdentityChange | null, audit?: AuditEntry): Promise<boolean>;
  /** Records a guest review's decision to keep the guest. */
  setReview(firmId: string, contactId: string, review: NonNullable<Contact['review']>, audit?: AuditEntry): Promise<boolean>;
  /** Contacts of the firm who are guests through Passerelle (invited, accepted or in a team). */
  listGuests(firmId: string, limit: number): Promise<Contact[]>;
  /** Removes the contact record (its links and offers are ended first by the use case). */
  delete(firmId: string, contactId: string): Promise<boolean>;
}

/** A contact's access to a client file, with its "Limité à" scope. */
export interface ContactLink {
  firmId: string;
  clientFileId: string;
  contactId: string;
  scope: string;
  linked: ActorStamp;
}

/** What changed a link: its creation, or its scope (with the one replaced). */
export interface LinkChange {
  created: boolean;
  previousScope?: string;
}

export interface ContactLinkStore {
  /** Creates the link or updates its scope; one link per (firm, file, contact). `audit` only when something changed. */
  upsert(link: ContactLink, audit?: AuditOfChange<LinkChange>): Promise<{ created: boolean; scopeChanged: boolean; previousScope?: string }>;
  listByClientFile(firmId: string, clientFileId: string): Promise<ContactLink[]>;
  /** The links of many files at once (a bulk action over a whole filtered portfolio). */
  listByClientFiles(firmId: string, clientFileIds: string[]): Promise<ContactLink[]>;
  listByContact(firmId: string, contactId: string): Promise<ContactLink[]>;
  /** A file's links with their contacts, in one read: what the file's card shows (a link whose contact is gone is left out). */
  contactsOfClientFile(firmId: string, clientFileId: string): Promise<{ link: ContactLink; contact: Contact }[]>;
  /** A contact's links with their files, in one read (a link whose file is gone is left out). */
  clientFilesOfContact(firmId: string, contactId: string): Promise<{ link: ContactLink; file: ClientFile }[]>;
  listByContacts(firmId: string, contactIds: string[]): Promise<ContactLink[]>;
  exists(firmId: string, clientFileId: string, contactId: string): Promise<boolean>;
  /** Removes the link; false when there was none (the use case logs the removal: the record is gone). */
  remove(firmId: string, clientFileId: string, contactId: string): Promise<boolean>;
}

export interface FirmSettings {
  firmId: string;
  /** The firm's name as its clients read it on their cards; absent: see FirmSettingsService.firmName. */
  name?: string;
  orgRoles: string[];
  guestPolicy: GuestPolicy;
  offerCatalogue: OfferDefinition[];
  engagementPolicy: EngagementPolicy;
  supportPolicy: SupportPolicy;
  partnerDefaults: PartnerDefaults;
  /** Flow's first step (the app authorised in the firm's organisation) is the firm's, done once for every file. */
  flowAppAuthorised?: ActorStamp;
  /** Bumped by every change made through the settings' administration: a page out of date is told so. */
  version: number;
}

/** What the partner apps' forms propose before staff choose (seed 002: Shine's flows, billing mode and plan). */
export interface PartnerDefaults {
  shine: { purchases: boolean; sales: boolean; billingMode: ShineBillingMode; plan: ShinePlan };
}

/** What a firm starts with; its version starts at 0. */
export type FirmDefaults = Omit<FirmSettings, 'firmId' | 'version' | 'flowAppAuthorised'>;

/** The parts of the settings the administration changes, each replaced whole. */
export type FirmSettingsChange = Partial<Pick<FirmSettings, 'name' | 'offerCatalogue' | 'guestPolicy' | 'engagementPolicy' | 'supportPolicy' | 'partnerDefaults' | 'flowAppAuthorised'>>;

/** What becomes of a guest whose last active offer ends (seed 000: the firm decides). */
export type GuestFate = 'keep' | 'removeFromTeam' | 'block' | 'delete';
export const guestFates: readonly GuestFate[] = ['keep', 'removeFromTeam', 'block', 'delete'];

export interface EngagementPolicy {
  /** Proposed when a contact's last active offer ends; the person ending it may choose another. */
  guestFateAtEnd: GuestFate;
  /** Guests without any active offer for this many days are listed for review. */
  reviewAfterDays: number;
}

export interface SupportPolicy {
  /** The channel where new support requests are posted; absent: the firm's internal team's general channel. */
  channel?: { teamId: string; channelId: string };
  /** Working days a request may wait for its first answer before the support channel is reminded. */
  firstAnswerWithinWorkingDays: number;
  /** Days a resolved request waits for its requester before it closes by itself. */
  autoCloseAfterDays: number;
}

export interface GuestPolicy {
  /** Days without acceptance before a new invitation is sent. */
  reminderAfterDays: number;
  /** Reminders at most, after the first invitation. */
  maxReminders: number;
  /** Lets one team hold guests of several client companies (they would see each other). */
  allowSharedGuestTeams: boolean;
}

/** A Microsoft Teams team Passerelle knows, because the app is installed in it. */
export interface FirmTeam {
  firmId: string;
  /** The team's id for Microsoft Graph (the Microsoft 365 group id). */
  teamId: string;
  displayName: string;
  /** The firm's own team: guests never go there unless the firm allows it. */
  internal: boolean;
  /** Bot conversation of the team's General channel, for welcome messages. */
  conversationId?: string;
}

export interface TeamStore {
  /** Records or refreshes a team when the app meets it; keeps the firm's "internal" choice. */
  remember(team: Omit<FirmTeam, 'internal'>): Promise<void>;
  list(firmId: string): Promise<FirmTeam[]>;
  find(firmId: string, teamId: string): Promise<FirmTeam | null>;
  setInternal(firmId: string, teamId: string, internal: boolean): Promise<boolean>;
}

export interface FirmStore {
  /** Returns the firm's settings, creating them with the defaults on first contact. */
  ensure(firmId: string, defaults: FirmDefaults): Promise<FirmSettings>;
  updateGuestPolicy(firmId: string, policy: GuestPolicy): Promise<void>;
  addOrgRole(firmId: string, role: string): Promise<boolean>;
  removeOrgRole(firmId: string, role: string): Promise<boolean>;
  setName(firmId: string, name: string): Promise<void>;
  updateEngagementPolicy(firmId: string, policy: EngagementPolicy): Promise<void>;
  updateSupportPolicy(firmId: string, policy: SupportPolicy): Promise<void>;
  /**
   * Applies the change only if the settings are still at `expectedVersion`, bumping it; the entries
   * are written with the change. False when someone changed the settings first.
   */
  applyChange(firmId: string, expectedVersion: number, change: FirmSettingsChange, audit: AuditEntry[]): Promise<boolean>;
}

export interface AuditEntry {
  /**
   * Given when the change is decided (see newAuditEntry): the entry travels with the change on the
   * changed record (an outbox) and may be delivered to the log twice; the log keeps it once.
   */
  id: string;
  firmId: string;
  actor: ActorStamp;
  action: AuditAction;
  clientFileId?: string;
  contactId?: string;
  details?: Record<string, unknown>;
}

/** What staff can look for in the audit log; every field narrows, the firm always applies. */
export interface AuditQuery {
  clientFileId?: string;
  contactId?: string;
  /** Entra id of the person who acted. */
  userId?: string;
  from?: Date;
  to?: Date;
  /** Leaves out entries about these files or these contacts: what a user of other services may not see. */
  excluding?: { clientFileIds: string[]; contactIds: string[] };
}

/** The entry of a creation, built once the store has given the new record its id. */
export type AuditOfCreation = (id: string) => AuditEntry;

/** The entry of a change whose details only the store knows (created or updated, previous value). */
export type AuditOfChange<Change> = (change: Change) => AuditEntry;

export interface ImportOutcome {
  id: string;
  outcome: 'created' | 'updated';
}

/**
 * The audit log. A change to a record hands its entry to the store method making the change, which
 * writes both in one operation (bot/store/auditRelay.ts delivers it); record() is only for entries
 * that change no record: the end of an import, or an outside action already done (an invitation or
 * an e-mail sent) whose record moved on meanwhile, so that its guarded update wrote nothing.
 */
export interface AuditLog {
  record(entry: Omit<AuditEntry, 'id'> & { id?: string }): Promise<void>;
  /** Newest first. */
  search(firmId: string, query: AuditQuery, limit: number): Promise<AuditEntry[]>;
  listForClientFile(firmId: string, clientFileId: string, limit: number): Promise<AuditEntry[]>;
  /** Newest first. */
  listForContact(firmId: string, contactId: string, limit: number): Promise<AuditEntry[]>;
}

export interface UserPreferenceStore {
  getLocale(firmId: string, userId: string): Promise<string | undefined>;
  setLocale(firmId: string, userId: string, locale: string): Promise<void>;
}
