import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claire, demoFirmId, messageActivity } from '../helpers/activities.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { startTestIdentityProvider, withDatabase, type TestIdentityProvider } from '../helpers/portfolioSeed.js';

/**
 * The HTTP edge as an attacker meets it: bodies are read only by the route that expects JSON, after
 * authentication, never written to disk; the local mode (no token) cannot be driven by another site;
 * a malformed activity is a 400, never a 500.
 */
const clientId = '0f0f0f0f-1111-2222-3333-444444444444';
const localUser = `${demoFirmId}|${claire.aadObjectId}|Claire Martin|staff-claire@cabinet-demo.test`;
const stateChangingRoutes = ['/api/messages', '/api/import', '/api/import/preview', '/api/invitations'];

async function documentCount(passerelle: TestPasserelle): Promise<number> {
  return withDatabase(passerelle.mongoUri, passerelle.database, async (db) => {
    let total = 0;
    for (const collection of await db.listCollections().toArray()) total += await db.collection(collection.name).countDocuments();
    return total;
  });
}

async function problemOf(response: Response): Promise<{ code?: unknown; message?: unknown }> {
  const text = await response.text();
  try {
    return JSON.parse(text) as { code?: unknown; message?: unknown };
  } catch {
    return { message: text };
  }
}

function multipartBody(): FormData {
  const form = new FormData();
  form.append('type', 'message');
  form.append('file', new Blob([new Uint8Array(300_000)]), 'a.bin');
  return form;
}

/** Runs `send` with the process's temp folder pointed at a fresh one (restify's parser writes uploads there) and lists what it holds after. */
async function filesWrittenDuring(send: () => Promise<void>): Promise<string[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'passerelle-uploads-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  try {
    await send();
    await new Promise((resolve) => setTimeout(resolve, 200));
    return readdirSync(scratch);
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('HTTP edge: bodies, content types and origins', function () {
  this.timeout(60_000);
  let identity: TestIdentityProvider;
  let production: TestPasserelle;
  let local: TestPasserelle;

  before(async () => {
    identity = await startTestIdentityProvider(clientId);
    production = await startTestPasserelle({
      backgroundWork: false,
      env: {
        BOT_ID: '21111111-2222-4333-8444-555555555555',
        SECRET_BOT_PASSWORD: 'not-used-by-this-test',
        BOT_TYPE: 'MultiTenant',
        AAD_APP_CLIENT_ID: clientId,
        TAB_JWKS_URL: identity.jwksUrl,
        PUBLIC_URL: 'https://passerelle.test',
      },
    });
    local = await startTestPasserelle({ backgroundWork: false, env: { TAB_LOCAL_USER: localUser } });
    // The first user of the firm (main manager), so the local user may change things.
    await local.post(messageActivity('aide', { serviceUrl: local.connector.url, from: claire, conversationId: `a:personal-${claire.id}` }));
  });
  after(async () => {
    await production?.stop();
    await local?.stop();
    await identity?.stop();
  });

  for (const mode of ['production', 'local'] as const) {
    it(`${mode} mode: multipart and form posts write no file and are refused with the problem shape (401 or 415)`, async () => {
      const server = () => (mode === 'production' ? production : local);
      const answers: string[] = [];
      const written = await filesWrittenDuring(async () => {
        for (const path of stateChangingRoutes) {
          for (const kind of ['multipart', 'urlencoded'] as const) {
            const body = kind === 'multipart' ? multipartBody() : new URLSearchParams({ type: 'message', text: 'aide', content: 'Y29kZQ==' });
            const response = await fetch(`${server().server.url}${path}`, { method: 'POST', body });
            const problem = await problemOf(response);
            answers.push(`${kind} ${path} → ${response.status} ${String(problem.code)}`);
            assert.ok([401, 415].includes(response.status), `${kind} ${path}: 401 or 415 expected, got ${response.status} ${JSON.stringify(problem)}`);
            assert.equal(typeof problem.code, 'string', `${kind} ${path}: the problem shape has a code (${JSON.stringify(problem)})`);
            assert.equal(typeof problem.message, 'string', `${kind} ${path}: the problem shape has a message`);
          }
        }
      });
      assert.deepEqual(written, [], `no upload may reach the disk (${answers.join('; ')})`);
    });
  }

  it('local mode: a request another site makes (text/plain, or an Origin/Sec-Fetch-Site of another site) changes nothing', async () => {
    const before = await documentCount(local);
    const crossSite = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    const jobBody = JSON.stringify({ selection: { kind: 'all', query: {} }, offer: 'standard' });
    // text/plain needs no CORS preflight: a page of any site can send it.
    for (const path of stateChangingRoutes) {
      const response = await fetch(`${local.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: jobBody });
      assert.equal(response.status, 415, `${path} with text/plain: 415 expected, got ${response.status}`);
      assert.equal((await problemOf(response)).code, 'request.unsupportedType');
    }
    for (const path of stateChangingRoutes) {
      const response = await fetch(`${local.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...crossSite }, body: jobBody });
      assert.equal(response.status, 403, `${path} from another site: 403 expected, got ${response.status}`);
      assert.equal((await problemOf(response)).code, 'request.crossSite');
    }
    const activity = messageActivity('nouveau dossier', { serviceUrl: local.connector.url, from: claire, conversationId: `a:personal-${claire.id}` });
    const fromOtherOrigin = await fetch(`${local.server.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:8080' }, body: JSON.stringify(activity) });
    assert.equal(fromOtherOrigin.status, 403, `a bot message posted from another origin is refused, got ${fromOtherOrigin.status}`);
    assert.equal(await documentCount(local), before, 'nothing written by requests from another site');
  });

  it('local mode: the tab’s own requests (same origin, JSON) still work', async () => {
    const host = new URL(local.server.url).host;
    const me = await fetch(`${local.server.url}/api/me`, { headers: { 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(me.status, 200, `GET /api/me from the tab: ${me.status}`);
    const preview = await fetch(`${local.server.url}/api/import/preview`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: `http://${host}`, 'Sec-Fetch-Site': 'same-origin' },
      body: JSON.stringify({ content: Buffer.from('code;raison_sociale\r\nA1;Boulangerie\r\n').toString('base64') }),
    });
    assert.equal(preview.status, 200, `same-origin JSON preview: ${preview.status} ${await preview.text()}`);
  });

  it('a body larger than the route accepts is refused unread with 413', async () => {
    const response = await fetch(`${local.server.url}/api/invitations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ padding: 'x'.repeat(300_000) }) });
    assert.equal(response.status, 413, `a 300 kB body to /api/invitations: ${response.status}`);
    assert.equal((await problemOf(response)).code, 'request.tooLarge');
  });

  describe('malformed activities and odd paths (400/404, never 500)', () => {
    const post = (activity: object) => local.post(activity);
    const base = () => messageActivity('aide', { serviceUrl: local.connector.url, from: claire, conversationId: `a:personal-${claire.id}` });

    it('answers 400 to an activity whose serviceUrl is a number', async () => {
      const response = await post({ ...base(), serviceUrl: 12345 });
      assert.equal(response.status, 400, `serviceUrl 12345: ${response.status} ${JSON.stringify(response.body)}`);
      assert.equal((response.body as { code?: string }).code, 'activity.invalid');
    });

    for (const [label, text] of [['a number', 42], ['an array', ['aide']], ['an object', { aide: true }]] as const) {
      it(`answers 400 to a message whose text is ${label}, and the turn does not throw`, async () => {
        const mark = local.connector.sent.length;
        const response = await post({ ...base(), text });
        assert.equal(response.status, 400, `text ${JSON.stringify(text)}: ${response.status} ${JSON.stringify(response.body)}`);
        assert.equal((response.body as { code?: string }).code, 'activity.invalid');
        assert.equal(local.connector.since(mark).length, 0, 'no reply (and no error message) is sent for a refused activity');
      });
    }

    it('answers 404 to a folder of the tab', async () => {
      const response = await fetch(`${local.server.url}/tab/assets`);
      assert.equal(response.status, 404, `GET /tab/assets: ${response.status}`);
    });
  });
});
