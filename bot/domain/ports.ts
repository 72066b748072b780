import type { ActorStamp } from './actor.js';
import type { ClientFile } from './clientFile.js';
import type { Contact } from './contact.js';

/**
 * What the domain needs from storage. Every method takes the firm: no query runs without it.
 * Implementations translate "database unreachable" into StorageUnavailableError.
 */
export type InsertOutcome<T> = { inserted: true; record: T } | { inserted: false; existing: T };

export interface ClientFileStore {
  /** Inserts unless the firm already has this code; atomic on the (firm, code) unique key. */
  insertUnlessCodeExists(record: Omit<ClientFile, 'id'>): Promise<InsertOutcome<ClientFile>>;
  findById(firmId: string, id: string): Promise<ClientFile | null>;
  findByCode(firmId: string, code: string): Promise<ClientFile | null>;
  findByIds(firmId: string, ids: string[]): Promise<ClientFile[]>;
  /** Files whose search tokens start with every given word, ordered by name. */
  searchByWords(firmId: string, words: string[], limit: number): Promise<ClientFile[]>;
  setPrimaryContact(firmId: string, id: string, contactId: string, at: Date): Promise<boolean>;
}

export interface ContactStore {
  /** Inserts unless the firm already has this e-mail; atomic on the (firm, email) unique key. */
  insertUnlessEmailExists(record: Omit<Contact, 'id'>): Promise<InsertOutcome<Contact>>;
  findById(firmId: string, id: string): Promise<Contact | null>;
  findByEmail(firmId: string, email: string): Promise<Contact | null>;
  findByIds(firmId: string, ids: string[]): Promise<Contact[]>;
  searchByWords(firmId: string, words: string[], limit: number): Promise<Contact[]>;
}

/** A contact's access to a client file, with its "Limité à" scope. */
export interface ContactLink {
  firmId: string;
  clientFileId: string;
  contactId: string;
  scope: string;
  linked: ActorStamp;
}

export interface ContactLinkStore {
  /** Creates the link or updates its scope; one link per (firm, file, contact). */
  upsert(link: ContactLink): Promise<{ created: boolean; scopeChanged: boolean; previousScope?: string }>;
  listByClientFile(firmId: string, clientFileId: string): Promise<ContactLink[]>;
  listByContact(firmId: string, contactId: string): Promise<ContactLink[]>;
  exists(firmId: string, clientFileId: string, contactId: string): Promise<boolean>;
}

export interface FirmSettings {
  firmId: string;
  orgRoles: string[];
}

export interface FirmStore {
  /** Returns the firm's settings, creating them with the defaults on first contact. */
  ensure(firmId: string, defaults: Omit<FirmSettings, 'firmId'>): Promise<FirmSettings>;
  addOrgRole(firmId: string, role: string): Promise<boolean>;
  removeOrgRole(firmId: string, role: string): Promise<boolean>;
}

export interface AuditEntry {
  firmId: string;
  actor: ActorStamp;
  action: string;
  clientFileId?: string;
  contactId?: string;
  details?: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  listForClientFile(firmId: string, clientFileId: string, limit: number): Promise<AuditEntry[]>;
}

export interface UserPreferenceStore {
  getLocale(firmId: string, userId: string): Promise<string | undefined>;
  setLocale(firmId: string, userId: string, locale: string): Promise<void>;
}
