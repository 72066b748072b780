import { randomUUID } from 'node:crypto';
import type { Invitation, InvitedUserMessageInfo } from '@microsoft/microsoft-graph-types';
import { SlidingWindowLimiter } from '../rateLimiter.js';
import { drawFault, isRefusedDomain, type LocalTenantFaults } from './faults.js';
import { parseMemberUserIdFilter, parseSelect, parseUserEmailFilter, projectUser, unquote } from './odata.js';
import { TenantStore, type TenantTeam, type TenantUser } from './store.js';

/**
 * The Graph v1.0 endpoints Passerelle uses, answered like Graph answers them (statuses, bodies,
 * errors). One operation at a time: the HTTP server and $batch both come through here, so every
 * request counts for limits and faults.
 */

export interface GraphOperationRequest {
  method: string;
  /** Path below /v1.0, e.g. "/users/abc". */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: unknown;
}

export interface GraphOperationResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface LocalTenantCounters {
  /** HTTP requests to /v1.0 ($batch envelopes included). */
  httpRequests: number;
  /** POST /$batch envelopes. */
  batchRequests: number;
  /** Graph operations: plain requests plus each request inside a $batch. */
  graphRequests: number;
  /** 429 answers (plain and inside batches). */
  throttled: number;
  /** Injected 503 answers. */
  unavailable: number;
  /** Graph operations by template, e.g. "GET /users/{id}". */
  byOperation: Record<string, number>;
  /** Invitations created per address (lower case). */
  invitationsByAddress: Record<string, number>;
}

export function emptyCounters(): LocalTenantCounters {
  return { httpRequests: 0, batchRequests: 0, graphRequests: 0, throttled: 0, unavailable: 0, byOperation: {}, invitationsByAddress: {} };
}

/** What the tenant recorded of an invitation e-mail it would have sent. */
export interface SentInvitationRecord {
  id: string;
  userId: string;
  invitedUserEmailAddress: string;
  sendInvitationMessage: boolean;
  messageLanguage: string | null;
  customizedMessageBody: string | null;
  createdDateTime: string;
}

/** A message a firm mailbox sent through POST /users/{id}/sendMail. */
export interface SentMailRecord {
  from: string;
  to: string[];
  subject: string;
  body: string;
  sentDateTime: string;
}

export interface GraphRouterDeps {
  store: TenantStore;
  /** Public root of the local tenant, e.g. http://127.0.0.1:56200 */
  baseUrl: () => string;
  faults: () => LocalTenantFaults;
  random: () => number;
  counters: () => LocalTenantCounters;
  invitations: () => SentInvitationRecord[];
  mails: () => SentMailRecord[];
  invitationsPer5s: number;
  invitationWindowMs: number;
  teamRequestsPerSecond: number;
}

const jsonHeaders = { 'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8' };
const MAX_BATCH = 20;

export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): GraphOperationResponse {
  const requestId = randomUUID();
  return {
    status,
    headers: { ...jsonHeaders, 'request-id': requestId, ...headers },
    body: { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId } } },
  };
}

function json(status: number, body: unknown): GraphOperationResponse {
  return { status, headers: { ...jsonHeaders, 'request-id': randomUUID() }, body };
}

const noContent: GraphOperationResponse = { status: 204, headers: {} };

interface Route {
  /** "GET /users/{id}" */
  operation: string;
  teamId?: string;
  run: () => GraphOperationResponse;
}

export class GraphRouter {
  private invitationLimiter: SlidingWindowLimiter;
  private teamLimiters = new Map<string, SlidingWindowLimiter>();

  constructor(private readonly deps: GraphRouterDeps) {
    this.invitationLimiter = new SlidingWindowLimiter({ limit: deps.invitationsPer5s, windowMs: deps.invitationWindowMs });
  }

  private get root(): string {
    return `${this.deps.baseUrl()}/v1.0`;
  }

  resetLimits(): void {
    this.invitationLimiter = new SlidingWindowLimiter({ limit: this.deps.invitationsPer5s, windowMs: this.deps.invitationWindowMs });
    this.teamLimiters.clear();
  }

  /** One Graph operation: faults, then limits, then the endpoint. */
  handle(request: GraphOperationRequest): GraphOperationResponse {
    const counters = this.deps.counters();
    const method = request.method.toUpperCase();
    let segments: string[];
    try {
      segments = request.path.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return graphError(400, 'BadRequest', 'The request URI is not valid.');
    }
    const route = this.route(method, segments, request);
    counters.graphRequests += 1;
    if ('status' in route) return route;
    counters.byOperation[route.operation] = (counters.byOperation[route.operation] ?? 0) + 1;

    const fault = drawFault(this.deps.faults(), `${method} ${request.path}`, this.deps.random);
    if (fault?.status === 429) return this.throttled(fault.retryAfterSeconds);
    if (fault?.status === 503) {
      counters.unavailable += 1;
      return graphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.');
    }

    const limiter = route.operation === 'POST /invitations' ? this.invitationLimiter : route.teamId !== undefined ? this.teamLimiter(route.teamId) : null;
    if (limiter && !limiter.tryAcquire()) return this.throttled(Math.max(1, Math.ceil(limiter.delayFor() / 1000)));
    return route.run();
  }

  /** POST /$batch: validates the envelope, then runs each request in order through handle(). */
  handleBatch(body: unknown): GraphOperationResponse {
    const requests = (body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests) || requests.length === 0) return graphError(400, 'BadRequest', 'The batch request body must have a non-empty "requests" array.');
    if (requests.length > MAX_BATCH) return graphError(400, 'BadRequest', `Number of requests exceeds the limit of ${MAX_BATCH}.`);
    const ids = requests.map((item) => (item as { id?: unknown })?.id);
    if (ids.some((id) => typeof id !== 'string' || !id)) return graphError(400, 'BadRequest', 'Every request of a batch needs a string "id".');
    if (new Set(ids.map((id) => String(id).toLowerCase())).size !== ids.length) return graphError(400, 'BadRequest', 'Batch request ids must be unique.');

    const statuses = new Map<string, number>();
    const responses = requests.map((item) => {
      const sub = item as { id: string; method?: unknown; url?: unknown; headers?: unknown; body?: unknown; dependsOn?: unknown };
      const response = this.runBatchItem(sub, statuses);
      statuses.set(sub.id, response.status);
      return { id: sub.id, status: response.status, headers: response.headers, ...(response.body !== undefined ? { body: response.body } : {}) };
    });
    return json(200, { responses });
  }

  private runBatchItem(
    sub: { id: string; method?: unknown; url?: unknown; headers?: unknown; body?: unknown; dependsOn?: unknown },
    statuses: Map<string, number>,
  ): GraphOperationResponse {
    if (typeof sub.method !== 'string' || typeof sub.url !== 'string') return graphError(400, 'BadRequest', 'A batch request needs "method" and "url".');
    if (/^[a-z]+:\/\//i.test(sub.url)) return graphError(400, 'BadRequest', 'Batch request urls must be relative to the version root, e.g. "/users".');
    const headers = Object.fromEntries(
      Object.entries(sub.headers && typeof sub.headers === 'object' ? (sub.headers as Record<string, unknown>) : {}).map(([key, value]) => [key.toLowerCase(), String(value)]),
    );
    if (sub.body !== undefined && !headers['content-type']) return graphError(400, 'BadRequest', 'A batch request with a body must have a Content-Type header.');
    const dependsOn = Array.isArray(sub.dependsOn) ? sub.dependsOn.map(String) : [];
    for (const dependency of dependsOn) {
      const status = statuses.get(dependency);
      if (status === undefined) return graphError(400, 'BadRequest', `dependsOn refers to "${dependency}", which does not come earlier in the batch.`);
      if (status >= 400) return graphError(424, 'FailedDependency', 'A request this one depends on failed.');
    }
    const [rawPath, rawQuery = ''] = sub.url.split('?', 2) as [string, string?];
    const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
    if (path === '/$batch') return graphError(400, 'BadRequest', 'A batch cannot contain another batch.');
    return this.handle({ method: sub.method, path, query: new URLSearchParams(rawQuery), headers, body: sub.body });
  }

  private throttled(retryAfterSeconds: number): GraphOperationResponse {
    this.deps.counters().throttled += 1;
    return graphError(429, 'TooManyRequests', 'Too many requests. Retry after the delay given in the Retry-After header.', {
      'Retry-After': String(retryAfterSeconds),
    });
  }

  private teamLimiter(teamId: string): SlidingWindowLimiter {
    let limiter = this.teamLimiters.get(teamId);
    if (!limiter) {
      limiter = new SlidingWindowLimiter({ limit: this.deps.teamRequestsPerSecond, windowMs: 1_000 });
      this.teamLimiters.set(teamId, limiter);
    }
    return limiter;
  }

  private route(method: string, segments: string[], request: GraphOperationRequest): Route | GraphOperationResponse {
    const [collection, id, sub, subId, ...extra] = segments;
    const notAllowed = graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    if (collection === 'invitations' && id === undefined) {
      return method === 'POST' ? { operation: 'POST /invitations', run: () => this.invite(request.body) } : notAllowed;
    }
    if (collection === 'users' && id === undefined) {
      return method === 'GET' ? { operation: 'GET /users', run: () => this.listUsers(request.query) } : notAllowed;
    }
    if (collection === 'users' && sub === undefined) {
      const userId = id!;
      if (method === 'GET') return { operation: 'GET /users/{id}', run: () => this.getUser(userId, request.query) };
      if (method === 'PATCH') return { operation: 'PATCH /users/{id}', run: () => this.patchUser(userId, request.body) };
      if (method === 'DELETE') return { operation: 'DELETE /users/{id}', run: () => this.deleteUser(userId) };
      return notAllowed;
    }
    if (collection === 'users' && id !== undefined && sub === 'sendMail' && subId === undefined) {
      const mailbox = id;
      return method === 'POST' ? { operation: 'POST /users/{id}/sendMail', run: () => this.sendMail(mailbox, request.body) } : notAllowed;
    }
    if (collection === 'teams' && id !== undefined && sub === 'members' && extra.length === 0) {
      const teamId = id;
      if (subId === undefined) {
        if (method === 'GET') return { operation: 'GET /teams/{id}/members', teamId, run: () => this.withTeam(teamId, (team) => this.listMembers(team, request.query)) };
        if (method === 'POST') return { operation: 'POST /teams/{id}/members', teamId, run: () => this.withTeam(teamId, (team) => this.addMember(team, request.body)) };
        return notAllowed;
      }
      if (method === 'GET') return { operation: 'GET /teams/{id}/members/{id}', teamId, run: () => this.withTeam(teamId, (team) => this.getMember(team, subId)) };
      if (method === 'DELETE') return { operation: 'DELETE /teams/{id}/members/{id}', teamId, run: () => this.withTeam(teamId, (team) => this.removeMember(team, subId)) };
      return notAllowed;
    }
    const segment = collection !== undefined && !['invitations', 'users', 'teams'].includes(collection) ? collection : (segments[segments.length - 1] ?? '');
    return graphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  }

  /** Graph answers 202 Accepted; the local tenant keeps the message for tests and the inbox page. */
  private sendMail(mailbox: string, body: unknown): GraphOperationResponse {
    const sender = this.deps.store.users.get(mailbox) ?? this.deps.store.findUserByEmail(mailbox);
    if (!sender || sender.userType !== 'Member') return graphError(404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    const message = (body as { message?: { subject?: unknown; body?: { content?: unknown }; toRecipients?: { emailAddress?: { address?: unknown } }[] } } | undefined)?.message;
    const to = (message?.toRecipients ?? []).map((recipient) => recipient.emailAddress?.address).filter((address): address is string => typeof address === 'string' && address.includes('@'));
    if (!message || typeof message.subject !== 'string' || typeof message.body?.content !== 'string' || to.length === 0) {
      return graphError(400, 'ErrorInvalidRecipients', 'A message needs a subject, a body and at least one recipient.');
    }
    this.deps.mails().push({ from: sender.mail, to, subject: message.subject, body: message.body.content, sentDateTime: this.now() });
    return { status: 202, headers: {} };
  }

  private now(): string {
    return new Date().toISOString();
  }

  private invite(body: unknown): GraphOperationResponse {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return graphError(400, 'BadRequest', 'The request body must be an invitation object.');
    const invitation = body as Invitation & Record<string, unknown>;
    const email = invitation.invitedUserEmailAddress;
    if (typeof email !== 'string' || !email) return graphError(400, 'BadRequest', 'invitedUserEmailAddress is required.');
    if (!isInvitableAddress(email)) return graphError(400, 'BadRequest', 'The invitedUserEmailAddress is not a valid e-mail address.');
    const redirect = invitation.inviteRedirectUrl;
    if (typeof redirect !== 'string' || !/^https?:\/\/\S+$/i.test(redirect)) return graphError(400, 'BadRequest', 'inviteRedirectUrl is required and must be an absolute URL.');
    if (invitation.invitedUserDisplayName != null && typeof invitation.invitedUserDisplayName !== 'string') return graphError(400, 'BadRequest', 'invitedUserDisplayName must be a string.');
    if (invitation.sendInvitationMessage != null && typeof invitation.sendInvitationMessage !== 'boolean') return graphError(400, 'BadRequest', 'sendInvitationMessage must be a boolean.');
    const info = invitation.invitedUserMessageInfo as (InvitedUserMessageInfo & Record<string, unknown>) | null | undefined;
    if (info != null) {
      if (typeof info !== 'object') return graphError(400, 'BadRequest', 'invitedUserMessageInfo must be an object.');
      if (info.customizedMessageBody != null && typeof info.customizedMessageBody !== 'string') return graphError(400, 'BadRequest', 'customizedMessageBody must be a string.');
      if (info.messageLanguage != null && typeof info.messageLanguage !== 'string') return graphError(400, 'BadRequest', 'messageLanguage must be a string.');
      if (info.ccRecipients != null && (!Array.isArray(info.ccRecipients) || info.ccRecipients.length > 1)) return graphError(400, 'BadRequest', 'ccRecipients supports one recipient.');
    }

    const faults = this.deps.faults();
    if (faults.invitationsDisabled) {
      return graphError(403, 'Forbidden', 'Guest invitations not allowed for your company. Contact your company administrator for more details.');
    }
    if (isRefusedDomain(faults, email)) {
      return graphError(400, 'BadRequest', "The invitation was blocked: the recipient's domain is not allowed by the tenant's collaboration restrictions (allow/deny list).");
    }

    const now = this.now();
    const counters = this.deps.counters();
    const address = email.toLowerCase();
    counters.invitationsByAddress[address] = (counters.invitationsByAddress[address] ?? 0) + 1;
    // Inviting an address again returns the same user with a new redeem link, as Graph does.
    const user = this.deps.store.findUserByEmail(email) ?? this.deps.store.createGuest(email, invitation.invitedUserDisplayName ?? undefined, now);
    const ticket = this.deps.store.issueTicket(user.id, redirect, now);
    const id = randomUUID();
    this.deps.invitations().push({
      id,
      userId: user.id,
      invitedUserEmailAddress: email,
      sendInvitationMessage: invitation.sendInvitationMessage ?? false,
      messageLanguage: info?.messageLanguage ?? null,
      customizedMessageBody: info?.customizedMessageBody ?? null,
      createdDateTime: now,
    });
    const response: Invitation & Record<string, unknown> = {
      '@odata.context': `${this.root}/$metadata#invitations/$entity`,
      id,
      inviteRedeemUrl: `${this.deps.baseUrl()}/redeem/${ticket.token}`,
      invitedUserDisplayName: invitation.invitedUserDisplayName ?? null,
      invitedUserType: user.userType,
      invitedUserEmailAddress: email,
      sendInvitationMessage: invitation.sendInvitationMessage ?? false,
      resetRedemption: false,
      inviteRedirectUrl: redirect,
      status: user.externalUserState === 'Accepted' ? 'Completed' : 'PendingAcceptance',
      invitedUserMessageInfo: {
        messageLanguage: info?.messageLanguage ?? null,
        customizedMessageBody: info?.customizedMessageBody ?? null,
        ccRecipients: (info?.ccRecipients as unknown[] | undefined) ?? [{ emailAddress: { name: null, address: null } }],
      } as InvitedUserMessageInfo,
      invitedUser: { id: user.id },
    };
    return json(201, response);
  }

  private listUsers(query: URLSearchParams): GraphOperationResponse {
    const select = parseSelect(query.get('$select'));
    if (!select.ok) return unknownProperty(select.unknown);
    let users = [...this.deps.store.users.values()];
    const filter = query.get('$filter');
    if (filter !== null) {
      const clauses = parseUserEmailFilter(filter);
      if (!clauses) return graphError(400, 'Request_UnsupportedQuery', 'Unsupported or invalid query filter clause specified.');
      users = users.filter((user) =>
        clauses.some((clause) =>
          clause.property === 'mail'
            ? user.mail.toLowerCase() === clause.value.toLowerCase()
            : user.otherMails.some((other) => other.toLowerCase() === clause.value.toLowerCase()),
        ),
      );
    }
    const context = `${this.root}/$metadata#users${select.properties ? `(${select.properties.join(',')})` : ''}`;
    return json(200, { '@odata.context': context, value: users.slice(0, 100).map((user) => projectUser(user, select.properties)) });
  }

  private getUser(userId: string, query: URLSearchParams): GraphOperationResponse {
    const select = parseSelect(query.get('$select'));
    if (!select.ok) return unknownProperty(select.unknown);
    const user = this.deps.store.users.get(userId);
    if (!user) return userNotFound(userId);
    const context = `${this.root}/$metadata#users${select.properties ? `(${select.properties.join(',')})` : ''}/$entity`;
    return json(200, { '@odata.context': context, ...projectUser(user, select.properties) });
  }

  private patchUser(userId: string, body: unknown): GraphOperationResponse {
    const user = this.deps.store.users.get(userId);
    if (!user) return userNotFound(userId);
    if (!body || typeof body !== 'object' || Array.isArray(body)) return graphError(400, 'Request_BadRequest', 'The request body must be a user object.');
    const changes = body as Record<string, unknown>;
    for (const [key, value] of Object.entries(changes)) {
      const valid =
        (key === 'accountEnabled' && typeof value === 'boolean') ||
        (key === 'displayName' && typeof value === 'string' && value.trim() !== '') ||
        (key === 'otherMails' && Array.isArray(value) && value.every((item) => typeof item === 'string'));
      if (!valid) return graphError(400, 'Request_BadRequest', `Invalid value or unsupported property '${key}' for an update of 'microsoft.graph.user'.`);
    }
    Object.assign(user, changes);
    return noContent;
  }

  private deleteUser(userId: string): GraphOperationResponse {
    return this.deps.store.deleteUser(userId) ? noContent : userNotFound(userId);
  }

  private withTeam(teamId: string, run: (team: TenantTeam) => GraphOperationResponse): GraphOperationResponse {
    const team = this.deps.store.teams.get(teamId);
    return team ? run(team) : graphError(404, 'NotFound', `No team found with Group Id ${teamId}`);
  }

  private listMembers(team: TenantTeam, query: URLSearchParams): GraphOperationResponse {
    let members = team.members;
    const filter = query.get('$filter');
    if (filter !== null) {
      const userId = parseMemberUserIdFilter(filter);
      if (userId === null) return graphError(400, 'BadRequest', 'Unsupported or invalid query filter clause specified.');
      members = members.filter((member) => member.userId === userId);
    }
    return json(200, {
      '@odata.context': `${this.root}/$metadata#teams('${team.id}')/members`,
      '@odata.count': members.length,
      value: members.map((member) => this.deps.store.presentMember(team, member)),
    });
  }

  private addMember(team: TenantTeam, body: unknown): GraphOperationResponse {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return graphError(400, 'BadRequest', 'The request body must be a conversationMember object.');
    const member = body as Record<string, unknown>;
    if (member['@odata.type'] !== '#microsoft.graph.aadUserConversationMember') {
      return graphError(400, 'BadRequest', '"@odata.type" must be "#microsoft.graph.aadUserConversationMember".');
    }
    const roles = member.roles ?? [];
    if (!Array.isArray(roles) || roles.some((role) => role !== 'owner' && role !== 'guest')) {
      return graphError(400, 'BadRequest', 'roles may only contain "owner" or "guest" (an ordinary member has no role).');
    }
    const bind = member['user@odata.bind'];
    const bound = typeof bind === 'string' ? /\/users\('((?:[^']|'')+)'\)$/.exec(bind) : null;
    if (!bound) return graphError(400, 'BadRequest', '"user@odata.bind" must be like https://graph.microsoft.com/v1.0/users(\'{id}\').');
    const user: TenantUser | undefined = this.deps.store.users.get(unquote(bound[1]!));
    // Graph documents 404 for a disabled or blocked user too.
    if (!user || !user.accountEnabled) return graphError(404, 'NotFound', 'The user does not exist or is disabled.');

    const context = `${this.root}/$metadata#teams('${team.id}')/members/$entity`;
    const existing = team.members.find((candidate) => candidate.userId === user.id);
    // Graph answers a repeated add with the existing membership.
    if (existing) return json(201, { '@odata.context': context, ...this.deps.store.presentMember(team, existing) });
    const membership = {
      id: TenantStore.membershipId(team.id, user.id),
      userId: user.id,
      roles: [...new Set([...(roles as string[]), ...(user.userType === 'Guest' ? ['guest'] : [])])],
      visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
    };
    team.members.push(membership);
    return json(201, { '@odata.context': context, ...this.deps.store.presentMember(team, membership) });
  }

  private getMember(team: TenantTeam, membershipId: string): GraphOperationResponse {
    const membership = team.members.find((member) => member.id === membershipId);
    if (!membership) return graphError(404, 'NotFound', `Member ${membershipId} not found in the team.`);
    return json(200, { '@odata.context': `${this.root}/$metadata#teams('${team.id}')/members/$entity`, ...this.deps.store.presentMember(team, membership) });
  }

  private removeMember(team: TenantTeam, membershipId: string): GraphOperationResponse {
    const before = team.members.length;
    team.members = team.members.filter((member) => member.id !== membershipId);
    return team.members.length < before ? noContent : graphError(404, 'NotFound', `Member ${membershipId} not found in the team.`);
  }
}

function userNotFound(userId: string): GraphOperationResponse {
  return graphError(404, 'Request_ResourceNotFound', `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`);
}

function unknownProperty(name: string): GraphOperationResponse {
  return graphError(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
}

/**
 * Graph refuses ~ ! # $ % ^ & * ( ) + = [ ] { } \ / | ; : " < > ? , in the invited address;
 * a period or hyphen may not start or end the user name.
 */
export function isInvitableAddress(email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at <= 0) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  return /^[\p{L}\p{N}_'](?:[\p{L}\p{N}._'-]*[\p{L}\p{N}_'])?$/u.test(local) && /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u.test(domain);
}
