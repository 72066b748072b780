import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { channelMessageActivity, claire, executeActivity, messageActivity, paul, type Speaker, type TeamChannel } from '../helpers/activities.js';
import { collections } from '../../bot/store/mongo.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };
const bakeryTeam: TeamChannel = { threadId: '19:team-boulangerie@thread.tacv2', name: 'Client – Boulangerie Bernard', aadGroupId: 'bbbbbbbb-0000-0000-0000-000000000002' };

describe('Collaborative offers through Adaptive Cards (Universal Actions)', function () {
  this.timeout(90_000);
  let passerelle: TestPasserelle;
  let clockAheadMs = 0;
  let lea: Speaker;

  before(async () => {
    passerelle = await startTestPasserelle({
      now: () => new Date(Date.now() + clockAheadMs),
      tenant: { teams: [{ id: bakeryTeam.aadGroupId, displayName: bakeryTeam.name }] },
      env: { TAB_LOCAL_USER: `11111111-1111-1111-1111-111111111111|${claire.aadObjectId}|${claire.name}|claire.martin@cabinet-demo.test` },
    });
  });
  after(async () => {
    await passerelle?.stop();
  });

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  async function say(text: string, who: Speaker = claire) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers "${text}"`);
    return reply.activity;
  }
  async function execute(verb: string, data: Record<string, unknown>, who: Speaker = claire, conversationId = conversationOf(who)) {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url, from: who, conversationId }));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return response.body as InvokeBody;
  }
  const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;
  async function auditCount(action: string) {
    const client = new MongoClient(passerelle.mongoUri);
    try {
      return await client.db(passerelle.database).collection(collections.auditLog).countDocuments({ action });
    } finally {
      await client.close();
    }
  }

  async function newContact(lastName: string, firstName: string, email: string, code: string) {
    const form = cardActions(cardOf(await say('nouvel interlocuteur'))).find((action) => action.verb === 'contact.create')!;
    await execute('contact.create', { ...form.data, lastName, firstName, mobile: '06 12 34 56 78', email });
    assert.match(String((await say(`lier ${email} ${code}`)).text), /est lié/);
  }

  it('prepares a client who is a member of their file’s team', async () => {
    await passerelle.post(channelMessageActivity('aide', bakeryTeam, { serviceUrl: passerelle.connector.url }));
    const form = cardActions(cardOf(await say('nouveau dossier'))).find((action) => action.verb === 'clientFile.create')!;
    await execute('clientFile.create', { ...form.data, code: '000100', companyName: 'Boulangerie Bernard', siret: '73282932000074' });
    await newContact('Bernard', 'Léa', 'lea@boulangerie-bernard.fr', '000100');
    const choose = cardActions(cardOf(await say('dossier 000100'))).find((action) => action.verb === 'clientFile.openTeamChoice')!;
    await execute('clientFile.chooseTeam', { ...choose.data, teamId: bakeryTeam.aadGroupId });
    const invite = cardActions(cardOf(await say('inviter lea@boulangerie-bernard.fr'))).find((action) => action.verb === 'guest.invite')!;
    await execute('guest.invite', invite.data);
    for (let attempt = 0; attempt < 50 && passerelle.tenant.state().invitations.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(passerelle.tenant.accept('lea@boulangerie-bernard.fr'));
    clockAheadMs += 10 * 60_000;
    await passerelle.server.watchAcceptancesNow();
    const directoryId = passerelle.tenant.state().users.find((user) => user.mail === 'lea@boulangerie-bernard.fr')!.id;
    lea = { id: '29:guest-lea', name: 'Léa Bernard (Invité)', aadObjectId: directoryId };
    passerelle.connector.guests.add(lea.id);
    assert.match(cardText(cardOf(await say('interlocuteur lea@boulangerie-bernard.fr'))), /Membre de l’équipe/);
  });

  let staffCard: unknown;

  it('proposes an offer from the catalogue, activates it and posts the client’s card in their team', async () => {
    const contactCard = cardOf(await say('interlocuteur lea@boulangerie-bernard.fr'));
    const open = cardActions(contactCard).find((action) => action.verb === 'offer.openProposal')!;
    const proposal = (await execute('offer.openProposal', open.data)).value;
    const text = cardText(proposal);
    assert.match(text, /\*\*Start\*\* \(gratuite\) : Consulter l’espace documentaire/);
    assert.match(text, /\*\*Consultation\*\* \(payante \(abonnement\)\) : Consulter le dossier comptable en lecture seule/);
    assert.match(text, /Jamais la liasse fiscale/);
    const submit = cardActions(proposal).find((action) => action.verb === 'offer.propose')!;
    const mark = passerelle.connector.sent.length;
    const clientFileId = JSON.stringify(proposal).match(/"clientFileId","label":"Dossier","style":"compact","value":"([0-9a-f]{24})"/)?.[1];
    assert.ok(clientFileId, 'the client file is preselected');
    const activated = await execute('offer.propose', { ...submit.data, clientFileId, offerId: 'start' });
    staffCard = activated.value;
    assert.match(cardText(staffCard), /Offre Start activée pour Léa Bernard sur le dossier 000100\. Sa carte lui a été envoyée/);
    assert.match(cardText(staffCard), /➜ Initialiser le widget Start du tableau de bord/);
    const posted = passerelle.connector.since(mark).find((sent) => sent.conversationId === bakeryTeam.threadId);
    assert.ok(posted, 'the client card is posted in the client file’s team');
    const card = posted.activity.attachments?.[0]?.content as { refresh?: { userIds?: string[] } };
    assert.match(cardText(card), /Votre service collaboratif : Start[\s\S]*votre identifiant est votre adresse lea@boulangerie-bernard\.fr/);
    assert.ok(card.refresh?.userIds?.includes(`8:orgid:${lea.aadObjectId}`), 'the client gets their own view');
    assert.equal(await auditCount('offer.proposed'), 1);
  });

  it('shows the offer and the client’s onboarding on the dashboard, with the offer filter', async () => {
    type Row = { code: string; offers: { offerId: string; active: number; waiting: number }[]; contacts: { states: Record<string, number> } };
    const list = async (query: string) => ((await (await fetch(`${passerelle.server.url}/api/portfolio${query}`)).json()) as { items: Row[] }).items;
    const [row] = await list('?offer=start');
    assert.equal(row?.code, '000100', 'the file with Start is found by the offer filter');
    assert.deepEqual(row.offers, [{ offerId: 'start', active: 1, waiting: 0 }]);
    assert.deepEqual(row.contacts.states, { member: 1 }, 'Léa, member of the team, as the bot left her');
    assert.deepEqual(await list('?offer=consultation'), [], 'no file has Consultation');
    assert.deepEqual((await list('?offer=none')).map((item) => item.code), [], 'the only file has an offer');
    const id = ((await (await fetch(`${passerelle.server.url}/api/portfolio?offer=start`)).json()) as { items: { id: string }[] }).items[0]!.id;
    const details = (await (await fetch(`${passerelle.server.url}/api/portfolio/${id}`)).json()) as { contacts: { email: string; offer: { offerId: string; state: string; stepsDone: number } | null }[]; flow: unknown; shine: unknown };
    const leaOffer = details.contacts.find((contact) => contact.email === 'lea@boulangerie-bernard.fr')?.offer;
    assert.deepEqual({ offerId: leaOffer?.offerId, state: leaOffer?.state, stepsDone: leaOffer?.stepsDone }, { offerId: 'start', state: 'active', stepsDone: 0 }, 'the client’s page shows each contact’s offer');
    assert.equal(details.flow, null, 'no Flow checklist yet');
  });

  it('shows the client their view and staff theirs, on the same card', async () => {
    const subscriptionId = cardActions(staffCard).find((action) => action.verb === 'offer.step')!.data.subscriptionId;
    const forLea = await execute('client.offerRefresh', { subscriptionId }, lea, bakeryTeam.threadId);
    assert.match(cardText(forLea.value), /Votre service collaboratif : Start/);
    assert.doesNotMatch(cardText(forLea.value), /Marquer/, 'no staff action for the client');
    const forClaire = await execute('client.offerRefresh', { subscriptionId }, claire, bakeryTeam.threadId);
    assert.match(cardText(forClaire.value), /Service collaboratif Start – Léa Bernard[\s\S]*État : active/);
    assert.ok(cardActions(forClaire.value).some((action) => action.verb === 'offer.step'));
    const stranger: Speaker = { id: '29:guest-other', name: 'Autre invité', aadObjectId: 'cccccccc-0000-0000-0000-000000000009' };
    passerelle.connector.guests.add(stranger.id);
    const forStranger = await execute('client.offerRefresh', { subscriptionId }, stranger, bakeryTeam.threadId);
    assert.doesNotMatch(cardText(forStranger.value), /Léa|Start/, 'someone else learns nothing');
  });

  it('records the Start steps in order; a double click refreshes instead of acting twice', async () => {
    const step = cardActions(staffCard).find((action) => action.verb === 'offer.step')!;
    const [first, second] = await Promise.all([execute('offer.step', step.data), execute('offer.step', step.data)]);
    const texts = [cardText(first.value), cardText(second.value)];
    assert.equal(texts.filter((text) => /Étape faite : Initialiser le widget Start/.test(text)).length, 1, 'one click acts');
    assert.equal(texts.filter((text) => /n’était plus à jour/.test(text)).length, 1, 'the other refreshes');
    assert.equal(await auditCount('offer.stepDone'), 1);
    const latest = /Étape faite/.test(texts[0]!) ? first.value : second.value;
    assert.match(cardText(latest), /✔ Initialiser le widget Start du tableau de bord – fait par Claire Martin[\s\S]*➜ Activation de l’extension/);
    const wrong = await execute('offer.step', { ...cardActions(latest).find((action) => action.verb === 'offer.step')!.data, stepId: 'widgetInitialised' });
    assert.match(cardText(wrong.value), /pas la prochaine à faire/);
    staffCard = latest;
  });

  it('lets the client acknowledge their card once', async () => {
    const subscriptionId = cardActions(staffCard).find((action) => action.verb === 'offer.step')!.data.subscriptionId;
    const view = await execute('client.offerRefresh', { subscriptionId }, lea, bakeryTeam.threadId);
    const acknowledge = cardActions(view.value).find((action) => action.verb === 'client.offerAcknowledge')!;
    const done = await execute('client.offerAcknowledge', acknowledge.data, lea, bakeryTeam.threadId);
    assert.match(cardText(done.value), /Merci, c’est noté/);
    await execute('client.offerAcknowledge', acknowledge.data, lea, bakeryTeam.threadId);
    assert.equal(await auditCount('offer.acknowledgedByClient'), 1);
    const forged = await execute('client.offerAcknowledge', acknowledge.data, claire, bakeryTeam.threadId);
    assert.doesNotMatch(cardText(forged.value), /Merci/, 'only the client can acknowledge');
  });

  it('changes an offer only from an up-to-date card, with confirmation, recorded', async () => {
    const change = cardActions(staffCard).find((action) => action.verb === 'offer.change')!;
    const stale = await execute('offer.change', { ...change.data, version: 1, offerId: 'consultation' });
    assert.match(cardText(stale.value), /n’était plus à jour/);
    const fresh = await execute('offer.show', { subscriptionId: change.data.subscriptionId });
    const current = cardActions(fresh.value).find((action) => action.verb === 'offer.change')!;
    const changed = await execute('offer.change', { ...current.data, offerId: 'consultation' });
    assert.match(cardText(changed.value), /Offre changée : Consultation[\s\S]*Service collaboratif Consultation – Léa Bernard/);
    assert.equal(await auditCount('offer.changed'), 1);
  });

  it('ends an offer after confirmation; the client’s card says so', async () => {
    const fresh = await execute('offer.show', { subscriptionId: cardActions(staffCard).find((action) => action.verb === 'offer.change')!.data.subscriptionId });
    const end = cardActions(fresh.value).find((action) => action.verb === 'offer.end')!;
    assert.match(cardText(fresh.value), /Confirmer : terminer l’offre de Léa Bernard/, 'the end button sits behind a confirmation');
    const asked = await execute('offer.end', end.data);
    assert.match(cardText(asked.value), /C’est la dernière offre en cours de Léa Bernard[\s\S]*que doit-il devenir/, 'her last offer: what becomes of her guest access is asked first');
    const keep = cardActions(asked.value).find((action) => action.verb === 'offer.end')!;
    const ended = await execute('offer.end', { ...keep.data, guestFate: 'keep' });
    assert.match(cardText(ended.value), /Offre terminée\. Son accès invité est conservé\.[\s\S]*État : terminée/);
    const again = await execute('offer.end', { ...keep.data, guestFate: 'keep' });
    assert.match(cardText(again.value), /n’était plus à jour/);
    const forLea = await execute('client.offerRefresh', { subscriptionId: end.data.subscriptionId }, lea, bakeryTeam.threadId);
    assert.match(cardText(forLea.value), /Ce service a pris fin/);
    assert.equal(await auditCount('offer.ended'), 1);
  });

  it('keeps several offers on one client file, for several contacts; a contact not invited is invited first', async () => {
    await newContact('Bernard', 'Hugo', 'hugo@boulangerie-bernard.fr', '000100');
    const open = cardActions(cardOf(await say('proposer hugo@boulangerie-bernard.fr'))).find((action) => action.verb === 'offer.propose')!;
    const clientFileId = cardActions(cardOf(await say('dossier 000100'))).find((action) => action.verb === 'link.openForm')!.data.clientFileId;
    const started = await execute('offer.propose', { ...open.data, clientFileId, offerId: 'start' });
    assert.match(cardText(started.value), /Cet interlocuteur n’était pas encore invité : l’invitation est lancée/);
    assert.match(cardText(started.value), /État : en attente de l’acceptation de l’invitation/);
    const client = new MongoClient(passerelle.mongoUri);
    try {
      assert.equal(await client.db(passerelle.database).collection(collections.offerSubscriptions).countDocuments({ clientFileId }), 2);
    } finally {
      await client.close();
    }
  });

  it('turns a paid offer by a user without the profile into a request; approval activates it', async () => {
    assert.match(textOf(await say('rattacher staff-paul@cabinet-demo.test')), /rattaché/);
    await newContact('Martin', 'Zoé', 'zoe@boulangerie-bernard.fr', '000100');
    const open = cardActions(cardOf(await say('proposer zoe@boulangerie-bernard.fr', paul))).find((action) => action.verb === 'offer.propose')!;
    const clientFileId = cardActions(cardOf(await say('dossier 000100'))).find((action) => action.verb === 'link.openForm')!.data.clientFileId;
    const refused = await execute('offer.propose', { ...open.data, clientFileId, offerId: 'coproduction' }, paul);
    assert.match(String(refused.value), /Une offre payante engage le cabinet[\s\S]*demande n° \d+/);
    const requests = cardOf(await say('demandes'));
    assert.match(cardText(requests), /activation de l’offre payante Co-production – Zoé Martin \(dossier 000100\)/);
    const approve = cardActions(requests).find((action) => action.verb === 'access.approve')!;
    await execute('access.approve', approve.data);
    const client = new MongoClient(passerelle.mongoUri);
    try {
      const subscription = await client.db(passerelle.database).collection(collections.offerSubscriptions).findOne({ clientFileId, offerId: 'coproduction' });
      assert.ok(subscription, 'the approved paid offer exists');
    } finally {
      await client.close();
    }
  });

  it('lists legacy accesses and migrates one to the contact’s own e-mail', async () => {
    await newContact('Ancien', 'Paul', 'paul.ancien@onloop.onmicrosoft.com', '000100');
    const card = cardOf(await say('anciens accès'));
    assert.match(cardText(card), /Paul Ancien\*\* · paul\.ancien@onloop\.onmicrosoft\.com · ancien identifiant Start/);
    const migrate = cardActions(card).find((action) => action.verb === 'legacy.migrate')!;
    const refused = await execute('legacy.migrate', { ...migrate.data, [`email${String(migrate.data.index)}`]: 'pas-un-email' });
    assert.match(cardText(refused.value), /adresse e-mail|e-mail/i);
    const done = await execute('legacy.migrate', { ...migrate.data, [`email${String(migrate.data.index)}`]: 'Paul@Ancien-Client.fr' });
    assert.match(cardText(done.value), /Paul Ancien utilise désormais paul@ancien-client\.fr[\s\S]*Aucun ancien accès à migrer/);
    assert.equal(await auditCount('contact.legacyMigrated'), 1);
  });

  function textOf(reply: { text?: string; attachments?: { content: unknown }[] }) {
    return `${reply.text ?? ''}\n${cardText(reply.attachments?.[0]?.content)}`;
  }
});
