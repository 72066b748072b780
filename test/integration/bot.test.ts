import assert from 'node:assert/strict';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { botAddedActivity, executeActivity, installationActivity, messageActivity, otherFirmId, paul } from '../helpers/activities.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };

describe('Bot driven through real activities on /api/messages', function () {
  let passerelle: TestPasserelle;
  const options = () => ({ serviceUrl: passerelle.connector.url });

  before(async () => {
    passerelle = await startTestPasserelle();
  });
  after(async () => {
    await passerelle?.stop();
  });

  async function say(text: string, extra: Partial<Parameters<typeof messageActivity>[1]> = {}) {
    const mark = passerelle.connector.sent.length;
    const response = await passerelle.post(messageActivity(text, { ...options(), ...extra }));
    assert.equal(response.status, 200, `message "${text}" should be accepted`);
    const replies = passerelle.connector.since(mark).map((sent) => sent.activity);
    assert.ok(replies.length > 0, `the bot should answer "${text}"`);
    return replies;
  }

  async function execute(verb: string, data: Record<string, unknown>, extra: Partial<Parameters<typeof executeActivity>[2]> = {}) {
    const response = await passerelle.post(executeActivity(verb, data, { ...options(), ...extra }));
    assert.equal(response.status, 200, `invoke ${verb} should answer 200`);
    const body = response.body as InvokeBody;
    assert.equal(body.statusCode, 200);
    return body;
  }

  function cardOf(reply: { attachments?: { content: unknown }[] }) {
    const card = reply.attachments?.[0]?.content;
    assert.ok(card, 'the reply should carry an Adaptive Card');
    return card;
  }

  async function createClientFile(fields: Record<string, string>) {
    const [reply] = await say('nouveau dossier');
    const submit = cardActions(cardOf(reply!)).find((action) => action.verb === 'clientFile.create');
    assert.ok(submit, 'the form should have a create action');
    return { requestId: String(submit.data.requestId), body: await execute('clientFile.create', { ...submit.data, ...fields }) };
  }

  it('welcomes a new installation once, with the commands, in French', async () => {
    const conversationId = 'a:welcome-test';
    const mark = passerelle.connector.sent.length;
    await passerelle.post(installationActivity({ ...options(), conversationId }));
    await passerelle.post(botAddedActivity({ ...options(), conversationId }));
    const welcomes = passerelle.connector.since(mark);
    assert.equal(welcomes.length, 1, 'installation + bot added must give exactly one welcome card');
    const text = cardText(welcomes[0]!.activity.attachments?.[0]?.content);
    assert.match(text, /Bienvenue dans Passerelle/);
    assert.match(text, /nouveau dossier/);
    assert.match(text, /nouvel interlocuteur/);
  });

  it('lists the commands for "aide", and in English for an English-speaking user', async () => {
    const [french] = await say('aide');
    assert.match(cardText(cardOf(french!)), /Commandes de Passerelle[\s\S]*dossier <code ou nom>/);
    const [english] = await say('help', { locale: 'en-GB', conversationId: 'a:english' , from: paul });
    assert.match(cardText(cardOf(english!)), /Passerelle commands[\s\S]*client file <code or name>/);
  });

  it('answers an unknown command helpfully', async () => {
    const [reply] = await say('bonjour tout le monde');
    assert.match(String(reply!.text), /Je ne connais pas la commande « bonjour tout le monde »/);
    assert.match(String(reply!.text), /aide/);
  });

  it('refuses a client file with bad fields, says why next to each field, and writes nothing', async () => {
    const { body } = await createClientFile({ code: 'BAD 01', companyName: '', siret: '73282932000075', apeCode: '692', legalForm: 'SARL' });
    assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
    const text = cardText(body.value);
    assert.match(text, /Corrigez les champs signalés/);
    assert.match(text, /clé de contrôle/, 'SIRET checksum error shown');
    assert.match(text, /4 chiffres suivis d’une lettre/, 'APE format error shown');
    const values = JSON.stringify(body.value);
    assert.match(values, /"value":"73282932000075"/, 'the typed SIRET is kept in the form');
    const [search] = await say('dossier BAD 01');
    assert.match(String(search!.text), /Aucun dossier/);
  });

  it('refuses an oversized company name with a message', async () => {
    const { body } = await createClientFile({ code: 'LONG1', companyName: 'x'.repeat(400) });
    assert.match(cardText(body.value), /120/);
    const [search] = await say('dossier LONG1');
    assert.match(String(search!.text), /Aucun dossier/);
  });

  it('creates a client file once even when the card is submitted twice', async () => {
    const fields = { code: '000001', companyName: 'Boulangerie Bernard', legalForm: 'SARL', siret: '732 829 320 00074', apeCode: '10.71c', taxRegime: 'Réel simplifié' };
    const first = await createClientFile(fields);
    assert.match(cardText(first.body.value), /Dossier créé[\s\S]*000001 – Boulangerie Bernard/);
    assert.match(cardText(first.body.value), /732 829 320 00074/);
    assert.match(cardText(first.body.value), /1071C/);
    const replay = await execute('clientFile.create', { requestId: first.requestId, ...fields });
    assert.match(cardText(replay.value), /déjà été créé par ce formulaire/);
    const [reply] = await say('dossier boulangerie');
    assert.match(cardText(cardOf(reply!)), /Dossier 000001 – Boulangerie Bernard/, 'one match opens the file directly');
  });

  it('refuses a second file with the same code from another form', async () => {
    const { body } = await createClientFile({ code: '000001', companyName: 'Autre société' });
    assert.match(cardText(body.value), /déjà utilisé par le dossier « Boulangerie Bernard »/);
  });

  it('creates a contact with normalised phone and e-mail, and refuses a duplicate e-mail', async () => {
    const [reply] = await say('nouvel interlocuteur');
    const form = cardOf(reply!);
    assert.match(cardText(form), /Chef d'entreprise/, 'default organisational roles from the seeds are offered');
    const submit = cardActions(form).find((action) => action.verb === 'contact.create')!;
    const bad = await execute('contact.create', { ...submit.data, lastName: 'Bernard', mobile: '01 45 00 00 00', email: 'lea@' });
    assert.match(cardText(bad.value), /pas un mobile/);
    assert.match(cardText(bad.value), /adresse e-mail|e-mail/i);
    const good = await execute('contact.create', {
      ...submit.data, lastName: 'Bernard', firstName: 'Léa', mobile: '06 12 34 56 78', email: 'Lea+Boulangerie@Boulangerie-Bernard.fr', orgRole: "Chef d'entreprise", city: 'Lyon',
    });
    const created = cardText(good.value);
    assert.match(created, /Interlocuteur créé/);
    assert.match(created, /lea\+boulangerie@boulangerie-bernard\.fr/, 'e-mail lowercased, +alias kept');
    assert.match(created, /06 12 34 56 78/);
    const [again] = await say('nouvel interlocuteur');
    const secondSubmit = cardActions(cardOf(again!)).find((action) => action.verb === 'contact.create')!;
    const duplicate = await execute('contact.create', { ...secondSubmit.data, lastName: 'Autre', mobile: '0698765432', email: 'lea+boulangerie@boulangerie-bernard.fr' });
    assert.match(cardText(duplicate.value), /déjà celle de l’interlocuteur « Léa Bernard »/);
  });

  it('links a contact to a file, marks the primary contact, and shows both on the file card', async () => {
    const [linked] = await say('lier lea+boulangerie@boulangerie-bernard.fr 000001');
    assert.match(String(linked!.text), /Léa Bernard est lié au dossier 000001 – Boulangerie Bernard \(limité à : -\)/);
    const [again] = await say('lier lea+boulangerie@boulangerie-bernard.fr 000001');
    assert.match(String(again!.text), /était déjà lié/);
    const [file] = await say('dossier 000001');
    const card = cardOf(file!);
    assert.match(cardText(card), /Léa Bernard/);
    const makePrimary = cardActions(card).find((action) => action.verb === 'clientFile.setPrimary');
    assert.ok(makePrimary, 'a non-primary contact offers "Définir comme principal"');
    const result = await execute('clientFile.setPrimary', makePrimary.data);
    assert.match(cardText(result.value), /Léa Bernard est désormais le contact principal du dossier 000001/);
    assert.match(cardText(result.value), /\*\*Léa Bernard\*\* – Contact principal/);
    assert.equal(cardActions(result.value).filter((action) => action.verb === 'clientFile.setPrimary').length, 0);
  });

  it('links through the form with a scope and reports unknown references next to the fields', async () => {
    const [form] = await say('lier');
    const submit = cardActions(cardOf(form!)).find((action) => action.verb === 'link.create')!;
    const bad = await execute('link.create', { ...submit.data, contactEmail: 'personne@nulle-part.fr', clientFileCode: 'NOPE', scope: '-', primary: 'false' });
    const text = cardText(bad.value);
    assert.match(text, /Aucun interlocuteur avec cet e-mail/);
    assert.match(text, /Aucun dossier avec ce code/);
    const good = await execute('link.create', { ...submit.data, contactEmail: 'lea+boulangerie@boulangerie-bernard.fr', clientFileCode: '000001', scope: 'Ventes', primary: 'true' });
    assert.match(cardText(good.value), /Lien mis à jour[\s\S]*limité à : Ventes/);
  });

  it('lists several matches for a partial name, accent- and case-insensitively', async () => {
    await createClientFile({ code: '000002', companyName: 'Boucherie Éloïse' });
    const [reply] = await say('dossier bou');
    const text = cardText(cardOf(reply!));
    assert.match(text, /Dossiers correspondant à « bou »/);
    assert.match(text, /Boucherie Éloïse/);
    assert.match(text, /Boulangerie Bernard/);
    const [accentless] = await say('dossier eloise');
    assert.match(cardText(cardOf(accentless!)), /Dossier 000002 – Boucherie Éloïse/);
  });

  it('never shows a file to another firm, even with its id in forged card data', async () => {
    const [reply] = await say('dossier 000001', { firmId: otherFirmId, conversationId: 'a:other-firm' });
    assert.match(String(reply!.text), /Aucun dossier/);
    const [own] = await say('dossier 000001');
    const fileId = cardActions(cardOf(own!)).find((action) => action.verb === 'link.openForm')!.data.clientFileId;
    const forged = await execute('clientFile.show', { clientFileId: fileId }, { firmId: otherFirmId, conversationId: 'a:other-firm' });
    assert.equal(forged.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(forged.value), /n’appartient pas à votre cabinet/);
  });

  it('refuses malformed card data without crashing', async () => {
    const body = await execute('clientFile.create', { requestId: 'not-a-uuid', code: 42 });
    assert.match(String(body.value), /périmée/);
    const unknown = await execute('no.such.verb', {});
    assert.match(String(unknown.value), /plus disponible/);
  });

  it('answers 400 to malformed JSON and to a body that is not an activity', async () => {
    const malformed = await fetch(`${passerelle.server.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type": "message",' });
    assert.equal(malformed.status, 400);
    const notActivity = await passerelle.post({ hello: 'world' });
    assert.equal(notActivity.status, 400);
    const health = await fetch(`${passerelle.server.url}/healthz`);
    assert.equal(health.status, 200, 'the server is still up');
  });

  it('lets a user choose English and remembers it', async () => {
    const [attached] = await say('rattacher staff-paul@cabinet-demo.test');
    assert.match(cardText(cardOf(attached!)), /staff-paul@cabinet-demo\.test est rattaché/);
    const [changed] = await say('language english', { from: paul, conversationId: 'a:paul' });
    assert.match(String(changed!.text), /I will answer in English/);
    const [reply] = await say('dossier zzz', { from: paul, conversationId: 'a:paul', locale: 'fr-FR' });
    assert.match(String(reply!.text), /No client file matches/);
    await say('langue français', { from: paul, conversationId: 'a:paul' });
  });

  it('refuses guests (clients) every staff command and card action', async () => {
    const guest = { id: '29:guest-lea', name: 'Léa Bernard (Invité)', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000005' };
    passerelle.connector.guests.add(guest.id);
    try {
      const [reply] = await say('dossier 000001', { from: guest, conversationId: 'a:guest' });
      assert.match(String(reply!.text), /en tant qu’invité/);
      assert.doesNotMatch(JSON.stringify(reply), /Boulangerie/);
      const action = await execute('clientFile.create', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f61', code: 'GUEST1', companyName: 'Intrus' }, { from: guest, conversationId: 'a:guest' });
      assert.match(String(action.value), /en tant qu’invité/);
      const [check] = await say('dossier GUEST1');
      assert.match(String(check!.text), /Aucun dossier/, 'nothing was written for the guest');
    } finally {
      passerelle.connector.guests.delete(guest.id);
    }
  });

  it('lets a client (guest) choose their language, and tells them what they may type', async () => {
    const guest = { id: '29:guest-tom', name: 'Tom Martin (Invité)', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000006' };
    passerelle.connector.guests.add(guest.id);
    try {
      const [hint] = await say('bonjour', { from: guest, conversationId: 'a:guest-tom' });
      assert.match(String(hint!.text), /en tant qu’invité[\s\S]*« langue english »/, 'a guest learns the client commands');
      const [changed] = await say('language english', { from: guest, conversationId: 'a:guest-tom' });
      assert.match(String(changed!.text), /I will answer in English/);
      const [after] = await say('dossier 000001', { from: guest, conversationId: 'a:guest-tom', locale: 'fr-FR' });
      assert.match(String(after!.text), /as a guest[\s\S]*“language français”/, 'the guest’s choice is remembered under their own id');
      assert.doesNotMatch(JSON.stringify(after), /Boulangerie/);
      const [usage] = await say('langue klingon', { from: guest, conversationId: 'a:guest-tom' });
      assert.match(String(usage!.text), /language english/);
    } finally {
      passerelle.connector.guests.delete(guest.id);
    }
  });

  it('refuses to act when Teams cannot say who the user is', async () => {
    const stranger = { id: '29:not-cached-yet', name: 'Nouvel utilisateur', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000099' };
    passerelle.connector.memberLookupStatus = 503;
    try {
      const [reply] = await say('aide', { from: stranger, conversationId: 'a:stranger' });
      assert.match(String(reply!.text), /Impossible de vérifier votre accès/);
    } finally {
      passerelle.connector.memberLookupStatus = undefined;
    }
  });

  it('manages the firm’s organisational roles', async () => {
    const added = await execute('orgRoles.add', { role: 'Responsable administratif' });
    assert.match(cardText(added.value), /Rôle « Responsable administratif » ajouté/);
    const duplicate = await execute('orgRoles.add', { role: 'responsable ADMINISTRATIF' });
    assert.match(cardText(duplicate.value), /existe déjà/);
    const [form] = await say('nouvel interlocuteur');
    assert.match(JSON.stringify(cardOf(form!)), /Responsable administratif/);
  });
});
