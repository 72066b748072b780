import { ClientSecretCredential } from '@azure/identity';
import { Client, GraphError, HTTPMessageHandler, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { AadUserConversationMember, ConversationMember, Invitation, User } from '@microsoft/microsoft-graph-types';
import { isDeployed, type Config } from '../config.js';
import {
  DirectoryError,
  type Directory,
  type DirectoryUser,
  type GuestInvitation,
  type RedemptionState,
  type SentInvitation,
} from '../domain/directory.js';
import type { Logger } from '../logger.js';
import { parseRetryAfter, toDirectoryError, type GraphFailure } from './graphErrors.js';
import { LOCAL_TENANT_TOKEN } from './localTenantToken.js';
import {
  backoffDelayMs,
  BearerTokenHandler,
  defaultRetryPolicy,
  GraphCallContext,
  GraphPacing,
  retryableStatuses,
  ThrottlingRetryHandler,
  TimeoutHandler,
  type RetryPolicy,
} from './graphMiddleware.js';
import { sleep, systemClock, type LimiterClock } from './rateLimiter.js';

export { LOCAL_TENANT_TOKEN };

export const USER_SELECT = 'id,displayName,mail,userType,externalUserState,accountEnabled';
export const MAX_BATCH_REQUESTS = 20;

export interface GraphDirectoryOptions {
  /** Graph root without the version, e.g. https://graph.microsoft.com or the local tenant's URL. */
  baseUrl: string;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Bound of one request attempt. */
  timeoutMs: number;
  /** Client-side pace of POST /invitations per 5 s window (tenant limit: 150, shared by all apps). */
  invitationsPer5s: number;
  logger: Logger;
  /** Documented per-team limit: 4 requests per second per app. */
  teamRequestsPerSecond?: number;
  /** Window of the invitation limiter; 5 s as documented (shorter only in tests). */
  invitationWindowMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Jitter source, injectable for tests. */
  random?: () => number;
  clock?: LimiterClock;
}

interface BatchStep {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root: "/users/{id}?$select=...". */
  url: string;
  body?: unknown;
  operation: string;
}

interface BatchStepResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

type SendResult<T> = { ok: true; value: T } | { ok: false; failure: GraphFailure; error: DirectoryError };

/** Microsoft Graph implementation of the Directory port (app-only, v1.0). */
export class GraphDirectory implements Directory {
  private readonly client: Client;
  private readonly graphRoot: string;
  private readonly pacing: GraphPacing;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly clock: LimiterClock;

  constructor(options: GraphDirectoryOptions) {
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.graphRoot = `${baseUrl}/v1.0`;
    this.logger = options.logger;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? systemClock;
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.pacing = new GraphPacing({
      invitationsPer5s: options.invitationsPer5s,
      invitationWindowMs: options.invitationWindowMs,
      teamRequestsPerSecond: options.teamRequestsPerSecond,
      clock: this.clock,
    });
    const middleware = [
      new ThrottlingRetryHandler({ pacing: this.pacing, policy: this.policy, logger: this.logger, random: this.random, clock: this.clock }),
      new BearerTokenHandler(authProviderFor(baseUrl, options)),
      new TimeoutHandler(options.timeoutMs),
      new HTTPMessageHandler(),
    ];
    this.client = Client.initWithMiddleware({ baseUrl, defaultVersion: 'v1.0', middleware });
  }

  static fromConfig(config: Config, logger: Logger): GraphDirectory {
    return new GraphDirectory({
      // Locally, Graph is the local tenant that npm start runs beside the server.
      baseUrl: config.GRAPH_BASE_URL ?? (isDeployed(config.PASSERELLE_ENV) ? 'https://graph.microsoft.com' : `http://127.0.0.1:${config.LOCAL_TENANT_PORT}`),
      tenantId: config.AAD_APP_TENANT_ID,
      clientId: config.AAD_APP_CLIENT_ID,
      clientSecret: config.SECRET_AAD_APP_CLIENT_SECRET,
      timeoutMs: config.GRAPH_TIMEOUT_SECONDS * 1000,
      invitationsPer5s: config.GRAPH_INVITATIONS_PER_5S,
      logger: logger.child('graph'),
    });
  }

  async findUserByEmail(email: string): Promise<DirectoryUser | null> {
    const address = normalizeEmail(email);
    const page = await this.send<{ value?: User[] }>('GET', usersByEmailUrl(address), { operation: 'GET /users' });
    return pickUserByEmail(page.value ?? [], address);
  }

  async findUsersByEmail(emails: string[]): Promise<Map<string, DirectoryUser | null>> {
    const addresses = [...new Set(emails.map(normalizeEmail))];
    const steps: BatchStep[] = addresses.map((address, index) => ({
      id: String(index + 1),
      method: 'GET',
      url: usersByEmailUrl(address),
      operation: 'GET /users',
    }));
    const responses = await this.runBatches(steps);
    const found = new Map<string, DirectoryUser | null>();
    addresses.forEach((address, index) => {
      const response = responses.get(String(index + 1))!;
      if (response.status !== 200) throw this.stepError(steps[index]!, response);
      found.set(address, pickUserByEmail(((response.body as { value?: User[] })?.value ?? []), address));
    });
    return new Map(emails.map((email) => [email, found.get(normalizeEmail(email)) ?? null]));
  }

  async inviteGuest(invitation: GuestInvitation): Promise<SentInvitation> {
    const body: Invitation = {
      invitedUserEmailAddress: invitation.email.trim(),
      invitedUserDisplayName: invitation.displayName,
      inviteRedirectUrl: invitation.redirectUrl,
      sendInvitationMessage: true,
      invitedUserMessageInfo: {
        // Graph ignores messageLanguage when a customized body is given; we send both anyway.
        messageLanguage: 'fr-FR',
        ...(invitation.personalMessage ? { customizedMessageBody: invitation.personalMessage } : {}),
      },
    };
    const sent = await this.send<Invitation>('POST', '/invitations', { body, operation: 'POST /invitations' });
    const userId = sent.invitedUser?.id;
    if (!userId || !sent.inviteRedeemUrl) {
      throw new DirectoryError('unavailable', 'POST /invitations: the response has no invitedUser.id or inviteRedeemUrl');
    }
    return { userId, redeemUrl: sent.inviteRedeemUrl, status: invitationState(sent.status) };
  }

  async getUser(userId: string): Promise<DirectoryUser | null> {
    const result = await this.trySend<User>('GET', `${userPath(userId)}?$select=${USER_SELECT}`, { operation: 'GET /users/{id}' });
    if (result.ok) return toDirectoryUser(result.value);
    if (result.failure.status === 404) return null;
    throw result.error;
  }

  async getRedemptionStates(userIds: string[]): Promise<Map<string, RedemptionState>> {
    const ids = [...new Set(userIds)];
    const steps: BatchStep[] = ids.map((id, index) => ({
      id: String(index + 1),
      method: 'GET',
      url: `${userPath(id)}?$select=${USER_SELECT}`,
      operation: 'GET /users/{id}',
    }));
    const responses = await this.runBatches(steps);
    const states = new Map<string, RedemptionState>();
    ids.forEach((id, index) => {
      const response = responses.get(String(index + 1))!;
      if (response.status === 404) return;
      if (response.status !== 200) throw this.stepError(steps[index]!, response);
      // No pending invitation (accepted, or never invited: a member) means the user can sign in.
      const state = (response.body as User).externalUserState === 'PendingAcceptance' ? 'PendingAcceptance' : 'Accepted';
      states.set(id, state);
    });
    return states;
  }

  async addGuestToTeam(teamId: string, userId: string): Promise<{ membershipId: string }> {
    const member: AadUserConversationMember & { '@odata.type': string; 'user@odata.bind': string } = {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      roles: ['guest'],
      'user@odata.bind': `${this.graphRoot}/users('${odataString(userId)}')`,
    };
    const result = await this.trySend<ConversationMember>('POST', `${teamPath(teamId)}/members`, {
      body: member,
      operation: 'POST /teams/{id}/members',
    });
    if (result.ok) {
      if (!result.value?.id) throw new DirectoryError('unavailable', 'POST /teams/{id}/members: the response has no membership id');
      return { membershipId: result.value.id };
    }
    // Graph answers a repeated add with the existing membership; should it refuse instead, find it.
    const { status, message } = result.failure;
    if (status === 409 || (status === 400 && /already (?:a member|exist)/i.test(message ?? ''))) {
      const existing = await this.findMembership(teamId, userId);
      if (existing) return { membershipId: existing };
    }
    throw result.error;
  }

  async removeFromTeam(teamId: string, membershipId: string): Promise<void> {
    const result = await this.trySend<void>('DELETE', `${teamPath(teamId)}/members/${encodeURIComponent(membershipId)}`, {
      operation: 'DELETE /teams/{id}/members/{id}',
    });
    // Already gone is the outcome we wanted.
    if (!result.ok && result.failure.status !== 404) throw result.error;
  }

  /** Sends a plain-text message from a firm mailbox (application permission Mail.Send). */
  async sendMail(mailbox: string, message: { to: string; subject: string; body: string }): Promise<void> {
    await this.send<void>('POST', `${userPath(mailbox)}/sendMail`, {
      body: {
        message: { subject: message.subject, body: { contentType: 'Text', content: message.body }, toRecipients: [{ emailAddress: { address: message.to } }] },
        saveToSentItems: true,
      },
      operation: 'POST /users/{id}/sendMail',
    });
  }

  async blockUser(userId: string): Promise<void> {
    await this.send<void>('PATCH', userPath(userId), { body: { accountEnabled: false } satisfies User, operation: 'PATCH /users/{id}' });
  }

  async deleteUser(userId: string): Promise<void> {
    const result = await this.trySend<void>('DELETE', userPath(userId), { operation: 'DELETE /users/{id}' });
    if (!result.ok && result.failure.status !== 404) throw result.error;
  }

  private async findMembership(teamId: string, userId: string): Promise<string | undefined> {
    const filter = `(microsoft.graph.aadUserConversationMember/userId eq '${odataString(userId)}')`;
    const page = await this.send<{ value?: AadUserConversationMember[] }>(
      'GET',
      `${teamPath(teamId)}/members?$filter=${encodeURIComponent(filter)}`,
      { operation: 'GET /teams/{id}/members' },
    );
    return (page.value ?? []).find((member) => member.userId === userId)?.id ?? undefined;
  }

  private async send<T>(method: BatchStep['method'], url: string, options: { body?: unknown; operation: string }): Promise<T> {
    const result = await this.trySend<T>(method, url, options);
    if (!result.ok) throw result.error;
    return result.value;
  }

  private async trySend<T>(method: BatchStep['method'], url: string, options: { body?: unknown; operation: string }): Promise<SendResult<T>> {
    const call = new GraphCallContext(options.operation);
    const request = this.client.api(url).middlewareOptions([call]);
    try {
      let value: unknown;
      if (method === 'GET') value = await request.get();
      else if (method === 'POST') value = await request.post(options.body ?? {});
      else if (method === 'PATCH') value = await request.patch(options.body ?? {});
      else value = await request.delete();
      return { ok: true, value: value as T };
    } catch (error) {
      if (call.failure) return { ok: false, failure: { operation: options.operation }, error: call.failure };
      if (error instanceof DirectoryError) return { ok: false, failure: { operation: options.operation }, error };
      const failure = graphFailureOf(error, options.operation, this.clock.now());
      return { ok: false, failure, error: toDirectoryError(failure) };
    }
  }

  /** Runs steps through POST /$batch, 20 at a time, and retries the steps Graph throttled. */
  private async runBatches(steps: BatchStep[]): Promise<Map<string, BatchStepResponse>> {
    const responses = new Map<string, BatchStepResponse>();
    for (let start = 0; start < steps.length; start += MAX_BATCH_REQUESTS) {
      const chunk = steps.slice(start, start + MAX_BATCH_REQUESTS);
      for (const [id, response] of await this.runBatch(chunk)) responses.set(id, response);
    }
    return responses;
  }

  private async runBatch(steps: BatchStep[]): Promise<Map<string, BatchStepResponse>> {
    const results = new Map<string, BatchStepResponse>();
    let pending = steps;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const requests = pending.map((step) => ({
        id: step.id,
        method: step.method,
        url: step.url,
        ...(step.body !== undefined ? { body: step.body, headers: { 'Content-Type': 'application/json' } } : {}),
      }));
      const batch = await this.send<{ responses?: BatchStepResponse[] }>('POST', '/$batch', { body: { requests }, operation: 'POST /$batch' });
      const byId = new Map((batch.responses ?? []).map((response) => [String(response.id), response]));
      const retry: BatchStep[] = [];
      let retryAfterSeconds: number | undefined;
      for (const step of pending) {
        const response = byId.get(step.id) ?? { id: step.id, status: 502, body: { error: { code: 'MissingBatchResponse', message: 'no response for this request' } } };
        if (retryableStatuses.has(response.status) && attempt < this.policy.maxAttempts) {
          retry.push(step);
          const after = parseRetryAfter(headerOf(response.headers, 'Retry-After'), this.clock.now());
          if (after !== undefined) {
            retryAfterSeconds = Math.max(retryAfterSeconds ?? 0, after);
            if (response.status === 429) this.pacing.pause(this.pacing.keysFor(step.method, step.url), after * 1000);
          }
        } else {
          results.set(step.id, response);
        }
      }
      if (retry.length > 0) {
        this.logger.debug('graph batch requests to retry', { count: retry.length, attempt });
        await sleep(retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : backoffDelayMs(attempt, this.policy, this.random), this.clock);
      }
      pending = retry;
    }
    return results;
  }

  private stepError(step: BatchStep, response: BatchStepResponse): DirectoryError {
    const error = (response.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    return toDirectoryError({
      status: response.status,
      code: error?.code,
      message: error?.message,
      retryAfterSeconds: parseRetryAfter(headerOf(response.headers, 'Retry-After'), this.clock.now()),
      operation: step.operation,
    });
  }
}

function authProviderFor(baseUrl: string, options: GraphDirectoryOptions): AuthenticationProvider {
  if (isLoopback(baseUrl)) return { getAccessToken: async () => LOCAL_TENANT_TOKEN };
  const { tenantId, clientId, clientSecret } = options;
  if (!tenantId || !clientId || !clientSecret) {
    throw new Error('GraphDirectory needs tenantId, clientId and clientSecret to call Microsoft Graph (app-only)');
  }
  const credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
  // ".default" of the Graph root in use: https://graph.microsoft.com/.default for the global cloud.
  return new TokenCredentialAuthenticationProvider(credential, { scopes: [`${new URL(baseUrl).origin}/.default`] });
}

export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function graphFailureOf(error: unknown, operation: string, now: number): GraphFailure {
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : undefined;
    return {
      status,
      code: error.code,
      message: status ? error.message : undefined,
      retryAfterSeconds: parseRetryAfter(error.headers?.get('Retry-After'), now),
      operation,
    };
  }
  return { operation };
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key ? headers[key] : undefined;
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** OData string literal content: a single quote is written twice. */
export function odataString(value: string): string {
  return value.replace(/'/g, "''");
}

export function usersByEmailFilter(address: string): string {
  const literal = odataString(address);
  return `mail eq '${literal}' or otherMails/any(x:x eq '${literal}')`;
}

function usersByEmailUrl(address: string): string {
  return `/users?$filter=${encodeURIComponent(usersByEmailFilter(address))}&$select=${USER_SELECT}`;
}

function userPath(userId: string): string {
  return `/users/${encodeURIComponent(userId)}`;
}

function teamPath(teamId: string): string {
  return `/teams/${encodeURIComponent(teamId)}`;
}

function pickUserByEmail(users: User[], address: string): DirectoryUser | null {
  const byMail = users.find((user) => user.mail?.toLowerCase() === address);
  const chosen = byMail ?? users[0];
  return chosen ? toDirectoryUser(chosen) : null;
}

function toDirectoryUser(user: User): DirectoryUser {
  const state = user.externalUserState;
  return {
    id: user.id!,
    ...(user.displayName ? { displayName: user.displayName } : {}),
    ...(user.mail ? { mail: user.mail } : {}),
    userType: user.userType === 'Guest' ? 'Guest' : 'Member',
    ...(state === 'PendingAcceptance' || state === 'Accepted' ? { redemptionState: state } : {}),
    ...(typeof user.accountEnabled === 'boolean' ? { accountEnabled: user.accountEnabled } : {}),
  };
}

/** Invitation.status is PendingAcceptance, Completed, InProgress or Error. */
function invitationState(status: string | null | undefined): RedemptionState {
  return status === 'Completed' || status === 'Accepted' ? 'Accepted' : 'PendingAcceptance';
}
