import type { PortfolioClientView, PortfolioPageView } from '../../bot/api/portfolioPresenter.js';
import type { ImportTally } from '../../bot/domain/importJobs.js';
import type { SupportDetailView, SupportItemView } from '../../bot/api/support.js';

export type { SupportDetailView, SupportItemView };
import type { SettingsView } from '../../bot/api/settings.js';

export type { PortfolioClientView, PortfolioPageView, SettingsView };
export type SettingsOfferView = SettingsView['offers'][number];

/** PATCH /api/settings: the sections changed, as typed (the server checks every value), and the version shown. */
export interface SettingsEditBody {
  expectedVersion: number;
  name?: string;
  guestPolicy?: { reminderAfterDays?: string; maxReminders?: string; allowSharedGuestTeams?: boolean };
  engagementPolicy?: { guestFateAtEnd?: string; reviewAfterDays?: string };
  supportPolicy?: { channelTeamId?: string | null; firstAnswerWithinWorkingDays?: string; autoCloseAfterDays?: string };
  partnerDefaults?: { shine?: { purchases?: boolean; sales?: boolean; billingMode?: string; plan?: string } };
}

/** An offer as its form sends it. */
export interface OfferEditBody {
  name: string;
  description: string;
  priceNote: string;
  paid: boolean;
  steps: string[];
  clientLink: string;
  clientNextStep: string;
}
export type PortfolioItem = PortfolioPageView['items'][number];
export type OnboardingState = 'notInvited' | 'invited' | 'accepted' | 'member' | 'failed' | 'revoked';
export const filterableStates: OnboardingState[] = ['notInvited', 'invited', 'accepted', 'member', 'failed'];
export const pageSizes = [10, 25, 50, 100] as const;

export interface ImportPreview {
  lines: number;
  valid: number;
  invalid: number;
  errors: { line: number; code: string | null; problems: { column: string; message: string }[] }[];
}

/** An import job, as GET /api/imports/:id gives it: progress while it runs, then its report. */
export interface ImportJobView {
  id: string;
  status: 'running' | 'finished';
  fileName: string | null;
  lines: number;
  valid: number;
  refused: number;
  /** Batches of lines written so far, out of all of them. */
  progress: { processed: number; total: number; failed: number };
  report?: ImportTally;
  refusedLines: ImportPreview['errors'];
}

export interface OfferView {
  id: string;
  name: string;
  paid: boolean;
  /** No longer proposed; still named for the files that have it. */
  retired?: boolean;
  description?: string | null;
  priceNote?: string | null;
}

/** A bulk invitation's progress, as GET /api/jobs/:id gives it. */
export interface JobView {
  id: string;
  kind: 'invite' | 'remind' | 'offer';
  offerId: string | null;
  /** Offer proposals only: selected files that have no primary contact, so nobody to propose to. */
  filesWithoutPrimary?: number;
  status: 'running' | 'finished';
  total: number;
  done: number;
  failed: number;
  skipped: number;
  remaining: number;
}

export interface PortfolioRequest {
  page: number;
  pageSize: number;
  search: string;
  states: OnboardingState[];
  /** Offer ids, or 'none' for files without any offer. */
  offers: string[];
  missingSiret: boolean;
  missingPrimaryContact: boolean;
  sort: 'name' | 'code';
  direction: 'asc' | 'desc';
}

/** A field the server refused, named as in the request (`siret`, `equipment.mandate`…); null for the request as a whole. */
export interface FieldProblem {
  field: string | null;
  code: string;
  message: string;
}

/** What the API answers when it refuses a request (bot/api/http/problems.ts): the same shape for every refusal. */
interface ProblemBody {
  code?: string;
  message?: string;
  problems?: FieldProblem[];
}

export type ShinePlan = 'easy' | 'start' | 'plus';
export type ShineBillingMode = 'shineBillsClient' | 'firmRebills';

export interface ShineSetupView {
  purchases: boolean;
  sales: boolean;
  billingMode: ShineBillingMode;
  plan: ShinePlan;
  accountEmail: string;
  activatedAt: string;
  activatedBy: string;
  email: { via: 'graph' | 'manual'; at: string; subject: string } | null;
}

export interface ShineView {
  setup?: ShineSetupView;
  preparation?: {
    primary: { name: string; email: string };
    proposedEmail: string;
    aliasNeeded: boolean;
    emailSubject: string;
    emailBody: string;
    /** The firm's Shine defaults (Paramètres), proposed first. */
    defaults?: { purchases: boolean; sales: boolean; billingMode: ShineBillingMode; plan: ShinePlan };
  };
  refusal?: { code: string; message: string };
  mailerConfigured: boolean;
}

export interface ShineActivation {
  purchases: boolean;
  sales: boolean;
  billingMode: ShineBillingMode;
  plan: ShinePlan;
  accountEmail: string;
  emailSubject: string;
  emailBody: string;
}

export interface ShineActivated {
  setup: ShineSetupView;
  emailSent: boolean;
  emailFailed: boolean;
}

export interface AuditRange {
  from: string;
  to: string;
}

export const helpProducts = ['loop', 'flow', 'shine', 'microsoft365', 'passerelle'] as const;
export const helpDomains = ['offers', 'accounts', 'activation', 'organisation', 'support'] as const;
export const helpAudiences = ['staff', 'clients', 'both'] as const;
export type HelpProduct = (typeof helpProducts)[number];
export type HelpDomain = (typeof helpDomains)[number];

/** One answer of the knowledge base's search (GET /api/help/articles). */
export interface HelpResult {
  id: string;
  title: string;
  product: HelpProduct;
  domain: HelpDomain;
  language: 'fr' | 'en';
  excerpt: string;
}

export interface HelpSearch {
  q: string;
  product?: HelpProduct;
  domain?: HelpDomain;
}

/** An article as GET /api/help/articles/:id gives it; history and feedback for editors only. */
export interface HelpArticleView {
  id: string;
  title: string;
  body: string;
  product: HelpProduct;
  domain: HelpDomain;
  keywords: string[];
  audience: (typeof helpAudiences)[number];
  language: 'fr' | 'en';
  state: 'draft' | 'published' | 'archived';
  version: number;
  updated: { name: string; at: string };
  canEdit: boolean;
  history?: { version: number; action: 'created' | 'edited' | 'published' | 'archived'; by: string; at: string; changed: string[] }[];
  feedback?: { helpful: number; notHelpful: number };
}

export type HelpArticleFields = Pick<HelpArticleView, 'title' | 'body' | 'product' | 'domain' | 'audience' | 'language' | 'keywords'>;

export interface AuditRow {
  at: string;
  who: string;
  action: string;
  /** The action and its details in the user's language, from the server's one table. */
  label: string;
  details: string;
  clientFile: string;
  contact: string;
}

function auditParams(range: AuditRange, format?: 'csv'): URLSearchParams {
  const params = new URLSearchParams({ limit: format ? '5000' : '200' });
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  if (format) params.set('format', format);
  return params;
}

/** What a bulk action acts on: ticked rows, or every file of the current view (all its pages). */
export type BulkSelection = { kind: 'ids'; ids: string[] } | { kind: 'allMatching'; request: PortfolioRequest; total: number };

/**
 * An answer the API refused: status, stable code, and the message in the user's language (shown as is),
 * with each field's problem when there are some.
 */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly problems: FieldProblem[] = [], readonly code?: string) {
    super(message);
  }

  static async of(response: Response): Promise<ApiError> {
    const body = (await response.json().catch(() => ({}))) as ProblemBody;
    return new ApiError(response.status, body.message ?? `HTTP ${response.status}`, body.problems ?? [], body.code);
  }
}

export type GuestFate = 'keep' | 'removeFromTeam' | 'block' | 'delete';
export const guestFates: GuestFate[] = ['keep', 'removeFromTeam', 'block', 'delete'];

/** A contact's form, as the creation form names its fields (bot/domain/contact.ts). */
export interface ContactFormBody {
  lastName: string;
  firstName: string;
  mobile: string;
  landline: string;
  email: string;
  orgRole: string;
  address1: string;
  address2: string;
  address3: string;
  city: string;
}

export interface GuestReviewView {
  afterDays: number;
  guests: { contact: { id: string; firstName: string | null; lastName: string; email: string }; idleSince: string; idleDays: number }[];
}

export type ContactEditAnswer =
  | { status: 'updated' | 'unchanged' | 'identityChangeStarted' }
  | { status: 'confirmIdentityChange'; plan: { from: string; to: string; guestState: string; openOffers: number; defaultOldGuestFate: GuestFate } };

/** Who uses the tab, and whether « Modifier » is theirs to use. */
export interface MeView {
  displayName: string;
  firmId: string;
  canEdit: boolean;
  /** The actions the tab offers: only those the routes would let through. */
  can: { invite: boolean; proposeOffers: boolean; proposePaidOffers: boolean; activatePartnerApps: boolean; readAudit: boolean; editHelpArticles: boolean; support: boolean; administer: boolean };
}

type Editable<T> = { [K in keyof T]?: T[K] extends boolean ? boolean : string };

/** PATCH /api/portfolio/:id: only what changed, plus the version the form was filled from. */
export interface ClientEditBody {
  expectedUpdatedAt: string;
  companyName?: string;
  legalForm?: string;
  siret?: string;
  apeCode?: string;
  taxRegime?: string;
  equipment?: Editable<PortfolioClientView['equipment']>;
  collection?: Editable<PortfolioClientView['collection']>;
  notes?: string;
}

export type SupportMoveName = 'take' | 'answer' | 'askInformation' | 'proposeSolution';
export const supportQueueStates = ['inProgress', 'actionRequired', 'resolved', 'closed'] as const;
export const supportCategoryIds = ['signIn', 'invitation', 'offer', 'flow', 'shine', 'other'] as const;

export interface SupportQuery {
  state: (typeof supportQueueStates)[number] | '';
  category: (typeof supportCategoryIds)[number] | '';
  search: string;
  /** A client file's code. */
  clientFile: string;
  page: number;
}

function supportParams(query: SupportQuery): URLSearchParams {
  const params = new URLSearchParams({ page: String(query.page), pageSize: '25' });
  if (query.state) params.set('state', query.state);
  if (query.category) params.set('category', query.category);
  if (query.search.trim()) params.set('search', query.search.trim());
  if (query.clientFile.trim()) params.set('clientFile', query.clientFile.trim());
  return params;
}

export class PortfolioApi {
  /** `locale` is Teams' (or the browser's in local mode): the API answers its messages and CSV headers in that language. */
  constructor(
    private readonly getToken: () => Promise<string | null>,
    private readonly locale: string,
  ) {}

  list(request: PortfolioRequest, signal?: AbortSignal): Promise<PortfolioPageView> {
    const params = this.query(request);
    params.set('page', String(request.page));
    params.set('pageSize', String(request.pageSize));
    return this.get(`/api/portfolio?${params}`, signal);
  }

  private query(request: PortfolioRequest): URLSearchParams {
    const params = new URLSearchParams({ sort: request.sort, direction: request.direction });
    if (request.search.trim()) params.set('search', request.search.trim());
    if (request.states.length > 0) params.set('state', request.states.join(','));
    if (request.offers.length > 0) params.set('offer', request.offers.join(','));
    if (request.missingSiret) params.set('missingSiret', 'true');
    if (request.missingPrimaryContact) params.set('missingPrimaryContact', 'true');
    return params;
  }

  /** The firm's offer catalogue: labels for the table and the offer filter. */
  offers(signal?: AbortSignal): Promise<{ items: OfferView[] }> {
    return this.get('/api/offers', signal);
  }

  client(id: string, signal?: AbortSignal): Promise<PortfolioClientView> {
    return this.get(`/api/portfolio/${encodeURIComponent(id)}`, signal);
  }

  me(signal?: AbortSignal): Promise<MeView> {
    return this.get('/api/me', signal);
  }

  /** Saves an edit; 400 carries each field's problem, 409 means someone changed the file meanwhile. */
  /** Shine for one client: as it is, or the prepared activation, or why it cannot be activated yet. */
  shine(id: string, signal?: AbortSignal): Promise<ShineView> {
    return this.get(`/api/portfolio/${encodeURIComponent(id)}/shine`, signal);
  }

  activateShine(id: string, body: ShineActivation): Promise<ShineActivated> {
    return this.send(`/api/portfolio/${encodeURIComponent(id)}/shine`, { method: 'POST', body: JSON.stringify(body) });
  }

  /** Ends a contact's offer; `version` is the one shown, so a page out of date is refused (409). `guestFate` when it is their last offer (see endingPlan). */
  endOffer(subscriptionId: string, version: number, guestFate?: GuestFate): Promise<{ state: 'ended'; guest: { fate: GuestFate; outcome: string } | null }> {
    return this.send(`/api/offers/subscriptions/${encodeURIComponent(subscriptionId)}/end`, { method: 'POST', body: JSON.stringify({ expectedVersion: version, guestFate }) });
  }

  /** What ending this offer means for the contact's guest access: asked before ending when it is their last. */
  endingPlan(subscriptionId: string): Promise<{ lastOffer: boolean; asksGuestFate: boolean; defaultFate: GuestFate }> {
    return this.get(`/api/offers/subscriptions/${encodeURIComponent(subscriptionId)}/ending`);
  }

  changeOffer(subscriptionId: string, version: number, offerId: string): Promise<{ state: string; offerId: string; version: number }> {
    return this.send(`/api/offers/subscriptions/${encodeURIComponent(subscriptionId)}/change`, { method: 'POST', body: JSON.stringify({ expectedVersion: version, offerId }) });
  }

  proposeContactOffer(clientFileId: string, contactId: string, offerId: string): Promise<{ status: string }> {
    return this.send(`/api/portfolio/${encodeURIComponent(clientFileId)}/offers`, { method: 'POST', body: JSON.stringify({ contactId, offerId }) });
  }

  /** Saves a contact; an invited guest's new e-mail answers the plan to confirm (then sent again with `confirmIdentity`). */
  updateContact(contactId: string, body: ContactFormBody & { confirmIdentity?: { oldGuestFate: GuestFate; expectedEmail: string } }): Promise<ContactEditAnswer> {
    return this.send(`/api/contacts/${encodeURIComponent(contactId)}`, { method: 'PATCH', body: JSON.stringify(body) });
  }

  addContact(clientFileId: string, body: ContactFormBody & { requestId: string; primary: boolean }): Promise<{ status: string }> {
    return this.send(`/api/portfolio/${encodeURIComponent(clientFileId)}/contacts`, { method: 'POST', body: JSON.stringify(body) });
  }

  linkContact(clientFileId: string, contactEmail: string, primary: boolean): Promise<{ status: string }> {
    return this.send(`/api/portfolio/${encodeURIComponent(clientFileId)}/links`, { method: 'POST', body: JSON.stringify({ contactEmail, primary }) });
  }

  setPrimaryContact(clientFileId: string, contactId: string): Promise<{ status: string }> {
    return this.send(`/api/portfolio/${encodeURIComponent(clientFileId)}/primary`, { method: 'POST', body: JSON.stringify({ contactId }) });
  }

  /** Without `confirmed`: what unlinking would end; with it, done. */
  unlinkContact(contactId: string, clientFileId: string, confirmed: boolean): Promise<{ status: 'confirm' | 'done'; openOffers?: number; primary?: boolean; endedOffers?: number }> {
    return this.send(`/api/contacts/${encodeURIComponent(contactId)}/unlink`, { method: 'POST', body: JSON.stringify({ clientFileId, confirmed }) });
  }

  deleteContact(contactId: string, confirmation: { guestFate: GuestFate } | null): Promise<{ status: 'confirm' | 'done'; files?: number; openOffers?: number; isGuest?: boolean; defaultFate?: GuestFate }> {
    return this.send(`/api/contacts/${encodeURIComponent(contactId)}/delete`, { method: 'POST', body: JSON.stringify(confirmation ? { confirmed: true, guestFate: confirmation.guestFate } : {}) });
  }

  inviteContact(contactId: string, requestId: string): Promise<{ status: string }> {
    return this.send(`/api/contacts/${encodeURIComponent(contactId)}/invite`, { method: 'POST', body: JSON.stringify({ requestId }) });
  }

  remindContact(contactId: string, clientFileId: string, requestId: string): Promise<{ status: string; total: number }> {
    return this.send(`/api/contacts/${encodeURIComponent(contactId)}/remind`, { method: 'POST', body: JSON.stringify({ requestId, clientFileId }) });
  }

  /** Guests without an active offer for the firm's review delay, oldest first. */
  guestReview(signal?: AbortSignal): Promise<GuestReviewView> {
    return this.get('/api/guests/review', signal);
  }

  decideGuestReview(contactId: string, decision: GuestFate): Promise<{ status: 'done'; decision: GuestFate }> {
    return this.send(`/api/guests/${encodeURIComponent(contactId)}/review`, { method: 'POST', body: JSON.stringify({ decision }) });
  }

  revokeGuest(contactId: string, action: 'removedFromTeam' | 'blocked' | 'deleted'): Promise<{ status: string; endedOffers: number }> {
    return this.send(`/api/contacts/${encodeURIComponent(contactId)}/revoke`, { method: 'POST', body: JSON.stringify({ action }) });
  }

  updateClient(id: string, body: ClientEditBody): Promise<PortfolioClientView> {
    return this.send(`/api/portfolio/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(body) });
  }

  /** The current view as a CSV file (same search, filters and sort, every page). */
  exportCsv(request: PortfolioRequest): Promise<Blob> {
    return this.download(`/api/export/portfolio.csv?${this.query(request)}`);
  }

  /** The firm's settings (administrators). */
  settings(signal?: AbortSignal): Promise<SettingsView> {
    return this.get('/api/settings', signal);
  }

  /** Saves sections of the settings; 400 carries each field's problem, 409 means another administrator saved first. */
  updateSettings(body: SettingsEditBody): Promise<SettingsView> {
    return this.send('/api/settings', { method: 'PATCH', body: JSON.stringify(body) });
  }

  /** Adds an offer (no id) or changes one. */
  saveOffer(offerId: string | null, version: number, offer: OfferEditBody): Promise<SettingsView & { savedOfferId?: string }> {
    const path = offerId ? `/api/settings/offers/${encodeURIComponent(offerId)}` : '/api/settings/offers';
    return this.send(path, { method: offerId ? 'PATCH' : 'POST', body: JSON.stringify({ expectedVersion: version, ...offer }) });
  }

  /** Retires an offer, proposes it again, or deletes it when no client has it. */
  setOfferStatus(offerId: string, version: number, status: 'retired' | 'proposed' | 'removed'): Promise<SettingsView> {
    return this.send(`/api/settings/offers/${encodeURIComponent(offerId)}/status`, { method: 'POST', body: JSON.stringify({ expectedVersion: version, status }) });
  }

  /** The audit log between two days (aaaa-mm-jj), newest first; within the user's services. */
  audit(range: AuditRange, signal?: AbortSignal): Promise<{ entries: AuditRow[] }> {
    return this.get(`/api/audit?${auditParams(range)}`, signal);
  }

  auditCsv(range: AuditRange): Promise<Blob> {
    return this.download(`/api/audit?${auditParams(range, 'csv')}`);
  }

  /** The knowledge base: the best answers to a question (or, without one, the published articles), with filters. */
  helpSearch(search: HelpSearch, signal?: AbortSignal): Promise<{ results: HelpResult[]; language: 'fr' | 'en'; emptyQuestion: boolean }> {
    const params = new URLSearchParams();
    if (search.q.trim()) params.set('q', search.q.trim());
    if (search.product) params.set('product', search.product);
    if (search.domain) params.set('domain', search.domain);
    return this.get(`/api/help/articles?${params}`, signal);
  }

  helpArticle(id: string, signal?: AbortSignal): Promise<HelpArticleView> {
    return this.get(`/api/help/articles/${encodeURIComponent(id)}`, signal);
  }

  /** « Cet article vous a-t-il aidé ? »: one answer per reader, a second click changes nothing. */
  helpFeedback(id: string, helpful: boolean): Promise<{ outcome: 'recorded' | 'changed' | 'unchanged' }> {
    return this.send(`/api/help/articles/${encodeURIComponent(id)}/feedback`, { method: 'POST', body: JSON.stringify({ helpful }) });
  }

  /** A new draft (400 names each bad field; 403 without « Base de connaissances – modification »). */
  createHelpArticle(fields: HelpArticleFields): Promise<HelpArticleView> {
    return this.send('/api/help/articles', { method: 'POST', body: JSON.stringify(fields) });
  }

  /** Saves an edit made on `version` (409 when someone changed it meanwhile). */
  updateHelpArticle(id: string, version: number, fields: HelpArticleFields): Promise<HelpArticleView> {
    return this.send(`/api/help/articles/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify({ ...fields, version }) });
  }

  moveHelpArticle(id: string, version: number, to: 'publish' | 'archive'): Promise<HelpArticleView> {
    return this.send(`/api/help/articles/${encodeURIComponent(id)}/${to}`, { method: 'POST', body: JSON.stringify({ version }) });
  }

  private async download(path: string): Promise<Blob> {
    const response = await fetch(path, { headers: await this.headers() });
    if (!response.ok) throw await ApiError.of(response);
    return response.blob();
  }

  private async headers(json = false): Promise<Record<string, string>> {
    const token = await this.getToken();
    return { 'Accept-Language': this.locale, ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(json ? { 'Content-Type': 'application/json' } : {}) };
  }

  /** What the whole CSV contains and each line's errors; nothing is written. */
  previewImport(content: string, fileName?: string): Promise<ImportPreview> {
    return this.send('/api/import/preview', { method: 'POST', body: JSON.stringify({ content, fileName }) });
  }

  /** Starts (or finds again, same requestId) the job writing the valid lines; importing the same file again changes nothing. */
  startImport(content: string, fileName: string | undefined, requestId: string): Promise<ImportJobView> {
    return this.send('/api/import', { method: 'POST', body: JSON.stringify({ requestId, content, fileName }) });
  }

  importJob(id: string, signal?: AbortSignal): Promise<ImportJobView> {
    return this.get(`/api/imports/${encodeURIComponent(id)}`, signal);
  }

  /** Every line's outcome (written, refused and why) as CSV in the user's language. */
  importReportCsv(id: string): Promise<Blob> {
    return this.download(`/api/imports/${encodeURIComponent(id)}/report`);
  }

  /** Starts (or finds again, same requestId) the invitation of the selected files' contacts. */
  inviteClientFiles(selection: BulkSelection, requestId: string): Promise<JobView> {
    return this.send('/api/invitations', { method: 'POST', body: JSON.stringify({ requestId, ...this.selectionBody(selection) }) });
  }

  /** Starts (or finds again) the reminder of the selected files' contacts whose invitation still waits. */
  remindClientFiles(selection: BulkSelection, requestId: string): Promise<JobView> {
    return this.send('/api/reminders', { method: 'POST', body: JSON.stringify({ requestId, ...this.selectionBody(selection) }) });
  }

  /** Starts (or finds again) the proposal of an offer to each selected file's primary contact. */
  proposeOffer(selection: BulkSelection, offerId: string, requestId: string): Promise<JobView> {
    return this.send('/api/offers/proposals', { method: 'POST', body: JSON.stringify({ requestId, offerId, who: 'primary', ...this.selectionBody(selection) }) });
  }

  private selectionBody(selection: BulkSelection) {
    return selection.kind === 'ids' ? { clientFileIds: selection.ids } : { allMatching: Object.fromEntries(this.query(selection.request)) };
  }

  job(id: string, signal?: AbortSignal): Promise<JobView> {
    return this.get(`/api/jobs/${encodeURIComponent(id)}`, signal);
  }

  /** The support's queue (« Assistance – modification »): one page, with the counts of each state. */
  supportQueue(query: SupportQuery, signal?: AbortSignal): Promise<{ items: SupportItemView[]; total: number; counts: Record<string, number>; page: number; pageSize: number }> {
    return this.get(`/api/support/requests?${supportParams(query)}`, signal);
  }

  supportRequest(id: string, signal?: AbortSignal): Promise<SupportDetailView> {
    return this.get(`/api/support/requests/${encodeURIComponent(id)}`, signal);
  }

  /** One of the support's moves; `expectedVersion` is the one shown, so a page out of date is refused (409). */
  supportMove(id: string, body: { move: SupportMoveName; expectedVersion: number; text?: string }): Promise<SupportDetailView> {
    return this.send(`/api/support/requests/${encodeURIComponent(id)}/actions`, { method: 'POST', body: JSON.stringify(body) });
  }

  supportCsv(query: SupportQuery): Promise<Blob> {
    return this.download(`/api/support/requests/export.csv?${supportParams({ ...query, page: 1 })}`);
  }

  private get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.send(path, { signal });
  }

  private async send<T>(path: string, init: RequestInit): Promise<T> {
    const response = await fetch(path, { ...init, headers: await this.headers(Boolean(init.body)) });
    if (!response.ok) throw await ApiError.of(response);
    return (await response.json().catch(() => ({}))) as T;
  }
}
