import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { claire, paul, type Speaker } from '../helpers/activities.js';
import type { TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, withDatabase } from '../helpers/portfolioSeed.js';
import { demoFirm, startStaffSession, type StaffSession } from '../helpers/staffSession.js';

/** « Proposer une offre » to many clients from the tab: one durable job, each file's primary contact once. */
describe('bulk offer proposals (/api/offers/proposals)', function () {
  this.timeout(60_000);
  let session: StaffSession;
  let passerelle: TestPasserelle;
  const ids = new Map<string, string>();
  const say = (who: Speaker, text: string) => session.say(who, text);
  const tokenOf = (who: Speaker, email: string) => session.tokenOf(who, email);
  const call = (method: string, path: string, token: string, body?: unknown) => session.call(method, path, token, body);
  async function finished(id: string, token: string) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const job = (await call('GET', `/api/jobs/${id}`, token)).body as { status: string; done: number; skipped: number; failed: number };
      if (job.status === 'finished') return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the proposal job did not finish');
  }

  before(async () => {
    session = await startStaffSession();
    passerelle = session.passerelle;
    await say(claire, 'aide'); // the firm's first user: main manager, every profile
    assert.match(await say(claire, 'rattacher staff-paul@cabinet-demo.test'), /rattaché/);
    const seeded = await withDatabase(passerelle.mongoUri, passerelle.database, (db) =>
      seedPortfolio(db, demoFirm, [
        { code: '000001', companyName: 'Ambulances Aubert', contacts: [{ lastName: 'Aubert', email: 'aubert@ambulances.test', state: 'member', primary: true }] },
        { code: '000002', companyName: 'Boulangerie Bernard', contacts: [{ lastName: 'Bernard', email: 'bernard@boulangerie.test', primary: true }, { lastName: 'Blanc', email: 'blanc@boulangerie.test' }] },
        { code: '000003', companyName: 'Café Colin', contacts: [{ lastName: 'Colin', email: 'colin@cafe.test' }] },
      ]),
    );
    for (const file of seeded) ids.set(file.code, file.id);
  });
  after(async () => {
    await session?.stop();
  });

  it('proposes Start to each file’s primary contact as one job; a file without one is counted, not guessed', async () => {
    const token = await tokenOf(claire, 'staff-claire@cabinet-demo.test');
    const requestId = randomUUID();
    const body = { requestId, offerId: 'start', clientFileIds: [...ids.values()] };
    const started = await call('POST', '/api/offers/proposals', token, body);
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal(started.body.total, 2, 'Aubert and Bernard: Blanc is not primary, Café Colin has no primary contact');
    assert.equal(started.body.filesWithoutPrimary, 1);
    const job = await finished(String(started.body.id), token);
    assert.deepEqual({ done: job.done, skipped: job.skipped, failed: job.failed }, { done: 2, skipped: 0, failed: 0 });
    const again = await call('POST', '/api/offers/proposals', token, body);
    assert.equal(again.body.id, started.body.id, 'the same request finds the same job');
    const withStart = (await call('GET', '/api/portfolio?offer=start', token)).body.items as { code: string; offers: { offerId: string; active: number; waiting: number }[] }[];
    assert.deepEqual(
      withStart.map((item) => [item.code, item.offers]),
      [
        ['000001', [{ offerId: 'start', active: 1, waiting: 0 }]],
        ['000002', [{ offerId: 'start', active: 0, waiting: 1 }]],
      ],
      'Aubert, already a member, has it active; Bernard waits for his invitation',
    );
    let invited = false;
    for (let attempt = 0; attempt < 50 && !invited; attempt++) {
      invited = passerelle.tenant.state().invitations.some((invitation) => invitation.invitedUserEmailAddress === 'bernard@boulangerie.test');
      if (!invited) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(invited, 'Bernard, not yet a guest, is invited so that his offer can start');
  });

  it('skips what is already there when proposed again by a new request', async () => {
    const token = await tokenOf(claire, 'staff-claire@cabinet-demo.test');
    const started = await call('POST', '/api/offers/proposals', token, { requestId: randomUUID(), offerId: 'start', allMatching: { search: 'ambulances' } });
    const job = await finished(String(started.body.id), token);
    assert.deepEqual({ done: job.done, skipped: job.skipped }, { done: 0, skipped: 1 });
  });

  it('refuses a paid offer in bulk to a user without « Offres – modification », and bad input, writing nothing', async () => {
    const token = await tokenOf(paul, 'staff-paul@cabinet-demo.test');
    const me = await call('GET', '/api/me', token);
    assert.deepEqual(me.body.can, { invite: true, proposeOffers: true, proposePaidOffers: false, activatePartnerApps: false, readAudit: true, editHelpArticles: false, support: false, administer: false }, 'the tab offers Paul only what his default profiles allow');
    const paid = await call('POST', '/api/offers/proposals', token, { requestId: randomUUID(), offerId: 'consultation', clientFileIds: [ids.get('000003')] });
    assert.equal(paid.status, 403);
    assert.match(String(paid.body.message), /Consultation est payante.*« Offres – modification »/);
    const unknown = await call('POST', '/api/offers/proposals', token, { requestId: randomUUID(), offerId: 'platine', clientFileIds: [ids.get('000003')] });
    assert.equal(unknown.status, 400);
    assert.match(String(unknown.body.message), /n’existe pas dans le catalogue/);
    const bad = await call('POST', '/api/offers/proposals', token, { requestId: randomUUID(), offerId: 'start', who: 'everyone', clientFileIds: [ids.get('000003')] });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /destinataires possibles/);
    const free = await call('POST', '/api/offers/proposals', token, { requestId: randomUUID(), offerId: 'start', who: 'all', clientFileIds: [ids.get('000003')] });
    assert.equal(free.status, 202, 'Start is free: a user with « Offres – consultation » may propose it');
    assert.equal(free.body.total, 1, 'every contact of the file: Colin');
  });

  it('ends a contact’s offer from the client’s page once, with the paid offer’s profile checked', async () => {
    const claireToken = await tokenOf(claire, 'staff-claire@cabinet-demo.test');
    const offerOf = async (code: string, token: string) => {
      const details = (await call('GET', `/api/portfolio/${ids.get(code)}`, token)).body as { contacts: { offer: { id: string; version: number; state: string; offerId: string } | null }[] };
      return details.contacts.map((contact) => contact.offer).find(Boolean)!;
    };
    const start = await offerOf('000001', claireToken);
    assert.equal(start.state, 'active');
    const ended = await call('POST', `/api/offers/subscriptions/${start.id}/end`, claireToken, { expectedVersion: start.version });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal((await offerOf('000001', claireToken)).state, 'ended');
    const again = await call('POST', `/api/offers/subscriptions/${start.id}/end`, claireToken, { expectedVersion: start.version });
    assert.equal(again.status, 409, 'a page out of date is told so');
    const paid = await call('POST', '/api/offers/proposals', claireToken, { requestId: randomUUID(), offerId: 'consultation', who: 'all', clientFileIds: [ids.get('000002')] });
    await finished(String(paid.body.id), claireToken);
    const consultation = (await call('GET', `/api/portfolio/${ids.get('000002')}`, claireToken)).body.contacts.map((contact: { offer: { id: string; version: number; offerId: string } | null }) => contact.offer).find((offer: { offerId: string } | null) => offer?.offerId === 'consultation');
    assert.ok(consultation, 'Blanc has Consultation now');
    const refused = await call('POST', `/api/offers/subscriptions/${consultation.id}/end`, await tokenOf(paul, 'staff-paul@cabinet-demo.test'), { expectedVersion: consultation.version });
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.message), /Offres – modification/);
    const bad = await call('POST', `/api/offers/subscriptions/${consultation.id}/end`, claireToken, { expectedVersion: 'v1' });
    assert.equal(bad.status, 400);
  });
});
