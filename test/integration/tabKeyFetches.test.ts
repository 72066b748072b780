import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { claire, demoFirmId } from '../helpers/activities.js';
import type { TestPasserelle } from '../helpers/passerelle.js';
import { startStaffSession, tabClientId, type StaffSession } from '../helpers/staffSession.js';
import type { TestIdentityProvider } from '../helpers/portfolioSeed.js';

/**
 * Unauthenticated requests cannot make the tab API fetch key sets on demand: whatever tenant a token
 * claims, one key set is used (Entra's common keys), reloaded at most once per cool-down, and a real
 * firm's users keep working while an attacker sends tokens with fresh tenant ids.
 */
const clientId = tabClientId;

describe('tab API key fetches under tokens with random tenants', function () {
  this.timeout(60_000);
  let session: StaffSession;
  let identity: TestIdentityProvider;
  let passerelle: TestPasserelle;

  before(async () => {
    session = await startStaffSession({ backgroundWork: false });
    ({ identity, passerelle } = session);
    await session.say(claire, 'aide');
  });
  after(async () => {
    await session?.stop();
  });

  const me = (token: string) => fetch(`${passerelle.server.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });

  it('200 tokens with random tenant ids cause at most 2 key fetches, each refused 401, and the firm’s user still gets in', async () => {
    const claireToken = await identity.token({ tid: demoFirmId, oid: claire.aadObjectId, name: claire.name, preferred_username: 'staff-claire@cabinet-demo.test' });
    assert.equal((await me(claireToken)).status, 200, 'the firm’s user gets in before the attack');
    const fetchesBefore = identity.keyFetches();
    const attacker = (await generateKeyPair('RS256')).privateKey;
    const statuses = new Map<number, number>();
    for (let index = 0; index < 200; index++) {
      const tid = randomUUID();
      // Half with the real key id (signature refused), half naming keys nobody has (a reload is tempting).
      const token =
        index % 2 === 0
          ? await identity.forgedToken({ tid, oid: randomUUID() })
          : await new SignJWT({ tid, oid: randomUUID(), scp: 'access_as_user', ver: '2.0' })
              .setProtectedHeader({ alg: 'RS256', kid: `unknown-${index}`, typ: 'JWT' })
              .setIssuer(`https://login.microsoftonline.com/${tid}/v2.0`)
              .setAudience(clientId)
              .setExpirationTime('1h')
              .sign(attacker);
      const status = (await me(token)).status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const fetchesDuringAttack = identity.keyFetches() - fetchesBefore;
    assert.deepEqual([...statuses], [[401, 200]], `every forged token refused 401: ${JSON.stringify([...statuses])}`);
    assert.ok(fetchesDuringAttack <= 2, `at most 2 key fetches for 200 tokens with random tenants, got ${fetchesDuringAttack}`);
    assert.equal((await me(claireToken)).status, 200, 'the firm’s user still gets in after the attack');
  });

  it('refuses a well-signed token whose issuer is another tenant than its tid', async () => {
    const token = await identity.token({ tid: demoFirmId, oid: claire.aadObjectId }, { issuer: `https://login.microsoftonline.com/${randomUUID()}/v2.0` });
    assert.equal((await me(token)).status, 401, 'the issuer must be the token’s own tenant');
  });
});
