import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { collections } from '../../bot/store/mongo.js';
import { claire, demoFirmId, executeActivity, messageActivity } from '../helpers/activities.js';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };

/** An export listing an old Start identifier and an old paid Co-production access (flagged by the optional column). */
const csv = [
  'Code;Raison sociale;Contact nom;Contact prénom;Contact mobile;Contact email;Ancien accès coproduction',
  '000010;Menuiserie Petit;Petit;Jean;06 12 34 56 78;jean.petit@onloop.onmicrosoft.com;non',
  '000011;Traiteur Blanc;Blanc;Anne;06 12 34 56 79;anne@traiteur-blanc.fr;oui',
  '000012;Fromagerie Noir;Noir;Paul;06 12 34 56 70;paul@fromagerie-noir.fr;',
].join('\r\n');

/** Seed 000: old Start identifiers migrate to the contact's e-mail; old paid Co-production accesses are kept, listed, flagged. */
describe('legacy accesses: flagged at import and on the contact’s card, Co-production kept', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;

  before(async () => {
    passerelle = await startTestPasserelle({ backgroundWork: true, env: { TAB_LOCAL_USER: `${demoFirmId}|${claire.aadObjectId}|${claire.name}|claire@cabinet.test` } });
  });
  after(async () => {
    await passerelle?.stop();
  });

  async function say(text: string): Promise<unknown> {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url }));
    const reply = passerelle.connector.since(mark)[0]?.activity as { text?: string; attachments?: { content: unknown }[] } | undefined;
    assert.ok(reply, `the bot answers « ${text} »`);
    return reply.attachments?.[0]?.content ?? reply.text;
  }
  async function execute(verb: string, data: Record<string, unknown>): Promise<unknown> {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url }));
    assert.equal(response.status, 200);
    return (response.body as InvokeBody).value;
  }
  const read = (answer: unknown) => (typeof answer === 'string' ? answer : cardText(answer));

  it('flags an old paid Co-production access from the import’s optional column', async () => {
    await say('aide');
    const started = await fetch(`${passerelle.server.url}/api/import`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ requestId: randomUUID(), fileName: 'export.csv', content: Buffer.from(csv).toString('base64') }),
    });
    assert.equal(started.status, 202, await started.clone().text());
    const id = ((await started.json()) as { id: string }).id;
    for (let attempt = 0; attempt < 200; attempt++) {
      const job = (await (await fetch(`${passerelle.server.url}/api/imports/${id}`)).json()) as { status: string };
      if (job.status === 'finished') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const list = read(await say('anciens accès'));
    assert.match(list, /\*\*Jean Petit\*\* · jean\.petit@onloop\.onmicrosoft\.com · ancien identifiant Start/, list);
    assert.match(list, /\*\*Anne Blanc\*\* · anne@traiteur-blanc\.fr · ancienne Co-production avec licence payante – conservé \(licence payante\), à revoir/);
    assert.doesNotMatch(list, /Paul Noir/, 'a line without the flag is no legacy access');
  });

  it('never replaces a kept Co-production access by another e-mail; migrates an old Start identifier', async () => {
    const card = await say('anciens accès');
    const migrations = cardActions(card).filter((action) => action.verb === 'legacy.migrate');
    assert.equal(migrations.length, 1, 'only the Start identifier offers a migration');
    const client = new MongoClient(passerelle.mongoUri);
    try {
      const anne = await client.db(passerelle.database).collection(collections.contacts).findOne({ email: 'anne@traiteur-blanc.fr' });
      const forged = read(await execute('legacy.migrate', { contactId: anne!._id.toHexString(), index: 0, email0: 'anne.blanc@gmail.com' }));
      assert.match(forged, /conservé : son adresse n’est jamais remplacée/, 'even a forged card cannot replace it');
      assert.ok(await client.db(passerelle.database).collection(collections.contacts).findOne({ email: 'anne@traiteur-blanc.fr', legacyCoproductionLicence: true }), 'Anne keeps her address and her flag');
    } finally {
      await client.close();
    }
    const [migrate] = migrations;
    const done = read(await execute('legacy.migrate', { ...migrate!.data, [`email${migrate!.data.index}`]: 'jean@menuiserie-petit.fr' }));
    assert.match(done, /Jean Petit utilise désormais jean@menuiserie-petit\.fr/, done);
  });

  it('flags and clears an old Co-production access on the contact’s card, recorded in the audit log', async () => {
    const card = await say('interlocuteur paul@fromagerie-noir.fr');
    assert.doesNotMatch(read(card), /Ancien accès/);
    const flag = cardActions(card).find((action) => action.verb === 'contact.flagLegacy')!;
    assert.equal(flag.title, 'Signaler un ancien accès Co-production');
    const flagged = await execute('contact.flagLegacy', flag.data);
    assert.match(read(flagged), /signalé : il est conservé tel quel[\s\S]*Ancien accès: ancienne Co-production avec licence payante/, read(flagged));
    assert.match(read(await say('anciens accès')), /Paul Noir/);
    const clear = cardActions(flagged).find((action) => action.verb === 'contact.flagLegacy')!;
    assert.equal(clear.data.flagged, 'false');
    assert.match(read(await execute('contact.flagLegacy', clear.data)), /Signalement d’ancien accès Co-production levé/);
    const client = new MongoClient(passerelle.mongoUri);
    try {
      assert.equal(await client.db(passerelle.database).collection(collections.auditLog).countDocuments({ action: 'contact.legacyFlagged' }), 2);
    } finally {
      await client.close();
    }
  });
});
