import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { claire, executeActivity, messageActivity, paul, type Speaker } from '../helpers/activities.js';
import { createStores } from '../../bot/store/stores.js';
import { collections } from '../../bot/store/mongo.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };
const ines: Speaker = { id: '29:staff-ines', name: 'Inès Roche', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000003' };

describe('Staff permissions and approvals (Chorus Pro model)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;

  before(async () => {
    passerelle = await startTestPasserelle();
  });
  after(async () => {
    await passerelle?.stop();
  });

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;

  async function say(who: Speaker, text: string) {
    const mark = passerelle.connector.sent.length;
    const response = await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200);
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers ${who.name}: "${text}"`);
    return reply.activity;
  }

  async function execute(who: Speaker, verb: string, data: Record<string, unknown>) {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200);
    return response.body as InvokeBody;
  }

  const textOf = (reply: { text?: string; attachments?: { content: unknown }[] }) => `${reply.text ?? ''}\n${cardText(reply.attachments?.[0]?.content)}`;

  async function audit(action: string): Promise<number> {
    const client = new MongoClient(passerelle.mongoUri);
    try {
      return await client.db(passerelle.database).collection(collections.auditLog).countDocuments({ action });
    } finally {
      await client.close();
    }
  }

  it('makes the first user of a firm its main manager, with every profile', async () => {
    const rights = textOf(await say(claire, 'mes droits'));
    assert.match(rights, /Rôle : Gestionnaire principal/);
    assert.match(rights, /Organisation – modification/);
    assert.equal(await audit('access.bootstrapped'), 1);
  });

  it('refuses every staff command to someone not attached, and says how to ask', async () => {
    const commands = ['nouveau dossier', 'nouvel interlocuteur', 'dossier 000001', 'interlocuteur lea', 'lier a@b.fr 1', 'inviter tous', 'révoquer lea', 'équipes', 'demandes', 'utilisateurs', 'rattacher x@y.fr', 'rôles'];
    for (const command of commands) {
      const reply = await say(paul, command);
      assert.match(textOf(reply), /pas encore rattaché à la structure/, `"${command}" is refused to Paul`);
      assert.ok(cardActions(reply.attachments?.[0]?.content).some((action) => action.verb === 'access.request'), `"${command}" offers the request button`);
    }
    const help = textOf(await say(paul, 'aide'));
    assert.match(help, /Commandes de Passerelle/, 'help stays open to everyone');
  });

  it('refuses card actions too, whatever the card data says', async () => {
    const forged = await execute(paul, 'access.approve', { number: 1 });
    assert.match(cardText(forged.value), /pas encore rattaché/);
    const create = await execute(paul, 'clientFile.create', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60', code: 'X1', companyName: 'Intrus' });
    assert.match(cardText(create.value), /pas encore rattaché/);
    assert.match(textOf(await say(claire, 'dossier X1')), /Aucun dossier/, 'nothing was written');
  });

  it('lets a user ask to join; the main manager sees the request and approves it; the requester is told', async () => {
    const refused = await say(paul, 'dossier 000001');
    const request = cardActions(refused.attachments?.[0]?.content).find((action) => action.verb === 'access.request')!;
    const sent = await execute(paul, 'access.request', { ...request.data, comment: 'Je rejoins le pôle TPE' });
    assert.match(String(sent.value), /Demande n° 1 envoyée/);
    const again = await execute(paul, 'access.request', request.data);
    assert.match(String(again.value), /Une demande identique attend déjà/);

    assert.match(textOf(await say(claire, 'mes droits')), /1 demande\(s\) d’accès en attente/);
    const list = (await say(claire, 'demandes')).attachments?.[0]?.content;
    assert.match(cardText(list), /N° 1 · Paul Durand \(staff-paul@cabinet-demo\.test\) · rattachement à la structure[\s\S]*Je rejoins le pôle TPE/);
    const approve = cardActions(list).find((action) => action.verb === 'access.approve')!;
    const mark = passerelle.connector.sent.length;
    const approved = await execute(claire, 'access.approve', approve.data);
    assert.match(cardText(approved.value), /Demande n° 1 approuvée/);
    const told = passerelle.connector.since(mark).find((entry) => entry.conversationId === conversationOf(paul));
    assert.ok(told, 'Paul is told in his personal chat');
    assert.match(String(told.activity.text), /Votre demande n° 1 \(rattachement à la structure\) a été approuvée par Claire Martin/);
    const twice = await execute(claire, 'access.approve', approve.data);
    assert.match(cardText(twice.value), /déjà été traitée/);
    assert.match(textOf(await say(paul, 'dossier 000001')), /Aucun dossier/, 'Paul can now use the client files');
  });

  it('refuses a profile already held, and a refusal needs a reason that reaches the requester', async () => {
    assert.match(textOf(await say(paul, 'demander profil dossiers modification')), /déjà attribué/);
    const refused = await say(paul, 'utilisateurs');
    assert.match(textOf(refused), /profil « Organisation – consultation »/);
    const request = cardActions(refused.attachments?.[0]?.content).find((action) => action.verb === 'access.request')!;
    assert.match(String((await execute(paul, 'access.request', request.data)).value), /Demande n° 2 envoyée/);
    const withoutReason = await execute(claire, 'access.refuse', { number: 2 });
    assert.match(cardText(withoutReason.value), /Le motif du refus est obligatoire/);
    const mark = passerelle.connector.sent.length;
    const done = await execute(claire, 'access.refuse', { number: 2, reason2: 'Réservé aux associés' });
    assert.match(cardText(done.value), /Demande n° 2 refusée/);
    const told = passerelle.connector.since(mark).find((entry) => entry.conversationId === conversationOf(paul))!;
    assert.match(String(told.activity.text), /a été refusée par Claire Martin\. Motif : Réservé aux associés/);
    assert.equal(await audit('access.requestRefused'), 1);
  });

  it('edits a habilitation only when the form is saved, and the policy follows it', async () => {
    const users = (await say(claire, 'utilisateurs')).attachments?.[0]?.content;
    const open = cardActions(users).find((action) => action.verb === 'access.openProfiles' && action.data.email === 'staff-paul@cabinet-demo.test')!;
    const form = await execute(claire, 'access.openProfiles', open.data);
    assert.match(cardText(form.value), /Rien ne change tant que vous n’avez pas enregistré/);
    const save = cardActions(form.value).find((action) => action.verb === 'access.saveProfiles')!;
    const saved = await execute(claire, 'access.saveProfiles', { ...save.data, profile_clientFiles: 'consultation', profile_contacts: 'none', profile_invitations: 'none', profile_offers: 'none', profile_partnerApps: 'none', profile_audit: 'none', profile_organisation: 'none' });
    assert.match(cardText(saved.value), /Profils de Paul Durand enregistrés/);
    assert.match(textOf(await say(paul, 'dossier 000001')), /Aucun dossier/, 'consultation is enough to read');
    assert.match(textOf(await say(paul, 'nouveau dossier')), /profil « Dossiers clients – modification »/, 'but not to create');
    assert.equal(await audit('access.profilesChanged'), 1);
  });

  it('keeps exactly one main manager: no detaching them, no handover to a stranger, one winner under concurrency', async () => {
    const users = (await say(claire, 'utilisateurs')).attachments?.[0]?.content;
    const detachClaire = cardActions(users).find((action) => action.verb === 'access.detach' && action.data.email === 'staff-claire@cabinet-demo.test')!;
    const refused = await execute(claire, 'access.detach', { ...detachClaire.data, [`comment${String(detachClaire.data.index)}`]: 'Départ' });
    assert.match(cardText(refused.value), /transférez d’abord ce rôle/);
    const noComment = cardActions(users).find((action) => action.verb === 'access.detach' && action.data.email === 'staff-paul@cabinet-demo.test')!;
    assert.match(cardText((await execute(claire, 'access.detach', noComment.data)).value), /commentaire est obligatoire/);

    assert.match(textOf(await say(claire, 'transférer gestionnaire inconnu@cabinet-demo.test')), /n’est pas rattachée/);
    assert.match(textOf(await say(paul, 'transférer gestionnaire staff-paul@cabinet-demo.test')), /Seul le gestionnaire principal/);

    const structures = createStores(new MongoClient(passerelle.mongoUri).db(passerelle.database)).structures;
    const results = await Promise.all([
      structures.transferMainManager('11111111-1111-1111-1111-111111111111', 'default', 'staff-claire@cabinet-demo.test', 'staff-paul@cabinet-demo.test'),
      structures.transferMainManager('11111111-1111-1111-1111-111111111111', 'default', 'staff-claire@cabinet-demo.test', 'staff-ines@cabinet-demo.test'),
    ]);
    assert.deepEqual(results.filter(Boolean).length, 1, 'two handovers at once: exactly one wins');
    const manager = await structures.mainManagerEmail('11111111-1111-1111-1111-111111111111', 'default');
    assert.ok(manager === 'staff-paul@cabinet-demo.test' || manager === 'staff-ines@cabinet-demo.test');
  });

  it('hands the role over through the bot to an attached user', async () => {
    // Restore a known state: whoever won above hands back to Claire through the store, then Claire hands over by command.
    const structures = createStores(new MongoClient(passerelle.mongoUri).db(passerelle.database)).structures;
    const current = (await structures.mainManagerEmail('11111111-1111-1111-1111-111111111111', 'default'))!;
    await structures.transferMainManager('11111111-1111-1111-1111-111111111111', 'default', current, 'staff-claire@cabinet-demo.test');
    assert.match(textOf(await say(claire, 'rattacher staff-ines@cabinet-demo.test')), /staff-ines@cabinet-demo\.test est rattaché/);
    assert.match(textOf(await say(claire, 'transférer gestionnaire staff-ines@cabinet-demo.test')), /transféré à staff-ines@cabinet-demo\.test/);
    assert.match(textOf(await say(ines, 'mes droits')), /Rôle : Gestionnaire principal/);
    assert.match(textOf(await say(claire, 'mes droits')), /Rôle : Utilisateur simple/);
    assert.equal(await audit('access.mainManagerTransferred'), 1);
  });

  it('tells the main manager and the administrators when a request arrives, and updates the others’ cards when one decides', async () => {
    // Here Inès is the main manager and Claire an administrator; both have spoken to Passerelle.
    const hugo: Speaker = { id: '29:staff-hugo', name: 'Hugo Lemaire', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000004' };
    const refused = await say(hugo, 'dossier 000001');
    const ask = cardActions(refused.attachments?.[0]?.content).find((action) => action.verb === 'access.request')!;
    const mark = passerelle.connector.sent.length;
    assert.match(String((await execute(hugo, 'access.request', ask.data)).value), /Demande n° \d+ envoyée/);
    const arrived = (who: Speaker) => passerelle.connector.since(mark).find((entry) => entry.conversationId === conversationOf(who));
    for (const approver of [ines, claire]) {
      const card = arrived(approver)?.activity.attachments?.[0]?.content;
      assert.match(cardText(card), /Nouvelle demande[\s\S]*Hugo Lemaire \(staff-hugo@cabinet-demo\.test\) · rattachement à la structure/, `${approver.name} is told in her personal chat`);
    }
    assert.equal(arrived(hugo), undefined, 'the requester is not sent the approvers’ card');

    const fromInes = cardActions(arrived(ines)!.activity.attachments?.[0]?.content).find((action) => action.verb === 'access.approve')!;
    const updates = passerelle.connector.updated.length;
    assert.match(cardText((await execute(ines, 'access.approve', fromInes.data)).value), /approuvée/);
    const claireCopy = passerelle.connector.updated.slice(updates).find((entry) => entry.conversationId === conversationOf(claire));
    assert.ok(claireCopy, 'Claire’s copy of the card is updated in place');
    // The local connector names each posted activity `reply-<its rank>`: the update must aim at Claire's card.
    assert.equal(claireCopy.replyToId, `reply-${passerelle.connector.sent.indexOf(arrived(claire)!) + 1}`);
    const updatedCard = claireCopy.activity.attachments?.[0]?.content;
    assert.match(cardText(updatedCard), /Hugo Lemaire[\s\S]*Approuvée par Inès Roche/);
    assert.equal(cardActions(updatedCard).length, 0, 'no button is left on a decided request');
    assert.equal(passerelle.connector.updated.slice(updates).some((entry) => entry.conversationId === conversationOf(ines)), false, 'the decider’s card is their own answer, not overwritten');
  });

  it('lists the requests still waiting after three days to the approvers once a week, whichever instance looks', async () => {
    const lea: Speaker = { id: '29:staff-lea', name: 'Léa Martin', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000005' };
    const noah: Speaker = { id: '29:staff-noah', name: 'Noah Petit', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000006' };
    for (const who of [lea, noah]) {
      const ask = cardActions((await say(who, 'dossier 000001')).attachments?.[0]?.content).find((action) => action.verb === 'access.request')!;
      assert.match(String((await execute(who, 'access.request', ask.data)).value), /Demande n° \d+ envoyée/);
    }
    const client = new MongoClient(passerelle.mongoUri);
    try {
      // Léa asked four days ago; Noah's request is fresh and is not listed again yet.
      const requests = client.db(passerelle.database).collection(collections.accessRequests);
      const aged = await requests.updateOne({ 'requester.displayName': lea.name, status: 'pending' }, { $set: { createdAt: new Date(Date.now() - 4 * 86_400_000) } });
      assert.equal(aged.modifiedCount, 1);
    } finally {
      await client.close();
    }
    const mark = passerelle.connector.sent.length;
    await Promise.all([passerelle.server.remindPendingRequestsNow(), passerelle.server.remindPendingRequestsNow()]);
    await passerelle.server.remindPendingRequestsNow();
    const reminders = passerelle.connector.since(mark);
    for (const approver of [ines, claire]) {
      const cards = reminders.filter((entry) => entry.conversationId === conversationOf(approver));
      assert.equal(cards.length, 1, `${approver.name} is reminded once this week`);
      const card = cards[0]!.activity.attachments?.[0]?.content;
      const text = cardText(card);
      assert.match(text, /Toujours en attente après 3 jours : 1/);
      assert.match(text, /Léa Martin/);
      assert.doesNotMatch(text, /Noah Petit/);
      assert.ok(cardActions(card).some((action) => action.verb === 'access.approve'), 'decided from the reminder itself');
    }
    assert.equal(reminders.length, 2, 'nobody else is sent anything');
  });

  it('tells the administrators when the main manager’s account is disabled, and lets one of them take the role over', async () => {
    const inesEmail = 'staff-ines@cabinet-demo.test';
    const hugo: Speaker = { id: '29:staff-hugo', name: 'Hugo Lemaire', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000004' };
    passerelle.tenant.addMember(inesEmail, 'Inès Roche');
    assert.match(textOf(await say(claire, 'reprendre gestionnaire')), /Le gestionnaire principal peut encore agir/, 'no take-over while Inès can act');
    let mark = passerelle.connector.sent.length;
    await passerelle.server.checkMainManagersNow();
    assert.equal(passerelle.connector.since(mark).length, 0, 'nobody is alerted while the main manager can act');

    assert.equal(passerelle.tenant.setAccountEnabled(inesEmail, false), true);
    mark = passerelle.connector.sent.length;
    await Promise.all([passerelle.server.checkMainManagersNow(), passerelle.server.checkMainManagersNow()]);
    await passerelle.server.checkMainManagersNow();
    const alerts = passerelle.connector.since(mark);
    assert.deepEqual(alerts.map((entry) => entry.conversationId), [conversationOf(claire)], 'Claire, the administrator, is told once this week; Inès is not');
    assert.match(alerts[0]!.activity.text ?? '', /staff-ines@cabinet-demo\.test, a son compte Microsoft 365 désactivé[\s\S]*« reprendre gestionnaire »/);

    assert.match(textOf(await say(hugo, 'reprendre gestionnaire')), /Seuls le gestionnaire principal et les administrateurs/, 'someone who administers nothing cannot take the role');
    assert.match(textOf(await say(claire, 'reprendre gestionnaire')), /Vous êtes désormais gestionnaire principal[\s\S]*staff-ines@cabinet-demo\.test a son compte Microsoft 365 désactivé/);
    assert.match(textOf(await say(claire, 'mes droits')), /Rôle : Gestionnaire principal/);
    assert.equal(await audit('access.mainManagerTransferred'), 2, 'the take-over is recorded as a handover');
  });
});
