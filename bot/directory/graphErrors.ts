import { DirectoryError } from '../domain/directory.js';

/**
 * Turns a Microsoft Graph failure into a DirectoryError the product can explain.
 * Messages are for developers (English, no personal data); the UI translates the kind.
 */
export interface GraphFailure {
  /** HTTP status; undefined for a network error or a timeout. */
  status?: number;
  /** `error.code` of the Graph error body. */
  code?: string | null;
  /** `error.message` of the Graph error body. */
  message?: string | null;
  retryAfterSeconds?: number;
  /** What we were doing, for the message: "POST /invitations". */
  operation: string;
}

/**
 * Graph answers POST /invitations with 403 "Guest invitations not allowed for your company.
 * Contact your company administrator for more details." when the tenant's guest invite settings
 * forbid it (including app-only callers when invitations are restricted to admins).
 */
const invitationsDisabledPattern = /guest invitations not allowed|invitations? (?:are |have been )?(?:disabled|not allowed|restricted)/i;

/**
 * Refusals of one recipient rather than of invitations as a whole: the documented cross-tenant
 * message ("This invitation is blocked by cross-tenant access settings...") and the
 * allow/deny-list refusals of a domain by the collaboration restrictions.
 */
const recipientRefusedPattern =
  /cross-tenant access|domain[^.]*\b(?:blocked|not allowed|refused|denied)|(?:blocked|not allowed|refused|denied)[^.]*\bdomain|allow ?list|block ?list|deny ?list|collaboration restriction/i;

/** A missing application permission (User.Invite.All), not a tenant policy. */
const missingPermissionPattern = /insufficient privileges/i;

export function isInvitationOperation(operation: string): boolean {
  return /^POST \S*\/invitations$/.test(operation);
}

export function toDirectoryError(failure: GraphFailure): DirectoryError {
  const { status, code, operation } = failure;
  const detail = [code, failure.message].filter(Boolean).join(': ');
  const describe = (what: string) => `${operation}: ${what}${detail ? ` (${detail})` : ''}`;
  const text = `${code ?? ''} ${failure.message ?? ''}`;

  if (status === undefined || status <= 0) return new DirectoryError('unavailable', describe('Microsoft Graph could not be reached'));
  if (status === 429) {
    return new DirectoryError('throttled', describe('Microsoft Graph is throttling requests'), failure.retryAfterSeconds);
  }
  if (status >= 500) return new DirectoryError('unavailable', describe(`Microsoft Graph answered ${status}`), failure.retryAfterSeconds);

  if (isInvitationOperation(operation)) {
    if (recipientRefusedPattern.test(text) && (status === 400 || status === 403)) {
      return new DirectoryError('recipientRefused', describe('the tenant refuses invitations to this recipient'));
    }
    if (invitationsDisabledPattern.test(text) || (status === 403 && !missingPermissionPattern.test(text))) {
      return new DirectoryError('invitationsDisabled', describe('the tenant does not allow B2B invitations by this application'));
    }
  }
  if (status === 401 || status === 403) {
    return new DirectoryError('forbidden', describe('permission missing or not consented (check the app registration and admin consent)'));
  }
  if (status === 404) return new DirectoryError('notFound', describe('not found'));
  return new DirectoryError('invalidRequest', describe(`Microsoft Graph refused the request (${status})`));
}

/** Retry-After is delta-seconds (Graph) or an HTTP date; fractions are accepted (local tenant). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}
