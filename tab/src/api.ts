import type { PortfolioClientView, PortfolioPageView } from '../../bot/api/portfolioPresenter.js';

export type { PortfolioClientView, PortfolioPageView };
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

export interface ImportResult extends ImportPreview {
  filesCreated: number;
  filesUpdated: number;
  filesUnchanged: number;
  contactsCreated: number;
  contactsUpdated: number;
  contactsUnchanged: number;
}

/** A bulk invitation's progress, as GET /api/jobs/:id gives it. */
export interface JobView {
  id: string;
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
  missingSiret: boolean;
  missingPrimaryContact: boolean;
  sort: 'name' | 'code';
  direction: 'asc' | 'desc';
}

/** An answer the API refused: status and its French message, shown as is. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class PortfolioApi {
  constructor(private readonly getToken: () => Promise<string | null>) {}

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
    if (request.missingSiret) params.set('missingSiret', 'true');
    if (request.missingPrimaryContact) params.set('missingPrimaryContact', 'true');
    return params;
  }

  client(id: string, signal?: AbortSignal): Promise<PortfolioClientView> {
    return this.get(`/api/portfolio/${encodeURIComponent(id)}`, signal);
  }

  /** The current view as a CSV file (same search, filters and sort, every page). */
  async exportCsv(request: PortfolioRequest): Promise<Blob> {
    const params = this.query(request);
    const token = await this.getToken();
    const response = await fetch(`/api/export/portfolio.csv?${params}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      throw new ApiError(response.status, body.error ?? `HTTP ${response.status}`);
    }
    return response.blob();
  }

  /** What the CSV contains and each line's errors; nothing is written. */
  previewImport(content: string): Promise<ImportPreview> {
    return this.send('/api/import/preview', { method: 'POST', body: JSON.stringify({ content }) });
  }

  /** Writes the valid lines; importing the same file again changes nothing. */
  runImport(content: string): Promise<ImportResult> {
    return this.send('/api/import', { method: 'POST', body: JSON.stringify({ content }) });
  }

  /** Starts (or finds again, same requestId) the invitation of the selected files' contacts. */
  inviteClientFiles(clientFileIds: string[], requestId: string): Promise<JobView> {
    return this.send('/api/invitations', { method: 'POST', body: JSON.stringify({ requestId, clientFileIds }) });
  }

  job(id: string, signal?: AbortSignal): Promise<JobView> {
    return this.get(`/api/jobs/${encodeURIComponent(id)}`, signal);
  }

  private get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.send(path, { signal });
  }

  private async send<T>(path: string, init: RequestInit): Promise<T> {
    const token = await this.getToken();
    const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'Content-Type': 'application/json' } : {}) };
    const response = await fetch(path, { ...init, headers });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw new ApiError(response.status, body.error ?? `HTTP ${response.status}`);
    return body as T;
  }
}
