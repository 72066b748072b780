import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { claire, executeActivity, messageActivity, paul, type Speaker } from '../helpers/activities.js';
import { cardActions, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, withDatabase } from '../helpers/portfolioSeed.js';
import { demoFirm, startStaffSession, type StaffSession } from '../helpers/staffSession.js';

/** The tab shows a user attached to services only their services' files and files of no service, like the bot. */
describe('portfolio API and services (« Pôle social », « Pôle TPE »)', function () {
  this.timeout(60_000);
  let session: StaffSession;
  let passerelle: TestPasserelle;
  const ids = new Map<string, string>();
  const say = (who: Speaker, text: string) => session.say(who, text);
  const tokenOf = (who: Speaker, email: string) => session.tokenOf(who, email);
  const get = (path: string, token: string) => session.call('GET', path, token);

  before(async () => {
    session = await startStaffSession({ backgroundWork: false });
    passerelle = session.passerelle;
    await say(claire, 'aide'); // the firm's first user: main manager
    assert.match(await say(claire, 'créer service Pôle social'), /Service « Pôle social » créé/);
    assert.match(await say(claire, 'créer service Pôle TPE'), /Service « Pôle TPE » créé/);
    assert.match(await say(claire, 'rattacher staff-paul@cabinet-demo.test services Pôle social'), /rattaché aux services « Pôle social »/);
    const seeded = await withDatabase(passerelle.mongoUri, passerelle.database, (db) =>
      seedPortfolio(db, demoFirm, [
        { code: '000001', companyName: 'Ambulances Sociales', contacts: [{ lastName: 'Aubert', email: 'aubert@ambulances.test' }] },
        { code: '000002', companyName: 'Boulangerie TPE', contacts: [{ lastName: 'Bernard', email: 'bernard@boulangerie.test' }] },
        { code: '000003', companyName: 'Café Commun', contacts: [{ lastName: 'Colin', email: 'colin@cafe.test' }] },
      ]),
    );
    for (const file of seeded) ids.set(file.code, file.id);
    assert.match(await say(claire, 'service 000001 Pôle social'), /Pôle social/);
    assert.match(await say(claire, 'service 000002 Pôle TPE'), /Pôle TPE/);
  });
  after(async () => {
    await session?.stop();
  });

  it('lists for a user of « Pôle social » their service’s files and the files of no service', async () => {
    const paulToken = await tokenOf(paul, 'staff-paul@cabinet-demo.test');
    const page = await get('/api/portfolio', paulToken);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.deepEqual((page.body.items as { code: string }[]).map((item) => item.code), ['000001', '000003']);
    assert.equal(page.body.total, 2, 'the count agrees with the rows');
    const whole = await get('/api/portfolio', await tokenOf(claire, 'staff-claire@cabinet-demo.test'));
    assert.equal(whole.body.total, 3, 'the main manager sees every file');
  });

  it('refuses to open another service’s file, saying why', async () => {
    const opened = await get(`/api/portfolio/${ids.get('000002')}`, await tokenOf(paul, 'staff-paul@cabinet-demo.test'));
    assert.equal(opened.status, 403);
    assert.match(String(opened.body.message), /autre service/);
    const own = await get(`/api/portfolio/${ids.get('000001')}`, await tokenOf(paul, 'staff-paul@cabinet-demo.test'));
    assert.equal(own.status, 200);
  });

  it('drops another service’s file from a bulk action, ticked or matching the view', async () => {
    const token = await tokenOf(paul, 'staff-paul@cabinet-demo.test');
    const post = async (body: unknown) => (await session.call('POST', '/api/invitations', token, body)).body as { total: number };
    assert.equal((await post({ requestId: randomUUID(), clientFileIds: [ids.get('000002')] })).total, 0, 'a ticked id of « Pôle TPE » (forged) invites nobody');
    assert.equal((await post({ requestId: randomUUID(), allMatching: {} })).total, 2, 'the whole view: Aubert and Colin, not Bernard');
  });

  it('refuses the tab while the structure is deactivated, saying so', async () => {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity('désactiver structure', { serviceUrl: passerelle.connector.url, from: claire, conversationId: `a:personal-${claire.id}` }));
    const confirm = passerelle.connector.since(mark)[0]?.activity.attachments?.[0]?.content;
    const yes = cardActions(confirm).find((action) => action.verb === 'structure.deactivate');
    assert.ok(yes, 'the deactivation asks for a confirmation');
    await passerelle.post(executeActivity('structure.deactivate', yes.data, { serviceUrl: passerelle.connector.url, from: claire, conversationId: `a:personal-${claire.id}` }));
    const refused = await get('/api/portfolio', await tokenOf(paul, 'staff-paul@cabinet-demo.test'));
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.message), /structure est désactivée/);
  });
});
