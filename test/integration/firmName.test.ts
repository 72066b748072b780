import assert from 'node:assert/strict';
import { cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { messageActivity, paul, type Speaker } from '../helpers/activities.js';

describe('the firm’s name, as clients read it (« nom du cabinet »)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;

  before(async () => {
    passerelle = await startTestPasserelle({ backgroundWork: false });
  });
  after(async () => {
    await passerelle?.stop();
  });

  async function say(text: string, from?: Speaker): Promise<string> {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from }));
    const reply = passerelle.connector.since(mark)[0]?.activity;
    assert.ok(reply, `the bot answers « ${text} »`);
    return reply.text ?? cardText(reply.attachments?.[0]?.content);
  }

  it('says when the firm has no name yet, then keeps the one the main manager gives', async () => {
    assert.match(await say('nom du cabinet'), /pas encore de nom : les clients lisent « Votre cabinet »/);
    assert.match(await say('nom du cabinet   Fiduciaire Dupont & Associés '), /les clients liront « Fiduciaire Dupont & Associés »/);
    assert.match(await say('nom du cabinet'), /Les clients lisent « Fiduciaire Dupont & Associés »/);
  });

  it('refuses a name too long, keeping the one it has', async () => {
    assert.match(await say(`nom du cabinet ${'A'.repeat(121)}`), /120/);
    assert.match(await say('nom du cabinet'), /« Fiduciaire Dupont & Associés »/);
  });

  it('is for administrators: someone without « Organisation – modification » cannot change it', async () => {
    const answer = await say('nom du cabinet Autre Nom', paul);
    assert.doesNotMatch(answer, /liront/, `refused, got: ${answer}`);
    assert.match(await say('nom du cabinet'), /« Fiduciaire Dupont & Associés »/);
  });

  it('answers in English to « firm name »', async () => {
    await say('language english');
    assert.match(await say('firm name'), /Clients read “Fiduciaire Dupont & Associés”/);
    await say('langue français');
  });
});
