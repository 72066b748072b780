import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { channelMessageActivity, executeActivity, messageActivity, type TeamChannel } from '../helpers/activities.js';
import { GraphDirectory } from '../../bot/directory/graphDirectory.js';
import { silentLogger } from '../../bot/logger.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };

const internalTeam: TeamChannel = { threadId: '19:team-cabinet@thread.tacv2', name: 'Cabinet Démo', aadGroupId: 'bbbbbbbb-0000-0000-0000-000000000001' };
const bakeryTeam: TeamChannel = { threadId: '19:team-boulangerie@thread.tacv2', name: 'Client – Boulangerie Bernard', aadGroupId: 'bbbbbbbb-0000-0000-0000-000000000002' };

describe('Guest onboarding through the local tenant (Microsoft Graph contract)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  const options = () => ({ serviceUrl: passerelle.connector.url });
  /** The server's clock runs ahead by this much: how the tests let days pass. */
  let clockAheadMs = 0;

  before(async () => {
    passerelle = await startTestPasserelle({
      now: () => new Date(Date.now() + clockAheadMs),
      tenant: { teams: [{ id: internalTeam.aadGroupId, displayName: internalTeam.name }, { id: bakeryTeam.aadGroupId, displayName: bakeryTeam.name }], invitationWindowMs: 1_000 },
    });
  });
  after(async () => {
    await passerelle?.stop();
  });

  async function say(text: string) {
    const mark = passerelle.connector.sent.length;
    const response = await passerelle.post(messageActivity(text, options()));
    assert.equal(response.status, 200);
    const replies = passerelle.connector.since(mark).map((sent) => sent.activity);
    assert.ok(replies.length > 0, `the bot should answer "${text}"`);
    return replies[0]!;
  }

  async function execute(verb: string, data: Record<string, unknown>) {
    const response = await passerelle.post(executeActivity(verb, data, options()));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return response.body as InvokeBody;
  }

  const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;

  async function createFileWithContact(code: string, companyName: string, contact: { lastName: string; firstName: string; email: string }) {
    const form = await say('nouveau dossier');
    const create = cardActions(cardOf(form)).find((action) => action.verb === 'clientFile.create')!;
    await execute('clientFile.create', { ...create.data, code, companyName });
    const contactForm = await say('nouvel interlocuteur');
    const createContact = cardActions(cardOf(contactForm)).find((action) => action.verb === 'contact.create')!;
    await execute('contact.create', { ...createContact.data, ...contact, mobile: '06 12 34 56 78' });
    const linked = await say(`lier ${contact.email} ${code} principal`);
    assert.match(String(linked.text), /est lié au dossier/);
  }

  async function waitForJob(progressCard: unknown): Promise<string> {
    const refresh = cardActions(progressCard).find((action) => action.verb === 'job.show');
    assert.ok(refresh, 'the progress card can be refreshed');
    for (let attempt = 0; attempt < 100; attempt++) {
      const text = cardText((await execute('job.show', refresh.data)).value);
      if (/Invitations terminées/.test(text)) return text;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail('the invitation job did not finish');
  }

  const invitationsTo = (email: string) => passerelle.tenant.state().invitations.filter((invitation) => invitation.invitedUserEmailAddress === email).length;

  it('learns the teams it is installed in, and lets staff mark the firm’s own team', async () => {
    await passerelle.post(channelMessageActivity('aide', internalTeam, options()));
    await passerelle.post(channelMessageActivity('aide', bakeryTeam, options()));
    const overview = cardOf(await say('équipes'));
    assert.match(cardText(overview), /Cabinet Démo[\s\S]*Client – Boulangerie Bernard/);
    const markInternal = cardActions(overview).find((action) => action.data.teamId === internalTeam.aadGroupId)!;
    const marked = await execute('teams.setInternal', markInternal.data);
    assert.match(cardText(marked.value), /Cabinet Démo\*\* \(équipe interne\)/);
  });

  it('previews then invites a contact once, even when the card is submitted twice', async () => {
    await createFileWithContact('000100', 'Boulangerie Bernard', { lastName: 'Bernard', firstName: 'Léa', email: 'lea@boulangerie-bernard.fr' });
    const preview = cardOf(await say('inviter lea@boulangerie-bernard.fr'));
    assert.match(cardText(preview), /Absent de l’annuaire du cabinet : une invitation Microsoft sera envoyée à lea@boulangerie-bernard\.fr/);
    assert.match(cardText(preview), /Aucune équipe choisie/);
    const confirm = cardActions(preview).find((action) => action.verb === 'guest.invite')!;
    const started = await execute('guest.invite', { ...confirm.data, personalMessage: 'Bonjour Léa, voici votre accès.' });
    const summary = await waitForJob(started.value);
    assert.match(summary, /1 \/ 1 traité\(s\) : 1 invitation\(s\) envoyée\(s\)/);
    const again = await execute('guest.invite', { ...confirm.data, personalMessage: 'Bonjour Léa, voici votre accès.' });
    await waitForJob(again.value);
    const fresh = await execute('guest.invite', { ...confirm.data, requestId: randomUUID() });
    assert.match(await waitForJob(fresh.value), /1 ignoré\(s\)/, 'a new request for an invited contact is recognised, not repeated');
    assert.equal(invitationsTo('lea@boulangerie-bernard.fr'), 1, 'exactly one invitation reached the directory');
    const contactCard = cardText(cardOf(await say('interlocuteur lea@boulangerie-bernard.fr')));
    assert.match(contactCard, /Accès invité: Invitation envoyée le .*en attente d’acceptation/);
  });

  it('refuses the firm’s internal team and a team already holding another client', async () => {
    const file = cardOf(await say('dossier 000100'));
    const choose = cardActions(file).find((action) => action.verb === 'clientFile.openTeamChoice')!;
    const internal = await execute('clientFile.chooseTeam', { ...choose.data, teamId: internalTeam.aadGroupId });
    assert.match(cardText(internal.value), /équipe interne du cabinet\. Les invités y verraient tous les collaborateurs/);
    const chosen = await execute('clientFile.chooseTeam', { ...choose.data, teamId: bakeryTeam.aadGroupId });
    assert.match(cardText(chosen.value), /rejoindront l’équipe « Client – Boulangerie Bernard »/);
    assert.match(cardText(chosen.value), /Équipe des invités: Client – Boulangerie Bernard/);

    await createFileWithContact('000200', 'Garage Martin', { lastName: 'Martin', firstName: 'Hugo', email: 'hugo@garage-martin.fr' });
    const other = cardActions(cardOf(await say('dossier 000200'))).find((action) => action.verb === 'clientFile.openTeamChoice')!;
    const mixed = await execute('clientFile.chooseTeam', { ...other.data, teamId: bakeryTeam.aadGroupId });
    assert.match(cardText(mixed.value), /accueille déjà les invités d’une autre entreprise cliente/);
  });

  it('detects the acceptance, adds the guest to the team and welcomes them there', async () => {
    assert.ok(passerelle.tenant.accept('lea@boulangerie-bernard.fr'), 'the guest redeems the invitation');
    const mark = passerelle.connector.sent.length;
    clockAheadMs += 10 * 60_000; // the first check comes 30 s after the invitation
    await passerelle.server.watchAcceptancesNow();
    const contactCard = cardText(cardOf(await say('interlocuteur lea@boulangerie-bernard.fr')));
    assert.match(contactCard, /Membre de l’équipe « Client – Boulangerie Bernard »/);
    assert.match(contactCard, /Historique[\s\S]*Ajouté à l’équipe · Passerelle[\s\S]*Invitation acceptée · Passerelle[\s\S]*Invitation envoyée · Claire Martin/, 'the history shows each step, newest first');
    const team = passerelle.tenant.state().teams.find((candidate) => candidate.id === bakeryTeam.aadGroupId)!;
    assert.equal(team.members.length, 1, 'added once to the team');
    assert.deepEqual(team.members[0]!.roles, ['guest']);
    const welcome = passerelle.connector.since(mark).find((sent) => sent.conversationId === bakeryTeam.threadId);
    assert.ok(welcome, 'a welcome was posted in the team');
    assert.match(cardText(welcome.activity.attachments?.[0]?.content), /Bienvenue, Léa Bernard[\s\S]*Cabinet Démo vous accueille/);
    await passerelle.server.watchAcceptancesNow();
    assert.equal(passerelle.connector.since(mark).filter((sent) => sent.conversationId === bakeryTeam.threadId).length, 1, 'welcomed once');
  });

  it('finds an existing guest in the directory and does not invite them again', async () => {
    const directory = new GraphDirectory({ baseUrl: passerelle.tenant.url, timeoutMs: 5_000, invitationsPer5s: 150, logger: silentLogger });
    await directory.inviteGuest({ email: 'hugo@garage-martin.fr', displayName: 'Hugo Martin', redirectUrl: 'https://teams.microsoft.com' });
    const preview = cardOf(await say('inviter hugo@garage-martin.fr'));
    assert.match(cardText(preview), /Déjà présent comme invité dans l’annuaire/);
    const confirm = cardActions(preview).find((action) => action.verb === 'guest.invite')!;
    assert.match(await waitForJob((await execute('guest.invite', confirm.data)).value), /1 ignoré\(s\)/);
    assert.equal(invitationsTo('hugo@garage-martin.fr'), 1);
    assert.match(cardText(cardOf(await say('interlocuteur hugo@garage-martin.fr'))), /Invitation envoyée le/);
  });

  it('invites a whole client file as one job through 429s and 503s, each contact exactly once', async () => {
    const form = await say('nouveau dossier');
    const create = cardActions(cardOf(form)).find((action) => action.verb === 'clientFile.create')!;
    await execute('clientFile.create', { ...create.data, code: '000300', companyName: 'Cave Lefèvre' });
    for (let index = 0; index < 25; index++) {
      const contactForm = await say('nouvel interlocuteur');
      const createContact = cardActions(cardOf(contactForm)).find((action) => action.verb === 'contact.create')!;
      await execute('contact.create', { ...createContact.data, lastName: `Salarié ${index}`, mobile: '0698765432', email: `salarie${index}@cave-lefevre.fr` });
      await say(`lier salarie${index}@cave-lefevre.fr 000300`);
    }
    passerelle.tenant.setFaults({ throttleRate: 0.3, retryAfterSeconds: 0.2, unavailableRate: 0.1 });
    try {
      const preview = cardOf(await say('inviter dossier 000300'));
      assert.match(cardText(preview), /Inviter 25 interlocuteur\(s\)[\s\S]*… et 15 autre\(s\)/);
      const confirm = cardActions(preview).find((action) => action.verb === 'guest.inviteMany')!;
      const summary = await waitForJob((await execute('guest.inviteMany', confirm.data)).value);
      assert.match(summary, /25 \/ 25 traité\(s\) : 25 invitation\(s\) envoyée\(s\), 0 ignoré\(s\), 0 échec\(s\), 0 restant\(s\)/);
    } finally {
      passerelle.tenant.setFaults({});
    }
    for (let index = 0; index < 25; index++) assert.equal(invitationsTo(`salarie${index}@cave-lefevre.fr`), 1, `salarie${index} invited once`);
    // The final update follows the job's end by a moment: wait for it, then it must stay the last one.
    const lastUpdate = () => passerelle.connector.updated.filter((update) => update.replyToId === 'card-1').at(-1);
    for (let attempt = 0; attempt < 40 && !/Invitations terminées/.test(cardText(lastUpdate()?.activity.attachments?.[0]?.content)); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(lastUpdate(), 'the progress card was updated in place in the conversation');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.match(cardText(lastUpdate()!.activity.attachments?.[0]?.content), /Invitations terminées/, 'the finished state is the last one shown');
    assert.ok(passerelle.tenant.state().counters.throttled > 0, 'the tenant did answer 429s');
  });

  it('reports an invitation refused by the tenant, in French, on the contact', async () => {
    const form = await say('nouvel interlocuteur');
    const createContact = cardActions(cardOf(form)).find((action) => action.verb === 'contact.create')!;
    await execute('contact.create', { ...createContact.data, lastName: 'Refus', mobile: '0698765432', email: 'refus@exemple.fr' });
    passerelle.tenant.setFaults({ invitationsDisabled: true });
    try {
      const confirm = cardActions(cardOf(await say('inviter refus@exemple.fr'))).find((action) => action.verb === 'guest.invite')!;
      const summary = await waitForJob((await execute('guest.invite', confirm.data)).value);
      assert.match(summary, /1 échec\(s\)[\s\S]*Refus : les invitations d’invités \(B2B\) sont désactivées dans le tenant du cabinet/);
    } finally {
      passerelle.tenant.setFaults({});
    }
    assert.match(cardText(cardOf(await say('interlocuteur refus@exemple.fr'))), /Échec de l’invitation : les invitations d’invités \(B2B\) sont désactivées/);
  });

  it('refuses to invite an address that belongs to a member of the firm', async () => {
    passerelle.tenant.addMember('paul.durand@cabinet-demo.fr', 'Paul Durand');
    const form = await say('nouvel interlocuteur');
    const createContact = cardActions(cardOf(form)).find((action) => action.verb === 'contact.create')!;
    await execute('contact.create', { ...createContact.data, lastName: 'Durand', mobile: '0698765432', email: 'paul.durand@cabinet-demo.fr' });
    const preview = cardOf(await say('inviter paul.durand@cabinet-demo.fr'));
    assert.match(cardText(preview), /appartient à un compte du cabinet : ce n’est pas un client/);
    assert.equal(cardActions(preview).filter((action) => action.verb === 'guest.invite').length, 0, 'no confirm button');
    assert.equal(invitationsTo('paul.durand@cabinet-demo.fr'), 0);
  });

  it('refuses an unknown or malformed address with a clear message', async () => {
    const reply = await say('inviter personne@');
    assert.match(String(reply.text), /Aucun interlocuteur ne correspond à « personne@ »/);
  });

  it('revokes a guest: removed from the team and blocked, recorded', async () => {
    const card = cardOf(await say('révoquer lea@boulangerie-bernard.fr'));
    assert.match(cardText(card), /Révoquer l’accès de Léa Bernard/);
    const revoke = cardActions(card).find((action) => action.verb === 'guest.revoke')!;
    const done = await execute('guest.revoke', { ...revoke.data, action: 'blocked' });
    assert.match(String(done.value), /Accès de Léa Bernard révoqué : compte bloqué/);
    const state = passerelle.tenant.state();
    const lea = state.users.find((user) => user.mail === 'lea@boulangerie-bernard.fr')!;
    assert.equal(lea.accountEnabled, false);
    assert.equal(state.teams.find((team) => team.id === bakeryTeam.aadGroupId)!.members.length, 0);
    assert.match(cardText(cardOf(await say('interlocuteur lea@boulangerie-bernard.fr'))), /Accès révoqué le .*compte bloqué/);
  });
});
