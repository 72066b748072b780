import assert from 'node:assert/strict';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { executeActivity, messageActivity } from '../helpers/activities.js';
import { MongoClient } from 'mongodb';
import { collections } from '../../bot/store/mongo.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };

describe('Partner apps: Flow checklist and Shine activation', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let clockAheadMs = 0;

  before(async () => {
    passerelle = await startTestPasserelle({ now: () => new Date(Date.now() + clockAheadMs) });
  });
  after(async () => {
    await passerelle?.stop();
  });

  async function say(text: string) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url }));
    const reply = passerelle.connector.since(mark)[0];
    assert.ok(reply, `the bot answers "${text}"`);
    return reply.activity;
  }
  async function execute(verb: string, data: Record<string, unknown>) {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url }));
    assert.equal(response.status, 200);
    return response.body as InvokeBody;
  }
  const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;

  async function newFile(code: string, companyName: string, siret = '') {
    const form = cardActions(cardOf(await say('nouveau dossier'))).find((action) => action.verb === 'clientFile.create')!;
    await execute('clientFile.create', { ...form.data, code, companyName, siret });
  }
  async function newContact(lastName: string, email: string) {
    const form = cardActions(cardOf(await say('nouvel interlocuteur'))).find((action) => action.verb === 'contact.create')!;
    await execute('contact.create', { ...form.data, lastName, mobile: '06 12 34 56 78', email });
  }

  it('walks Flow’s five steps in order; step 3 follows the guests’ acceptance, not only their invitation', async () => {
    await newFile('000100', 'Boulangerie Bernard', '73282932000074');
    await newContact('Bernard', 'lea@boulangerie-bernard.fr');
    await newContact('Martin', 'hugo@boulangerie-bernard.fr');
    await say('lier lea@boulangerie-bernard.fr 000100 principal');
    await say('lier hugo@boulangerie-bernard.fr 000100');

    let card = cardOf(await say('flow 000100'));
    assert.match(cardText(card), /➜ Application Flow autorisée[\s\S]*○ Paramètres du dossier[\s\S]*○ Chaque utilisateur du client invité, invitation acceptée – 0 \/ 2/);
    const first = cardActions(card).find((action) => action.verb === 'flow.step')!;
    const outOfOrder = await execute('flow.step', { ...first.data, stepId: 'flowActivated' });
    assert.match(cardText(outOfOrder.value), /pas la prochaine à faire/);
    const [a, b] = await Promise.all([execute('flow.step', first.data), execute('flow.step', first.data)]);
    assert.equal([a, b].filter((body) => /Étape faite/.test(cardText(body.value))).length, 1, 'a double click acts once');
    card = [a, b].find((body) => /Étape faite/.test(cardText(body.value)))!.value;
    assert.match(cardText(card), /✔ Application Flow autorisée dans l’organisation du cabinet – fait par Claire Martin/);
    card = (await execute('flow.step', cardActions(card).find((action) => action.verb === 'flow.step')!.data)).value;

    assert.ok(cardActions(card).some((action) => action.verb === 'guest.previewMany'), 'step 3 offers to invite the file’s contacts');
    const clientFileId = first.data.clientFileId;
    // Two steps done: the checklist is at version 3. Ticking step 3 by hand is refused.
    const derived = await execute('flow.step', { clientFileId, version: 3, stepId: 'usersInvited' });
    assert.match(cardText(derived.value), /se fait en invitant les interlocuteurs du dossier/);

    const preview = (await execute('guest.previewMany', cardActions(card).find((action) => action.verb === 'guest.previewMany')!.data)).value;
    const start = cardActions(preview).find((action) => action.verb === 'guest.inviteMany')!;
    await execute('guest.inviteMany', start.data);
    for (let attempt = 0; attempt < 60 && passerelle.tenant.state().invitations.length < 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 300));

    card = cardOf(await say('flow 000100'));
    assert.match(cardText(card), /➜ Chaque utilisateur du client invité, invitation acceptée – 0 \/ 2/, 'invited is not enough: the contacts must accept');
    for (const email of ['lea@boulangerie-bernard.fr', 'hugo@boulangerie-bernard.fr']) assert.ok(passerelle.tenant.accept(email), `${email} accepts`);
    clockAheadMs += 10 * 60_000;
    await passerelle.server.watchAcceptancesNow();
    card = cardOf(await say('flow 000100'));
    assert.match(cardText(card), /✔ Chaque utilisateur du client invité, invitation acceptée – 2 \/ 2[\s\S]*➜ Flow activé pour le dossier/);
    card = (await execute('flow.step', cardActions(card).find((action) => action.verb === 'flow.step')!.data)).value;
    card = (await execute('flow.step', cardActions(card).find((action) => action.verb === 'flow.step')!.data)).value;
    assert.match(cardText(card), /Flow est en place pour ce client/);
    assert.equal(cardActions(card).filter((action) => action.verb === 'flow.step').length, 0);
  });

  it('records step 1 once for the firm: every other file shows it done', async () => {
    await newFile('000300', 'Pressing Dubois', '73282932000074');
    const card = cardOf(await say('flow 000300'));
    assert.match(cardText(card), /✔ Application Flow autorisée dans l’organisation du cabinet – fait par Claire Martin[\s\S]*➜ Paramètres du dossier comptable vérifiés/, cardText(card));
    const client = new MongoClient(passerelle.mongoUri);
    try {
      assert.equal(await client.db(passerelle.database).collection(collections.auditLog).countDocuments({ action: 'flow.appAuthorisedForFirm' }), 1, 'recorded once, for the firm');
    } finally {
      await client.close();
    }
  });

  it('refuses Shine without a primary contact, then without a SIRET, with the exact reasons', async () => {
    await newFile('000200', 'Garage Martin');
    const fromFileCard = cardActions(cardOf(await say('dossier 000200'))).find((action) => action.verb === 'shine.show')!;
    assert.match(cardText((await execute('shine.show', fromFileCard.data)).value), /Pré-requis : créer un contact principal client pour pouvoir activer Shine/, 'the dossier card opens Shine');
    assert.match(cardText(cardOf(await say('shine 000200'))), /Pré-requis : créer un contact principal client pour pouvoir activer Shine/);
    await say('lier hugo@boulangerie-bernard.fr 000200 principal');
    assert.match(cardText(cardOf(await say('shine 000200'))), /Le SIRET est obligatoire pour inviter la TPE/);
    // A SIRET that does not pass its check (e.g. imported from an old system) is refused the same way.
    const client = new MongoClient(passerelle.mongoUri);
    try {
      await client.db(passerelle.database).collection(collections.clientFiles).updateOne({ code: '000200' }, { $set: { siret: '73282932000075' } });
    } finally {
      await client.close();
    }
    assert.match(cardText(cardOf(await say('shine 000200'))), /Le SIRET est obligatoire pour inviter la TPE/);
  });

  it('activates Shine with the offer e-mail ready to copy, then proposes an alias for the same manager’s other company', async () => {
    const card = cardOf(await say('shine 000100'));
    assert.match(JSON.stringify(card), /"id":"accountEmail"[^}]*"value":"lea@boulangerie-bernard\.fr"/);
    assert.match(cardText(card), /E-mail de présentation \(modifiable\)/);
    const activate = cardActions(card).find((action) => action.verb === 'shine.activate')!;
    const done = await execute('shine.activate', { ...activate.data, purchases: 'true', sales: 'false', billingMode: 'firmRebills', plan: 'plus', accountEmail: 'lea@boulangerie-bernard.fr', emailSubject: 'Votre facturation avec Shine', emailBody: 'Bonjour Léa, voici Shine.' });
    const text = cardText(done.value);
    assert.match(text, /Shine activé\. Aucune boîte d’envoi n’est configurée : copiez l’e-mail ci-dessous et envoyez-le à lea@boulangerie-bernard\.fr/);
    assert.match(text, /Achats · Le cabinet refacture le client · formule Plus · compte lea@boulangerie-bernard\.fr/);
    assert.match(JSON.stringify(done.value), /Bonjour Léa, voici Shine\./);
    const again = await execute('shine.activate', { ...activate.data, accountEmail: 'lea@boulangerie-bernard.fr' });
    assert.match(cardText(again.value), /déjà activé/);

    await newFile('000300', 'Boulangerie Bernard – Saint-Jean', '73282932000074');
    await say('lier lea@boulangerie-bernard.fr 000300 principal');
    const second = cardOf(await say('shine 000300'));
    assert.match(JSON.stringify(second), /"value":"lea\+alias1@boulangerie-bernard\.fr"/);
    assert.match(cardText(second), /lea@boulangerie-bernard\.fr a déjà un compte Shine/);
    const activateSecond = cardActions(second).find((action) => action.verb === 'shine.activate')!;
    const taken = await execute('shine.activate', { ...activateSecond.data, accountEmail: 'lea@boulangerie-bernard.fr', emailSubject: 's' });
    assert.match(cardText(taken.value), /déjà un compte Shine : utilisez l’alias proposé/);
    const aliased = await execute('shine.activate', { ...activateSecond.data, accountEmail: 'lea+alias1@boulangerie-bernard.fr', emailSubject: 's' });
    assert.match(cardText(aliased.value), /compte lea\+alias1@boulangerie-bernard\.fr/);
  });
});

describe('Shine offer e-mail sent from the firm mailbox through Graph sendMail', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;

  before(async () => {
    passerelle = await startTestPasserelle({ env: { OFFER_MAILBOX: 'noreply@cabinet-demo.test' } });
    passerelle.tenant.addMember('noreply@cabinet-demo.test', 'Cabinet Démo (ne pas répondre)');
  });
  after(async () => {
    await passerelle?.stop();
  });

  async function say(text: string) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url }));
    return passerelle.connector.since(mark)[0]!.activity;
  }
  async function execute(verb: string, data: Record<string, unknown>) {
    return (await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url }))).body as InvokeBody;
  }
  const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;

  it('sends the edited e-mail to the primary contact and records it', async () => {
    const fileForm = cardActions(cardOf(await say('nouveau dossier'))).find((action) => action.verb === 'clientFile.create')!;
    await execute('clientFile.create', { ...fileForm.data, code: '000500', companyName: 'Fleuriste Rose', siret: '73282932000074' });
    const contactForm = cardActions(cardOf(await say('nouvel interlocuteur'))).find((action) => action.verb === 'contact.create')!;
    await execute('contact.create', { ...contactForm.data, lastName: 'Rose', mobile: '0612345678', email: 'rose@fleuriste.fr' });
    await say('lier rose@fleuriste.fr 000500 principal');
    const activate = cardActions(cardOf(await say('shine 000500'))).find((action) => action.verb === 'shine.activate')!;
    const done = await execute('shine.activate', { ...activate.data, accountEmail: 'rose@fleuriste.fr', emailSubject: 'Votre facturation Shine', emailBody: 'Bonjour, message modifié par le cabinet.' });
    assert.match(cardText(done.value), /L’e-mail de présentation a été envoyé à rose@fleuriste\.fr/);
    const mails = passerelle.tenant.state().mails;
    assert.equal(mails.length, 1, 'one message left the firm mailbox');
    assert.deepEqual({ from: mails[0]!.from, to: mails[0]!.to, subject: mails[0]!.subject, body: mails[0]!.body }, {
      from: 'noreply@cabinet-demo.test', to: ['rose@fleuriste.fr'], subject: 'Votre facturation Shine', body: 'Bonjour, message modifié par le cabinet.',
    });
  });
});
