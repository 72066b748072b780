import type { ClientFile } from './clientFile.js';
import type { ClientFileDetails, ClientFileService } from './clientFileService.js';
import { contactDisplayName } from './contact.js';
import { normaliseForSearch } from './fieldRules.js';
import type { GuestStateName } from './guest.js';
import type { AuditEntry, AuditLog } from './ports.js';

/**
 * The firm's portfolio console: every client file with its contacts' onboarding at a glance.
 * Reads only; every query carries the firm.
 */
export const portfolioPageSizes = [10, 25, 50, 100] as const;
export type PortfolioPageSize = (typeof portfolioPageSizes)[number];

/** A contact's onboarding as the console counts it: "notInvited" when the contact has no guest state yet. */
export type OnboardingState = 'notInvited' | GuestStateName;
export const onboardingStates: readonly OnboardingState[] = ['notInvited', 'invited', 'accepted', 'member', 'failed', 'revoked'];

export type PortfolioSort = 'name' | 'code';

export interface PortfolioQuery {
  page: number;
  pageSize: PortfolioPageSize;
  /** Typed by staff: words of the name or code, digits of a SIRET, a contact's name or e-mail. */
  search?: string;
  /** Files with at least one contact in one of these states. */
  states?: OnboardingState[];
  missingSiret?: boolean;
  missingPrimaryContact?: boolean;
  sort: PortfolioSort;
  direction: 'asc' | 'desc';
}

/** What the store is asked for: the query turned into indexable criteria. */
export interface PortfolioCriteria {
  /** Normalised words: each must start one of the file's search tokens... */
  words: string[];
  /** ...or the file's SIRET starts with these digits... */
  siretPrefix?: string;
  /** ...or the file is linked to a contact found by these words or this e-mail prefix. */
  contactWords: string[];
  contactEmailPrefix?: string;
  states?: OnboardingState[];
  missingSiret: boolean;
  missingPrimaryContact: boolean;
  sort: PortfolioSort;
  direction: 'asc' | 'desc';
  skip: number;
  limit: number;
}

/** One contact of a file, as the page aggregation returns it. */
export interface PortfolioContactRow {
  clientFileId: string;
  contactId: string;
  firstName?: string;
  lastName: string;
  email: string;
  state: OnboardingState;
}

export interface PortfolioStore {
  /** One page of the firm's files matching the criteria, and how many match in all. */
  listPage(firmId: string, criteria: PortfolioCriteria): Promise<{ files: ClientFile[]; total: number }>;
  /** The contacts of these files only (one aggregation over the page), with their onboarding state. */
  contactsOfFiles(firmId: string, clientFileIds: string[]): Promise<PortfolioContactRow[]>;
}

export interface PortfolioRow {
  file: ClientFile;
  contacts: {
    count: number;
    primary: { name: string; email: string } | null;
    states: Partial<Record<OnboardingState, number>>;
  };
}

export interface PortfolioPage {
  rows: PortfolioRow[];
  total: number;
  page: number;
  pageSize: PortfolioPageSize;
}

export interface PortfolioClientDetails extends ClientFileDetails {
  /** Events about the file and its contacts, oldest first. */
  history: AuditEntry[];
}

export const portfolioHistoryLength = 100;

export class PortfolioService {
  constructor(private readonly deps: { store: PortfolioStore; clientFiles: ClientFileService; audit: AuditLog }) {}

  async list(firmId: string, query: PortfolioQuery): Promise<PortfolioPage> {
    const { files, total } = await this.deps.store.listPage(firmId, criteriaOf(query));
    const contacts = files.length === 0 ? [] : await this.deps.store.contactsOfFiles(firmId, files.map((file) => file.id));
    const byFile = new Map<string, PortfolioContactRow[]>();
    for (const contact of contacts) {
      const list = byFile.get(contact.clientFileId) ?? [];
      list.push(contact);
      byFile.set(contact.clientFileId, list);
    }
    const rows = files.map((file) => summariseRow(file, byFile.get(file.id) ?? []));
    return { rows, total, page: query.page, pageSize: query.pageSize };
  }

  async client(firmId: string, clientFileId: string): Promise<PortfolioClientDetails | null> {
    const details = await this.deps.clientFiles.details(firmId, clientFileId);
    if (!details) return null;
    const entries = await Promise.all([
      this.deps.audit.listForClientFile(firmId, clientFileId, portfolioHistoryLength),
      ...details.contacts.map((linked) => this.deps.audit.listForContact(firmId, linked.contact.id, portfolioHistoryLength)),
    ]);
    // Each list comes newest first: reversed, events recorded in the same millisecond keep their order.
    return { ...details, history: mergeHistory(entries.flatMap((list) => [...list].reverse())) };
  }
}

export function criteriaOf(query: PortfolioQuery): PortfolioCriteria {
  const search = (query.search ?? '').trim();
  const words = normaliseForSearch(search).split(' ').filter(Boolean);
  const digits = search.replace(/[\s.]/g, '');
  const emailLike = search.includes('@') ? search.toLowerCase() : undefined;
  return {
    words,
    siretPrefix: /^\d{3,14}$/.test(digits) ? digits : undefined,
    contactWords: emailLike ? [] : words,
    contactEmailPrefix: emailLike,
    states: query.states && query.states.length > 0 ? [...new Set(query.states)] : undefined,
    missingSiret: query.missingSiret === true,
    missingPrimaryContact: query.missingPrimaryContact === true,
    sort: query.sort,
    direction: query.direction,
    skip: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  };
}

function summariseRow(file: ClientFile, contacts: PortfolioContactRow[]): PortfolioRow {
  const states: Partial<Record<OnboardingState, number>> = {};
  for (const contact of contacts) states[contact.state] = (states[contact.state] ?? 0) + 1;
  const primary = file.primaryContactId ? contacts.find((contact) => contact.contactId === file.primaryContactId) : undefined;
  return {
    file,
    contacts: {
      count: contacts.length,
      primary: primary ? { name: contactDisplayName(primary), email: primary.email } : null,
      states,
    },
  };
}

/** The file's own events and its contacts' events, once each, oldest first. */
function mergeHistory(entries: AuditEntry[]): AuditEntry[] {
  const seen = new Set<string>();
  const unique = entries.filter((entry) => {
    const key = `${entry.actor.at.getTime()}|${entry.action}|${entry.contactId ?? ''}|${entry.clientFileId ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => a.actor.at.getTime() - b.actor.at.getTime());
  return unique.slice(-portfolioHistoryLength);
}
