import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { collections } from '../../bot/store/mongo.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, withDatabase, type SeededFile } from '../helpers/portfolioSeed.js';

const firm = '11111111-1111-1111-1111-111111111111';

/** « Relancer les invitations en attente » from the tab: one durable job, each waiting contact reminded once. */
describe('bulk reminders (/api/reminders)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let seeded: SeededFile[];

  before(async () => {
    passerelle = await startTestPasserelle({ env: { TAB_LOCAL_USER: `${firm}|aaaaaaaa-0000-0000-0000-000000000001|Claire Martin|claire.martin@cabinet-demo.test` } });
    seeded = await withDatabase(passerelle.mongoUri, passerelle.database, (db) =>
      seedPortfolio(db, firm, [
        {
          code: '000001',
          companyName: 'Boulangerie Bernard',
          contacts: [
            { firstName: 'Léa', lastName: 'Bernard', email: 'lea@boulangerie-bernard.test', state: 'invited', primary: true },
            { firstName: 'Éric', lastName: 'Bernard', email: 'eric@boulangerie-bernard.test', state: 'member' },
          ],
        },
        { code: '000002', companyName: 'Garage Dupré', contacts: [{ lastName: 'Dupré', email: 'dupre@garage.test', state: 'accepted' }] },
      ]),
    );
  });
  after(async () => {
    await passerelle?.stop();
  });

  const post = async (body: unknown) => {
    const response = await fetch(`${passerelle.server.url}/api/reminders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const finished = async (id: string) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const job = (await (await fetch(`${passerelle.server.url}/api/jobs/${id}`)).json()) as { status: string; done: number; skipped: number; failed: number; total: number; kind: string };
      if (job.status === 'finished') return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the reminder job did not finish');
  };
  const inDatabase = <T>(use: (db: import('mongodb').Db) => Promise<T>) => withDatabase(passerelle.mongoUri, passerelle.database, use);

  it('reminds only the contacts still waiting, once, even when the request is sent twice', async () => {
    const requestId = randomUUID();
    const started = await post({ requestId, clientFileIds: seeded.map((file) => file.id) });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.body.kind, 'remind');
    assert.equal(started.body.total, 1, 'Léa only: Éric is a member, Dupré has accepted');
    const job = await finished(String(started.body.id));
    assert.deepEqual({ done: job.done, skipped: job.skipped, failed: job.failed }, { done: 1, skipped: 0, failed: 0 });
    const again = await post({ requestId, clientFileIds: seeded.map((file) => file.id) });
    assert.equal(again.status, 200, 'the same request finds the same job');
    assert.equal(again.body.id, started.body.id);
    assert.equal(passerelle.tenant.state().invitations.filter((invitation) => invitation.invitedUserEmailAddress === 'lea@boulangerie-bernard.test').length, 1, 'one e-mail sent again');
    const lea = await inDatabase((db) => db.collection(collections.contacts).findOne({ email: 'lea@boulangerie-bernard.test' }));
    assert.equal(lea?.guest?.state, 'invited', 'still waiting for acceptance');
    assert.equal(lea?.guest?.invitationCount, 2);
    const logged = await inDatabase((db) => db.collection(collections.auditLog).countDocuments({ action: 'guest.reminded', contactId: lea?._id }));
    assert.equal(logged, 1, 'the reminder is in the audit log once');
  });

  it('acts on every file of a view (« all matching »), not only the ticked ones', async () => {
    const started = await post({ requestId: randomUUID(), allMatching: { state: 'invited,accepted' } });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.body.total, 1, 'both files are in the view; only Léa still waits');
    assert.equal((await finished(String(started.body.id))).done, 1);
    const garageOnly = await post({ requestId: randomUUID(), allMatching: { search: 'garage' } });
    assert.equal(garageOnly.body.total, 0, 'the garage’s only contact has accepted: nothing to remind');
    const invite = await fetch(`${passerelle.server.url}/api/invitations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ requestId: randomUUID(), allMatching: { search: 'boulangerie' } }),
    });
    const body = (await invite.json()) as { total: number };
    assert.equal(invite.status, 202);
    assert.equal(body.total, 0, 'both Bernard contacts are already invited or members: none to invite');
    const both = await post({ requestId: randomUUID(), clientFileIds: [seeded[0]!.id], allMatching: {} });
    assert.equal(both.status, 400);
    assert.match(String(both.body.message), /pas les deux/);
    const badView = await post({ requestId: randomUUID(), allMatching: { state: 'perdu' } });
    assert.equal(badView.status, 400, 'the view is checked like the table’s own parameters');
  });

  it('says there is nobody to remind, and refuses bad input writing nothing', async () => {
    const none = await post({ requestId: randomUUID(), clientFileIds: [seeded[1]!.id] });
    assert.equal(none.body.total, 0, 'Dupré has accepted: nobody to remind');
    const jobsBefore = await inDatabase((db) => db.collection(collections.jobs).countDocuments({}));
    const bad = await post({ requestId: 'pas-un-uuid', clientFileIds: [] });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /identifiant de demande invalide.*sélectionnez au moins un dossier/);
    assert.equal(await inDatabase((db) => db.collection(collections.jobs).countDocuments({})), jobsBefore, 'nothing written');
  });
});
