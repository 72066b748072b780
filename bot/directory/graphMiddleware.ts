import type { AuthenticationProvider, Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { DirectoryError } from '../domain/directory.js';
import type { Logger } from '../logger.js';
import { parseRetryAfter, toDirectoryError } from './graphErrors.js';
import { SlidingWindowLimiter, sleep, systemClock, type LimiterClock, type LimiterLease } from './rateLimiter.js';

/**
 * The middleware chain GraphDirectory gives the Graph client, outermost first:
 * ThrottlingRetryHandler (pacing, retries, logging) -> BearerTokenHandler -> TimeoutHandler -> fetch.
 * We replace the SDK's default chain so throttling follows Graph's guidance exactly and so that
 * every failure leaves as a DirectoryError.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Statuses worth retrying without a person: throttling and a busy service. */
export const retryableStatuses: ReadonlySet<number> = new Set([429, 503, 504]);

/** Exponential back-off with full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffDelayMs(failedAttempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Per-call state handed down the chain as a middleware option: names the operation for logs
 * and errors, and carries the DirectoryError a middleware decided on (the SDK would otherwise
 * wrap it into a GraphError).
 */
export class GraphCallContext implements MiddlewareOptions {
  failure?: DirectoryError;
  attempts = 0;
  constructor(readonly operation: string) {}
}

function callContextOf(context: Context): GraphCallContext {
  const found = context.middlewareControl?.getMiddlewareOptions(GraphCallContext) as GraphCallContext | undefined;
  return found ?? new GraphCallContext(`${context.options?.method ?? 'GET'} ${relativeGraphPath(String(context.request))}`);
}

function fail(call: GraphCallContext, error: DirectoryError): never {
  call.failure = error;
  throw error;
}

/** "/users/abc" for "https://graph.microsoft.com/v1.0/users/abc?$select=id" (query dropped: it may hold e-mails). */
export function relativeGraphPath(url: string): string {
  const path = url.startsWith('http') ? new URL(url).pathname : url.split('?')[0]!;
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  return withSlash.replace(/^.*?\/(?:v1\.0|beta)(?=\/|$)/, '') || '/';
}

/**
 * Client-side limiters named by key: "invitations" (tenant-wide, documented 150 per 5 s) and
 * "team:<id>" (documented 4 requests per second per app on one team).
 */
export class GraphPacing {
  readonly invitations: SlidingWindowLimiter;
  private readonly teams = new Map<string, SlidingWindowLimiter>();

  constructor(
    private readonly options: { invitationsPer5s: number; invitationWindowMs?: number; teamRequestsPerSecond?: number; clock?: LimiterClock },
  ) {
    this.invitations = new SlidingWindowLimiter({
      limit: options.invitationsPer5s,
      windowMs: options.invitationWindowMs ?? 5_000,
      clock: options.clock,
    });
  }

  /** Limiter keys one Graph request counts towards. */
  keysFor(method: string, url: string): string[] {
    const path = relativeGraphPath(url);
    if (method.toUpperCase() === 'POST' && path === '/invitations') return ['invitations'];
    const team = /^\/teams\/([^/]+)(?:\/|$)/.exec(path);
    if (team) return [`team:${decodeURIComponent(team[1]!)}`];
    return [];
  }

  /** Keys of a request as sent; a $batch counts every request it carries. */
  keysForRequest(method: string, url: string, body: unknown): string[] {
    if (method.toUpperCase() === 'POST' && relativeGraphPath(url) === '/$batch' && typeof body === 'string') {
      try {
        const parsed = JSON.parse(body) as { requests?: { method?: unknown; url?: unknown }[] };
        return (parsed.requests ?? []).flatMap((request) =>
          typeof request.method === 'string' && typeof request.url === 'string' ? this.keysFor(request.method, request.url) : [],
        );
      } catch {
        return [];
      }
    }
    return this.keysFor(method, url);
  }

  limiter(key: string): SlidingWindowLimiter {
    if (key === 'invitations') return this.invitations;
    let limiter = this.teams.get(key);
    if (!limiter) {
      limiter = new SlidingWindowLimiter({ limit: this.options.teamRequestsPerSecond ?? 4, windowMs: 1_000, clock: this.options.clock });
      this.teams.set(key, limiter);
    }
    return limiter;
  }

  /** Waits for the slots; release the leases once the request has completed. */
  async acquire(keys: string[]): Promise<LimiterLease[]> {
    const leases: LimiterLease[] = [];
    for (const [key, count] of countKeys(keys)) leases.push(await this.limiter(key).acquire(count));
    return leases;
  }

  /** A 429 pauses the limiters the request used, so concurrent requests wait instead of hitting the wall. */
  pause(keys: string[], ms: number): void {
    for (const key of new Set(keys)) this.limiter(key).pause(ms);
  }
}

function countKeys(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

abstract class ChainedHandler implements Middleware {
  protected nextMiddleware?: Middleware;
  setNext(middleware: Middleware): void {
    this.nextMiddleware = middleware;
  }
  protected next(context: Context): Promise<void> {
    if (!this.nextMiddleware) throw new Error('Graph middleware chain has no terminal handler');
    return this.nextMiddleware.execute(context);
  }
  abstract execute(context: Context): Promise<void>;
}

/** Paces, retries 429/503/504 as Graph documents, and logs each attempt (no body, no query, no token). */
export class ThrottlingRetryHandler extends ChainedHandler {
  constructor(
    private readonly deps: { pacing: GraphPacing; policy: RetryPolicy; logger: Logger; random?: () => number; clock?: LimiterClock },
  ) {
    super();
  }

  /** The last few outcomes per limited key: true for a 429. */
  private readonly recent = new Map<string, boolean[]>();

  /**
   * A stray 429 concerns that request alone. When a good share of the latest answers are 429s
   * (3 of the last 10), the tenant is throttling everyone: hold every waiting request back.
   */
  private sustainedThrottling(keys: string[], throttled: boolean): boolean {
    let sustained = false;
    for (const key of keys) {
      const outcomes = [...(this.recent.get(key) ?? []), throttled].slice(-10);
      this.recent.set(key, outcomes);
      if (outcomes.filter(Boolean).length >= 3) sustained = true;
    }
    return sustained;
  }

  async execute(context: Context): Promise<void> {
    const call = callContextOf(context);
    const clock = this.deps.clock ?? systemClock;
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const url = String(context.request);
    const path = relativeGraphPath(url);
    const keys = this.deps.pacing.keysForRequest(method, url, context.options?.body);

    for (let attempt = 1; ; attempt += 1) {
      call.attempts = attempt;
      const leases = await this.deps.pacing.acquire(keys);
      const started = clock.now();
      try {
        await this.next(context);
      } catch (error) {
        for (const lease of leases) lease.release();
        this.deps.logger.debug('graph request failed', { method, path, attempt, durationMs: clock.now() - started, kind: (error as DirectoryError).kind });
        throw error;
      }
      const response = context.response!;
      // A throttled request was not counted by Graph: its slot goes back to the others.
      for (const lease of leases) (response.status === 429 ? lease.cancel() : lease.release());
      const sustained = this.sustainedThrottling(keys, response.status === 429);
      this.deps.logger.debug('graph request', {
        method,
        path,
        status: response.status,
        attempt,
        durationMs: clock.now() - started,
        ...(keys.length > 1 ? { limitedRequests: keys.length } : {}),
      });
      if (!retryableStatuses.has(response.status)) return;

      const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'), clock.now());
      if (response.status === 429 && retryAfterSeconds !== undefined && sustained) {
        this.deps.pacing.pause(keys, retryAfterSeconds * 1000);
      }
      if (attempt >= this.deps.policy.maxAttempts) {
        const error = await graphErrorBody(response);
        fail(call, toDirectoryError({ status: response.status, ...error, retryAfterSeconds, operation: call.operation }));
      }
      const delay = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : backoffDelayMs(attempt, this.deps.policy, this.deps.random);
      await sleep(delay, clock);
    }
  }
}

async function graphErrorBody(response: Response): Promise<{ code?: string; message?: string }> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: string; message?: string } };
    return { code: body.error?.code, message: body.error?.message };
  } catch {
    return {};
  }
}

/** Adds "Authorization: Bearer <token>" from the auth provider, on every attempt (tokens expire). */
export class BearerTokenHandler extends ChainedHandler {
  constructor(private readonly authProvider: AuthenticationProvider) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = callContextOf(context);
    let token: string;
    try {
      token = await this.authProvider.getAccessToken();
    } catch (error) {
      const name = (error as Error)?.name ?? 'Error';
      const kind = /Authentication|CredentialUnavailable/i.test(name) ? 'forbidden' : 'unavailable';
      fail(call, new DirectoryError(kind, `${call.operation}: could not obtain a Microsoft Graph token (${name})`));
    }
    const options = (context.options ??= {});
    if (options.headers instanceof Headers) options.headers.set('Authorization', `Bearer ${token}`);
    else options.headers = { ...(options.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` };
    await this.next(context);
  }
}

/**
 * Bounds one attempt, response body included (the body is read here, so a server that sends
 * headers then stalls still times out). Network errors and timeouts become 'unavailable'.
 */
export class TimeoutHandler extends ChainedHandler {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = callContextOf(context);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    const options = (context.options ??= {});
    options.signal = controller.signal;
    try {
      await this.next(context);
      const response = context.response!;
      const noBody = response.status === 204 || response.status === 205 || response.status === 304;
      const body = noBody ? null : await response.arrayBuffer();
      context.response = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      if (controller.signal.aborted) {
        fail(call, new DirectoryError('unavailable', `${call.operation}: Microsoft Graph did not answer within ${this.timeoutMs / 1000} s`));
      }
      if (error instanceof DirectoryError) throw error;
      const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.name ?? 'Error';
      fail(call, new DirectoryError('unavailable', `${call.operation}: network error reaching Microsoft Graph (${cause})`));
    } finally {
      clearTimeout(timer);
    }
  }
}
