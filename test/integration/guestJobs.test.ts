import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { GraphDirectory } from '../../bot/directory/graphDirectory.js';
import { startLocalTenant, type LocalTenant } from '../../bot/directory/localTenant.js';
import { searchTokens } from '../../bot/domain/fieldRules.js';
import { FirmSettingsService, defaultGuestPolicy } from '../../bot/domain/firmSettingsService.js';
import { GuestOnboardingService } from '../../bot/domain/guestOnboardingService.js';
import { InvitationJobStore } from '../../bot/jobs/invitationJobs.js';
import { InvitationRunner } from '../../bot/jobs/invitationRunner.js';
import { silentLogger } from '../../bot/logger.js';
import { collections, ensureIndexes } from '../../bot/store/mongo.js';
import { MongoTeamStore } from '../../bot/store/teamRepository.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from '../helpers/mongo.js';
import { createStores } from '../../bot/store/stores.js';

const firmId = '11111111-1111-1111-1111-111111111111';
const staff = { userId: 'aaaaaaaa-0000-0000-0000-000000000001', displayName: 'Claire Martin', at: new Date() };

/** The real stores, domain service and Graph client against the local tenant; only the clock is ours. */
async function buildWorld(db: Db, tenant: LocalTenant, clock: { now: Date }) {
  await ensureIndexes(db);
  const stores = createStores(db);
  const contacts = stores.contacts;
  const firms = createStores(db).firms;
  const directory = new GraphDirectory({ baseUrl: tenant.url, timeoutMs: 5_000, invitationsPer5s: 150, logger: silentLogger });
  const onboarding = new GuestOnboardingService({
    directory,
    contacts,
    clientFiles: stores.clientFiles,
    links: stores.links,
    teams: new MongoTeamStore(db),
    firmSettings: new FirmSettingsService(firms),
    audit: stores.audit,
    welcomer: { welcomeInTeam: async () => undefined },
    redirectUrl: 'https://teams.microsoft.com',
    now: () => clock.now,
  });
  const jobs = new InvitationJobStore(db);
  async function addContacts(count: number, prefix: string): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const email = `${prefix}${index}@client.fr`;
      const outcome = await contacts.insertUnlessEmailExists({
        firmId, lastName: `${prefix} ${index}`, mobile: '+33612345678', email, address: {}, searchTokens: searchTokens(prefix), creationRequestId: `r-${email}`, created: staff, updatedAt: staff.at,
      });
      assert.ok(outcome.inserted);
      ids.push(outcome.record.id);
    }
    return ids;
  }
  return { contacts, firms, directory, onboarding, jobs, addContacts };
}

describe('Invitation jobs and reminders (durable, exactly once)', function () {
  this.timeout(60_000);
  let client: MongoClient;
  let uri: string;
  let tenant: LocalTenant;
  const names: string[] = [];

  before(async () => {
    uri = await testMongoUri();
    client = new MongoClient(uri, { ignoreUndefined: true });
    tenant = await startLocalTenant({ port: 0 });
  });
  after(async () => {
    await client?.close();
    await tenant?.stop();
    for (const name of names) await dropDatabase(uri, name).catch(() => undefined);
  });
  beforeEach(() => tenant.reset());

  function freshDb(): Db {
    const name = uniqueDatabaseName('guest_jobs');
    names.push(name);
    return client.db(name);
  }

  const invitationsTo = (email: string) => tenant.state().invitations.filter((invitation) => invitation.invitedUserEmailAddress === email).length;

  it('finishes a job after a crash, inviting every contact exactly once', async () => {
    const clock = { now: new Date() };
    const world = await buildWorld(freshDb(), tenant, clock);
    const ids = await world.addContacts(30, 'crash');
    const { job } = await world.jobs.create({ firmId, requestId: 'crash-job', createdBy: staff, contactIds: ids });

    // A server claims ten items, sends five invitations, and dies before recording anything.
    const claimed = await world.jobs.claim('dead-server', 10, new Date(), 200);
    assert.equal(claimed.length, 10);
    for (const item of claimed.slice(0, 5)) {
      const contact = (await world.contacts.findById(firmId, item.contactId))!;
      await world.directory.inviteGuest({ email: contact.email, displayName: contact.lastName, redirectUrl: 'https://teams.microsoft.com' });
    }

    const runner = new InvitationRunner({
      store: world.jobs, onboarding: world.onboarding, reporter: { report: async () => undefined }, logger: silentLogger, now: () => new Date(),
      options: { idleDelayMs: 50, concurrency: 3, batchSize: 7 },
    });
    runner.start();
    try {
      for (let attempt = 0; attempt < 200 && (await world.jobs.find(firmId, job.id))?.status !== 'finished'; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await runner.stop();
    }
    const finished = (await world.jobs.find(firmId, job.id))!;
    assert.equal(finished.status, 'finished');
    assert.deepEqual(finished.counts, { done: 25, failed: 0, skipped: 5 }, 'the five sent before the crash are found in the directory, not re-sent');
    for (let index = 0; index < 30; index++) assert.equal(invitationsTo(`crash${index}@client.fr`), 1, `crash${index} invited exactly once`);
    const contacts = await world.contacts.findByIds(firmId, ids);
    assert.ok(contacts.every((contact) => contact.guest?.state === 'invited'), 'nobody is lost');
  });

  it('finishes a job whose count was missed by a server killed between an item and its count', async () => {
    const clock = { now: new Date() };
    const db = freshDb();
    const world = await buildWorld(db, tenant, clock);
    const ids = await world.addContacts(3, 'counted');
    const { job } = await world.jobs.create({ firmId, requestId: 'counted-job', createdBy: staff, contactIds: ids });
    // The item is recorded as done, but the server dies before counting it on the job.
    await db.collection(collections.jobItems).updateOne({ contactId: ids[0] }, { $set: { status: 'done', outcome: 'invited' } });
    const runner = new InvitationRunner({
      store: world.jobs, onboarding: world.onboarding, reporter: { report: async () => undefined }, logger: silentLogger, now: () => new Date(),
      options: { idleDelayMs: 50 },
    });
    runner.start();
    try {
      for (let attempt = 0; attempt < 200 && (await world.jobs.find(firmId, job.id))?.status !== 'finished'; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await runner.stop();
    }
    const finished = (await world.jobs.find(firmId, job.id))!;
    assert.equal(finished.status, 'finished', 'the job finishes anyway');
    assert.deepEqual(finished.counts, { done: 3, failed: 0, skipped: 0 }, 'counts rebuilt from the items');
  });

  it('recognises a second request for a contact still waiting in a job', async () => {
    const clock = { now: new Date() };
    const db = freshDb();
    const world = await buildWorld(db, tenant, clock);
    const ids = await world.addContacts(2, 'twice');
    await world.jobs.create({ firmId, requestId: 'first', createdBy: staff, contactIds: ids });
    const second = await world.jobs.create({ firmId, requestId: 'second', createdBy: staff, contactIds: [ids[0]!] });
    assert.equal(second.job.status, 'finished');
    assert.deepEqual(second.job.counts, { done: 0, failed: 0, skipped: 1 });
    const replay = await world.jobs.create({ firmId, requestId: 'first', createdBy: staff, contactIds: ids });
    assert.equal(replay.created, false, 'the same request id finds the same job');
    assert.equal(await db.collection(collections.jobItems).countDocuments({ contactId: ids[1] }), 1);
  });

  it('re-invites after N days without acceptance, at most M times, and records each reminder', async () => {
    const start = new Date('2026-11-02T09:00:00Z');
    const clock = { now: start };
    const db = freshDb();
    const world = await buildWorld(db, tenant, clock);
    const [id] = await world.addContacts(1, 'slow');
    await new FirmSettingsService(world.firms).settings(firmId);
    await world.firms.updateGuestPolicy(firmId, { ...defaultGuestPolicy, reminderAfterDays: 7, maxReminders: 2 });
    assert.equal(await world.onboarding.inviteContact(firmId, id!, staff), 'invited');

    const days = (count: number) => new Date(start.getTime() + count * 86_400_000);
    const pass = async (at: Date) => {
      clock.now = at;
      return world.onboarding.watchAcceptances();
    };
    assert.equal((await pass(days(3))).reminded, 0, 'not before 7 days');
    assert.equal((await pass(days(8))).reminded, 1);
    assert.equal(invitationsTo('slow0@client.fr'), 2, 'a new invitation (a new redeem link) went out');
    assert.equal((await pass(days(16))).reminded, 1);
    assert.equal((await pass(days(30))).reminded, 0, 'no more than two reminders');
    assert.equal(invitationsTo('slow0@client.fr'), 3);
    const contact = (await world.contacts.findById(firmId, id!))!;
    assert.equal(contact.guest?.invitationCount, 3);
    const reminders = await db.collection(collections.auditLog).countDocuments({ firmId, action: 'guest.reminded' });
    assert.equal(reminders, 2, 'each reminder is in the audit log');

    assert.ok(tenant.accept('slow0@client.fr'));
    assert.equal((await pass(days(40))).accepted, 1);
    assert.equal((await world.contacts.findById(firmId, id!))!.guest?.state, 'accepted', 'accepted, waiting for a team');
  });
});
