import assert from 'node:assert/strict';
import { DirectoryError } from '../../bot/domain/directory.js';
import { GraphDirectory, type GraphDirectoryOptions } from '../../bot/directory/graphDirectory.js';
import { startLocalTenant, type LocalTenant } from '../../bot/directory/localTenant.js';
import { createLogger, silentLogger } from '../../bot/logger.js';

const teamId = '5f1e2d3c-0000-4a4a-9b9b-000000000001';
const lea = 'lea@boulangerie-bernard.fr';

function invitationOf(email: string, personalMessage?: string) {
  return { email, displayName: `Contact ${email.split('@')[0]}`, redirectUrl: 'https://teams.microsoft.com/l/team/abc', ...(personalMessage ? { personalMessage } : {}) };
}

async function rejectsWithKind(promise: Promise<unknown>, kind: DirectoryError['kind']): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, `expected a DirectoryError, got ${String(error)}`);
    assert.equal(error.kind, kind, `expected kind ${kind}, got ${error.kind}: ${error.message}`);
    return error;
  }
  assert.fail(`expected a DirectoryError of kind ${kind}`);
}

describe('GraphDirectory against the local tenant', function () {
  let tenant: LocalTenant;
  let directory: GraphDirectory;

  function directoryFor(overrides: Partial<GraphDirectoryOptions> = {}): GraphDirectory {
    return new GraphDirectory({
      baseUrl: tenant.url,
      timeoutMs: 3_000,
      invitationsPer5s: 5,
      logger: silentLogger,
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
      ...overrides,
    });
  }

  before(async () => {
    tenant = await startLocalTenant({ invitationsPer5s: 5, teams: [{ id: teamId, displayName: 'Boulangerie Bernard' }] });
  });
  // Each test starts from an empty tenant and a client whose limiters start afresh.
  const resetTenantAndClient = () => {
    tenant.reset();
    directory = directoryFor();
  };
  after(async () => {
    await tenant?.stop();
  });

  describe('the life of a guest', () => {
    let userId: string;
    let firstRedeemUrl: string;
    let membershipId: string;

    before(resetTenantAndClient);

    it('finds nobody for an address the tenant does not know', async () => {
      assert.equal(await directory.findUserByEmail(lea), null);
    });

    it('invites a guest: pending acceptance, with a redeem link, and the invitation e-mail in French', async () => {
      const sent = await directory.inviteGuest(invitationOf(lea, 'Bonjour Léa, voici votre accès au cabinet.'));
      assert.equal(sent.status, 'PendingAcceptance');
      assert.match(sent.redeemUrl, new RegExp(`^${tenant.url}/redeem/`));
      userId = sent.userId;
      firstRedeemUrl = sent.redeemUrl;

      const state = tenant.state();
      assert.equal(state.users.length, 1);
      const user = state.users[0]!;
      assert.equal(user.id, userId);
      assert.equal(user.userType, 'Guest');
      assert.equal(user.externalUserState, 'PendingAcceptance');
      assert.equal(user.userPrincipalName, `lea_boulangerie-bernard.fr#EXT#@${state.tenantDomain}`);
      const [record] = state.invitations;
      assert.equal(record?.sendInvitationMessage, true);
      assert.equal(record?.messageLanguage, 'fr-FR');
      assert.equal(record?.customizedMessageBody, 'Bonjour Léa, voici votre accès au cabinet.');
    });

    it('finds the guest by mail, whatever the case of the address', async () => {
      const found = await directory.findUserByEmail('LEA@Boulangerie-Bernard.fr');
      assert.deepEqual(found, { id: userId, displayName: 'Contact lea', mail: lea, userType: 'Guest', redemptionState: 'PendingAcceptance', accountEnabled: true });
    });

    it('re-inviting gives the same user with a new redeem link, never a second user', async () => {
      const again = await directory.inviteGuest(invitationOf(lea));
      assert.equal(again.userId, userId);
      assert.notEqual(again.redeemUrl, firstRedeemUrl, 'Graph gives a new redeem URL at each invitation');
      const state = tenant.state();
      assert.equal(state.users.length, 1, 'one user in the tenant');
      assert.equal(state.counters.invitationsByAddress[lea], 2);
    });

    it('sees the guest Accepted once the redeem link is opened', async () => {
      const page = await fetch(firstRedeemUrl);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Invitation acceptée – vous pouvez ouvrir Microsoft Teams/);

      const unknownId = '00000000-0000-4000-8000-000000000000';
      const states = await directory.getRedemptionStates([userId, unknownId]);
      assert.equal(states.get(userId), 'Accepted');
      assert.equal(states.has(unknownId), false, 'a user that no longer exists is absent');
      assert.equal((await directory.getUser(userId))?.redemptionState, 'Accepted');
      assert.ok(tenant.state().users[0]?.externalUserStateChangeDateTime, 'the change date is set');
    });

    it('adds the guest to the team with the guest role; adding again is not an error', async () => {
      ({ membershipId } = await directory.addGuestToTeam(teamId, userId));
      const again = await directory.addGuestToTeam(teamId, userId);
      assert.equal(again.membershipId, membershipId);
      const members = tenant.state().teams.find((team) => team.id === teamId)!.members;
      assert.equal(members.length, 1);
      assert.deepEqual(members[0]!.roles, ['guest']);
    });

    it('removes the guest from the team (twice is harmless)', async () => {
      await directory.removeFromTeam(teamId, membershipId);
      await directory.removeFromTeam(teamId, membershipId);
      assert.equal(tenant.state().teams.find((team) => team.id === teamId)!.members.length, 0);
    });

    it('blocks sign-in, then deletes the user', async () => {
      await directory.blockUser(userId);
      assert.equal((await directory.getUser(userId))?.accountEnabled, false);
      await directory.deleteUser(userId);
      assert.equal(await directory.getUser(userId), null);
      await directory.deleteUser(userId);
      await rejectsWithKind(directory.blockUser(userId), 'notFound');
    });

    it('reports an unknown team as notFound', async () => {
      const { userId: other } = await directory.inviteGuest(invitationOf('paul@garage-martin.fr'));
      await rejectsWithKind(directory.addGuestToTeam('no-such-team', other), 'notFound');
    });
  });

  describe('batching', () => {
    beforeEach(resetTenantAndClient);

    it('looks up 45 addresses with 3 $batch calls and finds the known ones', async () => {
      const known = ['client0@exemple.fr', 'client44@exemple.fr'];
      const invited = await Promise.all(known.map((email) => directory.inviteGuest(invitationOf(email))));
      const before = tenant.state().counters;
      const addresses = Array.from({ length: 45 }, (_, index) => `client${index}@exemple.fr`);
      addresses[44] = 'Client44@Exemple.fr';

      const found = await directory.findUsersByEmail(addresses);
      const after = tenant.state().counters;
      assert.equal(after.batchRequests - before.batchRequests, 3, '45 look-ups = 20 + 20 + 5');
      assert.equal(after.graphRequests - before.graphRequests, 45, 'each look-up counts as a Graph request');
      assert.equal(found.size, 45);
      assert.equal(found.get('client0@exemple.fr')?.id, invited[0]!.userId);
      assert.equal(found.get('Client44@Exemple.fr')?.id, invited[1]!.userId, 'keyed by the address as given');
      assert.equal(found.get('client7@exemple.fr'), null);
    });

    it('reads redemption states in batches of 20', async () => {
      const sent = await directory.inviteGuest(invitationOf('marie@cave-dupont.fr'));
      tenant.accept('marie@cave-dupont.fr');
      const ids = [sent.userId, ...Array.from({ length: 24 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`)];
      const before = tenant.state().counters.batchRequests;
      const states = await directory.getRedemptionStates(ids);
      assert.equal(tenant.state().counters.batchRequests - before, 2);
      assert.deepEqual([...states], [[sent.userId, 'Accepted']]);
    });

    it('retries only the requests Graph throttled inside a batch', async () => {
      tenant.setFaults({ throttleNext: 3, retryAfterSeconds: 0.1, match: '^GET /users$' });
      const addresses = Array.from({ length: 5 }, (_, index) => `batch${index}@exemple.fr`);
      const before = tenant.state().counters;
      const found = await directory.findUsersByEmail(addresses);
      const after = tenant.state().counters;
      assert.equal(found.size, 5);
      assert.equal(after.throttled - before.throttled, 3);
      assert.equal(after.batchRequests - before.batchRequests, 2, 'one batch, then one with the 3 throttled requests');
      assert.equal(after.graphRequests - before.graphRequests, 8);
    });
  });

  describe('throttling, outages and refusals', () => {
    beforeEach(resetTenantAndClient);

    it('waits out a 429 with Retry-After, then succeeds', async () => {
      tenant.setFaults({ throttleNext: 2, retryAfterSeconds: 0.2 });
      const started = Date.now();
      assert.equal(await directory.findUserByEmail(lea), null);
      assert.ok(Date.now() - started >= 380, 'two Retry-After waits of 0.2 s');
      assert.equal(tenant.state().counters.throttled, 2);
    });

    it('gives up after the last attempt with DirectoryError throttled and the Retry-After', async () => {
      tenant.setFaults({ throttleRate: 1, retryAfterSeconds: 0.05 });
      const error = await rejectsWithKind(directoryFor({ retry: { maxAttempts: 3 } }).findUserByEmail(lea), 'throttled');
      assert.equal(error.retryAfterSeconds, 0.05);
      assert.equal(tenant.state().counters.throttled, 3, 'three attempts in all');
    });

    it('retries a 503 with back-off, and reports unavailable when it lasts', async () => {
      tenant.setFaults({ unavailableNext: 2 });
      assert.equal(await directory.findUserByEmail(lea), null);
      assert.equal(tenant.state().counters.unavailable, 2);

      tenant.setFaults({ unavailableRate: 1 });
      await rejectsWithKind(directoryFor({ retry: { maxAttempts: 2, baseDelayMs: 10 } }).findUserByEmail(lea), 'unavailable');
    });

    it('reports a response slower than the timeout as unavailable, without waiting for it', async () => {
      tenant.setFaults({ slowMs: 2_000 });
      const started = Date.now();
      const error = await rejectsWithKind(directoryFor({ timeoutMs: 200 }).getUser('00000000-0000-4000-8000-000000000001'), 'unavailable');
      assert.ok(Date.now() - started < 1_500, 'gave up at the timeout');
      assert.match(error.message, /did not answer within 0\.2 s/);
    });

    it('reports an unreachable Graph as unavailable', async () => {
      const closed = await startLocalTenant();
      const url = closed.url;
      await closed.stop();
      await rejectsWithKind(directoryFor({ baseUrl: url }).findUserByEmail(lea), 'unavailable');
    });

    it('reports a tenant that forbids guest invitations as invitationsDisabled', async () => {
      tenant.setFaults({ invitationsDisabled: true });
      await rejectsWithKind(directory.inviteGuest(invitationOf(lea)), 'invitationsDisabled');
      assert.equal(tenant.state().users.length, 0);
    });

    it('reports a domain refused by the collaboration restrictions as recipientRefused', async () => {
      tenant.setFaults({ refusedDomains: ['gmail.com'] });
      await rejectsWithKind(directory.inviteGuest(invitationOf('jean.dupont@gmail.com')), 'recipientRefused');
      const sent = await directory.inviteGuest(invitationOf(lea));
      assert.equal(sent.status, 'PendingAcceptance', 'other domains are still invited');
    });

    it('reports an address Graph cannot invite as invalidRequest', async () => {
      await rejectsWithKind(directory.inviteGuest(invitationOf('jean+compta@exemple.fr')), 'invalidRequest');
    });

    it('is refused with 401 when the bearer token is missing', async () => {
      const response = await fetch(`${tenant.url}/v1.0/users`);
      assert.equal(response.status, 401);
      const body = (await response.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'InvalidAuthenticationToken');
    });
  });

  describe('logging', () => {
    beforeEach(resetTenantAndClient);

    it('logs each request at debug level, without e-mail addresses, bodies or tokens', async () => {
      const lines: string[] = [];
      const logged = directoryFor({ logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }) });
      await logged.findUserByEmail(lea);
      await logged.inviteGuest(invitationOf(lea, 'Message personnel'));
      await logged.findUsersByEmail([lea, 'paul@garage-martin.fr']);
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        entries.map((entry) => [entry.level, entry.message, entry.method, entry.path, entry.status]),
        [
          ['debug', 'graph request', 'GET', '/users', 200],
          ['debug', 'graph request', 'POST', '/invitations', 201],
          ['debug', 'graph request', 'POST', '/$batch', 200],
        ],
      );
      const text = lines.join('\n');
      assert.doesNotMatch(text, /@|redacted|Bearer|local-tenant|Message personnel/, 'nothing personal or secret reaches the log');
    });
  });

  describe('pacing', () => {
    it('paces invitations to the tenant limit instead of running into 429s', async () => {
      const paced = await startLocalTenant({ invitationsPer5s: 3, invitationWindowMs: 400 });
      try {
        const client = new GraphDirectory({ baseUrl: paced.url, timeoutMs: 3_000, invitationsPer5s: 3, invitationWindowMs: 400, logger: silentLogger });
        const started = Date.now();
        const sent = await Promise.all(Array.from({ length: 7 }, (_, index) => client.inviteGuest(invitationOf(`rythme${index}@exemple.fr`))));
        assert.equal(sent.length, 7);
        assert.ok(Date.now() - started >= 800, '7 invitations at 3 per window need two more windows');
        assert.equal(paced.state().counters.throttled, 0, 'the client never hit the limit');
      } finally {
        await paced.stop();
      }
    });

    it('paces requests to one team to 4 per second', async () => {
      const teams = await startLocalTenant({ teams: [{ id: teamId, displayName: 'Boulangerie Bernard' }] });
      try {
        const client = new GraphDirectory({ baseUrl: teams.url, timeoutMs: 3_000, invitationsPer5s: 150, logger: silentLogger });
        const guests = await Promise.all(Array.from({ length: 6 }, (_, index) => client.inviteGuest(invitationOf(`equipe${index}@exemple.fr`))));
        const started = Date.now();
        await Promise.all(guests.map((guest) => client.addGuestToTeam(teamId, guest.userId)));
        assert.ok(Date.now() - started >= 900, '6 requests to one team at 4 per second take more than a second');
        assert.equal(teams.state().counters.throttled, 0);
        assert.equal(teams.state().teams[0]!.members.length, 6);
      } finally {
        await teams.stop();
      }
    });

    it('honours the tenant’s 429 when another app used the invitation budget', async () => {
      const busy = await startLocalTenant({ invitationsPer5s: 2, invitationWindowMs: 300 });
      try {
        const client = new GraphDirectory({ baseUrl: busy.url, timeoutMs: 3_000, invitationsPer5s: 10, logger: silentLogger, retry: { baseDelayMs: 20 } });
        const sent = await Promise.all(Array.from({ length: 3 }, (_, index) => client.inviteGuest(invitationOf(`partage${index}@exemple.fr`))));
        assert.equal(new Set(sent.map((invitation) => invitation.userId)).size, 3);
        assert.ok(busy.state().counters.throttled >= 1, 'the third invitation met a 429 and was retried after Retry-After');
      } finally {
        await busy.stop();
      }
    });
  });
});
