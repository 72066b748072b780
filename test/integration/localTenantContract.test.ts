import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant, type LocalTenant } from '../../bot/directory/localTenant.js';

/**
 * The local tenant must answer like Microsoft Graph v1.0 so that GraphDirectory, tested against
 * it, works against Graph. The expected shapes below are Microsoft's published examples:
 *  - Create invitation: https://learn.microsoft.com/graph/api/invitation-post (201)
 *  - List users: https://learn.microsoft.com/graph/api/user-list (200, "@odata.context" + "value")
 *  - Add member to team: https://learn.microsoft.com/graph/api/team-post-members (201)
 *  - JSON batching: https://learn.microsoft.com/graph/json-batching (200, "responses")
 *  - Errors: https://learn.microsoft.com/graph/errors ({ error: { code, message, innerError } })
 */

/** Response of the documented example `POST /v1.0/invitations` (ids shortened). */
const documentedInvitation = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#invitations/$entity',
  id: '9071bfde-35e0-47d2-a582-d244ab1b4af6',
  inviteRedeemUrl: 'https://login.microsoftonline.com/redeem?rd=…',
  invitedUserDisplayName: null,
  invitedUserType: 'Guest',
  invitedUserEmailAddress: 'admin@fabrikam.com',
  sendInvitationMessage: false,
  resetRedemption: false,
  inviteRedirectUrl: 'https://myapp.contoso.com',
  status: 'PendingAcceptance',
  invitedUserMessageInfo: { messageLanguage: null, customizedMessageBody: null, ccRecipients: [{ emailAddress: { name: null, address: null } }] },
  invitedUser: { id: 'cbb896f9-8306-49d0-b56b-b8e39cd28825' },
};

/** Response of the documented example `POST /v1.0/teams/{id}/members` (marked "truncated"). */
const documentedMember = {
  '@odata.type': '#microsoft.graph.aadUserConversationMember',
  id: 'ZWUwZjVhZTItOGJjNi00YWU1LTg0NjYtN2RhZWViYmZhMDYyIyM3Mzc2MWYwNi0yYWM5LTQ2OWMtOWYxMC0yNzlhOGNjMjY3Zjk=',
  roles: ['owner'],
  userId: '50dffbae-ad0f-428e-a86f-f53b0acfc641',
  displayName: 'Cameron White',
  email: 'CameronW@M365x987948.OnMicrosoft.com',
};
const documentedTeamId = 'ee0f5ae2-8bc6-4ae5-8466-7daeebbfa062';

/** Properties of a user returned when no $select is given (user-list, example 1). */
const documentedDefaultUserProperties = [
  'businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName',
];

const teamId = 'b2c0ffee-0000-4000-8000-00000000cafe';

function keysOf(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

describe('The local tenant speaks the documented Microsoft Graph contract', function () {
  let tenant: LocalTenant;

  async function graph(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${tenant.url}/v1.0${path}`, {
      method,
      headers: { Authorization: 'Bearer local-tenant', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  }

  async function control(method: string, path: string, body?: unknown) {
    const response = await fetch(`${tenant.url}/_local/${path}`, {
      method,
      headers: body !== undefined ? { 'Content-Type': 'application/json' } : {},
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  const invite = (email: string, extra: Record<string, unknown> = {}) =>
    graph('POST', '/invitations', { invitedUserEmailAddress: email, inviteRedirectUrl: 'https://myapp.contoso.com', ...extra });

  before(async () => {
    // A raised team limit lets these shape tests make many calls; the documented 4 per second is tested on its own.
    tenant = await startLocalTenant({
      teams: [{ id: teamId, displayName: 'Cabinet – Boulangerie Bernard' }],
      tenantDomain: 'cabinet-durand.onmicrosoft.com',
      teamRequestsPerSecond: 100,
    });
  });
  beforeEach(() => tenant.reset());
  after(async () => {
    await tenant?.stop();
  });

  describe('POST /invitations', () => {
    it('answers the documented example with 201 and the documented properties', async () => {
      const response = await invite('admin@fabrikam.com');
      assert.equal(response.status, 201);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const invitation = response.body!;
      assert.deepEqual(keysOf(invitation), keysOf(documentedInvitation));
      assert.deepEqual(keysOf(invitation.invitedUserMessageInfo), keysOf(documentedInvitation.invitedUserMessageInfo));
      assert.equal(invitation['@odata.context'], `${tenant.url}/v1.0/$metadata#invitations/$entity`);
      assert.equal(invitation.status, 'PendingAcceptance');
      assert.equal(invitation.invitedUserType, 'Guest');
      assert.equal(invitation.invitedUserEmailAddress, 'admin@fabrikam.com');
      assert.equal(invitation.inviteRedirectUrl, 'https://myapp.contoso.com');
      assert.equal(invitation.sendInvitationMessage, false, 'the documented default');
      assert.equal(invitation.invitedUserDisplayName, null);
      assert.match(invitation.invitedUser.id, /^[0-9a-f-]{36}$/);
      assert.notEqual(invitation.id, invitation.invitedUser.id, 'the invitation and the user are different objects');
      assert.match(invitation.inviteRedeemUrl, /^http:\/\/127\.0\.0\.1:\d+\/redeem\/\S+$/);
    });

    it('creates a Guest with an #EXT# user principal name, and re-invites the same user with a new link', async () => {
      const first = await invite('Lea@Boulangerie-Bernard.fr', { invitedUserDisplayName: 'Léa Bernard' });
      const second = await invite('lea@boulangerie-bernard.fr');
      assert.equal(second.status, 201);
      assert.equal(second.body!.invitedUser.id, first.body!.invitedUser.id);
      assert.notEqual(second.body!.inviteRedeemUrl, first.body!.inviteRedeemUrl);
      const { users } = tenant.state();
      assert.equal(users.length, 1);
      assert.equal(users[0]!.userPrincipalName, 'lea_boulangerie-bernard.fr#EXT#@cabinet-durand.onmicrosoft.com');
      assert.equal(users[0]!.mail, 'Lea@Boulangerie-Bernard.fr');
      assert.equal(users[0]!.displayName, 'Léa Bernard');
    });

    it('validates the body as Graph does', async () => {
      for (const [body, why] of [
        [{ inviteRedirectUrl: 'https://myapp.contoso.com' }, 'no address'],
        [{ invitedUserEmailAddress: 'admin@fabrikam.com' }, 'no redirect URL'],
        [{ invitedUserEmailAddress: 'pas-une-adresse', inviteRedirectUrl: 'https://myapp.contoso.com' }, 'not an address'],
        [{ invitedUserEmailAddress: 'a+b@fabrikam.com', inviteRedirectUrl: 'https://myapp.contoso.com' }, '"+" is not permitted'],
        [{ invitedUserEmailAddress: 'admin@fabrikam.com', inviteRedirectUrl: 'https://myapp.contoso.com', sendInvitationMessage: 'yes' }, 'not a boolean'],
        [{ invitedUserEmailAddress: 'admin@fabrikam.com', inviteRedirectUrl: 'https://myapp.contoso.com', invitedUserMessageInfo: { ccRecipients: [{}, {}] } }, 'one cc only'],
      ] as const) {
        const response = await graph('POST', '/invitations', body);
        assert.equal(response.status, 400, why);
        assert.equal(response.body!.error.code, 'BadRequest', why);
      }
    });

    it('refuses invitations with 403 "Guest invitations not allowed for your company" when the tenant forbids them', async () => {
      tenant.setFaults({ invitationsDisabled: true });
      const response = await invite('admin@fabrikam.com');
      assert.equal(response.status, 403);
      assert.match(response.body!.error.message, /^Guest invitations not allowed for your company\./);
    });

    it('answers 429 with Retry-After beyond the invitation limit of the tenant', async () => {
      const limited = await startLocalTenant({ invitationsPer5s: 2 });
      try {
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let index = 0; index < 3; index += 1) {
          const response = await fetch(`${limited.url}/v1.0/invitations`, {
            method: 'POST',
            headers: { Authorization: 'Bearer local-tenant', 'Content-Type': 'application/json' },
            body: JSON.stringify({ invitedUserEmailAddress: `c${index}@fabrikam.com`, inviteRedirectUrl: 'https://myapp.contoso.com' }),
          });
          statuses.push(response.status);
          retryAfter = response.headers.get('retry-after');
        }
        assert.deepEqual(statuses, [201, 201, 429]);
        assert.match(retryAfter ?? '', /^[1-5]$/, 'whole seconds until the window frees');
        assert.equal(limited.state().counters.throttled, 1);
      } finally {
        await limited.stop();
      }
    });
  });

  describe('GET /users', () => {
    it('filters on mail or otherMails (case-insensitive) and honours $select', async () => {
      await invite('lea@boulangerie-bernard.fr');
      const filter = encodeURIComponent("mail eq 'LEA@boulangerie-bernard.fr' or otherMails/any(x:x eq 'LEA@boulangerie-bernard.fr')");
      const response = await graph('GET', `/users?$filter=${filter}&$select=id,displayName,mail,userType,externalUserState,accountEnabled`);
      assert.equal(response.status, 200);
      assert.deepEqual(keysOf(response.body), ['@odata.context', 'value']);
      assert.equal(response.body!['@odata.context'], `${tenant.url}/v1.0/$metadata#users(id,displayName,mail,userType,externalUserState,accountEnabled)`);
      assert.equal(response.body!.value.length, 1);
      assert.deepEqual(keysOf(response.body!.value[0]), ['accountEnabled', 'displayName', 'externalUserState', 'id', 'mail', 'userType']);
      assert.equal(response.body!.value[0].externalUserState, 'PendingAcceptance');

      const byOtherMail = await graph('GET', `/users?$filter=${encodeURIComponent("otherMails/any(m:m eq 'nobody@exemple.fr')")}`);
      assert.deepEqual(byOtherMail.body!.value, []);
    });

    it('returns the documented default properties without $select (externalUserState only when selected)', async () => {
      await invite('lea@boulangerie-bernard.fr');
      const response = await graph('GET', `/users?$filter=${encodeURIComponent("mail eq 'lea@boulangerie-bernard.fr'")}`);
      assert.equal(response.body!['@odata.context'], `${tenant.url}/v1.0/$metadata#users`);
      assert.deepEqual(keysOf(response.body!.value[0]), [...documentedDefaultUserProperties].sort());
      assert.deepEqual(response.body!.value[0].businessPhones, []);
    });

    it('refuses a filter it does not support, and an unknown property in $select', async () => {
      const unsupported = await graph('GET', `/users?$filter=${encodeURIComponent("startswith(displayName,'a')")}`);
      assert.equal(unsupported.status, 400);
      assert.equal(unsupported.body!.error.code, 'Request_UnsupportedQuery');
      const unknown = await graph('GET', '/users?$select=id,shoeSize');
      assert.equal(unknown.status, 400);
      assert.match(unknown.body!.error.message, /Could not find a property named 'shoeSize' on type 'microsoft\.graph\.user'/);
    });
  });

  describe('GET, PATCH and DELETE /users/{id}', () => {
    it('returns the redemption state only when selected, with its change date', async () => {
      const { body } = await invite('lea@boulangerie-bernard.fr');
      const id = body!.invitedUser.id as string;
      const selected = await graph('GET', `/users/${id}?$select=externalUserState,externalUserStateChangeDateTime`);
      assert.equal(selected.status, 200);
      assert.deepEqual(keysOf(selected.body), ['@odata.context', 'externalUserState', 'externalUserStateChangeDateTime']);
      assert.equal(selected.body!['@odata.context'], `${tenant.url}/v1.0/$metadata#users(externalUserState,externalUserStateChangeDateTime)/$entity`);
      const plain = await graph('GET', `/users/${id}`);
      assert.equal('externalUserState' in plain.body!, false);
    });

    it('answers 404 Request_ResourceNotFound for an unknown user, 204 to PATCH and DELETE', async () => {
      const missing = await graph('GET', '/users/00000000-0000-4000-8000-000000000000');
      assert.equal(missing.status, 404);
      assert.equal(missing.body!.error.code, 'Request_ResourceNotFound');
      assert.deepEqual(keysOf(missing.body!.error), ['code', 'innerError', 'message']);

      const { body } = await invite('lea@boulangerie-bernard.fr');
      const id = body!.invitedUser.id as string;
      const patched = await graph('PATCH', `/users/${id}`, { accountEnabled: false });
      assert.equal(patched.status, 204);
      assert.equal(patched.body, undefined);
      assert.equal((await graph('GET', `/users/${id}?$select=accountEnabled`)).body!.accountEnabled, false);
      assert.equal((await graph('PATCH', `/users/${id}`, { accountEnabled: 'no' })).status, 400);
      assert.equal((await graph('DELETE', `/users/${id}`)).status, 204);
      assert.equal((await graph('DELETE', `/users/${id}`)).status, 404);
    });
  });

  describe('/teams/{id}/members', () => {
    it('adds a guest like the documented example: 201, an aadUserConversationMember whose id encodes team and user', async () => {
      const { body } = await invite('lea@boulangerie-bernard.fr');
      const userId = body!.invitedUser.id as string;
      const response = await graph('POST', `/teams/${teamId}/members`, {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: ['guest'],
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
      });
      assert.equal(response.status, 201);
      for (const key of keysOf(documentedMember)) assert.ok(key in response.body!, `the response has "${key}"`);
      assert.equal(response.body!['@odata.type'], documentedMember['@odata.type']);
      assert.deepEqual(response.body!.roles, ['guest']);
      assert.equal(response.body!.userId, userId);
      assert.equal(response.body!.email, 'lea@boulangerie-bernard.fr');
      // Graph's membership ids are base64 of "<team id>##<user id>": the documented one is.
      assert.match(Buffer.from(documentedMember.id, 'base64').toString(), new RegExp(`^${documentedTeamId}##`));
      assert.equal(Buffer.from(response.body!.id, 'base64').toString(), `${teamId}##${userId}`);

      const again = await graph('POST', `/teams/${teamId}/members`, {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: ['guest'],
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
      });
      assert.equal(again.status, 201, 'adding a member twice returns the existing membership');
      assert.equal(again.body!.id, response.body!.id);

      const listed = await graph('GET', `/teams/${teamId}/members?$filter=${encodeURIComponent(`(microsoft.graph.aadUserConversationMember/userId eq '${userId}')`)}`);
      assert.equal(listed.status, 200);
      assert.equal(listed.body!.value.length, 1);
      assert.equal((await graph('DELETE', `/teams/${teamId}/members/${encodeURIComponent(response.body!.id)}`)).status, 204);
      assert.equal((await graph('GET', `/teams/${teamId}/members`)).body!.value.length, 0);
    });

    it('refuses a malformed member, an unknown or blocked user (404, as documented), and an unknown team', async () => {
      const { body } = await invite('lea@boulangerie-bernard.fr');
      const userId = body!.invitedUser.id as string;
      const member = (extra: Record<string, unknown>) => ({
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: ['guest'],
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${userId}')`,
        ...extra,
      });
      assert.equal((await graph('POST', `/teams/${teamId}/members`, member({ '@odata.type': '#microsoft.graph.user' }))).status, 400);
      assert.equal((await graph('POST', `/teams/${teamId}/members`, member({ roles: ['member'] }))).status, 400);
      assert.equal((await graph('POST', `/teams/${teamId}/members`, member({ 'user@odata.bind': 'users/x' }))).status, 400);
      assert.equal((await graph('POST', `/teams/${teamId}/members`, member({ 'user@odata.bind': "https://graph.microsoft.com/v1.0/users('nobody')" }))).status, 404);
      await graph('PATCH', `/users/${userId}`, { accountEnabled: false });
      assert.equal((await graph('POST', `/teams/${teamId}/members`, member({}))).status, 404);
      assert.equal((await graph('POST', '/teams/unknown/members', member({}))).status, 404);
    });

    it('answers 429 with Retry-After beyond 4 requests per second on one team, other teams unaffected', async () => {
      const limited = await startLocalTenant({ teams: [{ id: 'one', displayName: 'One' }, { id: 'two', displayName: 'Two' }] });
      try {
        const get = (team: string) => fetch(`${limited.url}/v1.0/teams/${team}/members`, { headers: { Authorization: 'Bearer local-tenant' } });
        const statuses: number[] = [];
        for (let index = 0; index < 5; index += 1) statuses.push((await get('one')).status);
        assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
        assert.equal((await get('one')).headers.get('retry-after'), '1');
        assert.equal((await get('two')).status, 200);
      } finally {
        await limited.stop();
      }
    });
  });

  describe('POST /$batch', () => {
    it('answers 200 with the documented responses: [{ id, status, headers, body }]', async () => {
      const { body } = await invite('lea@boulangerie-bernard.fr');
      const userId = body!.invitedUser.id as string;
      const response = await graph('POST', '/$batch', {
        requests: [
          { id: '1', method: 'GET', url: `/users/${userId}?$select=id,externalUserState` },
          { id: '2', method: 'GET', url: '/users/00000000-0000-4000-8000-000000000000' },
          { id: '3', method: 'PATCH', url: `/users/${userId}`, body: { displayName: 'Léa B.' }, headers: { 'Content-Type': 'application/json' } },
          { id: '4', method: 'GET', url: `users?$filter=${encodeURIComponent("mail eq 'lea@boulangerie-bernard.fr'")}&$select=displayName` },
        ],
      });
      assert.equal(response.status, 200);
      assert.deepEqual(keysOf(response.body), ['responses']);
      const responses = response.body!.responses as { id: string; status: number; headers: Record<string, string>; body?: any }[];
      assert.deepEqual(responses.map((item) => [item.id, item.status]), [['1', 200], ['2', 404], ['3', 204], ['4', 200]]);
      for (const item of responses) assert.equal(typeof item.headers, 'object');
      assert.deepEqual(keysOf(responses[0]), ['body', 'headers', 'id', 'status']);
      assert.equal(responses[0]!.body.externalUserState, 'PendingAcceptance');
      assert.equal(responses[1]!.body.error.code, 'Request_ResourceNotFound');
      assert.equal(responses[3]!.body.value[0].displayName, 'Léa B.', 'requests run in order');
      assert.equal(tenant.state().counters.batchRequests, 1);
    });

    it('refuses more than 20 requests, duplicate ids, and fails dependants of a failed request with 424', async () => {
      const many = Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: 'GET', url: '/users' }));
      const tooMany = await graph('POST', '/$batch', { requests: many });
      assert.equal(tooMany.status, 400);
      assert.equal((await graph('POST', '/$batch', { requests: [{ id: 'a', method: 'GET', url: '/users' }, { id: 'A', method: 'GET', url: '/users' }] })).status, 400);
      const dependent = await graph('POST', '/$batch', {
        requests: [
          { id: '1', method: 'GET', url: '/users/00000000-0000-4000-8000-000000000000' },
          { id: '2', dependsOn: ['1'], method: 'GET', url: '/users' },
        ],
      });
      assert.deepEqual(dependent.body!.responses.map((item: { status: number }) => item.status), [404, 424]);
    });

    it('counts each request for faults and limits: a throttled one carries Retry-After', async () => {
      tenant.setFaults({ throttleNext: 1, retryAfterSeconds: 2 });
      const response = await graph('POST', '/$batch', { requests: [{ id: '1', method: 'GET', url: '/users' }, { id: '2', method: 'GET', url: '/users' }] });
      assert.equal(response.status, 200);
      const [first, second] = response.body!.responses;
      assert.equal(first.status, 429);
      assert.equal(first.headers['Retry-After'], '2');
      assert.equal(first.body.error.code, 'TooManyRequests');
      assert.equal(second.status, 200);
      const { counters } = tenant.state();
      assert.equal(counters.graphRequests, 2);
      assert.equal(counters.throttled, 1);
    });
  });

  describe('authentication, redemption and control', () => {
    it('answers 401 InvalidAuthenticationToken without a bearer token or with a wrong one', async () => {
      const none = await fetch(`${tenant.url}/v1.0/users`);
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { error: { code: string; message: string } }).error.message, 'Access token is empty.');
      const wrong = await graph('GET', '/users', undefined, { Authorization: 'Bearer eyJ.not.ours' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body!.error.code, 'InvalidAuthenticationToken');
    });

    it('accepts the invitation when the redeem link is opened, with a small French page', async () => {
      const { body } = await invite('lea@boulangerie-bernard.fr', { invitedUserDisplayName: 'Léa Bernard' });
      const page = await fetch(body!.inviteRedeemUrl);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const html = await page.text();
      assert.match(html, /<html lang="fr">/);
      assert.match(html, /Invitation acceptée – vous pouvez ouvrir Microsoft Teams/);
      assert.match(html, /href="https:\/\/myapp\.contoso\.com"/);
      const user = tenant.state().users[0]!;
      assert.equal(user.externalUserState, 'Accepted');
      assert.ok(Date.parse(user.externalUserStateChangeDateTime!) > 0);

      const again = await invite('lea@boulangerie-bernard.fr');
      assert.equal(again.body!.status, 'Completed', 'an accepted guest is not pending again');
      assert.equal((await fetch(`${tenant.url}/redeem/unknown-token`)).status, 404);
    });

    it('has a control API: faults (validated), accept, teams, state, reset', async () => {
      assert.equal((await control('POST', 'faults', { throttleRate: 2 })).status, 400);
      assert.equal((await control('POST', 'faults', { nonsense: true })).status, 400);
      assert.deepEqual((await control('POST', 'faults', { refusedDomains: ['gmail.com'] })).body.faults, { refusedDomains: ['gmail.com'] });
      const refused = await invite('jean@gmail.com');
      assert.equal(refused.status, 400);
      assert.match(refused.body!.error.message, /domain is not allowed/);

      await invite('lea@boulangerie-bernard.fr');
      assert.equal((await control('POST', 'accept', { email: 'LEA@boulangerie-bernard.fr' })).body.externalUserState, 'Accepted');
      assert.equal((await control('POST', 'accept', { email: 'nobody@exemple.fr' })).status, 404);
      assert.equal((await control('POST', 'teams', { id: 'team-2', displayName: 'Garage Martin' })).status, 201);

      const state = (await control('GET', 'state')).body;
      assert.deepEqual(keysOf(state), ['counters', 'faults', 'invitations', 'mails', 'teams', 'tenantDomain', 'tenantId', 'users']);
      assert.equal(state.users.length, 1);
      assert.deepEqual(state.teams.map((team: { id: string }) => team.id), [teamId, 'team-2']);
      assert.equal(state.counters.invitationsByAddress['jean@gmail.com'], undefined, 'a refused invitation creates nothing');

      assert.equal((await control('POST', 'reset')).status, 200);
      const after = tenant.state();
      assert.equal(after.users.length, 0);
      assert.deepEqual(after.faults, {});
      assert.equal(after.teams.length, 2, 'declared teams stay');
    });
  });

  describe('snapshot', () => {
    it('keeps its guests and memberships across a restart when given a snapshot file', async () => {
      const directory = await mkdtemp(join(tmpdir(), 'passerelle-tenant-'));
      const snapshotPath = join(directory, 'nested', 'local-tenant.json');
      try {
        const first = await startLocalTenant({ snapshotPath, teams: [{ id: teamId, displayName: 'Boulangerie Bernard' }] });
        const created = await fetch(`${first.url}/v1.0/invitations`, {
          method: 'POST',
          headers: { Authorization: 'Bearer local-tenant', 'Content-Type': 'application/json' },
          body: JSON.stringify({ invitedUserEmailAddress: 'lea@boulangerie-bernard.fr', inviteRedirectUrl: 'https://teams.microsoft.com' }),
        });
        const { inviteRedeemUrl, invitedUser } = (await created.json()) as { inviteRedeemUrl: string; invitedUser: { id: string } };
        await first.stop();

        const second = await startLocalTenant({ snapshotPath, port: 0 });
        try {
          const state = second.state();
          assert.equal(state.users.length, 1);
          assert.equal(state.users[0]!.id, invitedUser.id);
          assert.deepEqual(state.teams.map((team) => team.id), [teamId], 'teams saved with the snapshot');
          const token = inviteRedeemUrl.split('/redeem/')[1]!;
          assert.equal((await fetch(`${second.url}/redeem/${token}`)).status, 200, 'redeem links survive the restart');
        } finally {
          await second.stop();
        }
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  });
});
