import assert from 'node:assert/strict';
import { DirectoryError } from '../../bot/domain/directory.js';
import { GraphDirectory, isLoopback, usersByEmailFilter } from '../../bot/directory/graphDirectory.js';
import { silentLogger } from '../../bot/logger.js';
import { parseRetryAfter, toDirectoryError } from '../../bot/directory/graphErrors.js';
import { backoffDelayMs, defaultRetryPolicy, GraphPacing, relativeGraphPath } from '../../bot/directory/graphMiddleware.js';
import { parseMemberUserIdFilter, parseUserEmailFilter } from '../../bot/directory/localTenant/odata.js';

describe('Graph failures mapped to DirectoryError kinds', () => {
  const invite = 'POST /invitations';

  it('maps throttling and outages to transient kinds', () => {
    const throttled = toDirectoryError({ status: 429, code: 'TooManyRequests', retryAfterSeconds: 7, operation: 'GET /users' });
    assert.ok(throttled instanceof DirectoryError);
    assert.equal(throttled.kind, 'throttled');
    assert.equal(throttled.retryAfterSeconds, 7);
    assert.equal(throttled.transient, true);
    for (const status of [500, 502, 503, 504]) assert.equal(toDirectoryError({ status, operation: 'GET /users' }).kind, 'unavailable');
    assert.equal(toDirectoryError({ operation: 'GET /users' }).kind, 'unavailable', 'no status: network error or timeout');
  });

  it('recognises a tenant that forbids guest invitations (403 "Guest invitations not allowed for your company")', () => {
    const error = toDirectoryError({
      status: 403,
      code: 'Forbidden',
      message: 'Guest invitations not allowed for your company. Contact your company administrator for more details.',
      operation: invite,
    });
    assert.equal(error.kind, 'invitationsDisabled');
    assert.equal(toDirectoryError({ status: 403, code: 'Authorization_RequestDenied', message: '', operation: invite }).kind, 'invitationsDisabled');
  });

  it('tells a refused recipient from disabled invitations and from a missing permission', () => {
    const crossTenant = toDirectoryError({
      status: 403,
      code: 'Forbidden',
      message: 'This invitation is blocked by cross-tenant access settings. Admins in both your organization and the invited user\'s organization must configure cross-tenant access settings to allow the invitation.',
      operation: invite,
    });
    assert.equal(crossTenant.kind, 'recipientRefused');
    const domain = toDirectoryError({ status: 400, code: 'BadRequest', message: "The recipient's domain is not allowed by the tenant's collaboration restrictions.", operation: invite });
    assert.equal(domain.kind, 'recipientRefused');
    const privileges = toDirectoryError({ status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', operation: invite });
    assert.equal(privileges.kind, 'forbidden');
    const unauthorized = toDirectoryError({ status: 401, code: 'Unauthorized', message: 'Insufficient privileges to perform requested operation by the application', operation: invite });
    assert.equal(unauthorized.kind, 'forbidden');
    assert.equal(toDirectoryError({ status: 400, code: 'BadRequest', message: 'The invitedUserEmailAddress is not a valid e-mail address.', operation: invite }).kind, 'invalidRequest');
  });

  it('maps the rest by status, outside invitations a 403 being a missing permission', () => {
    assert.equal(toDirectoryError({ status: 403, code: 'Authorization_RequestDenied', operation: 'PATCH /users/{id}' }).kind, 'forbidden');
    assert.equal(toDirectoryError({ status: 404, code: 'Request_ResourceNotFound', operation: 'PATCH /users/{id}' }).kind, 'notFound');
    assert.equal(toDirectoryError({ status: 400, code: 'Request_BadRequest', operation: 'PATCH /users/{id}' }).kind, 'invalidRequest');
  });

  it('writes English developer messages naming the operation', () => {
    const error = toDirectoryError({ status: 404, code: 'Request_ResourceNotFound', message: 'gone', operation: 'GET /users/{id}' });
    assert.match(error.message, /^GET \/users\/\{id\}: not found \(Request_ResourceNotFound: gone\)$/);
  });
});

describe('Graph request helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('5'), 5);
    assert.equal(parseRetryAfter('0.5'), 0.5);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });

  it('backs off exponentially with full jitter, capped at 30 s', () => {
    assert.equal(backoffDelayMs(1, defaultRetryPolicy, () => 0.999999), 499);
    assert.equal(backoffDelayMs(3, defaultRetryPolicy, () => 0.5), 1_000);
    assert.equal(backoffDelayMs(20, defaultRetryPolicy, () => 0.999999), 29_999);
    assert.equal(backoffDelayMs(4, defaultRetryPolicy, () => 0), 0);
  });

  it('escapes single quotes in the e-mail filter, which the local tenant parses back', () => {
    const filter = usersByEmailFilter("o'neil@exemple.fr");
    assert.equal(filter, "mail eq 'o''neil@exemple.fr' or otherMails/any(x:x eq 'o''neil@exemple.fr')");
    assert.deepEqual(parseUserEmailFilter(filter), [
      { property: 'mail', value: "o'neil@exemple.fr" },
      { property: 'otherMails', value: "o'neil@exemple.fr" },
    ]);
    assert.equal(parseUserEmailFilter("displayName eq 'x'"), null);
    assert.equal(parseUserEmailFilter("mail eq 'a@b.fr' and mail eq 'c@d.fr'"), null);
    assert.equal(parseMemberUserIdFilter("(microsoft.graph.aadUserConversationMember/userId eq 'abc')"), 'abc');
  });

  it('knows which limiters a request counts towards, each request of a $batch included', () => {
    const pacing = new GraphPacing({ invitationsPer5s: 150 });
    assert.deepEqual(pacing.keysFor('POST', 'https://graph.microsoft.com/v1.0/invitations'), ['invitations']);
    assert.deepEqual(pacing.keysFor('GET', '/teams/t1/members?$filter=x'), ['team:t1']);
    assert.deepEqual(pacing.keysFor('GET', '/users'), []);
    const batch = JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/invitations' }, { id: '2', method: 'DELETE', url: '/teams/t2/members/m' }] });
    assert.deepEqual(pacing.keysForRequest('POST', 'http://127.0.0.1:1/v1.0/$batch', batch), ['invitations', 'team:t2']);
    assert.equal(relativeGraphPath('http://127.0.0.1:9/v1.0/users/abc?$select=id'), '/users/abc');
  });

  it('needs app credentials for Microsoft Graph, none for the local tenant', () => {
    const common = { timeoutMs: 1_000, invitationsPer5s: 150, logger: silentLogger };
    assert.throws(() => new GraphDirectory({ baseUrl: 'https://graph.microsoft.com', ...common }), /tenantId, clientId and clientSecret/);
    assert.ok(
      new GraphDirectory({
        baseUrl: 'https://graph.microsoft.com',
        tenantId: '11111111-1111-4111-8111-111111111111',
        clientId: '22222222-2222-4222-8222-222222222222',
        clientSecret: 'not-a-real-secret',
        ...common,
      }),
    );
    assert.ok(new GraphDirectory({ baseUrl: 'http://127.0.0.1:56200', ...common }));
  });

  it('recognises the local tenant by its loopback address', () => {
    assert.equal(isLoopback('http://127.0.0.1:56200'), true);
    assert.equal(isLoopback('http://localhost:1'), true);
    assert.equal(isLoopback('http://[::1]:1'), true);
    assert.equal(isLoopback('https://graph.microsoft.com'), false);
  });
});
