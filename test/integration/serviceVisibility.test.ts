import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { claire, executeActivity, messageActivity, paul, type Speaker } from '../helpers/activities.js';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, startTestIdentityProvider, type TestIdentityProvider } from '../helpers/portfolioSeed.js';
import { collections } from '../../bot/store/mongo.js';

const clientId = '0f0f0f0f-1111-2222-3333-555555555555';
const firm = '11111111-1111-1111-1111-111111111111';
const otherService = /Ce dossier est suivi par un autre service que le vôtre/;
const otherServiceContact = /Cet interlocuteur n’est lié qu’à des dossiers suivis par un autre service/;

type InvokeBody = { statusCode: number; type: string; value: unknown };

/**
 * Paul is attached to « Pôle social »: 000001 is Pôle social's, 000002 Pôle TPE's, 000003 of no
 * service. Everywhere the bot or the tab reaches a file, 000002 is refused with the reason and
 * nothing is written; the same action on 000001 or 000003 works.
 */
describe('services everywhere a file is reached (« Pôle social » user, « Pôle TPE » file)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let identity: TestIdentityProvider;
  let client: MongoClient;
  let db: Db;
  const ids = new Map<string, string>();
  const contactIds = new Map<string, string>();

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  async function say(who: Speaker, text: string): Promise<string> {
    const mark = passerelle.connector.sent.length;
    const response = await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200);
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers ${who.name}: "${text}"`);
    const activity = reply.activity as { text?: string; attachments?: { content: unknown }[] };
    return `${activity.text ?? ''}\n${cardText(activity.attachments?.[0]?.content)}`;
  }
  async function sayCard(who: Speaker, text: string): Promise<unknown> {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    return (reply?.activity as { attachments?: { content: unknown }[] } | undefined)?.attachments?.[0]?.content;
  }
  async function execute(who: Speaker, verb: string, data: Record<string, unknown>): Promise<InvokeBody> {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200);
    return response.body as InvokeBody;
  }
  const answerOf = (body: InvokeBody) => (typeof body.value === 'string' ? body.value : cardText(body.value));
  const tokenOf = (who: Speaker, email: string) => identity.token({ tid: firm, oid: who.aadObjectId, name: who.name, preferred_username: email });
  const paulToken = () => tokenOf(paul, 'staff-paul@cabinet-demo.test');
  async function http(method: string, path: string, body?: unknown) {
    const response = await fetch(`${passerelle.server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await paulToken()}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  const auditCount = () => db.collection(collections.auditLog).countDocuments({ firmId: firm });
  const file = (code: string) => db.collection(collections.clientFiles).findOne({ firmId: firm, code });

  /** Runs a refused action and checks that the audit log did not grow. */
  async function refusedWritingNothing(what: string, action: () => Promise<string>, reason = otherService): Promise<void> {
    const before = await auditCount();
    assert.match(await action(), reason, what);
    assert.equal(await auditCount(), before, `${what}: nothing recorded`);
  }

  before(async () => {
    identity = await startTestIdentityProvider(clientId);
    passerelle = await startTestPasserelle({ backgroundWork: false, env: { AAD_APP_CLIENT_ID: clientId, TAB_JWKS_URL: identity.jwksUrl, PUBLIC_URL: 'https://passerelle.test' } });
    client = new MongoClient(passerelle.mongoUri);
    db = client.db(passerelle.database);
    await say(claire, 'aide'); // the firm's first user: main manager
    assert.match(await say(claire, 'créer service Pôle social'), /Service « Pôle social » créé/);
    assert.match(await say(claire, 'créer service Pôle TPE'), /Service « Pôle TPE » créé/);
    assert.match(await say(claire, 'rattacher staff-paul@cabinet-demo.test services Pôle social'), /rattaché aux services « Pôle social »/);
    // Beyond the default profiles, so that the service is the only reason for a refusal.
    await db.collection(collections.memberships).updateOne(
      { firmId: firm, email: 'staff-paul@cabinet-demo.test' },
      { $set: { profiles: ['clientFiles', 'contacts', 'invitations', 'offers', 'partnerApps'].map((application) => ({ application, level: 'modification' })).concat([{ application: 'audit', level: 'consultation' }]) } },
    );
    const seeded = await seedPortfolio(db, firm, [
      { code: '000001', companyName: 'Ambulances Sociales', contacts: [{ lastName: 'Aubert', email: 'aubert@ambulances.test' }, { lastName: 'Dupont', email: 'dupont@holding.test' }] },
      { code: '000002', companyName: 'Boulangerie TPE', contacts: [{ lastName: 'Bernard', email: 'bernard@boulangerie.test' }, { lastName: 'Dupont', email: 'dupont@holding.test' }] },
      { code: '000003', companyName: 'Café Commun', contacts: [{ lastName: 'Colin', email: 'colin@cafe.test' }] },
    ]);
    for (const seededFile of seeded) ids.set(seededFile.code, seededFile.id);
    for (const [email, id] of [['aubert', seeded[0]!.contactIds[0]], ['dupont', seeded[0]!.contactIds[1]], ['bernard', seeded[1]!.contactIds[0]], ['colin', seeded[2]!.contactIds[0]]] as const) contactIds.set(email, id!);
    assert.match(await say(claire, 'service 000001 Pôle social'), /Pôle social/);
    assert.match(await say(claire, 'service 000002 Pôle TPE'), /Pôle TPE/);
    // Tessier is created alone (an entry about no file), then linked to Pôle TPE's file only.
    const created = await execute(claire, 'contact.create', { requestId: randomUUID(), lastName: 'Tessier', mobile: '06 11 22 33 44', email: 'tessier@boulangerie.test' });
    assert.match(answerOf(created), /Tessier/);
    assert.match(await say(claire, 'lier tessier@boulangerie.test 000002'), /Tessier/);
    contactIds.set('tessier', (await db.collection(collections.contacts).findOne({ firmId: firm, email: 'tessier@boulangerie.test' }))!._id.toHexString());
    // An offer on Pôle TPE's file, for the offer card's verbs.
    const proposed = await execute(claire, 'offer.propose', { contactId: contactIds.get('bernard'), clientFileId: ids.get('000002'), offerId: 'start' });
    assert.doesNotMatch(answerOf(proposed), /autre service/);
  });
  after(async () => {
    await client?.close();
    await passerelle?.stop();
    await identity?.stop();
  });

  it('names only the files of the user’s services on a contact card, counting the others', async () => {
    const shared = await say(paul, 'interlocuteur dupont@holding.test');
    assert.match(shared, /000001/);
    assert.doesNotMatch(shared, /000002|Boulangerie/, 'Pôle TPE’s file is not named');
    assert.match(shared, /\+ 1 dossier d’un autre service/);
    assert.match(answerOf(await execute(paul, 'contact.show', { contactId: contactIds.get('dupont') })), /\+ 1 dossier d’un autre service/);
    assert.doesNotMatch(await say(claire, 'interlocuteur dupont@holding.test'), /autre service/, 'the main manager sees both files');
    assert.match(await say(claire, 'interlocuteur dupont@holding.test'), /000002/);
    assert.match(await say(paul, 'interlocuteur bernard@boulangerie.test'), otherServiceContact, 'a contact of Pôle TPE’s file only is refused');
    assert.match(await say(paul, 'interlocuteur colin@cafe.test'), /000003/, 'a contact of a file of no service is shown');
  });

  it('refuses « lier » and the link card on another service’s file, links on one’s own', async () => {
    await refusedWritingNothing('lier', () => say(paul, 'lier colin@cafe.test 000002'));
    await refusedWritingNothing('link.openForm', async () => answerOf(await execute(paul, 'link.openForm', { clientFileId: ids.get('000002') })));
    await refusedWritingNothing('link.create by id', async () => answerOf(await execute(paul, 'link.create', { clientFileId: ids.get('000002'), contactEmail: 'colin@cafe.test' })));
    await refusedWritingNothing('link.create by code', async () => answerOf(await execute(paul, 'link.create', { contactId: contactIds.get('colin'), clientFileCode: '000002' })));
    await refusedWritingNothing('contact.create on the file', async () => answerOf(await execute(paul, 'contact.create', { requestId: randomUUID(), clientFileId: ids.get('000002'), lastName: 'Intrus', mobile: '0611223344', email: 'intrus@test.test' })));
    assert.equal(await db.collection(collections.contacts).countDocuments({ firmId: firm, email: 'intrus@test.test' }), 0);
    assert.equal(await db.collection(collections.contactLinks).countDocuments({ firmId: firm, clientFileId: new ObjectId(ids.get('000002')), contactId: new ObjectId(contactIds.get('colin')) }), 0);
    assert.match(await say(paul, 'lier colin@cafe.test 000001'), /Colin[\s\S]*000001/);
    assert.match(await say(paul, 'lier aubert@ambulances.test 000003'), /Aubert[\s\S]*000003/);
  });

  it('refuses invitations of another service’s file; « inviter tous » invites the visible files’ contacts only', async () => {
    await refusedWritingNothing('inviter dossier', () => say(paul, 'inviter dossier 000002'));
    await refusedWritingNothing('inviter codes', () => say(paul, 'inviter 000001 000002'));
    await refusedWritingNothing('inviter contact of TPE', () => say(paul, 'inviter bernard@boulangerie.test'), otherServiceContact);
    await refusedWritingNothing('guest.invite of TPE', async () => answerOf(await execute(paul, 'guest.invite', { requestId: randomUUID(), contactId: contactIds.get('bernard') })), otherServiceContact);
    await refusedWritingNothing('clientFile.openTeamChoice', async () => answerOf(await execute(paul, 'clientFile.openTeamChoice', { clientFileId: ids.get('000002') })));
    await refusedWritingNothing('clientFile.chooseTeam', async () => answerOf(await execute(paul, 'clientFile.chooseTeam', { clientFileId: ids.get('000002'), teamId: 'team-x' })));
    const paulsJobs = () => db.collection(collections.jobs).find({ firmId: firm, 'createdBy.userId': paul.aadObjectId }).toArray();
    assert.equal((await paulsJobs()).length, 0, 'no job was created');
    const own = await say(paul, 'inviter dossier 000001');
    assert.match(own, /Aubert/);
    assert.doesNotMatch(await say(paul, 'inviter dupont@holding.test'), /000002|Boulangerie/, 'the preview names only visible files');

    const forged = await execute(paul, 'guest.previewMany', { selection: { kind: 'clientFiles', ids: [ids.get('000002')] } });
    assert.doesNotMatch(answerOf(forged), /Bernard|Tessier/, 'a forged id of Pôle TPE designates nobody');

    const all = await sayCard(paul, 'inviter tous');
    const text = cardText(all);
    for (const name of ['Aubert', 'Colin', 'Dupont']) assert.match(text, new RegExp(name), `${name} is of a visible file`);
    for (const name of ['Bernard', 'Tessier']) assert.doesNotMatch(text, new RegExp(name), `${name} is of Pôle TPE only`);
    const submit = cardActions(all).find((action) => action.verb === 'guest.inviteMany');
    assert.ok(submit, 'the preview offers to invite');
    await execute(paul, 'guest.inviteMany', submit.data);
    const jobs = await paulsJobs();
    assert.equal(jobs.length, 1);
    const items = await db.collection(collections.jobItems).find({ jobId: jobs[0]!._id }).toArray();
    const invited = new Set(items.map((item) => String(item.contactId)));
    assert.deepEqual([...invited].sort(), [contactIds.get('aubert'), contactIds.get('colin'), contactIds.get('dupont')].map(String).sort());
  });

  it('refuses offers on another service’s file, from the command and from the offer card', async () => {
    const subscription = await db.collection(collections.offerSubscriptions).findOne({ firmId: firm, clientFileId: ids.get('000002') });
    assert.ok(subscription, 'Claire’s offer on 000002 exists');
    const subscriptionId = subscription._id.toHexString();
    await refusedWritingNothing('proposer', () => say(paul, 'proposer bernard@boulangerie.test'), otherServiceContact);
    const proposal = await say(paul, 'proposer dupont@holding.test');
    assert.match(proposal, /000001/);
    assert.doesNotMatch(proposal, /000002|Boulangerie/, 'the proposal offers only visible files');
    await refusedWritingNothing('offer.propose', async () => answerOf(await execute(paul, 'offer.propose', { contactId: contactIds.get('dupont'), clientFileId: ids.get('000002'), offerId: 'start' })));
    for (const [verb, data] of [
      ['offer.show', { subscriptionId }],
      ['offer.change', { subscriptionId, version: subscription.version, offerId: 'consultation' }],
      ['offer.end', { subscriptionId, version: subscription.version }],
      ['offer.step', { subscriptionId, version: subscription.version, stepId: 'initialise' }],
    ] as const) {
      await refusedWritingNothing(verb, async () => answerOf(await execute(paul, verb, data)));
    }
    const after = await db.collection(collections.offerSubscriptions).findOne({ _id: subscription._id });
    assert.equal(after?.version, subscription.version, 'the offer did not change');
    assert.equal(await db.collection(collections.offerSubscriptions).countDocuments({ firmId: firm, contactId: contactIds.get('dupont') }), 0);
    const mine = await execute(paul, 'offer.propose', { contactId: contactIds.get('aubert'), clientFileId: ids.get('000001'), offerId: 'start' });
    assert.doesNotMatch(answerOf(mine), /autre service/);
    assert.equal(await db.collection(collections.offerSubscriptions).countDocuments({ firmId: firm, clientFileId: ids.get('000001') }), 1);
  });

  it('refuses Flow and Shine on another service’s file', async () => {
    await refusedWritingNothing('flow', () => say(paul, 'flow 000002'));
    await refusedWritingNothing('shine', () => say(paul, 'shine 000002'));
    await refusedWritingNothing('flow.show', async () => answerOf(await execute(paul, 'flow.show', { clientFileId: ids.get('000002') })));
    await refusedWritingNothing('flow.step', async () => answerOf(await execute(paul, 'flow.step', { clientFileId: ids.get('000002'), version: 1, stepId: 'usersInvited' })));
    await refusedWritingNothing('shine.show', async () => answerOf(await execute(paul, 'shine.show', { clientFileId: ids.get('000002') })));
    await refusedWritingNothing('shine.activate', async () => answerOf(await execute(paul, 'shine.activate', { clientFileId: ids.get('000002'), accountEmail: 'bernard@boulangerie.test', emailSubject: 'Shine' })));
    assert.equal(await db.collection(collections.partnerApps).countDocuments({ firmId: firm, clientFileId: ids.get('000002') }), 0);
    assert.doesNotMatch(await say(paul, 'flow 000001'), /autre service|Aucun dossier/);
    assert.doesNotMatch(await say(paul, 'shine 000003'), /autre service|Aucun dossier/);
  });

  it('refuses « journal dossier » of another service’s file and leaves its entries out of every search', async () => {
    assert.match(await say(paul, 'journal dossier 000002'), otherService);
    assert.match(await say(paul, 'journal interlocuteur tessier@boulangerie.test'), otherServiceContact);
    assert.match(await say(paul, 'journal dossier 000001'), /Ambulances Sociales/);
    const firmLog = await say(paul, 'journal');
    assert.doesNotMatch(firmLog, /000002|Boulangerie|Bernard|Tessier/);
    assert.match(await say(claire, 'journal'), /Tessier|Boulangerie/, 'the main manager reads everything');

    assert.equal((await http('GET', `/api/audit?clientFileId=${ids.get('000002')}`)).status, 403);
    assert.equal((await http('GET', `/api/audit?contactId=${contactIds.get('tessier')}`)).status, 403);
    const everything = await http('GET', '/api/audit?limit=5000');
    assert.equal(everything.status, 200, JSON.stringify(everything.body));
    const rows = everything.body.entries as { clientFile: string; contact: string; action: string }[];
    assert.ok(rows.some((row) => row.clientFile.startsWith('000001')), 'Pôle social’s entries are there');
    assert.ok(rows.some((row) => row.contact === 'colin@cafe.test'), 'and those of a file of no service');
    assert.ok(!rows.some((row) => row.clientFile.startsWith('000002') || row.clientFile === ids.get('000002')), 'no entry of Pôle TPE’s file');
    assert.ok(!rows.some((row) => /bernard@|tessier@/.test(row.contact)), 'no entry about a contact of Pôle TPE only, even without a file');
    const byClaire = await http('GET', `/api/audit?userId=${claire.aadObjectId}&from=01/01/2020`);
    assert.ok(!(byClaire.body.entries as { clientFile: string }[]).some((row) => row.clientFile.startsWith('000002')), 'nor when searching by user and date');
  });

  it('refuses the tab’s edit of another service’s file and keeps its lines out of a CSV import', async () => {
    const tpe = await file('000002');
    const before = await auditCount();
    const refused = await http('PATCH', `/api/portfolio/${ids.get('000002')}`, { expectedUpdatedAt: tpe!.updatedAt.toISOString(), companyName: 'Piratée' });
    assert.equal(refused.status, 403);
    assert.match(String(refused.body.message), /autre service/);
    assert.equal((await file('000002'))?.companyName, 'Boulangerie TPE');
    assert.equal(await auditCount(), before);
    const social = await file('000001');
    const edited = await http('PATCH', `/api/portfolio/${ids.get('000001')}`, { expectedUpdatedAt: social!.updatedAt.toISOString(), notes: 'Vu en janvier' });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));

    const csv = ['Code;Raison sociale', '000002;Boulangerie écrasée', '000003;Café Commun et Fils'].join('\r\n');
    const imported = await http('POST', '/api/import', { requestId: randomUUID(), fileName: 'export.csv', content: Buffer.from(csv, 'utf8').toString('base64') });
    assert.equal(imported.status, 202, JSON.stringify(imported.body));
    // The job runner writes the file; this suite's server runs no background work, so a second instance on the
    // same database does it (stopped without dropping the suite's database).
    const worker = await startTestPasserelle({ mongoUri: passerelle.mongoUri, database: passerelle.database });
    let report: Record<string, any> = {};
    try {
      for (let attempt = 0; attempt < 200 && report.status !== 'finished'; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        report = (await http('GET', `/api/imports/${String(imported.body.id)}`)).body;
      }
    } finally {
      await worker.server.stop();
      await worker.connector.stop();
      await worker.tenant.stop();
    }
    assert.equal(report.status, 'finished', JSON.stringify(report));
    const refusedLines = report.refusedLines as { code: string; problems: { message: string }[] }[];
    assert.equal(refusedLines.length, 1);
    assert.equal(refusedLines[0]!.code, '000002');
    assert.match(refusedLines[0]!.problems[0]!.message, /dossier d’un autre service/);
    assert.equal((await file('000002'))?.companyName, 'Boulangerie TPE', 'Pôle TPE’s file is not overwritten');
    assert.equal((await file('000003'))?.companyName, 'Café Commun et Fils', 'a file of no service is');
  });

  // Last: the contact it adds would show up in the searches of the tests above.
  it('lists in search results only the contacts the user may see', async () => {
    await execute(claire, 'contact.create', { requestId: randomUUID(), lastName: 'Bernardin', mobile: '06 11 22 33 55', email: 'bernardin@ambulances.test' });
    assert.match(await say(claire, 'lier bernardin@ambulances.test 000001'), /Bernardin/);
    assert.match(await say(claire, 'interlocuteur bern'), /Bernardin[\s\S]*Bernard|Bernard[\s\S]*Bernardin/, 'the main manager finds both');
    for (const command of ['interlocuteur bern', 'inviter bern', 'proposer bern', 'révoquer bern']) {
      const answer = await say(paul, command);
      assert.match(answer, /Bernardin/, `${command}: the contact of Pôle social is listed`);
      assert.doesNotMatch(answer, /bernard@boulangerie/, `${command}: the contact of Pôle TPE only is not named`);
    }
  });
});
