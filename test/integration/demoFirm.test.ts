import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { loadConfig, type Config } from '../../bot/config.js';
import { claire, demoFiles, demoFirmTeam, demoStaffAccounts, demoTenantDomain, demoTenantId } from '../../bot/dev/demo/demoFirm.js';
import { decideDemoSeeding, offerDemoFirmOnStart } from '../../bot/dev/demo/offerDemoFirm.js';
import { startLocalTenant, type LocalTenant } from '../../bot/directory/localTenant.js';
import { silentLogger } from '../../bot/logger.js';
import { collections } from '../../bot/store/mongo.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from '../helpers/mongo.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';

/** `npm start`'s demo firm: written through the product on an empty local database, once, never with --empty. */
const states = ['notInvited', 'invited', 'accepted', 'member', 'failed'] as const;

function localConfig(mongoUri: string, database: string, tenant: LocalTenant, extra: Record<string, string> = {}): Config {
  return loadConfig({ PASSERELLE_ENV: 'test', MONGODB_URI: mongoUri, MONGODB_DB: database, GRAPH_BASE_URL: tenant.url, GRAPH_TIMEOUT_SECONDS: '5', ...extra });
}

async function startDemoTenant(): Promise<LocalTenant> {
  const tenant = await startLocalTenant({ port: 0, tenantId: demoTenantId, tenantDomain: demoTenantDomain, teams: [{ id: demoFirmTeam.id, displayName: demoFirmTeam.displayName }] });
  for (const [email, name] of demoStaffAccounts) tenant.addMember(email, name);
  return tenant;
}

async function withDb<T>(uri: string, name: string, use: (db: Db) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri);
  try {
    return await use(client.db(name));
  } finally {
    await client.close();
  }
}

describe('demo firm « Cabinet Démo » (npm start on an empty local database)', function () {
  this.timeout(120_000);
  let mongoUri: string;
  const database = uniqueDatabaseName('passerelle_demo');
  let tenant: LocalTenant;
  let passerelle: TestPasserelle | undefined;

  before(async () => {
    mongoUri = await testMongoUri();
    tenant = await startDemoTenant();
  });

  after(async () => {
    await passerelle?.stop();
    await tenant?.stop();
    await dropDatabase(mongoUri, database).catch(() => undefined);
  });

  it('seeds the demo firm through the product: every onboarding state, agreeing with the local tenant', async () => {
    const offer = await offerDemoFirmOnStart(localConfig(mongoUri, database, tenant), tenant, [], silentLogger);
    assert.deepEqual(offer.decision, { seed: true }, 'an empty database in local mode gets the demo');
    assert.equal(offer.summary?.files, demoFiles.length, 'every demo file is created');
    assert.ok(demoFiles.length >= 30, `a few dozen files (${demoFiles.length})`);
    for (const state of states) assert.ok((offer.summary?.states[state] ?? 0) >= 2, `at least two contacts ${state}: ${JSON.stringify(offer.summary?.states)}`);

    const tenantState = tenant.state();
    await withDb(mongoUri, database, async (db) => {
      const contacts = await db.collection(collections.contacts).find({ firmId: demoTenantId }).toArray();
      for (const contact of contacts) {
        const guest = contact.guest as { state: string; directoryUserId?: string; failure?: { reason: string } } | undefined;
        const user = tenantState.users.find((candidate) => candidate.mail === contact.email);
        if (!guest) {
          assert.equal(user, undefined, `${String(contact.email)} was never invited: unknown to the tenant`);
          continue;
        }
        if (guest.state === 'failed') {
          assert.equal(guest.failure?.reason, 'recipientRefused', `${String(contact.email)} failed because their company refuses guests`);
          continue;
        }
        assert.equal(user?.id, guest.directoryUserId, `${String(contact.email)} is the tenant's guest`);
        assert.equal(user?.externalUserState, guest.state === 'invited' ? 'PendingAcceptance' : 'Accepted', `${String(contact.email)} (${guest.state}) agrees with the tenant`);
        const inTeam = tenantState.teams.some((team) => team.members.some((member) => member.userId === user?.id));
        assert.equal(inTeam, guest.state === 'member', `${String(contact.email)} (${guest.state}) is in a team exactly when a member`);
      }
      const subscriptions = await db.collection(collections.offerSubscriptions).find({ firmId: demoTenantId }).toArray();
      const offers = new Set(subscriptions.map((subscription) => `${String(subscription.offerId)}:${String(subscription.state)}`));
      for (const expected of ['start:active', 'start:waitingForGuest', 'consultation:active', 'coproduction:active']) assert.ok(offers.has(expected), `an offer ${expected} (${[...offers].join(', ')})`);
      assert.equal(await db.collection(collections.accessRequests).countDocuments({ firmId: demoTenantId, kind: 'paidOffer', status: 'pending' }), 1, 'one paid offer waits for approval');
      const apps = await db.collection(collections.partnerApps).find({ firmId: demoTenantId }).toArray();
      assert.ok(apps.some((app) => app.app === 'flow') && apps.some((app) => app.app === 'shine'), `Flow and Shine in progress (${apps.map((app) => String(app.app)).join(', ')})`);
    });
  });

  it('shows the demo on the dashboard API in local mode, with its audit log, and the watcher leaves the guests as they are', async () => {
    passerelle = await startTestPasserelle({
      mongoUri,
      database,
      backgroundWork: false,
      env: { GRAPH_BASE_URL: tenant.url, TAB_LOCAL_USER: `${demoTenantId}|${claire.userId}|${claire.displayName}|${claire.email}` },
    });
    await passerelle.server.watchAcceptancesNow();
    const totals: Record<string, number> = {};
    let listed = 0;
    for (let page = 1; page <= 2; page++) {
      const response: Response = await fetch(`${passerelle.server.url}/api/portfolio?pageSize=25&page=${page}`);
      const body = (await response.json()) as { items: { code: string; contacts: { states: Record<string, number> } }[]; total: number };
      assert.equal(response.status, 200, `GET /api/portfolio as Claire: ${JSON.stringify(body)}`);
      assert.equal(body.total, demoFiles.length, 'the dashboard lists every demo file');
      listed += body.items.length;
      for (const item of body.items) for (const [state, count] of Object.entries(item.contacts.states)) totals[state] = (totals[state] ?? 0) + count;
    }
    assert.equal(listed, demoFiles.length, 'two pages of 25 hold every file');
    for (const state of states) assert.ok((totals[state] ?? 0) >= 2, `the dashboard shows contacts ${state} after a watcher pass: ${JSON.stringify(totals)}`);

    const actions = new Set<string>();
    for (let attempt = 0; attempt < 50 && !actions.has('shine.activated'); attempt++) {
      const response: Response = await fetch(`${passerelle.server.url}/api/audit?limit=5000`);
      const body = (await response.json()) as { entries: { action: string }[] };
      assert.equal(response.status, 200, `GET /api/audit: ${JSON.stringify(body)}`);
      for (const entry of body.entries) actions.add(entry.action);
      if (!actions.has('shine.activated')) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const action of ['clientFile.created', 'contact.linked', 'guest.invited', 'guest.accepted', 'guest.joinedTeam', 'guest.failed', 'offer.proposed', 'flow.stepDone', 'shine.activated', 'access.requested']) {
      assert.ok(actions.has(action), `the audit log holds ${action} (${[...actions].sort().join(', ')})`);
    }
  });

  it('does not seed again on a database that has data', async () => {
    const count = () => withDb(mongoUri, database, (db) => db.collection(collections.clientFiles).countDocuments({}));
    const before = await count();
    const offer = await offerDemoFirmOnStart(localConfig(mongoUri, database, tenant), tenant, [], silentLogger);
    assert.deepEqual(offer.decision, { seed: false, reason: 'hasData' }, 'the second start sees the data');
    assert.equal(offer.summary, undefined, 'nothing seeded');
    assert.equal(await count(), before, 'no file added');
  });

  it('starts empty with --empty or PASSERELLE_DEMO=0', async () => {
    const emptyDatabase = uniqueDatabaseName('passerelle_demo_empty');
    try {
      for (const [argv, extra] of [[['--empty'], {}], [[], { PASSERELLE_DEMO: '0' }]] as const) {
        const offer = await offerDemoFirmOnStart(localConfig(mongoUri, emptyDatabase, tenant, extra), tenant, argv, silentLogger);
        assert.deepEqual(offer.decision, { seed: false, reason: 'optedOut' }, `${argv.join(' ')} ${JSON.stringify(extra)} opts out`);
        assert.equal(await withDb(mongoUri, emptyDatabase, (db) => db.collection(collections.firms).countDocuments({})), 0, 'no firm written');
      }
    } finally {
      await dropDatabase(mongoUri, emptyDatabase).catch(() => undefined);
    }
  });

  it('decides: local mode, local tenant, empty database, not opted out', () => {
    const allowed = { argv: [], demoEnabled: true, deployed: false, localTenant: true, databaseEmpty: true };
    assert.deepEqual(decideDemoSeeding(allowed), { seed: true }, 'everything allows it');
    assert.deepEqual(decideDemoSeeding({ ...allowed, argv: ['--empty'] }), { seed: false, reason: 'optedOut' }, '--empty');
    assert.deepEqual(decideDemoSeeding({ ...allowed, demoEnabled: false }), { seed: false, reason: 'optedOut' }, 'PASSERELLE_DEMO=0');
    assert.deepEqual(decideDemoSeeding({ ...allowed, deployed: true }), { seed: false, reason: 'deployed' }, 'never outside local mode');
    assert.deepEqual(decideDemoSeeding({ ...allowed, localTenant: false }), { seed: false, reason: 'realDirectory' }, 'never invites in a real tenant');
    assert.deepEqual(decideDemoSeeding({ ...allowed, databaseEmpty: false }), { seed: false, reason: 'hasData' }, 'never on a database with data');
  });
});
