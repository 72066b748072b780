import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { channelMessageActivity, claire, demoFirmId, executeActivity, messageActivity, paul, type Speaker, type TeamChannel } from '../helpers/activities.js';
import { collections } from '../../bot/store/mongo.js';
import { createStores } from '../../bot/store/stores.js';
import type { GuestFate } from '../../bot/domain/ports.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };
const bakeryTeam: TeamChannel = { threadId: '19:team-boulangerie@thread.tacv2', name: 'Client – Boulangerie Bernard', aadGroupId: 'bbbbbbbb-0000-0000-0000-000000000002' };
const garageTeam: TeamChannel = { threadId: '19:team-garage@thread.tacv2', name: 'Client – Garage Martin', aadGroupId: 'bbbbbbbb-0000-0000-0000-000000000003' };

/**
 * A contact's changes after creation and the end of an engagement, through the bot and the local
 * tenant (Microsoft Graph's contract): editing with bad values, a guest's change of e-mail end to end,
 * a contact on two files in both teams, the guest's fate when the last offer ends (each default),
 * revocation ending offers, the review of idle guests, and deletion reserved to administrators.
 */
describe('A contact’s changes and the end of an engagement', function () {
  this.timeout(120_000);
  let passerelle: TestPasserelle;
  let mongo: MongoClient;
  let clockAheadMs = 0;
  const options = (who: Speaker = claire) => ({ serviceUrl: passerelle.connector.url, from: who, conversationId: `a:personal-${who.id}` });

  before(async () => {
    passerelle = await startTestPasserelle({
      now: () => new Date(Date.now() + clockAheadMs),
      tenant: { teams: [{ id: bakeryTeam.aadGroupId, displayName: bakeryTeam.name }, { id: garageTeam.aadGroupId, displayName: garageTeam.name }] },
    });
    mongo = new MongoClient(passerelle.mongoUri);
  });
  after(async () => {
    await mongo?.close();
    await passerelle?.stop();
  });

  const db = () => mongo.db(passerelle.database);
  async function say(text: string, who: Speaker = claire) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, options(who)));
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === options(who).conversationId);
    assert.ok(reply, `the bot answers "${text}"`);
    return reply.activity;
  }
  async function execute(verb: string, data: Record<string, unknown>, who: Speaker = claire) {
    const response = await passerelle.post(executeActivity(verb, data, options(who)));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return response.body as InvokeBody;
  }
  const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;
  const answerOf = (body: InvokeBody) => (typeof body.value === 'string' ? body.value : cardText(body.value));
  const actionOf = (card: unknown, verb: string) => {
    const action = cardActions(card).find((candidate) => candidate.verb === verb);
    assert.ok(action, `the card offers ${verb}`);
    return action;
  };
  /** The preselected value of a card's input (the firm's default fate). */
  function inputValue(card: unknown, id: string): string | undefined {
    let found: string | undefined;
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.id === id && typeof record.value === 'string') found = record.value;
      Object.values(record).forEach(walk);
    };
    walk(card);
    return found;
  }
  const auditCount = (action: string) => db().collection(collections.auditLog).countDocuments({ action });
  const contactByEmail = (email: string) => db().collection(collections.contacts).findOne({ email });
  const user = (email: string) => passerelle.tenant.state().users.find((candidate) => candidate.mail === email);
  const teamMembers = (team: TeamChannel) => passerelle.tenant.state().teams.find((candidate) => candidate.id === team.aadGroupId)!.members.map((member) => member.userId);
  const invitationsTo = (email: string) => passerelle.tenant.state().invitations.filter((invitation) => invitation.invitedUserEmailAddress === email).length;
  async function until(what: string, check: () => boolean | Promise<boolean>) {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`waited in vain: ${what}`);
  }
  async function watch() {
    clockAheadMs += 10 * 60_000;
    await passerelle.server.watchAcceptancesNow();
  }

  async function newFile(code: string, companyName: string, team: TeamChannel) {
    const form = actionOf(cardOf(await say('nouveau dossier')), 'clientFile.create');
    await execute('clientFile.create', { ...form.data, code, companyName, siret: '73282932000074' });
    const choose = actionOf(cardOf(await say(`dossier ${code}`)), 'clientFile.openTeamChoice');
    assert.match(answerOf(await execute('clientFile.chooseTeam', { ...choose.data, teamId: team.aadGroupId })), /rejoindront l’équipe/);
  }
  async function newContact(lastName: string, firstName: string, email: string, code: string) {
    const form = actionOf(cardOf(await say('nouvel interlocuteur')), 'contact.create');
    await execute('contact.create', { ...form.data, lastName, firstName, mobile: '06 12 34 56 78', email });
    assert.match(String((await say(`lier ${email} ${code}`)).text), /est lié/);
  }
  /** Invites the contact, has them accept and lets the watcher bring them into their teams. */
  async function makeGuest(email: string) {
    const invite = actionOf(cardOf(await say(`inviter ${email}`)), 'guest.invite');
    await execute('guest.invite', invite.data);
    await until(`${email} invited`, () => invitationsTo(email) > 0);
    assert.ok(passerelle.tenant.accept(email), `${email} redeems the invitation`);
    await watch();
    await until(`${email} in a team`, async () => (await contactByEmail(email))?.guest?.state === 'member');
  }
  async function proposeStart(email: string, code: string) {
    const open = actionOf(cardOf(await say(`proposer ${email}`)), 'offer.propose');
    const clientFileId = actionOf(cardOf(await say(`dossier ${code}`)), 'link.openForm').data.clientFileId;
    assert.match(answerOf(await execute('offer.propose', { ...open.data, clientFileId, offerId: 'start' })), /Offre Start activée|activée/);
    const contact = await contactByEmail(email);
    return (await db().collection(collections.offerSubscriptions).findOne({ contactId: contact!._id.toHexString(), clientFileId }))!;
  }

  it('prepares two client files, each with its guests’ team', async () => {
    for (const team of [bakeryTeam, garageTeam]) await passerelle.post(channelMessageActivity('aide', team, { serviceUrl: passerelle.connector.url }));
    await newFile('000100', 'Boulangerie Bernard', bakeryTeam);
    await newFile('000200', 'Garage Martin', garageTeam);
    await newContact('Bernard', 'Léa', 'lea@boulangerie-bernard.fr', '000100');
    await makeGuest('lea@boulangerie-bernard.fr');
    assert.deepEqual(teamMembers(bakeryTeam), [user('lea@boulangerie-bernard.fr')!.id]);
  });

  it('refuses an edit with bad values: nothing is written, each error sits next to its field', async () => {
    const form = cardOf(await say('modifier interlocuteur lea@boulangerie-bernard.fr'));
    assert.match(cardText(form), /Modifier l’interlocuteur Léa Bernard/);
    const save = actionOf(form, 'contact.update');
    assert.equal(inputValue(form, 'email'), 'lea@boulangerie-bernard.fr', 'the form is filled with the record');
    const before = await contactByEmail('lea@boulangerie-bernard.fr');
    const refused = await execute('contact.update', { ...save.data, lastName: '', mobile: '12', email: 'pas une adresse', orgRole: 'Pâtissier' });
    const text = cardText(refused.value);
    assert.match(text, /Corrigez les champs signalés : rien n’a été enregistré/);
    for (const field of ['lastName', 'mobile', 'email', 'orgRole']) {
      const input = JSON.stringify(refused.value).indexOf(`"id":"${field}"`);
      assert.ok(input >= 0, `the form still has ${field}`);
    }
    assert.match(text, /Ce rôle n’existe pas dans le cabinet/, 'the unknown role is said');
    const after = await contactByEmail('lea@boulangerie-bernard.fr');
    assert.deepEqual(after, before, 'the contact is exactly as it was');
    assert.equal(await auditCount('contact.updated'), 0, 'nothing recorded');
  });

  it('saves an edit of other fields at once, recorded with before and after', async () => {
    const save = actionOf(cardOf(await say('modifier interlocuteur lea@boulangerie-bernard.fr')), 'contact.update');
    const saved = await execute('contact.update', { ...save.data, lastName: 'Bernard', firstName: 'Léa', mobile: '06 98 76 54 32', email: 'lea@boulangerie-bernard.fr', city: 'Caen' });
    assert.match(cardText(saved.value), /Interlocuteur modifié[\s\S]*Caen/);
    const again = await execute('contact.update', { ...save.data, lastName: 'Bernard', firstName: 'Léa', mobile: '06 98 76 54 32', email: 'lea@boulangerie-bernard.fr', city: 'Caen' });
    assert.match(cardText(again.value), /Rien n’a changé/, 'the same form submitted twice acts once');
    assert.equal(await auditCount('contact.updated'), 1);
  });

  it('brings a contact linked to a second client file into that file’s team too', async () => {
    assert.match(String((await say('lier lea@boulangerie-bernard.fr 000200')).text), /est lié/);
    await watch();
    const lea = user('lea@boulangerie-bernard.fr')!.id;
    await until('Léa in the garage’s team', () => teamMembers(garageTeam).includes(lea));
    assert.ok(teamMembers(bakeryTeam).includes(lea), 'still in the first file’s team');
    const guest = (await contactByEmail('lea@boulangerie-bernard.fr'))!.guest;
    assert.deepEqual(guest.teams.map((team: { teamId: string }) => team.teamId).sort(), [bakeryTeam.aadGroupId, garageTeam.aadGroupId].sort());
    await watch();
    assert.equal(teamMembers(garageTeam).filter((id) => id === lea).length, 1, 'added once');
  });

  it('changes an invited guest’s e-mail as one recorded operation: old account blocked, new address invited, offers carried over', async () => {
    const start = await proposeStart('lea@boulangerie-bernard.fr', '000100');
    assert.equal(start.state, 'active');
    const oldAccount = user('lea@boulangerie-bernard.fr')!.id;
    const save = actionOf(cardOf(await say('modifier interlocuteur lea@boulangerie-bernard.fr')), 'contact.update');
    const asked = await execute('contact.update', { ...save.data, lastName: 'Bernard', firstName: 'Léa', mobile: '06 98 76 54 32', email: 'lea.bernard@gmail.com', city: 'Caen' });
    const plan = cardText(asked.value);
    assert.match(plan, /lea@boulangerie-bernard\.fr → lea\.bernard@gmail\.com/);
    assert.match(plan, /Que devient le compte invité de l’ancienne adresse/);
    assert.match(plan, /Une invitation Microsoft sera envoyée à lea\.bernard@gmail\.com/);
    assert.match(plan, /1 offre\(s\) en cours seront reportées sur la nouvelle adresse/);
    assert.ok(await contactByEmail('lea@boulangerie-bernard.fr'), 'nothing is changed before the confirmation');
    const confirm = actionOf(asked.value, 'contact.changeIdentity');
    const started = await execute('contact.changeIdentity', { ...confirm.data, oldGuestFate: 'block' });
    assert.match(cardText(started.value), /Changement d’adresse lancé : lea@boulangerie-bernard\.fr → lea\.bernard@gmail\.com/);
    await until('the new address invited', () => invitationsTo('lea.bernard@gmail.com') === 1);
    await until('the change completed', async () => (await auditCount('contact.identityChangeCompleted')) === 1);
    await execute('contact.changeIdentity', { ...confirm.data, oldGuestFate: 'block' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(invitationsTo('lea.bernard@gmail.com'), 1, 'the confirmation submitted twice invites once');
    assert.equal(await auditCount('contact.identityChangeRequested'), 1, 'and is recorded once');
    const old = passerelle.tenant.state().users.find((candidate) => candidate.id === oldAccount)!;
    assert.equal(old.accountEnabled, false, 'the old guest account is blocked');
    assert.ok(!teamMembers(bakeryTeam).includes(oldAccount) && !teamMembers(garageTeam).includes(oldAccount), 'and out of both teams');
    const contact = (await contactByEmail('lea.bernard@gmail.com'))!;
    assert.equal(contact.identityChange, undefined, 'the change is closed');
    assert.equal(contact.guest.state, 'invited');
    const carried = await db().collection(collections.offerSubscriptions).findOne({ _id: start._id });
    assert.equal(carried!.state, 'waitingForGuest', 'the offer waits for the new address');
    assert.ok(passerelle.tenant.accept('lea.bernard@gmail.com'));
    await watch();
    await until('the offer active again', async () => (await db().collection(collections.offerSubscriptions).findOne({ _id: start._id }))!.state === 'active');
    await until('the new account in the team', () => teamMembers(bakeryTeam).includes(user('lea.bernard@gmail.com')!.id));
    assert.match(cardText(cardOf(await say('interlocuteur lea.bernard@gmail.com'))), /Changement d’adresse e-mail de l’invité terminé/);
  });

  it('ends a guest’s last offer doing what the firm set by default: keep, remove from the team, block, delete', async () => {
    const firms = createStores(db()).firms;
    const cases: GuestFate[] = ['keep', 'removeFromTeam', 'block', 'delete'];
    for (const [index, fate] of cases.entries()) {
      const email = `salarie${index}@garage-martin.fr`;
      await newContact(`Salarié ${index}`, 'Jean', email, '000200');
      await makeGuest(email);
      const subscription = await proposeStart(email, '000200');
      await firms.updateEngagementPolicy(demoFirmId, { guestFateAtEnd: fate, reviewAfterDays: 30 });
      const asked = await execute('offer.end', { subscriptionId: subscription._id.toHexString(), version: subscription.version });
      assert.match(cardText(asked.value), /C’est la dernière offre en cours de Jean Salarié/, `${fate}: the guest’s fate is asked`);
      assert.equal(inputValue(asked.value, 'guestFate'), fate, `${fate}: the firm’s default is proposed`);
      assert.equal((await db().collection(collections.offerSubscriptions).findOne({ _id: subscription._id }))!.state, 'active', 'nothing ended before the answer');
      const confirm = actionOf(asked.value, 'offer.end');
      const ended = await execute('offer.end', { ...confirm.data, guestFate: inputValue(asked.value, 'guestFate') });
      assert.match(answerOf(ended), /Offre terminée/);
      const account = user(email);
      const inTeam = Boolean(account && teamMembers(garageTeam).includes(account.id));
      if (fate === 'keep') assert.ok(inTeam && account!.accountEnabled, 'kept: still in the team');
      if (fate === 'removeFromTeam') assert.ok(!inTeam && account!.accountEnabled, 'removed from the team, account still there');
      if (fate === 'block') assert.ok(!inTeam && account!.accountEnabled === false, 'blocked');
      if (fate === 'delete') assert.equal(account, undefined, 'deleted from the tenant');
      const recorded = fate === 'keep' ? 'guest.keptAtEnd' : 'guest.revoked';
      assert.ok((await auditCount(recorded)) >= 1, `${fate}: recorded as ${recorded}`);
    }
    await firms.updateEngagementPolicy(demoFirmId, { guestFateAtEnd: 'keep', reviewAfterDays: 30 });
  });

  it('ends a guest’s offers when revoking them, after saying so', async () => {
    await newContact('Martin', 'Hugo', 'hugo@garage-martin.fr', '000200');
    await makeGuest('hugo@garage-martin.fr');
    const subscription = await proposeStart('hugo@garage-martin.fr', '000200');
    const card = cardOf(await say('révoquer hugo@garage-martin.fr'));
    assert.match(cardText(card), /Ses 1 offre\(s\) en cours seront terminées d’abord/);
    const revoke = actionOf(card, 'guest.revoke');
    const done = answerOf(await execute('guest.revoke', { ...revoke.data, action: 'removedFromTeam' }));
    assert.match(done, /Accès de Hugo Martin révoqué : retiré de l’équipe\. 1 offre\(s\) terminée\(s\)/);
    assert.equal((await db().collection(collections.offerSubscriptions).findOne({ _id: subscription._id }))!.state, 'ended', 'the offer is no longer « active »');
  });

  it('sends the main manager one review card a week, even from two server instances at once', async () => {
    clockAheadMs += 31 * 86_400_000;
    const mark = passerelle.connector.sent.length;
    await Promise.all([passerelle.server.remindGuestReviewsNow(), passerelle.server.remindGuestReviewsNow()]);
    await passerelle.server.remindGuestReviewsNow();
    const cards = passerelle.connector.since(mark).filter((sent) => sent.conversationId === `a:personal-${claire.id}`);
    assert.equal(cards.length, 1, 'one card this week');
    assert.match(cardText(cards[0]!.activity.attachments?.[0]?.content), /1 invité\(s\) sans offre active depuis 30 jours ou plus attendent votre décision[\s\S]*Jean Salarié 0/);
  });

  it('lists guests without an active offer for the review delay, and records each decision', async () => {
    const review = cardOf(await say('revue des invités'));
    const text = cardText(review);
    assert.match(text, /Invités sans offre active depuis 30 jours/);
    assert.match(text, /Jean Salarié 0/, 'the guest kept at the end of their offer is listed');
    assert.doesNotMatch(text, /Léa Bernard/, 'a guest with an active offer is not');
    const open = cardActions(review).find((action) => action.verb === 'guest.openReviewDecision')!;
    const decision = (await execute('guest.openReviewDecision', open.data)).value;
    const decide = actionOf(decision, 'guest.reviewDecide');
    assert.match(cardText(decision), /Jean Salarié 0/, 'the decision is about the guest chosen');
    const kept = cardText((await execute('guest.reviewDecide', { ...decide.data, decision: 'keep' })).value);
    assert.match(kept, /Décision enregistrée/);
    assert.match(kept, /Jean Salarié 0 : conserver l’accès invité\. Décision enregistrée/);
    const keptCard = (await execute('guest.review', {})).value;
    assert.ok(!cardActions(keptCard).some((action) => action.data.contactId === open.data.contactId), 'a guest kept is not listed again before the delay has passed anew');
    assert.equal(await auditCount('guest.reviewKept'), 1);
    const twice = answerOf(await execute('guest.reviewDecide', { ...decide.data, decision: 'keep' }));
    assert.match(twice, /n’est plus à revoir/, 'the decision submitted twice is taken once');
  });

  it('leaves deleting a guest account to administrators', async () => {
    assert.match(JSON.stringify(await say('rattacher staff-paul@cabinet-demo.test')), /rattaché/);
    await newContact('Colin', 'Marc', 'marc@garage-martin.fr', '000200');
    await makeGuest('marc@garage-martin.fr');
    const revoke = actionOf(cardOf(await say('révoquer marc@garage-martin.fr', paul)), 'guest.revoke');
    const refused = answerOf(await execute('guest.revoke', { ...revoke.data, action: 'deleted' }, paul));
    assert.match(refused, /Organisation – modification/);
    assert.ok(user('marc@garage-martin.fr'), 'the account is still there');
    const removed = answerOf(await execute('guest.revoke', { ...revoke.data, action: 'removedFromTeam' }, paul));
    assert.match(removed, /révoqué/, 'removing from the team stays with « Invitations – modification »');
  });

  it('removes a contact from a file and deletes one, each after a confirmation stating what will happen', async () => {
    const open = cardOf(await say('interlocuteur salarie0@garage-martin.fr'));
    const unlink = await execute('contact.openUnlink', actionOf(open, 'contact.openUnlink').data);
    assert.match(cardText(unlink.value), /Salarié 0 ne sera plus lié au dossier 000200/);
    const confirm = actionOf(unlink.value, 'contact.unlink');
    assert.match(cardText((await execute('contact.unlink', confirm.data)).value), /n’est plus lié au dossier 000200/);
    assert.match(answerOf(await execute('contact.unlink', confirm.data)), /n’est plus lié à ce dossier : rien n’a été fait/, 'twice acts once');
    assert.equal(await auditCount('contact.unlinked'), 1);

    const asked = await execute('contact.openDelete', actionOf(open, 'contact.openDelete').data);
    assert.match(cardText(asked.value), /La fiche de Jean Salarié 0 sera supprimée[\s\S]*Son accès invité/);
    const remove = actionOf(asked.value, 'contact.delete');
    assert.match(answerOf(await execute('contact.delete', { ...remove.data, guestFate: 'removeFromTeam' })), /Interlocuteur Jean Salarié 0 supprimé/);
    assert.equal(await contactByEmail('salarie0@garage-martin.fr'), null);
    assert.ok(!teamMembers(garageTeam).includes(user('salarie0@garage-martin.fr')!.id), 'the guest left the team as chosen');
    assert.match(answerOf(await execute('contact.delete', { ...remove.data, guestFate: 'removeFromTeam' })), /n’existe plus/);
    assert.equal(await auditCount('contact.deleted'), 1);
  });
});
