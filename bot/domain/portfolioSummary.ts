import { contactDisplayName } from './contact.js';
import { normaliseForSearch } from './fieldRules.js';
import type { GuestStateName } from './guest.js';
import type { FlowManualStep, ShineBillingMode, ShinePlan } from './partners/partnerApps.js';
import { flowSteps } from './partners/partnerApps.js';
import type { AuditEntry } from './ports.js';

/**
 * Each client file carries a summary of what the console shows and filters on (contacts, their
 * onboarding, offers, Flow, Shine), so that a page of the portfolio is one indexed query on one
 * collection, at 100,000 files as at 10. The summary is derived data: it is recomputed from the
 * records whenever an audit entry about the file or one of its contacts reaches the log, and any
 * file whose summary is missing or of an older shape is rebuilt in the background.
 */
export type OnboardingState = 'notInvited' | GuestStateName;
export const onboardingStates: readonly OnboardingState[] = ['notInvited', 'invited', 'accepted', 'member', 'failed', 'revoked'];

/** Bumped whenever the summary's shape changes: older summaries are rebuilt at start-up. */
export const portfolioSummaryVersion = 3;

export interface PortfolioSummary {
  version: number;
  contactCount: number;
  primary: { name: string; email: string } | null;
  states: Partial<Record<OnboardingState, number>>;
  /** The states present, for the indexed filter « at least one contact in these states ». */
  stateList: OnboardingState[];
  /** Offers not ended, per offer: how many contacts have it active, how many wait for their guest access. */
  offers: { offerId: string; active: number; waiting: number }[];
  /** Offer ids present (not ended), for the indexed offer filter; 'none' when the file has none. */
  offerList: string[];
  flow: { done: number; total: number } | null;
  shine: { purchases: boolean; sales: boolean; plan: ShinePlan; billingMode: ShineBillingMode } | null;
  /** The company name without accents or case: French order on any MongoDB, served by an index. */
  sortName: string;
}

/** What the summary is computed from, for a batch of files (one query per collection). */
export interface SummarySources {
  files: { id: string; firmId: string; companyName: string; primaryContactId?: string }[];
  links: { clientFileId: string; contactId: string }[];
  contacts: { id: string; firstName?: string; lastName: string; email: string; state: OnboardingState }[];
  subscriptions: { clientFileId: string; offerId: string; state: 'waitingForGuest' | 'active' | 'ended' }[];
  flows: { clientFileId: string; steps: Partial<Record<FlowManualStep, unknown>> }[];
  shines: { clientFileId: string; purchases: boolean; sales: boolean; plan: ShinePlan; billingMode: ShineBillingMode }[];
}

export interface PortfolioSummaryStore {
  sourcesOf(firmId: string, clientFileIds: string[]): Promise<SummarySources>;
  /**
   * Saves a summary unless a newer one (read from the records later than `readAt`) is already there:
   * two refreshes racing cannot leave the older picture.
   */
  saveSummary(firmId: string, clientFileId: string, summary: PortfolioSummary, readAt: number): Promise<void>;
  clientFileIdsOfContacts(firmId: string, contactIds: string[]): Promise<string[]>;
  /** Files whose summary is missing or older than `version`, a batch at a time. */
  filesWithStaleSummary(version: number, limit: number): Promise<{ firmId: string; id: string }[]>;
}

/** Flow's step 3 needs the invitation accepted, not only sent (seed 001). */
const hasAccepted = (state: OnboardingState) => state === 'accepted' || state === 'member';

export function summariseFile(file: SummarySources['files'][number], sources: SummarySources): PortfolioSummary {
  const contactIds = new Set(sources.links.filter((link) => link.clientFileId === file.id).map((link) => link.contactId));
  const contacts = sources.contacts.filter((contact) => contactIds.has(contact.id));
  const states: Partial<Record<OnboardingState, number>> = {};
  for (const contact of contacts) states[contact.state] = (states[contact.state] ?? 0) + 1;
  const primary = file.primaryContactId ? contacts.find((contact) => contact.id === file.primaryContactId) : undefined;

  const offers = new Map<string, { offerId: string; active: number; waiting: number }>();
  for (const subscription of sources.subscriptions) {
    if (subscription.clientFileId !== file.id || subscription.state === 'ended') continue;
    const tally = offers.get(subscription.offerId) ?? { offerId: subscription.offerId, active: 0, waiting: 0 };
    if (subscription.state === 'active') tally.active++;
    else tally.waiting++;
    offers.set(subscription.offerId, tally);
  }

  const flow = sources.flows.find((candidate) => candidate.clientFileId === file.id);
  const everyoneAccepted = contacts.length > 0 && contacts.every((contact) => hasAccepted(contact.state));
  const shine = sources.shines.find((candidate) => candidate.clientFileId === file.id);
  return {
    version: portfolioSummaryVersion,
    contactCount: contacts.length,
    primary: primary ? { name: contactDisplayName(primary), email: primary.email } : null,
    states,
    stateList: contacts.length === 0 ? [] : [...new Set(contacts.map((contact) => contact.state))],
    offers: [...offers.values()].sort((a, b) => a.offerId.localeCompare(b.offerId)),
    offerList: offers.size === 0 ? ['none'] : [...offers.keys()].sort(),
    flow: flow
      ? { done: flowSteps.filter((step) => (step === 'usersInvited' ? everyoneAccepted : Boolean(flow.steps[step as FlowManualStep]))).length, total: flowSteps.length }
      : null,
    shine: shine ? { purchases: shine.purchases, sales: shine.sales, plan: shine.plan, billingMode: shine.billingMode } : null,
    sortName: normaliseForSearch(file.companyName),
  };
}

/**
 * Keeps every file's summary in step with its records. Entries arriving together (a bulk invitation
 * records 150 every 5 s) are coalesced: each waits for the next batch that covers it, and a batch
 * reads each collection once for all its files.
 */
export class PortfolioProjector {
  private readonly clock: () => number;
  private pending = new Map<string, { files: Set<string>; contacts: Set<string> }>();
  private running: Promise<void> = Promise.resolve();
  private next: Promise<void> | null = null;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private readonly retryAfterMs: number;

  constructor(private readonly deps: { store: PortfolioSummaryStore; now?: () => number; retryAfterMs?: number }) {
    this.clock = deps.now ?? Date.now;
    this.retryAfterMs = deps.retryAfterMs ?? 5_000;
  }

  /** Called for every entry that reaches the audit log: the files it concerns are recomputed. */
  onAuditEntry(entry: AuditEntry): Promise<void> {
    if (!entry.clientFileId && !entry.contactId) return Promise.resolve();
    const firm = this.pending.get(entry.firmId) ?? { files: new Set<string>(), contacts: new Set<string>() };
    if (entry.clientFileId) firm.files.add(entry.clientFileId);
    if (entry.contactId) firm.contacts.add(entry.contactId);
    this.pending.set(entry.firmId, firm);
    // One batch waits behind the running one and takes everything queued by the time it starts.
    this.next ??= this.running.catch(() => undefined).then(() => this.drain());
    return this.next;
  }

  private drain(): Promise<void> {
    this.next = null;
    const batch = this.pending;
    this.pending = new Map();
    this.running = (async () => {
      let failure: unknown;
      for (const [firmId, work] of batch) {
        try {
          const ids = new Set(work.files);
          if (work.contacts.size > 0) for (const id of await this.deps.store.clientFileIdsOfContacts(firmId, [...work.contacts])) ids.add(id);
          await this.refresh(firmId, [...ids]);
        } catch (error) {
          // The database hiccuped: the work goes back in the queue and is tried again shortly, not dropped.
          failure = error;
          this.requeue(firmId, work);
        }
      }
      if (failure) throw failure;
    })();
    return this.running;
  }

  private requeue(firmId: string, work: { files: Set<string>; contacts: Set<string> }): void {
    const firm = this.pending.get(firmId) ?? { files: new Set<string>(), contacts: new Set<string>() };
    for (const id of work.files) firm.files.add(id);
    for (const id of work.contacts) firm.contacts.add(id);
    this.pending.set(firmId, firm);
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.next ??= this.running.catch(() => undefined).then(() => this.drain());
      // A retry that fails again requeues itself; nobody awaits it, so its error is only dropped here.
      this.next.catch(() => undefined);
    }, this.retryAfterMs);
    this.retryTimer.unref?.();
  }

  /** Stops retrying (server shutdown); summaries still queued then wait for their files' next change. */
  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  async refresh(firmId: string, clientFileIds: string[]): Promise<void> {
    if (clientFileIds.length === 0) return;
    // Taken before reading: a refresh that read older records never overwrites one that read newer ones.
    const readAt = this.clock();
    const sources = await this.deps.store.sourcesOf(firmId, clientFileIds);
    for (const file of sources.files) await this.deps.store.saveSummary(firmId, file.id, summariseFile(file, sources), readAt);
  }

  /** Rebuilds missing or outdated summaries (first start, after an upgrade), a batch per firm at a time. */
  async rebuildStale(batchSize = 500): Promise<number> {
    let rebuilt = 0;
    const seen = new Set<string>();
    for (;;) {
      const stale = (await this.deps.store.filesWithStaleSummary(portfolioSummaryVersion, batchSize)).filter((file) => !seen.has(file.id));
      // A file that stays stale after its refresh (deleted meanwhile) must not keep the loop going.
      if (stale.length === 0) return rebuilt;
      for (const file of stale) seen.add(file.id);
      const byFirm = new Map<string, string[]>();
      for (const file of stale) byFirm.set(file.firmId, [...(byFirm.get(file.firmId) ?? []), file.id]);
      for (const [firmId, ids] of byFirm) await this.refresh(firmId, ids);
      rebuilt += stale.length;
    }
  }
}
