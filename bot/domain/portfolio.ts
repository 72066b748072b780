import type { ClientFile } from './clientFile.js';
import type { ClientFileDetails, ClientFileService } from './clientFileService.js';
import { normaliseForSearch } from './fieldRules.js';
import type { OfferSubscription, SubscriptionStore } from './offers/subscription.js';
import type { AuditEntry, AuditLog } from './ports.js';
import { onboardingStates, type OnboardingState, type PortfolioSummary } from './portfolioSummary.js';

export { onboardingStates, type OnboardingState };

/**
 * The firm's portfolio console: every client file with its contacts' onboarding at a glance.
 * Reads only; every query carries the firm.
 */
export const portfolioPageSizes = [10, 25, 50, 100] as const;
export type PortfolioPageSize = (typeof portfolioPageSizes)[number];

export type PortfolioSort = 'name' | 'code';

export interface PortfolioQuery {
  page: number;
  pageSize: PortfolioPageSize;
  /** Typed by staff: words of the name or code, digits of a SIRET, a contact's name or e-mail. */
  search?: string;
  /** Files with at least one contact in one of these states. */
  states?: OnboardingState[];
  /** Files with one of these offers (not ended); 'none': files without any. */
  offers?: string[];
  /** Staff attached to services see those services' files and files of no service; undefined: all. */
  visibleServiceIds?: string[];
  /** Only these files (ticked rows of a bulk action), still within the firm and the visible services. */
  clientFileIds?: string[];
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
  offers?: string[];
  visibleServiceIds?: string[];
  clientFileIds?: string[];
  missingSiret: boolean;
  missingPrimaryContact: boolean;
  sort: PortfolioSort;
  direction: 'asc' | 'desc';
  skip: number;
  limit: number;
}

export interface PortfolioStore {
  /** One page of the firm's files matching the criteria with their summaries, and how many match in all. */
  listPage(firmId: string, criteria: PortfolioCriteria): Promise<{ rows: PortfolioRow[]; total: number }>;
  /** One file's summary (offers, Flow, Shine at a glance), null before it is first computed. */
  summary(firmId: string, clientFileId: string): Promise<PortfolioSummary | null>;
  /** The ids of every matching file, at most `cap` (a bulk action on « all matching the view »). */
  listIds(firmId: string, criteria: PortfolioCriteria, cap: number): Promise<string[]>;
}

/** A bulk action on a whole view acts on at most this many files; the tab says so beyond. */
export const maxFilesPerBulkAction = 20_000;

export interface PortfolioRow {
  file: ClientFile;
  /** Null only until the background rebuild reaches a file written before summaries existed. */
  summary: PortfolioSummary | null;
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
  /** Each contact's offer on this file (ended ones included, staff see the whole story). */
  subscriptions: OfferSubscription[];
  summary: PortfolioSummary | null;
}

export const portfolioHistoryLength = 100;

export class PortfolioService {
  constructor(private readonly deps: { store: PortfolioStore; clientFiles: ClientFileService; audit: AuditLog; subscriptions: Pick<SubscriptionStore, 'listByClientFile'> }) {}

  async list(firmId: string, query: PortfolioQuery): Promise<PortfolioPage> {
    const { rows, total } = await this.deps.store.listPage(firmId, criteriaOf(query));
    return { rows, total, page: query.page, pageSize: query.pageSize };
  }

  /** Every file the view shows, not just its page: what « select all matching » acts on. */
  matchingIds(firmId: string, query: Omit<PortfolioQuery, 'page' | 'pageSize'>): Promise<string[]> {
    return this.deps.store.listIds(firmId, criteriaOf({ ...query, page: 1, pageSize: 10 }), maxFilesPerBulkAction);
  }

  /** Throws OtherServiceError when the file belongs to a service the user cannot see. */
  async client(firmId: string, clientFileId: string, visibility: 'all' | readonly string[] = 'all'): Promise<PortfolioClientDetails | null> {
    const details = await this.deps.clientFiles.details(firmId, clientFileId, visibility);
    if (!details) return null;
    const [subscriptions, summary, ...entries] = await Promise.all([
      this.deps.subscriptions.listByClientFile(firmId, clientFileId),
      this.deps.store.summary(firmId, clientFileId),
      this.deps.audit.listForClientFile(firmId, clientFileId, portfolioHistoryLength),
      ...details.contacts.map((linked) => this.deps.audit.listForContact(firmId, linked.contact.id, portfolioHistoryLength)),
    ]);
    // Each list comes newest first: reversed, events recorded in the same millisecond keep their order.
    return { ...details, subscriptions, summary, history: mergeHistory(entries.flatMap((list) => [...list].reverse())) };
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
    offers: query.offers && query.offers.length > 0 ? [...new Set(query.offers)] : undefined,
    visibleServiceIds: query.visibleServiceIds,
    clientFileIds: query.clientFileIds,
    missingSiret: query.missingSiret === true,
    missingPrimaryContact: query.missingPrimaryContact === true,
    sort: query.sort,
    direction: query.direction,
    skip: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
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
