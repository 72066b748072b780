import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { startLocalTenant, type LocalTenant } from '../../bot/directory/localTenant.js';
import { contactSearchTokens } from '../../bot/domain/contact.js';
import { FirmSettingsService } from '../../bot/domain/firmSettingsService.js';
import { InvitationJobStore } from '../../bot/jobs/invitationJobs.js';
import { collections, ensureIndexes } from '../../bot/store/mongo.js';
import { channelMessageActivity, executeActivity, messageActivity, type TeamChannel } from '../helpers/activities.js';
import { testMongoUri, uniqueDatabaseName, dropDatabase } from '../helpers/mongo.js';
import { cardActions, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { createStores } from '../../bot/store/stores.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const firmId = 'c4d2e1b5-6e3f-4d9f-8b82-1a7e3c9f5d21';
const staff = { userId: 'c4d2e1b5-0000-4000-8000-0000000000c1', displayName: 'Claire Martin' };
const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** N contacts of one firm, not invited yet, written through the real store. */
async function seedContacts(db: Db, count: number, prefix: string): Promise<string[]> {
  await ensureIndexes(db);
  await new FirmSettingsService(createStores(db).firms).settings(firmId);
  const contacts = createStores(db).contacts;
  const at = new Date();
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const value = { lastName: `${prefix} ${index}`, firstName: 'Client', mobile: '+33612345678', email: `${prefix}${index}@client.fr`, address: {} };
    const outcome = await contacts.insertUnlessEmailExists({
      ...value, firmId, searchTokens: contactSearchTokens(value), creationRequestId: `seed-${prefix}-${index}`, created: { ...staff, at }, updatedAt: at,
    });
    assert.ok(outcome.inserted, `contact ${index} seeded`);
    ids.push(outcome.record.id);
  }
  return ids;
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** Every contact invited exactly once at the tenant, and recorded as invited. */
async function assertEachInvitedOnce(tenant: LocalTenant, db: Db, prefix: string, count: number): Promise<void> {
  const perAddress = new Map<string, number>();
  for (const invitation of tenant.state().invitations) perAddress.set(invitation.invitedUserEmailAddress, (perAddress.get(invitation.invitedUserEmailAddress) ?? 0) + 1);
  for (let index = 0; index < count; index++) assert.equal(perAddress.get(`${prefix}${index}@client.fr`), 1, `${prefix}${index} invited exactly once`);
  const notInvited = await db.collection(collections.contacts).countDocuments({ firmId, 'guest.state': { $ne: 'invited' } });
  assert.equal(notInvited, 0, 'every contact is recorded as invited');
}

/** A server in a child process (test/helpers/passerelleProcess.ts), ready once its database is. */
async function spawnServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--disable-warning=DEP0111', 'test/helpers/passerelleProcess.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PASSERELLE_ENV: 'test', PORT: '0', PLAYGROUND_ENABLED: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  await new Promise<void>((ready, failed) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('database connected, indexes ready')) ready();
    });
    child.once('exit', (code) => failed(new Error(`the child server exited (${code}) before being ready: ${errors}`)));
  });
  return child;
}

describe('Several server instances on one database', function () {
  this.timeout(60_000);
  let uri: string;
  let client: MongoClient;
  let tenant: LocalTenant;
  /** A tenant whose invitation window is 1 s, not 5 s: the shared job is not slowed by the limit. */
  let quickTenant: LocalTenant;
  const started: TestPasserelle[] = [];
  const children: ChildProcess[] = [];
  const databases: string[] = [];

  before(async () => {
    uri = await testMongoUri();
    client = new MongoClient(uri, { ignoreUndefined: true });
    tenant = await startLocalTenant({ port: 0 });
    quickTenant = await startLocalTenant({ port: 0, invitationWindowMs: 1_000 });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const passerelle of started.splice(0)) await passerelle.stop();
  });
  after(async () => {
    await client?.close();
    await tenant?.stop();
    await quickTenant?.stop();
    for (const name of databases) await dropDatabase(uri, name).catch(() => undefined);
  });
  beforeEach(() => {
    tenant.reset();
    quickTenant.reset();
  });

  function freshDatabase(): { name: string; db: Db } {
    const name = uniqueDatabaseName('instances');
    databases.push(name);
    return { name, db: client.db(name) };
  }

  /** An in-process server on the shared database, speaking to the shared tenant. */
  async function instance(database: string, options: Parameters<typeof startTestPasserelle>[0] = {}, graph: LocalTenant = tenant): Promise<TestPasserelle> {
    const passerelle = await startTestPasserelle({ mongoUri: uri, database, ...options, env: { GRAPH_BASE_URL: graph.url, ...options.env } });
    started.push(passerelle);
    return passerelle;
  }

  it('shares one job between two servers: each contact invited exactly once, by one of them', async () => {
    const { name, db } = freshDatabase();
    const ids = await seedContacts(db, 300, 'shared');
    await instance(name, {}, quickTenant);
    await instance(name, {}, quickTenant);
    const jobs = new InvitationJobStore(db);
    const { job } = await jobs.create({ firmId, requestId: 'shared-job', createdBy: { ...staff, at: new Date() }, contactIds: ids });

    await waitFor('the shared job finishes', async () => (await jobs.findById(job.id))?.status === 'finished', 30_000, 100);
    const finished = (await jobs.findById(job.id))!;
    // An invitation whose answer was lost (a Graph timeout) is found in the directory on its retry: skipped, not sent again.
    assert.equal(finished.counts.done + finished.counts.skipped, 300, 'every item counted once');
    assert.equal(finished.counts.failed, 0, 'nothing failed');
    await assertEachInvitedOnce(quickTenant, db, 'shared', 300);
    const workers = await db.collection(collections.jobItems).distinct('finishedBy', { jobId: new ObjectId(job.id) });
    assert.equal(workers.length, 2, 'both servers took part in the job');
  });

  it('finishes the job of a server killed mid-job, taking its items back before their leases end', async () => {
    const { name, db } = freshDatabase();
    const ids = await seedContacts(db, 300, 'killed');
    const leaseMs = 30_000;
    // The server to kill holds its items for 30 s: only its stopped heartbeat can free them sooner.
    const doomed = await spawnServer({ MONGODB_URI: uri, MONGODB_DB: name, GRAPH_BASE_URL: tenant.url, PASSERELLE_TEST_RUNNER: JSON.stringify({ leaseMs }) });
    children.push(doomed);
    await instance(name);
    const jobs = new InvitationJobStore(db);
    const items = db.collection(collections.jobItems);
    const { job } = await jobs.create({ firmId, requestId: 'killed-job', createdBy: { ...staff, at: new Date() }, contactIds: ids });

    // The doomed server's name is the one on leases of 30 s.
    let doomedName: string | undefined;
    await waitFor('the doomed server holds items', async () => {
      const held = await items.findOne({ status: 'running', leaseUntil: { $gt: new Date(Date.now() + 15_000) } });
      doomedName = held?.leaseOwner as string | undefined;
      return Boolean(doomedName) && tenant.state().invitations.length >= 20;
    }, 20_000, 20);
    doomed.kill('SIGKILL');
    const killedAt = Date.now();
    const heldAtKill = await items.countDocuments({ leaseOwner: doomedName });
    assert.ok(heldAtKill > 0, 'the server was killed holding items');

    await waitFor('the dead server’s items are taken back', async () => (await items.countDocuments({ leaseOwner: doomedName })) === 0, 20_000, 100);
    const takenBackAfterMs = Date.now() - killedAt;
    assert.ok(takenBackAfterMs < leaseMs / 2, `taken back ${takenBackAfterMs} ms after the kill, well before the leases' ${leaseMs} ms`);
    await waitFor('the job finishes', async () => (await jobs.findById(job.id))?.status === 'finished', 25_000, 100);
    const finished = (await jobs.findById(job.id))!;
    assert.equal(finished.counts.done + finished.counts.skipped, 300, 'every item recorded once (sent before the kill: found in the directory)');
    assert.equal(finished.counts.failed, 0, 'nothing failed');
    await assertEachInvitedOnce(tenant, db, 'killed', 300);
  });

  it('welcomes, logs and adds an accepted guest to the team once when two servers watch', async () => {
    const team: TeamChannel = { threadId: '19:team-garage@thread.tacv2', name: 'Client – Garage Lenoir', aadGroupId: 'dddddddd-0000-0000-0000-000000000001' };
    tenant.declareTeam(team.aadGroupId, team.name);
    const { name, db } = freshDatabase();
    let clockAheadMs = 0;
    const now = () => new Date(Date.now() + clockAheadMs);
    const first = await instance(name, { now });
    const second = await instance(name, { now });
    const options = { serviceUrl: first.connector.url };
    const say = async (text: string) => {
      const mark = first.connector.sent.length;
      assert.equal((await first.post(messageActivity(text, options))).status, 200, `"${text}" answered`);
      return first.connector.since(mark).map((sent) => sent.activity)[0]!;
    };
    const execute = async (verb: string, data: Record<string, unknown>) => {
      const response = await first.post(executeActivity(verb, data, options));
      assert.equal(response.status, 200, `invoke ${verb}`);
      return response.body as { value: unknown };
    };
    const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;

    await first.post(channelMessageActivity('aide', team, options));
    const form = cardOf(await say('nouveau dossier'));
    await execute('clientFile.create', { ...cardActions(form).find((action) => action.verb === 'clientFile.create')!.data, code: '000300', companyName: 'Garage Lenoir' });
    const contactForm = cardOf(await say('nouvel interlocuteur'));
    await execute('contact.create', {
      ...cardActions(contactForm).find((action) => action.verb === 'contact.create')!.data,
      lastName: 'Lenoir', firstName: 'Inès', email: 'ines@garage-lenoir.fr', mobile: '06 12 34 56 78',
    });
    await say('lier ines@garage-lenoir.fr 000300 principal');
    const file = cardOf(await say('dossier 000300'));
    await execute('clientFile.chooseTeam', { ...cardActions(file).find((action) => action.verb === 'clientFile.openTeamChoice')!.data, teamId: team.aadGroupId });
    const preview = cardOf(await say('inviter ines@garage-lenoir.fr'));
    await execute('guest.invite', cardActions(preview).find((action) => action.verb === 'guest.invite')!.data);
    const contacts = db.collection(collections.contacts);
    await waitFor('the invitation is recorded', async () => (await contacts.findOne({ email: 'ines@garage-lenoir.fr' }))?.guest?.state === 'invited', 10_000);

    assert.ok(tenant.accept('ines@garage-lenoir.fr'), 'the guest redeems the invitation');
    clockAheadMs += 10 * 60_000;
    const mark = first.connector.sent.length;
    // The second server keeps looking while the first one handles the acceptance: every moment of it is exposed.
    let firstDone = false;
    const firstPass = first.server.watchAcceptancesNow().finally(() => (firstDone = true));
    const secondPasses = (async () => {
      while (!firstDone) await second.server.watchAcceptancesNow();
    })();
    await Promise.all([firstPass, secondPasses]);
    await Promise.all([first.server.watchAcceptancesNow(), second.server.watchAcceptancesNow()]);

    const members = tenant.state().teams.find((candidate) => candidate.id === team.aadGroupId)?.members ?? [];
    assert.equal(members.length, 1, 'a member of the team');
    assert.equal(tenant.state().counters.byOperation['POST /teams/{id}/members'], 1, 'one request to add the guest to the team');
    const welcomes = [...first.connector.since(mark), ...second.connector.since(0)].filter((sent) => sent.conversationId === team.threadId);
    assert.equal(welcomes.length, 1, 'welcomed once');
    const contact = await contacts.findOne({ email: 'ines@garage-lenoir.fr' });
    assert.equal(contact?.guest?.state, 'member');
    await waitFor('the audit entries reach the log', async () => (await db.collection(collections.auditLog).countDocuments({ action: 'guest.joinedTeam' })) > 0, 5_000);
    for (const action of ['guest.accepted', 'guest.joinedTeam']) {
      assert.equal(await db.collection(collections.auditLog).countDocuments({ action, contactId: contact!._id }), 1, `one ${action} entry in the log`);
    }
    await waitFor('the portfolio summary shows the member', async () => {
      const summary = (await db.collection(collections.clientFiles).findOne({ code: '000300' }))?.portfolio as { states?: Record<string, number> } | undefined;
      return summary?.states?.member === 1;
    }, 5_000);
  });
});
