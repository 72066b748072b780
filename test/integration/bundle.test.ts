import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleApplication, bundleIsStale, bundleZip } from '../../bot/dev/build.js';
import { messageActivity } from '../helpers/activities.js';
import { FakeConnector } from '../helpers/connector.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from '../helpers/mongo.js';
import { cardText } from '../helpers/passerelle.js';
import { startTestIdentityProvider, type TestIdentityProvider } from '../helpers/portfolioSeed.js';
import { freePort } from '../helpers/ports.js';
import { readZip } from '../helpers/zip.js';

const tabClientId = '0f0f0f0f-1111-2222-3333-444444444444';
const tenantId = '11111111-1111-1111-1111-111111111111';

/** Packages a deployment must not carry: build tools, test tools, the local MongoDB stand-in, the tab's sources. */
const developmentOnly = ['typescript', 'tsx', 'esbuild', 'vite', 'playwright-core', 'mocha', '@push.rocks', 'mongodb-memory-server', '@fluentui', 'react', 'react-dom', '@microsoft/m365agentsplayground', '@microsoft/teams-js'];

interface StartedBundle {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the unzipped bundle exactly as the App Service does: its package.json's start script, in its own
 * folder, with only the variables given (nothing inherited from the test runner, which loads tsx).
 */
async function startBundle(folder: string, variables: Record<string, string>): Promise<StartedBundle> {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [program, ...args] = manifest.scripts.start.split(' ');
  assert.equal(program, 'node', `the bundle starts with plain node, not ${program}`);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: folder,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), PLAYGROUND_ENABLED: 'false', ...variables },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) assert.fail(`the bundle stopped at start (exit ${child.exitCode}):\n${output}`);
    const status = await fetch(`${url}/healthz`).then((response) => response.status, () => 0);
    if (status === 200) break;
    if (Date.now() > deadline) assert.fail(`/healthz never answered 200 (last ${status}):\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe('the deployment bundle (npm run bundle), unzipped into an empty folder and started with node', function () {
  let entries: Map<string, Buffer>;
  let folder: string;
  let mongoUri: string;
  const databases: string[] = [];

  before(async function () {
    // Building compiles the server, builds the tab and installs the production dependencies: minutes, once.
    this.timeout(600_000);
    if (bundleIsStale()) await bundleApplication();
    entries = readZip(readFileSync(bundleZip));
    folder = mkdtempSync(join(tmpdir(), 'passerelle-bundle-'));
    for (const [name, content] of entries) {
      if (name.endsWith('/')) continue;
      mkdirSync(dirname(join(folder, name)), { recursive: true });
      writeFileSync(join(folder, name), content);
    }
    mongoUri = await testMongoUri();
  });

  after(async function () {
    // Twenty thousand files: removing them takes a while on a busy disk.
    this.timeout(180_000);
    if (folder) rmSync(folder, { recursive: true, force: true });
    for (const database of databases) await dropDatabase(mongoUri, database).catch(() => undefined);
  });

  it('holds the compiled server, its card templates, the built tab and production dependencies only', () => {
    const names = [...entries.keys()];
    const manifest = JSON.parse(entries.get('package.json')!.toString()) as { dependencies: Record<string, string>; devDependencies?: object; scripts: Record<string, string> };
    assert.ok(entries.has('bot/index.js'), 'the compiled entry point bot/index.js is in the bundle');
    assert.ok(entries.has('bot/cards/templates/commands.json'), 'card templates are in the bundle');
    assert.ok(entries.has('tab/dist/index.html'), 'the built tab is in the bundle');
    assert.ok(names.some((name) => /^tab\/dist\/assets\/.+\.js$/.test(name)), 'the tab\'s scripts are in the bundle');
    assert.ok(entries.has('tab/dist/vendor/MicrosoftTeams.min.js'), 'teams-js for the configuration page is in the bundle');
    assert.ok(entries.has('node_modules/botbuilder/package.json'), 'production dependencies are installed in the bundle');
    assert.equal(manifest.devDependencies, undefined, 'the bundle\'s package.json lists no development dependencies');
    assert.deepEqual(Object.keys(manifest.scripts), ['start'], 'the bundle has one script: start');
    const sources = names.filter((name) => !name.startsWith('node_modules/') && /\.tsx?$/.test(name));
    assert.deepEqual(sources, [], 'no TypeScript source is shipped');
    const carried = developmentOnly.filter((name) => entries.has(`node_modules/${name}/package.json`) || names.some((entry) => entry.startsWith(`node_modules/${name}/`)));
    assert.deepEqual(carried, [], 'development-only packages are not shipped');
    const binaries = names.filter((name) => /\.(node|exe|dll|dylib)$/.test(name) || name.startsWith('node_modules/.bin/') || name.includes('/@esbuild/'));
    assert.deepEqual(binaries, [], 'no binary built for the machine that made the bundle');
    assert.ok(!names.some((name) => name.startsWith('bot/dev/')), 'local tooling (bot/dev) is not shipped');
  });

  describe('in production mode (Bot Framework and Entra ID authentication on)', () => {
    let started: StartedBundle;
    let identity: TestIdentityProvider;

    before(async function () {
      this.timeout(60_000);
      identity = await startTestIdentityProvider(tabClientId);
      const database = uniqueDatabaseName('passerelle_bundle');
      databases.push(database);
      started = await startBundle(folder, {
        PASSERELLE_ENV: 'production',
        MONGODB_URI: mongoUri,
        MONGODB_DB: database,
        PUBLIC_URL: 'https://passerelle.test',
        BOT_ID: '21111111-2222-4333-8444-555555555555',
        BOT_TENANT_ID: tenantId,
        SECRET_BOT_PASSWORD: 'not-used-by-this-test',
        AAD_APP_TENANT_ID: tenantId,
        AAD_APP_CLIENT_ID: tabClientId,
        SECRET_AAD_APP_CLIENT_SECRET: 'not-used-by-this-test',
        TAB_JWKS_URL: identity.jwksUrl,
      });
    });

    after(async () => {
      await started?.stop();
      await identity?.stop();
    });

    it('answers /healthz with the database up and the version of its package.json', async () => {
      const response = await fetch(`${started.url}/healthz`);
      const body = (await response.json()) as { status: string; db: string; version: string };
      assert.equal(response.status, 200);
      assert.deepEqual(body, { status: 'ok', db: 'up', version: JSON.parse(entries.get('package.json')!.toString()).version });
    });

    it('serves the tab\'s page and every script and style it loads', async () => {
      const page = await fetch(`${started.url}/tab/index.html`);
      assert.equal(page.status, 200, '/tab/index.html');
      const html = await page.text();
      const assets = [...html.matchAll(/(?:src|href)="(\/tab\/[^"]+)"/g)].map((match) => match[1]!);
      assert.ok(assets.length > 0, `the tab's page loads its assets:\n${html}`);
      for (const asset of [...assets, '/tab/config.html', '/tab/vendor/MicrosoftTeams.min.js']) {
        const response = await fetch(`${started.url}${asset}`);
        assert.equal(response.status, 200, asset);
      }
      assert.equal((await fetch(`${started.url}/tab/assets`)).status, 404, 'a folder is not a file');
    });

    it('refuses an unsigned activity with 401', async () => {
      const response = await fetch(`${started.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(messageActivity('aide', { serviceUrl: 'http://127.0.0.1:9/' })),
      });
      assert.equal(response.status, 401);
    });

    it('answers the tab API for a signed-in user, and refuses a request without a token', async () => {
      assert.equal((await fetch(`${started.url}/api/me`)).status, 401, 'no token');
      const token = await identity.token({ tid: tenantId, oid: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Claire Martin', preferred_username: 'claire@cabinet.test' });
      const response = await fetch(`${started.url}/api/portfolio`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(response.status, 200, await response.clone().text());
      assert.equal(((await response.json()) as { total: number }).total, 0, 'a new firm has no clients yet');
    });
  });

  describe('in local mode (no bot credentials)', () => {
    let started: StartedBundle;
    const connector = new FakeConnector();

    before(async function () {
      this.timeout(60_000);
      await connector.start();
      const database = uniqueDatabaseName('passerelle_bundle');
      databases.push(database);
      started = await startBundle(folder, { PASSERELLE_ENV: 'test', MONGODB_URI: mongoUri, MONGODB_DB: database, GRAPH_BASE_URL: 'http://127.0.0.1:9' });
    });

    after(async () => {
      await started?.stop();
      await connector.stop();
    });

    it('answers « aide » with the commands card rendered from its shipped template', async () => {
      const response = await fetch(`${started.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(messageActivity('aide', { serviceUrl: connector.url })),
      });
      assert.ok(response.status < 300, `activity accepted (${response.status})`);
      const reply = connector.sent.at(-1)?.activity as { attachments?: { content: unknown }[] } | undefined;
      const card = reply?.attachments?.[0]?.content;
      assert.ok(card, `a card was sent:\n${started.output()}`);
      assert.match(cardText(card), /nouveau dossier/, 'the commands card lists « nouveau dossier »');
    });
  });
});
