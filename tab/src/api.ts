import type { PortfolioClientView, PortfolioPageView } from '../../bot/api/portfolioPresenter.js';

export type { PortfolioClientView, PortfolioPageView };
export type PortfolioItem = PortfolioPageView['items'][number];
export type OnboardingState = 'notInvited' | 'invited' | 'accepted' | 'member' | 'failed' | 'revoked';
export const filterableStates: OnboardingState[] = ['notInvited', 'invited', 'accepted', 'member', 'failed'];
export const pageSizes = [10, 25, 50, 100] as const;

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
    const params = new URLSearchParams({ page: String(request.page), pageSize: String(request.pageSize), sort: request.sort, direction: request.direction });
    if (request.search.trim()) params.set('search', request.search.trim());
    if (request.states.length > 0) params.set('state', request.states.join(','));
    if (request.missingSiret) params.set('missingSiret', 'true');
    if (request.missingPrimaryContact) params.set('missingPrimaryContact', 'true');
    return this.get(`/api/portfolio?${params}`, signal);
  }

  client(id: string, signal?: AbortSignal): Promise<PortfolioClientView> {
    return this.get(`/api/portfolio/${encodeURIComponent(id)}`, signal);
  }

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const token = await this.getToken();
    const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw new ApiError(response.status, body.error ?? `HTTP ${response.status}`);
    return body as T;
  }
}
