import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Actor } from '../domain/actor.js';
import type { Logger } from '../logger.js';

/**
 * Who calls the tab's API. Inside Teams the tab sends the Entra ID access token it got from
 * `authentication.getAuthToken()` (Teams tab SSO); it is checked here against the tenant's signing keys,
 * with its audience (our app: `api://<tab domain>/<client id>` or the bare client id, which v2 tokens
 * carry) and its issuer (`https://login.microsoftonline.com/<tid>/v2.0`). The firm is the token's tenant.
 * Entra signs every tenant's tokens with the same keys (the `common` key set): one key set is fetched,
 * whatever tenant a token claims, and the issuer is then checked against the token's own tenant. An
 * unknown key id reloads it at most once per cool-down, so forged tokens cannot make us fetch on demand.
 * Locally, and only when TAB_LOCAL_USER is configured (refused outside local/test by config.ts),
 * a request without a token runs as that user so the tab can be tried in a plain browser.
 */
/** The person behind the request, with the e-mail staff are attached by (token's preferred_username). */
export type TabUser = Actor & { email?: string };

/** Why a request is refused: no token, a token we cannot accept, or a guest's (the dashboard is the firm's). */
export type TabAuthRefusal = 'missing' | 'invalid' | 'guest';

export type TabAuthResult = { ok: true; actor: TabUser } | { ok: false; reason: TabAuthRefusal };

export interface TabAuthOptions {
  /** JWKS URL of Entra's signing keys; a `{tenant}` in it is read as `common` (the keys of every tenant). */
  jwksUrl: string;
  /** The Entra app the tab's token is issued for; without it no token can be accepted. */
  clientId?: string;
  /** Host of the tab (the `api://<host>/<client id>` Application ID URI). */
  tabDomain?: string;
  /** "<tenantId>|<aadObjectId>|<name>": accepted without a token (local and test modes only). */
  localUser?: string;
  logger: Logger;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class TabAuthenticator {
  private readonly keySet: ReturnType<typeof createRemoteJWKSet>;
  private readonly localActor?: TabUser;

  constructor(private readonly options: TabAuthOptions) {
    // Keys cached ten minutes; a token naming a key we do not have reloads them at most every 30 seconds.
    this.keySet = createRemoteJWKSet(new URL(options.jwksUrl.replace('{tenant}', 'common')), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    if (options.localUser) {
      const [firmId, userId, displayName, email] = options.localUser.split('|');
      this.localActor = { firmId: firmId!, userId: userId!, displayName: displayName!, email: email || undefined };
    }
  }

  async authenticate(authorization: string | undefined): Promise<TabAuthResult> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) {
      if (this.localActor && !authorization) return { ok: true, actor: this.localActor };
      return { ok: false, reason: 'missing' };
    }
    if (!this.options.clientId) {
      this.options.logger.warn('tab token refused: AAD_APP_CLIENT_ID is not configured');
      return { ok: false, reason: 'invalid' };
    }
    let claims: JWTPayload & Record<string, unknown>;
    try {
      // A token that cannot be a Teams SSO token is refused before any key is looked at.
      const unverifiedTenant = decodeJwt(token).tid;
      if (typeof unverifiedTenant !== 'string' || !uuid.test(unverifiedTenant)) return { ok: false, reason: 'invalid' };
      const audiences = [this.options.clientId];
      if (this.options.tabDomain) audiences.push(`api://${this.options.tabDomain}/${this.options.clientId}`);
      // The keys are every tenant's: the issuer must be the token's own tenant, and `tid` is signed with the rest.
      const verified = await jwtVerify(token, this.keySet, {
        issuer: `https://login.microsoftonline.com/${unverifiedTenant}/v2.0`,
        audience: audiences,
        algorithms: ['RS256'],
        clockTolerance: 60,
        requiredClaims: ['tid', 'oid', 'exp'],
      });
      claims = verified.payload as JWTPayload & Record<string, unknown>;
    } catch (error) {
      const reason = error instanceof joseErrors.JOSEError ? error.code : 'malformed';
      this.options.logger.info('tab token refused', { reason });
      return { ok: false, reason: 'invalid' };
    }
    const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    if (!scopes.includes('access_as_user') || claims.idtyp === 'app') return { ok: false, reason: 'invalid' };
    // A guest's token names its home identity provider in `idp`; staff tokens have none (or the issuer itself).
    if (typeof claims.idp === 'string' && claims.idp !== claims.iss) return { ok: false, reason: 'guest' };
    const displayName = typeof claims.name === 'string' && claims.name ? claims.name : String(claims.preferred_username ?? claims.oid);
    const email = typeof claims.preferred_username === 'string' ? claims.preferred_username : typeof claims.email === 'string' ? claims.email : undefined;
    return { ok: true, actor: { firmId: String(claims.tid), userId: String(claims.oid), displayName, email } };
  }
}
