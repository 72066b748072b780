import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { claire, demoFirmId, executeActivity, messageActivity, paul, type Speaker } from '../helpers/activities.js';
import { collections } from '../../bot/store/mongo.js';
import { createStores } from '../../bot/store/stores.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };
const ines: Speaker = { id: '29:staff-ines', name: 'Inès Roche', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000003' };
const marc: Speaker = { id: '29:staff-marc', name: 'Marc Lefèvre', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000004' };
const lucie: Speaker = { id: '29:staff-lucie', name: 'Lucie Garnier', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000005' };
const email = (who: Speaker) => `${who.id.replace(/^\d+:/, '')}@cabinet-demo.test`;
const lyonSiret = '44306184100047';
const grenobleSiret = '73282932000074';

describe('Structures, services and the main manager of each (Chorus Pro model)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    passerelle = await startTestPasserelle();
    client = new MongoClient(passerelle.mongoUri);
    db = client.db(passerelle.database);
  });
  after(async () => {
    await client?.close();
    await passerelle?.stop();
  });

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;

  async function say(who: Speaker, text: string) {
    const mark = passerelle.connector.sent.length;
    const response = await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200);
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers ${who.name}: "${text}"`);
    return reply.activity as { text?: string; attachments?: { content: unknown }[] };
  }

  async function execute(who: Speaker, verb: string, data: Record<string, unknown>) {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200);
    return response.body as InvokeBody;
  }

  const textOf = (reply: { text?: string; attachments?: { content: unknown }[] }) => `${reply.text ?? ''}\n${cardText(reply.attachments?.[0]?.content)}`;
  const answerOf = (body: InvokeBody) => (typeof body.value === 'string' ? body.value : cardText(body.value));
  const audit = (action: string) => db.collection(collections.auditLog).countDocuments({ action });
  const structures = () => createStores(db).structures;

  async function serviceId(name: string): Promise<string> {
    const structure = await structures().find(demoFirmId, 'default');
    const service = structure?.services.find((candidate) => candidate.name === name);
    assert.ok(service, `service ${name} exists`);
    return service.id;
  }

  async function clientFileId(code: string): Promise<string> {
    const file = await db.collection(collections.clientFiles).findOne({ firmId: demoFirmId, code });
    assert.ok(file, `client file ${code} exists`);
    return file._id.toHexString();
  }

  it('lets the main manager create, rename and deactivate services, refusing a duplicate name; others may not', async () => {
    assert.match(textOf(await say(claire, 'mes droits')), /Gestionnaire principal/, 'Claire is the first user, hence the main manager');
    assert.match(textOf(await say(claire, 'créer service Pôle social')), /Service « Pôle social » créé/);
    assert.match(textOf(await say(claire, 'créer service Pôle TPE')), /Service « Pôle TPE » créé/);
    assert.match(textOf(await say(claire, 'créer service pole  SOCIAL')), /Un service porte déjà ce nom/, 'names compare without case or accents');
    const card = (await say(claire, 'services')).attachments?.[0]?.content;
    assert.match(cardText(card), /Pôle social[\s\S]*Pôle TPE/);
    const create = cardActions(card).find((action) => action.verb === 'service.create')!;
    assert.match(answerOf(await execute(claire, 'service.create', { ...create.data, newServiceName: '   ' })), /nom de 1 à 80 caractères/, 'a blank name writes nothing');
    assert.match(answerOf(await execute(claire, 'service.create', { ...create.data, newServiceName: 'Pôle paie' })), /Service « Pôle paie » créé/);
    const paie = await serviceId('Pôle paie');
    const renamed = await execute(claire, 'service.rename', { structureId: 'default', serviceId: paie, index: 2, name2: 'Pôle paie et RH' });
    assert.match(answerOf(renamed), /Service renommé en « Pôle paie et RH »/);
    assert.match(answerOf(await execute(claire, 'service.rename', { structureId: 'default', serviceId: paie, index: 2, name2: 'Pôle TPE' })), /Un service porte déjà ce nom/);
    const deactivated = await execute(claire, 'service.setActive', { structureId: 'default', serviceId: paie, active: false });
    assert.match(answerOf(deactivated), /Service « Pôle paie et RH » désactivé/);
    assert.match(answerOf(deactivated), /Pôle paie et RH \(désactivé\)/);

    const refused = await say(paul, 'services');
    assert.match(textOf(refused), /pas encore rattaché/, 'someone not attached sees no services');
    assert.match(answerOf(await execute(paul, 'service.create', { structureId: 'default', newServiceName: 'Pirate' })), /pas encore rattaché/);
    assert.equal((await structures().find(demoFirmId, 'default'))!.services.length, 3, 'the refused creation wrote nothing');

    assert.equal(await audit('structure.serviceCreated'), 3);
    assert.equal(await audit('structure.serviceRenamed'), 1);
    assert.equal(await audit('structure.serviceDeactivated'), 1);
  });

  it('attaches users to the whole structure or to chosen active services', async () => {
    assert.match(textOf(await say(claire, `rattacher ${email(paul)} services Pôle social`)), /rattaché aux services « Pôle social »/);
    assert.match(textOf(await say(claire, `rattacher ${email(marc)} service pole tpe`)), /rattaché aux services « Pôle TPE »/);
    const whole = textOf(await say(claire, `rattacher ${email(ines)}`));
    assert.match(whole, /staff-ines@cabinet-demo\.test est rattaché à la structure/);
    assert.match(whole, /staff-paul@cabinet-demo\.test[^\n]*\n[^\n]*\nRattaché aux services : Pôle social/, 'the users card shows each one\'s services');
    assert.match(textOf(await say(claire, 'rattacher x@cabinet-demo.test services Pôle paie et RH')), /Ce service est désactivé/);
    assert.match(textOf(await say(claire, 'rattacher x@cabinet-demo.test services Pôle inconnu')), /Ce service n’existe pas/);
    assert.equal(await db.collection(collections.memberships).countDocuments({ firmId: demoFirmId, email: 'x@cabinet-demo.test' }), 0, 'nothing written on a refused attachment');
    const paulMembership = await db.collection(collections.memberships).findOne({ firmId: demoFirmId, email: email(paul) });
    assert.deepEqual(paulMembership?.services, [await serviceId('Pôle social')]);
    assert.equal(await audit('access.attached'), 3);
  });

  it('entrusts client files to services: a user of another service cannot open them, a whole-structure user can', async () => {
    for (const [code, companyName] of [['S1', 'Cabinet Paie Martin'], ['T1', 'Boulangerie Dupain'], ['N1', 'Garage Sans Service']]) {
      const created = await execute(claire, 'clientFile.create', { requestId: randomUUID(), code, companyName });
      assert.match(answerOf(created), new RegExp(String(companyName)));
    }
    assert.match(textOf(await say(claire, 'service S1 Pôle social')), /Le dossier S1 est confié au service « Pôle social »/);
    assert.match(textOf(await say(claire, 'service t1 pole tpe')), /Le dossier T1 est confié au service « Pôle TPE »/);
    assert.match(textOf(await say(claire, 'service S1 Pôle social')), /Rien à changer/);
    assert.match(textOf(await say(claire, 'service N1 Pôle paie et RH')), /Ce service est désactivé/);
    assert.match(textOf(await say(claire, 'service N1 Pôle inconnu')), /Ce service n’existe pas/);
    assert.match(textOf(await say(claire, 'service ZZ9 Pôle social')), /Aucun dossier/);
    assert.match(textOf(await say(claire, 'service')), /Écrivez « service <code dossier>/);

    assert.match(textOf(await say(paul, 'mes droits')), /Rattaché aux services : Pôle social/);
    assert.match(textOf(await say(ines, 'mes droits')), /Rattaché à la structure entière/);
    assert.match(textOf(await say(paul, 'dossier S1')), /Cabinet Paie Martin/, 'Paul sees his service\'s file');
    assert.match(textOf(await say(paul, 'dossier N1')), /Garage Sans Service/, 'and files of no service');
    assert.match(textOf(await say(paul, 'dossier T1')), /suivi par un autre service que le vôtre/, 'but not another service\'s file');
    assert.match(textOf(await say(paul, 'dossier boulangerie')), /suivi par un autre service/, 'not by name either');
    assert.match(answerOf(await execute(paul, 'clientFile.show', { clientFileId: await clientFileId('T1') })), /suivi par un autre service/, 'nor from a card');
    assert.match(textOf(await say(paul, 'service T1 aucun')), /suivi par un autre service/, 'nor re-assign it');
    assert.match(textOf(await say(marc, 'dossier S1')), /suivi par un autre service/);
    assert.match(textOf(await say(marc, 'dossier T1')), /Boulangerie Dupain/);
    for (const code of ['S1', 'T1', 'N1']) {
      assert.doesNotMatch(textOf(await say(ines, `dossier ${code}`)), /autre service/, `Inès (whole structure) opens ${code}`);
    }
    assert.match(textOf(await say(claire, 'dossier T1')), /Boulangerie Dupain/, 'administrators see every file');

    // The same from the client file card.
    const n1 = await clientFileId('N1');
    const fileCard = (await say(claire, 'dossier N1')).attachments?.[0]?.content;
    const openService = cardActions(fileCard).find((action) => action.verb === 'clientFile.openService')!;
    assert.ok(openService, 'the client file card offers to choose its service');
    const choice = await execute(claire, 'clientFile.openService', openService.data);
    assert.match(cardText(choice.value), /Actuellement : Aucun : toute la structure/);
    assert.match(JSON.stringify(choice.value), /Pôle social[\s\S]*Pôle TPE/);
    assert.doesNotMatch(JSON.stringify(choice.value), /Pôle paie/, 'a deactivated service takes no new file');
    const save = cardActions(choice.value).find((action) => action.verb === 'clientFile.setService')!;
    assert.match(answerOf(await execute(claire, 'clientFile.setService', { ...save.data, serviceId: await serviceId('Pôle paie et RH') })), /Ce service est désactivé/);
    const assigned = await execute(claire, 'clientFile.setService', { ...save.data, serviceId: await serviceId('Pôle TPE') });
    assert.match(answerOf(assigned), /Le dossier N1 est confié au service « Pôle TPE »[\s\S]*Garage Sans Service/, 'back to the file card, with what changed');
    assert.match(textOf(await say(paul, 'dossier N1')), /suivi par un autre service/);
    assert.match(answerOf(await execute(paul, 'clientFile.openService', { clientFileId: n1 })), /suivi par un autre service/);
    assert.match(answerOf(await execute(claire, 'clientFile.setService', { clientFileId: n1, serviceId: 'none' })), /Le dossier N1 n’est plus confié à un service/);
    assert.match(textOf(await say(paul, 'dossier N1')), /Garage Sans Service/);
    assert.equal(await audit('clientFile.serviceAssigned'), 4);
  });

  it('detaches a user from chosen services with a mandatory comment, never from their last one', async () => {
    const social = await serviceId('Pôle social');
    const tpe = await serviceId('Pôle TPE');
    await say(claire, `rattacher ${email(paul)} services Pôle social; Pôle TPE`);
    assert.match(textOf(await say(paul, 'dossier T1')), /Boulangerie Dupain/, 'Paul now in both services');

    const users = (await say(claire, 'utilisateurs')).attachments?.[0]?.content;
    const open = cardActions(users).find((action) => action.verb === 'access.openServices' && action.data.email === email(paul))!;
    const form = await execute(claire, 'access.openServices', open.data);
    assert.match(cardText(form.value), /Rattaché aux services : Pôle social, Pôle TPE/);
    const detach = cardActions(form.value).find((action) => action.verb === 'access.detachServices')!;
    assert.match(answerOf(await execute(claire, 'access.detachServices', { ...detach.data, leave: tpe })), /commentaire est obligatoire/);
    assert.match(textOf(await say(paul, 'dossier T1')), /Boulangerie Dupain/, 'nothing changed without the comment');
    const done = await execute(claire, 'access.detachServices', { ...detach.data, leave: tpe, comment: 'Passe au pôle social à plein temps' });
    assert.match(answerOf(done), /Paul Durand est détaché des services choisis/);
    assert.match(textOf(await say(paul, 'dossier T1')), /suivi par un autre service/);
    assert.match(answerOf(await execute(claire, 'access.detachServices', { ...detach.data, leave: social, comment: 'Départ' })), /Ce serait son dernier service/);
    assert.match(answerOf(await execute(claire, 'access.detachServices', { email: email(ines), structureId: 'default', leave: social, comment: 'x' })), /rattachée à la structure entière/);
    assert.match(answerOf(await execute(paul, 'access.detachServices', { ...detach.data, leave: social, comment: 'x' })), /Organisation – modification/, 'Paul is no administrator');

    const marcForm = await execute(claire, 'access.openServices', { email: email(marc), structureId: 'default' });
    const whole = cardActions(marcForm.value).find((action) => action.verb === 'access.setServices' && action.data.scope === 'whole')!;
    assert.match(answerOf(await execute(claire, 'access.setServices', whole.data)), /Rattachement de Marc Lefèvre enregistré|Rattachement de staff-marc/);
    assert.match(textOf(await say(marc, 'dossier S1')), /Cabinet Paie Martin/, 'Marc, now attached to the whole structure, sees every file');
    await execute(claire, 'access.setServices', { email: email(marc), structureId: 'default', scope: 'services', services: tpe });
    assert.match(textOf(await say(marc, 'dossier S1')), /suivi par un autre service/, 'and back to Pôle TPE only');

    assert.equal(await audit('access.detachedFromServices'), 1);
    assert.equal(await audit('access.servicesChanged'), 2);
  });

  it('approves a request to join a service into that service', async () => {
    const asked = await say(lucie, 'demander accès service Pôle TPE : je remplace Marc en janvier');
    assert.match(textOf(asked), /Demande n° (\d+) envoyée/);
    const number = Number(/Demande n° (\d+)/.exec(textOf(asked))![1]);
    assert.match(textOf(await say(lucie, 'demander accès service Pôle TPE')), /Une demande identique attend déjà/);
    assert.match(textOf(await say(ines, 'demander accès service Pôle TPE')), /déjà attribué/, 'Inès already sees the whole structure');
    assert.match(textOf(await say(lucie, 'demander accès service Pôle paie et RH')), /Ce service est désactivé/);

    const list = (await say(claire, 'demandes')).attachments?.[0]?.content;
    assert.match(cardText(list), new RegExp(`N° ${number} · Lucie Garnier[^\\n]*rattachement au service « Pôle TPE »[\\s\\S]*je remplace Marc`));
    const mark = passerelle.connector.sent.length;
    assert.match(answerOf(await execute(claire, 'access.approve', { number })), new RegExp(`Demande n° ${number} approuvée`));
    const told = passerelle.connector.since(mark).find((entry) => entry.conversationId === conversationOf(lucie));
    assert.match(String(told?.activity.text), /rattachement au service « Pôle TPE »\) a été approuvée/);
    assert.match(textOf(await say(lucie, 'dossier T1')), /Boulangerie Dupain/);
    assert.match(textOf(await say(lucie, 'dossier S1')), /suivi par un autre service/, 'Lucie joined that service only');

    const paulAsks = textOf(await say(paul, 'demander accès service Pôle TPE'));
    const paulNumber = Number(/Demande n° (\d+)/.exec(paulAsks)![1]);
    await execute(claire, 'access.approve', { number: paulNumber });
    assert.match(textOf(await say(paul, 'dossier T1')), /Boulangerie Dupain/, 'an attached user gets the service added to theirs');
    assert.match(textOf(await say(paul, 'dossier S1')), /Cabinet Paie Martin/, 'keeping the ones they had');
    assert.equal(await audit('access.requestApproved'), 2);
  });

  it('shows the structure and saves only what staff own: the register fields are refused, nothing written on bad input', async () => {
    const card = (await say(claire, 'structure')).attachments?.[0]?.content;
    assert.match(cardText(card), /Structure : Structure principale du cabinet[\s\S]*Registre des entreprises \(lecture seule\)[\s\S]*SIRET: non disponible/);
    const save = cardActions(card).find((action) => action.verb === 'structure.save')!;
    const form = { displayName: 'Cabinet Démo', addressLine: '3 rue de la République, 69001 Lyon', phone: '04 78 00 00 00', contactEmail: 'Contact@Cabinet-Demo.fr' };

    const register = await execute(claire, 'structure.save', { ...save.data, ...form, siret: '12345678901234' });
    assert.match(answerOf(register), /viennent du registre des entreprises/);
    const bad = await execute(claire, 'structure.save', { ...save.data, ...form, phone: 'abc', contactEmail: 'pas-un-email' });
    assert.match(answerOf(bad), /Certains champs sont à corriger/);
    assert.match(JSON.stringify(bad.value), /"value":"abc"/, 'what was typed stays in the form');
    assert.equal((await structures().find(demoFirmId, 'default'))!.displayName, undefined, 'nothing was written');

    const saved = await execute(claire, 'structure.save', { ...save.data, ...form });
    assert.match(answerOf(saved), /Structure enregistrée/);
    const stored = (await structures().find(demoFirmId, 'default'))!;
    assert.equal(stored.phone, '+33478000000');
    assert.equal(stored.contactEmail, 'contact@cabinet-demo.fr');
    assert.match(answerOf(await execute(claire, 'structure.save', { ...save.data, ...form, displayName: 'Autre' })), /Quelqu’un a modifié/, 'a stale form does not overwrite');

    assert.match(textOf(await say(paul, 'structure')), /profil « Organisation – consultation »/);
    assert.match(answerOf(await execute(paul, 'structure.save', { structureId: 'default', version: 1, ...form })), /Seuls le gestionnaire principal et les administrateurs/);
    assert.equal(await audit('structure.updated'), 1);
  });

  it('deactivates the structure only after confirmation; staff are refused until an administrator reactivates it', async () => {
    const confirm = (await say(claire, 'désactiver structure')).attachments?.[0]?.content;
    assert.match(cardText(confirm), /Désactiver la structure Cabinet Démo \?/);
    const yes = cardActions(confirm).find((action) => action.verb === 'structure.deactivate')!;
    const no = cardActions(confirm).find((action) => action.verb === 'structure.show')!;
    assert.match(answerOf(await execute(claire, 'structure.show', no.data)), /La structure reste active/);
    assert.match(answerOf(await execute(claire, 'structure.deactivate', { structureId: 'default' })), /Confirmez d’abord la désactivation/);
    assert.match(answerOf(await execute(paul, 'structure.deactivate', yes.data)), /Seuls le gestionnaire principal/);
    assert.equal((await structures().find(demoFirmId, 'default'))!.active, true, 'still active');

    assert.match(answerOf(await execute(claire, 'structure.deactivate', yes.data)), /La structure Cabinet Démo est désactivée/);
    const refused = await say(paul, 'dossier S1');
    assert.match(textOf(refused), /La structure est désactivée/);
    assert.equal(cardActions(refused.attachments?.[0]?.content).length, 0, 'nothing to request in a deactivated structure');
    assert.match(textOf(await say(claire, 'dossier S1')), /La structure est désactivée/, 'administrators too, for everyday work');
    assert.match(textOf(await say(claire, 'nouveau dossier')), /La structure est désactivée/);
    assert.match(textOf(await say(claire, 'structure')), /État : désactivée/, 'but they still open the structure');

    assert.match(textOf(await say(paul, 'activer structure')), /Seuls le gestionnaire principal|La structure est désactivée|Cette structure est désactivée/);
    assert.match(textOf(await say(claire, 'activer structure')), /La structure Cabinet Démo est réactivée/);
    assert.match(textOf(await say(paul, 'dossier S1')), /Cabinet Paie Martin/);
    assert.equal(await audit('structure.deactivated'), 1);
    assert.equal(await audit('structure.reactivated'), 1);
  });

  it('holds several structures, each with its SIRET and exactly one main manager, handed over for one, a selection or all', async () => {
    assert.match(textOf(await say(claire, 'nouvelle structure 12345678901234 Mauvais SIRET')), /Ce SIRET n’est pas valide/);
    assert.match(textOf(await say(paul, `nouvelle structure ${lyonSiret} Intrus SAS`)), /Organisation – modification/);
    assert.match(textOf(await say(claire, `nouvelle structure ${lyonSiret} Cabinet Démo Lyon SAS`)), /Structure Cabinet Démo Lyon SAS créée ; vous en êtes le gestionnaire principal/);
    assert.match(textOf(await say(claire, `nouvelle structure ${lyonSiret} Encore SAS`)), /a déjà ce SIRET/);
    assert.match(textOf(await say(claire, `nouvelle structure ${grenobleSiret} Cabinet Démo Grenoble`)), /créée/);
    const list = textOf(await say(claire, 'structures'));
    assert.match(list, /Cabinet Démo · SIRET non disponible · active · gestionnaire principal : staff-claire/);
    assert.match(list, /Cabinet Démo Lyon SAS · SIRET 44306184100047/);
    assert.equal(await audit('structure.created'), 2);

    // Attachments are per structure: Inès in Lyon, not in Grenoble yet; Marc nowhere but the default one.
    assert.match(textOf(await say(claire, `rattacher ${email(ines)} structure Cabinet Démo Lyon SAS`)), /staff-ines@cabinet-demo\.test est rattaché à la structure Cabinet Démo Lyon SAS/);
    const lyonUsers = await execute(claire, 'access.users', { structureId: lyonSiret });
    assert.match(answerOf(lyonUsers), /Inès Roche/, 'known from the default structure, her name follows');
    assert.doesNotMatch(answerOf(lyonUsers), /Paul Durand/);

    assert.match(textOf(await say(claire, `transférer gestionnaire ${email(marc)} structure Cabinet Démo Lyon SAS`)), /Cabinet Démo Lyon SAS : Cette personne n’est pas rattachée/);
    assert.match(textOf(await say(claire, `transférer gestionnaire ${email(ines)} structures Cabinet Démo Lyon SAS; ${grenobleSiret}`)), /Cabinet Démo Grenoble : Cette personne n’est pas rattachée/);
    assert.equal(await structures().mainManagerEmail(demoFirmId, lyonSiret), email(claire), 'a refused selection changes nothing, not even its valid part');

    assert.match(textOf(await say(claire, `transférer gestionnaire ${email(ines)} structure ${lyonSiret}`)), /transféré à staff-ines@cabinet-demo\.test pour : Cabinet Démo Lyon SAS/);
    assert.equal(await structures().mainManagerEmail(demoFirmId, lyonSiret), email(ines));
    assert.equal(await structures().mainManagerEmail(demoFirmId, 'default'), email(claire), 'the other structures keep theirs');

    await say(claire, `rattacher ${email(ines)} structure ${grenobleSiret}`);
    assert.match(textOf(await say(claire, `transférer gestionnaire ${email(ines)} toutes`)), /transféré à staff-ines@cabinet-demo\.test pour : Cabinet Démo, Cabinet Démo Grenoble/);
    for (const id of ['default', lyonSiret, grenobleSiret]) assert.equal(await structures().mainManagerEmail(demoFirmId, id), email(ines), `Inès manages ${id}`);
    assert.match(textOf(await say(claire, `transférer gestionnaire ${email(paul)} toutes`)), /Seul le gestionnaire principal/);
    assert.match(textOf(await say(ines, 'structures')), /Mon rôle : Gestionnaire principal[\s\S]*Mon rôle : Gestionnaire principal[\s\S]*Mon rôle : Gestionnaire principal/);

    // Inès cannot be detached from a structure she manages, whoever tries.
    assert.match(answerOf(await execute(ines, 'access.detach', { email: email(ines), index: 0, comment0: 'Départ', structureId: lyonSiret })), /transférez d’abord ce rôle/);

    // Two handovers of Lyon at once: exactly one wins.
    await say(ines, `rattacher ${email(marc)} structure ${lyonSiret}`);
    const before = await audit('access.mainManagerTransferred');
    await Promise.all([
      passerelle.post(messageActivity(`transférer gestionnaire ${email(claire)} structure ${lyonSiret}`, { serviceUrl: passerelle.connector.url, from: ines, conversationId: 'a:ines-1' })),
      passerelle.post(messageActivity(`transférer gestionnaire ${email(marc)} structure ${lyonSiret}`, { serviceUrl: passerelle.connector.url, from: ines, conversationId: 'a:ines-2' })),
    ]);
    const lyonManager = await structures().mainManagerEmail(demoFirmId, lyonSiret);
    assert.ok(lyonManager === email(claire) || lyonManager === email(marc), `one of the two won: ${lyonManager}`);
    assert.equal((await audit('access.mainManagerTransferred')) - before, 1, 'exactly one handover recorded');

    // The same at the store's level, where the single field decides.
    const results = await Promise.all([
      structures().transferMainManager(demoFirmId, grenobleSiret, email(ines), email(claire)),
      structures().transferMainManager(demoFirmId, grenobleSiret, email(ines), email(marc)),
    ]);
    assert.equal(results.filter(Boolean).length, 1);
  });
});
