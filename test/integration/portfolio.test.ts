import assert from 'node:assert/strict';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, siretFrom, startTestIdentityProvider, withDatabase, type SeededFile, type SeedFile, type TestIdentityProvider } from '../helpers/portfolioSeed.js';

/** The portfolio API through HTTP on the whole server: authentication, firm isolation, paging, search, filters. */
const clientId = '0f0f0f0f-1111-2222-3333-444444444444';
const firmA = '11111111-1111-1111-1111-111111111111';
const firmB = '22222222-2222-2222-2222-222222222222';
const staffA = { tid: firmA, oid: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Claire Martin' };
const staffB = { tid: firmB, oid: 'bbbbbbbb-0000-0000-0000-000000000001', name: 'Bruno Blanc' };

interface PageBody {
  items: { id: string; code: string; companyName: string; legalForm: string | null; siret: string | null; contacts: { count: number; primary: { name: string; email: string } | null; states: Record<string, number> } }[];
  total: number;
  page: number;
  pageSize: number;
}

function firmAFiles(): SeedFile[] {
  const files: SeedFile[] = [
    {
      code: '000001',
      companyName: 'Boulangerie Bérnard & Fils',
      legalForm: 'SARL',
      siret: '73282932000074',
      contacts: [
        { firstName: 'Léa', lastName: 'Bernard', email: 'lea@boulangerie-bernard.test', state: 'member', primary: true },
        { firstName: 'Éric', lastName: 'Bernard', email: 'eric@boulangerie-bernard.test', state: 'invited' },
      ],
    },
    { code: '000002', companyName: 'Garage Œuvre Mécanique', legalForm: 'SAS', contacts: [{ firstName: 'Hélène', lastName: 'Dupré', email: 'helene.dupre@garage-oeuvre.test', state: 'failed' }] },
    { code: '000003', companyName: 'Atelier Zoé', legalForm: 'EI', siret: siretFrom(3), contacts: [] },
  ];
  for (let n = 4; n <= 27; n++) {
    files.push({
      code: String(n).padStart(6, '0'),
      companyName: `Client ${String(n).padStart(2, '0')} Société`,
      legalForm: 'SAS',
      siret: n % 5 === 0 ? undefined : siretFrom(n),
      contacts: [{ lastName: `Contact${n}`, firstName: 'Jean', email: `jean${n}@client${n}.test`, state: n % 3 === 0 ? 'accepted' : 'notInvited', primary: n % 2 === 0 }],
    });
  }
  return files;
}

describe('portfolio API (/api/portfolio)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let identity: TestIdentityProvider;
  let tokenA: string;
  let tokenB: string;
  let seededA: SeededFile[];
  let seededB: SeededFile[];

  const get = async (path: string, token: string | null = tokenA) => {
    const response = await fetch(`${passerelle.server.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
  };
  const page = async (query: string, token: string = tokenA) => {
    const response = await get(`/api/portfolio${query}`, token);
    assert.equal(response.status, 200, `GET /api/portfolio${query}: ${JSON.stringify(response.body)}`);
    return response.body as unknown as PageBody;
  };

  before(async () => {
    identity = await startTestIdentityProvider(clientId);
    passerelle = await startTestPasserelle({ backgroundWork: false, env: { AAD_APP_CLIENT_ID: clientId, TAB_JWKS_URL: identity.jwksUrl, PUBLIC_URL: 'https://passerelle.test' } });
    await withDatabase(passerelle.mongoUri, passerelle.database, async (db) => {
      seededA = await seedPortfolio(db, firmA, firmAFiles());
      seededB = await seedPortfolio(db, firmB, [
        { code: '000001', companyName: 'Boulangerie Bernard Concurrente', contacts: [{ lastName: 'Secret', email: 'secret@autre-cabinet.test', state: 'invited', primary: true }] },
      ]);
    });
    tokenA = await identity.token(staffA);
    tokenB = await identity.token(staffB);
  });

  after(async () => {
    await passerelle?.stop();
    await identity?.stop();
  });

  describe('authentication', () => {
    it('refuses a request without a token (401, French message)', async () => {
      const response = await get('/api/portfolio', null);
      assert.equal(response.status, 401);
      assert.match(String(response.body.message), /Authentification requise/);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    });

    it('refuses a token signed with another key', async () => {
      const response = await get('/api/portfolio', await identity.forgedToken(staffA));
      assert.equal(response.status, 401);
      assert.match(String(response.body.message), /invalide ou expiré/);
    });

    it('refuses an expired token', async () => {
      const expired = await identity.token(staffA, { expiresIn: Math.floor(Date.now() / 1000) - 3_600 });
      assert.equal((await get('/api/portfolio', expired)).status, 401);
    });

    it('refuses a token for another audience or from another issuer', async () => {
      assert.equal((await get('/api/portfolio', await identity.token(staffA, { audience: 'api://ailleurs.test/other-app' }))).status, 401);
      assert.equal((await get('/api/portfolio', await identity.token(staffA, { issuer: `https://login.microsoftonline.com/${firmB}/v2.0` }))).status, 401);
    });

    it('refuses a token without the access_as_user scope, and garbage', async () => {
      assert.equal((await get('/api/portfolio', await identity.token({ ...staffA, scp: 'User.Read' }))).status, 401);
      assert.equal((await get('/api/portfolio', 'not.a.jwt')).status, 401);
    });

    it('refuses a guest of the firm (403)', async () => {
      const guest = await identity.token({ ...staffA, oid: 'cccccccc-0000-0000-0000-000000000009', idp: 'https://sts.windows.net/99999999-9999-9999-9999-999999999999/' });
      const response = await get('/api/portfolio', guest);
      assert.equal(response.status, 403);
      assert.match(String(response.body.message), /réservé aux collaborateurs/);
    });

    it('applies the staff policy: someone not attached to the firm is refused, and told how to ask', async () => {
      await get('/api/me'); // the firm's first user (staff A) is its main manager
      const stranger = await identity.token({ ...staffA, oid: 'dddddddd-0000-0000-0000-000000000004', name: 'Nouveau Collaborateur', preferred_username: 'nouveau@cabinet.test' });
      const response = await get('/api/portfolio', stranger);
      assert.equal(response.status, 403);
      assert.match(String(response.body.message), /pas encore rattaché à la structure du cabinet/);
    });

    it('accepts the application ID URI as audience too', async () => {
      const token = await identity.token(staffA, { audience: `api://passerelle.test/${clientId}` });
      assert.equal((await get('/api/me', token)).status, 200);
    });

    it('names the caller and their firm from the token', async () => {
      const response = await get('/api/me');
      assert.deepEqual(response.body, { displayName: 'Claire Martin', firmId: firmA, canEdit: true, can: { invite: true, proposeOffers: true, proposePaidOffers: true, activatePartnerApps: true, readAudit: true, editHelpArticles: true, support: true, administer: true } }, 'the first user of the firm may do everything');
    });
  });

  describe('CSV export of the current view', () => {
    it('exports every matching file with the same search, for Excel', async () => {
      const response = await fetch(`${passerelle.server.url}/api/export/portfolio.csv?missingSiret=true`, { headers: { Authorization: `Bearer ${tokenA}` } });
      assert.equal(response.status, 200);
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
      const [header, ...lines] = bytes.subarray(3).toString('utf8').trim().split('\r\n');
      assert.match(header!, /^Code;Raison sociale;Forme juridique;SIRET;Interlocuteurs;/);
      const expected = (await page('?pageSize=100&missingSiret=true')).total;
      assert.equal(lines.length, expected, 'one line per matching file, all pages');
      assert.ok(lines.every((line) => line.split(';')[3] === ''), 'only files without a SIRET');
    });

    it('exports nothing without a token', async () => {
      assert.equal((await fetch(`${passerelle.server.url}/api/export/portfolio.csv`)).status, 401);
    });
  });

  describe('bulk invitations', () => {
    const post = async (body: unknown, token: string | null = tokenA) => {
      const response = await fetch(`${passerelle.server.url}/api/invitations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('starts one job for the selected files; the same request id finds it again', async () => {
      const requestId = '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f6a';
      const first = await post({ requestId, clientFileIds: [seededA[0]!.id, seededA[1]!.id] });
      assert.equal(first.status, 202, JSON.stringify(first.body));
      assert.ok(Number(first.body.total) >= 1);
      const again = await post({ requestId, clientFileIds: [seededA[0]!.id] });
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id, 'a re-sent request is the same job');
      const progress = await get(`/api/jobs/${String(first.body.id)}`);
      assert.equal(progress.status, 200);
      assert.equal(progress.body.total, first.body.total);
      assert.equal((await get(`/api/jobs/${String(first.body.id)}`, tokenB)).status, 404, 'another firm cannot see it');
    });

    it('refuses bad input with a French message and writes nothing', async () => {
      const response = await post({ requestId: 'x', clientFileIds: [] });
      assert.equal(response.status, 400);
      assert.match(String(response.body.message), /sélectionnez au moins un dossier/);
    });
  });

  describe('firm isolation', () => {
    it('lists only the caller’s firm', async () => {
      const a = await page('?pageSize=100');
      const b = await page('?pageSize=100', tokenB);
      assert.equal(a.total, 27);
      assert.equal(b.total, 1);
      assert.equal(b.items[0]!.companyName, 'Boulangerie Bernard Concurrente');
      assert.ok(!a.items.some((item) => item.id === seededB[0]!.id), 'firm B’s file never appears for firm A');
    });

    it('refuses another firm’s client as not found, without revealing it', async () => {
      const response = await get(`/api/portfolio/${seededB[0]!.id}`);
      assert.equal(response.status, 404);
      assert.deepEqual(response.body, { code: 'clientFile.notFound', message: 'Dossier introuvable.' });
      assert.equal((await get(`/api/portfolio/${seededB[0]!.id}`, tokenB)).status, 200);
    });

    it('never finds another firm’s contacts by search', async () => {
      const result = await page('?search=secret');
      assert.equal(result.total, 0);
    });
  });

  describe('paging, search, filters, sort', () => {
    it('pages with the total, sorted by name', async () => {
      const first = await page('?page=1&pageSize=10');
      const third = await page('?page=3&pageSize=10');
      assert.equal(first.total, 27);
      assert.equal(first.items.length, 10);
      assert.equal(third.items.length, 7);
      assert.equal(first.items[0]!.companyName, 'Atelier Zoé');
      const all = (await page('?pageSize=100')).items.map((item) => item.companyName);
      assert.deepEqual(all, [...all].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      const ids = new Set([...first.items, ...(await page('?page=2')).items, ...third.items].map((item) => item.id));
      assert.equal(ids.size, 27, 'three pages cover every file once');
    });

    it('sorts by code both ways', async () => {
      assert.equal((await page('?sort=code')).items[0]!.code, '000001');
      assert.equal((await page('?sort=code&direction=desc')).items[0]!.code, '000027');
    });

    it('summarises each file’s contacts: count, primary, states', async () => {
      const bernard = (await page('?search=000001')).items[0]!;
      assert.equal(bernard.companyName, 'Boulangerie Bérnard & Fils');
      assert.deepEqual(bernard.contacts, {
        count: 2,
        primary: { name: 'Léa Bernard', email: 'lea@boulangerie-bernard.test' },
        states: { member: 1, invited: 1 },
      });
      const zoe = (await page('?search=zoe')).items[0]!;
      assert.deepEqual(zoe.contacts, { count: 0, primary: null, states: {} });
    });

    it('searches name words case- and accent-insensitively, by prefix', async () => {
      assert.deepEqual((await page('?search=BERN')).items.map((item) => item.code), ['000001']);
      assert.deepEqual((await page('?search=oeuvre%20meca')).items.map((item) => item.code), ['000002']);
      assert.deepEqual((await page('?search=atelier%20zo%C3%A9')).items.map((item) => item.code), ['000003']);
    });

    it('searches by code, SIRET prefix, contact name and contact e-mail', async () => {
      assert.deepEqual((await page('?search=000002')).items.map((item) => item.code), ['000002']);
      assert.deepEqual((await page('?search=732%20829')).items.map((item) => item.code), ['000001']);
      assert.deepEqual((await page('?search=h%C3%A9l%C3%A8ne')).items.map((item) => item.code), ['000002']);
      assert.deepEqual((await page('?search=dupre')).items.map((item) => item.code), ['000002']);
      assert.deepEqual((await page(`?search=${encodeURIComponent('jean12@client12')}`)).items.map((item) => item.code), ['000012']);
      assert.equal((await page('?search=zzzz')).total, 0);
    });

    it('filters by onboarding state of the contacts (any of several)', async () => {
      assert.deepEqual((await page('?state=failed')).items.map((item) => item.code), ['000002']);
      const accepted = await page('?state=accepted&pageSize=100&sort=code');
      assert.deepEqual(accepted.items.map((item) => item.code), ['000006', '000009', '000012', '000015', '000018', '000021', '000024', '000027']);
      const several = await page('?state=member,failed&sort=code');
      assert.deepEqual(several.items.map((item) => item.code), ['000001', '000002']);
      const repeated = await page('?state=member&state=failed&sort=code');
      assert.equal(repeated.total, 2);
      assert.equal((await page('?state=notInvited')).total, 24 - 8);
    });

    it('filters files missing a SIRET or a primary contact, combined with search', async () => {
      const noSiret = await page('?missingSiret=true&pageSize=100&sort=code');
      assert.deepEqual(noSiret.items.map((item) => item.code), ['000002', '000005', '000010', '000015', '000020', '000025']);
      const noPrimary = await page('?missingPrimaryContact=true&pageSize=100');
      assert.equal(noPrimary.total, 2 + 12);
      const combined = await page('?missingSiret=1&missingPrimaryContact=1&search=client&sort=code');
      assert.deepEqual(combined.items.map((item) => item.code), ['000005', '000015', '000025']);
    });

    it('refuses invalid parameters with a French message (400)', async () => {
      for (const query of ['?pageSize=7', '?page=0', '?page=abc', '?sort=siret', '?state=dormant', '?missingSiret=peut-etre', '?unknown=1', `?search=${'x'.repeat(101)}`]) {
        const response = await get(`/api/portfolio${query}`);
        assert.equal(response.status, 400, query);
        assert.match(String(response.body.message), /^Requête invalide : /, query);
      }
      const response = await get('/api/portfolio?pageSize=7');
      assert.match(String(response.body.message), /taille de page possible : 10, 25, 50, 100/);
      assert.equal((await get('/api/portfolio/not-an-id')).status, 400);
    });
  });

  describe('one client', () => {
    it('gives details, contacts with the primary flag and guest dates, and the history in time order', async () => {
      const response = await get(`/api/portfolio/${seededA[0]!.id}`);
      assert.equal(response.status, 200);
      const client = response.body as {
        code: string; siret: string; contacts: { lastName: string; firstName: string; primary: boolean; scope: string; guest: { state: string; invitedAt?: string; memberAt?: string } }[];
        history: { at: string; action: string; by: string }[];
      };
      assert.equal(client.code, '000001');
      assert.equal(client.siret, '73282932000074');
      assert.deepEqual(client.contacts.map((c) => [c.firstName, c.primary, c.scope, c.guest.state]), [['Léa', true, '-', 'member'], ['Éric', false, '-', 'invited']]);
      assert.ok(client.contacts[0]!.guest.memberAt, 'member date shown');
      assert.equal(client.history[0]!.action, 'clientFile.created');
      assert.equal(client.history[0]!.by, 'Claire Martin');
      const times = client.history.map((entry) => Date.parse(entry.at));
      assert.deepEqual(times, [...times].sort((x, y) => x - y), 'oldest first');
      assert.ok(!('searchTokens' in client) && !('creationRequestId' in client), 'internal fields stay on the server');
    });

    it('answers 404 for an unknown id', async () => {
      assert.equal((await get('/api/portfolio/0123456789abcdef01234567')).status, 404);
    });
  });
});

describe('portfolio API in local mode (TAB_LOCAL_USER)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;

  before(async () => {
    passerelle = await startTestPasserelle({ backgroundWork: false, env: { TAB_LOCAL_USER: `${firmA}|aaaaaaaa-0000-0000-0000-000000000001|Claire Martin|claire.martin@cabinet-demo.test` } });
    await withDatabase(passerelle.mongoUri, passerelle.database, (db) => seedPortfolio(db, firmA, firmAFiles().slice(0, 3)));
  });
  after(() => passerelle?.stop());

  it('accepts a request without a token as the configured user', async () => {
    const me = await fetch(`${passerelle.server.url}/api/me`);
    assert.deepEqual(await me.json(), { displayName: 'Claire Martin', firmId: firmA, canEdit: true, can: { invite: true, proposeOffers: true, proposePaidOffers: true, activatePartnerApps: true, readAudit: true, editHelpArticles: true, support: true, administer: true } });
    const list = (await (await fetch(`${passerelle.server.url}/api/portfolio`)).json()) as PageBody;
    assert.equal(list.total, 3);
  });

  it('still refuses a bad token (no silent fallback to the local user)', async () => {
    const response = await fetch(`${passerelle.server.url}/api/portfolio`, { headers: { Authorization: 'Bearer nonsense' } });
    assert.equal(response.status, 401);
  });
});
