import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import { LOCAL_TENANT_TOKEN } from './localTenantToken.js';
import { faultProblems, seededRandom, type LocalTenantFaults } from './localTenant/faults.js';
import {
  emptyCounters,
  graphError,
  GraphRouter,
  type GraphOperationResponse,
  type LocalTenantCounters,
  type SentInvitationRecord,
  type SentMailRecord,
} from './localTenant/graphRouter.js';
import { acceptedPage, blockedPage, inboxPage, unknownLinkPage } from './localTenant/redeemPage.js';
import { TenantStore, type TenantTeam, type TenantUser } from './localTenant/store.js';

/**
 * The local tenant: a stand-in for Microsoft Graph v1.0 on 127.0.0.1, for `npm start` and the
 * tests. It speaks Graph's HTTP contract for exactly the endpoints Passerelle uses, so
 * GraphDirectory runs unchanged against it (bearer token "local-tenant"). Guests accept their
 * invitation by opening the redeem link in a browser.
 *
 * Control API (no authentication, loopback only):
 *   POST /_local/faults   replace the injected faults (see LocalTenantFaults)
 *   GET  /_local/state    users, teams, invitations sent, faults, counters
 *   POST /_local/reset    forget users, links, memberships, counters and faults (declared teams stay)
 *   POST /_local/accept   {email}: as if the guest opened the redeem link
 *   POST /_local/teams    {id, displayName}: declare a team
 */

export type { LocalTenantFaults } from './localTenant/faults.js';
export type { LocalTenantCounters, SentInvitationRecord, SentMailRecord } from './localTenant/graphRouter.js';
export type { TenantTeam, TenantUser } from './localTenant/store.js';
export { seededRandom } from './localTenant/faults.js';

export interface LocalTenantOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Domain of guest UPNs: lea_boulangerie-bernard.fr#EXT#@<tenantDomain>. */
  tenantDomain?: string;
  tenantId?: string;
  /** Documented tenant limit: 150 invitations per 5 s. */
  invitationsPer5s?: number;
  /** Window of that limit; 5 s as documented (shorter only in tests). */
  invitationWindowMs?: number;
  /** Documented: 4 requests per second per app on one team. */
  teamRequestsPerSecond?: number;
  teams?: { id: string; displayName: string }[];
  /** JSON file loaded at start and written at stop, so invited guests survive restarts. */
  snapshotPath?: string;
  /** Source of random faults; defaults to a generator seeded with `seed`. */
  random?: () => number;
  seed?: number;
  logger?: Logger;
}

export interface LocalTenantState {
  tenantId: string;
  tenantDomain: string;
  users: TenantUser[];
  teams: TenantTeam[];
  invitations: SentInvitationRecord[];
  /** Messages sent through POST /users/{id}/sendMail. */
  mails: SentMailRecord[];
  faults: LocalTenantFaults;
  counters: LocalTenantCounters;
}

export interface LocalTenant {
  /** Root URL, e.g. http://127.0.0.1:56200 (Graph lives under /v1.0). */
  url: string;
  stop(): Promise<void>;
  /** Replaces the injected faults. */
  setFaults(faults: LocalTenantFaults): void;
  /** A copy of the tenant's state. */
  state(): LocalTenantState;
  reset(): void;
  /** Marks the guest with this address as having redeemed; false when there is none. */
  accept(email: string): boolean;
  declareTeam(id: string, displayName: string): void;
  /** Adds a member of the firm (staff account) to the directory. */
  addMember(email: string, displayName: string): void;
  /** Enables or disables an account, as an administrator does in Entra's admin centre; false when there is none. */
  setAccountEnabled(email: string, enabled: boolean): boolean;
  /** Writes the snapshot now (when there is a snapshot file), as stop does. */
  save(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

class HttpError extends Error {
  constructor(readonly response: GraphOperationResponse) {
    super(String((response.body as { error?: { message?: string } })?.error?.message ?? response.status));
  }
}

export async function startLocalTenant(options: LocalTenantOptions = {}): Promise<LocalTenant> {
  const host = options.host ?? '127.0.0.1';
  const tenantDomain = options.tenantDomain ?? 'cabinet-local.onmicrosoft.com';
  const store = new TenantStore(options.tenantId ?? randomUUID(), tenantDomain);
  for (const team of options.teams ?? []) store.declareTeam(team.id, team.displayName);
  if (options.snapshotPath) await store.loadFrom(options.snapshotPath);

  const logger = options.logger?.child('localTenant');
  const random = options.random ?? seededRandom(options.seed ?? 20_240_601);
  let faults: LocalTenantFaults = {};
  let counters = emptyCounters();
  let invitations: SentInvitationRecord[] = [];
  let mails: SentMailRecord[] = [];
  let baseUrl = '';
  const stopping = new AbortController();

  const router = new GraphRouter({
    store,
    baseUrl: () => baseUrl,
    faults: () => faults,
    random,
    counters: () => counters,
    invitations: () => invitations,
    mails: () => mails,
    invitationsPer5s: options.invitationsPer5s ?? 150,
    invitationWindowMs: options.invitationWindowMs ?? 5_000,
    teamRequestsPerSecond: options.teamRequestsPerSecond ?? 4,
  });

  const acceptUser = (user: TenantUser) => store.accept(user, new Date().toISOString());

  const tenant: LocalTenant = {
    url: '',
    stop: async () => undefined,
    setFaults: (next) => {
      const problems = faultProblems(next);
      if (problems.length > 0) throw new Error(`invalid local tenant faults: ${problems.join('; ')}`);
      faults = structuredClone(next);
    },
    state: () =>
      structuredClone({
        tenantId: store.tenantId,
        tenantDomain,
        users: [...store.users.values()],
        teams: [...store.teams.values()],
        invitations,
        mails,
        faults,
        counters,
      }),
    reset: () => {
      store.clear();
      faults = {};
      counters = emptyCounters();
      invitations = [];
      mails = [];
      router.resetLimits();
    },
    accept: (email) => {
      const user = store.findUserByEmail(email);
      if (!user) return false;
      acceptUser(user);
      return true;
    },
    declareTeam: (id, displayName) => {
      store.declareTeam(id, displayName);
    },
    addMember: (email, displayName) => {
      store.createMember(email, displayName, new Date().toISOString());
    },
    setAccountEnabled: (email, enabled) => {
      const user = store.findUserByEmail(email);
      if (!user) return false;
      user.accountEnabled = enabled;
      return true;
    },
    save: async () => {
      if (options.snapshotPath) await store.saveTo(options.snapshotPath);
    },
  };

  async function handleGraph(request: IncomingMessage, url: URL): Promise<GraphOperationResponse> {
    counters.httpRequests += 1;
    const authorization = request.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!bearer) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (bearer[1] !== LOCAL_TENANT_TOKEN) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');

    if (faults.slowMs) await delay(faults.slowMs, stopping.signal);
    const body = await readJsonBody(request);
    const path = url.pathname.slice('/v1.0'.length) || '/';
    const method = (request.method ?? 'GET').toUpperCase();
    if (path === '/$batch') {
      if (method !== 'POST') return graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
      counters.batchRequests += 1;
      return router.handleBatch(body);
    }
    const headers = Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, String(value)]));
    return router.handle({ method, path, query: url.searchParams, headers, body });
  }

  function redeem(token: string): { status: number; html: string } {
    const ticket = store.tickets.get(token);
    const user = ticket ? store.users.get(ticket.userId) : undefined;
    if (!ticket || !user) return { status: 404, html: unknownLinkPage() };
    if (!user.accountEnabled) return { status: 403, html: blockedPage() };
    acceptUser(user);
    return { status: 200, html: acceptedPage(user.displayName ?? user.mail, ticket.redirectUrl) };
  }

  async function handleControl(request: IncomingMessage, url: URL): Promise<{ status: number; body?: unknown }> {
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /_local/state') return { status: 200, body: tenant.state() };
    if (route === 'POST /_local/reset') {
      tenant.reset();
      return { status: 200, body: { reset: true } };
    }
    if (route === 'POST /_local/faults') {
      const next = await readJsonBody(request);
      const problems = faultProblems(next);
      if (problems.length > 0) return { status: 400, body: { error: { code: 'BadRequest', message: problems.join('; ') } } };
      tenant.setFaults(next as LocalTenantFaults);
      return { status: 200, body: { faults } };
    }
    if (route === 'POST /_local/accept') {
      const email = ((await readJsonBody(request)) as { email?: unknown } | undefined)?.email;
      if (typeof email !== 'string' || !email) return { status: 400, body: { error: { code: 'BadRequest', message: '"email" is required' } } };
      const user = store.findUserByEmail(email);
      if (!user) return { status: 404, body: { error: { code: 'NotFound', message: 'no user with this address' } } };
      acceptUser(user);
      return { status: 200, body: { id: user.id, externalUserState: user.externalUserState, externalUserStateChangeDateTime: user.externalUserStateChangeDateTime } };
    }
    if (route === 'POST /_local/teams') {
      const team = (await readJsonBody(request)) as { id?: unknown; displayName?: unknown } | undefined;
      if (typeof team?.id !== 'string' || !team.id || typeof team.displayName !== 'string' || !team.displayName) {
        return { status: 400, body: { error: { code: 'BadRequest', message: '"id" and "displayName" are required strings' } } };
      }
      store.declareTeam(team.id, team.displayName);
      return { status: 201, body: store.teams.get(team.id) };
    }
    return { status: 404, body: { error: { code: 'NotFound', message: `no control endpoint ${route}` } } };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local-tenant');
    const started = Date.now();
    let status: number;
    try {
      if (url.pathname === '/v1.0' || url.pathname.startsWith('/v1.0/')) {
        const result = await handleGraph(request, url);
        status = result.status;
        const clientRequestId = request.headers['client-request-id'];
        response.writeHead(result.status, { ...result.headers, ...(clientRequestId ? { 'client-request-id': String(clientRequestId) } : {}) });
        response.end(result.body === undefined ? undefined : JSON.stringify(result.body));
      } else if (request.method === 'GET' && url.pathname.startsWith('/redeem/')) {
        const page = redeem(decodeURIComponent(url.pathname.slice('/redeem/'.length)));
        status = page.status;
        response.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        response.end(page.html);
      } else if (request.method === 'GET' && url.pathname === '/_local/inbox') {
        status = 200;
        const entries = store.latestTickets().flatMap((ticket) => {
          const user = store.users.get(ticket.userId);
          if (!user || user.userType !== 'Guest') return [];
          const redeemUrl = `${tenant.url}/redeem/${ticket.token}`;
          const sentAt = new Date(ticket.createdDateTime).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' });
          return [{ email: user.mail, displayName: user.displayName ?? user.mail, state: user.externalUserState ?? '', sentAt, sortKey: ticket.createdDateTime, redeemUrl }];
        });
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        const sentMails = [...mails].reverse().map((mail) => ({ ...mail, sentAt: new Date(mail.sentDateTime).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' }) }));
        response.end(inboxPage(entries.sort((a, b) => b.sortKey.localeCompare(a.sortKey)), sentMails));
      } else if (url.pathname.startsWith('/_local/')) {
        const result = await handleControl(request, url);
        status = result.status;
        response.writeHead(result.status, { 'Content-Type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(result.body));
      } else {
        status = 404;
        response.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ error: { code: 'NotFound', message: 'The local tenant serves /v1.0, /redeem and /_local.' } }));
      }
    } catch (error) {
      const failure = error instanceof HttpError ? error.response : graphError(500, 'InternalServerError', 'The local tenant failed to process the request.');
      status = failure.status;
      if (!(error instanceof HttpError)) logger?.error('local tenant request failed', { error });
      if (!response.headersSent) response.writeHead(failure.status, failure.headers);
      response.end(JSON.stringify(failure.body));
    }
    logger?.debug('local tenant request', { method: request.method, path: url.pathname, status, durationMs: Date.now() - started });
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  baseUrl = `http://${publicHost}:${address.port}`;
  tenant.url = baseUrl;

  let stopped: Promise<void> | undefined;
  tenant.stop = () => {
    stopped ??= (async () => {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      if (options.snapshotPath) await store.saveTo(options.snapshotPath);
    })();
    return stopped;
  };
  logger?.info('local tenant listening', { url: baseUrl, teams: store.teams.size, users: store.users.size });
  return tenant;
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(graphError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(
      graphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'),
    );
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
