import assert from 'node:assert/strict';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { channelMessageActivity, claire, executeActivity, messageActivity, type Speaker, type TeamChannel } from '../helpers/activities.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };
const bakeryTeam: TeamChannel = { threadId: '19:team-boulangerie@thread.tacv2', name: 'Client – Boulangerie Bernard', aadGroupId: 'bbbbbbbb-0000-0000-0000-000000000002' };

/** « mon accompagnement »: a client asks Passerelle where they stand, in their team or their personal chat. */
describe('a client asks « mon accompagnement » (« my onboarding »)', function () {
  this.timeout(90_000);
  let passerelle: TestPasserelle;
  let clockAheadMs = 0;
  let lea: Speaker;

  before(async () => {
    passerelle = await startTestPasserelle({ now: () => new Date(Date.now() + clockAheadMs), tenant: { teams: [{ id: bakeryTeam.aadGroupId, displayName: bakeryTeam.name }] } });
  });
  after(async () => {
    await passerelle?.stop();
  });

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  async function reply(activity: object, conversationId: string) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(activity);
    const sent = passerelle.connector.since(mark).find((candidate) => candidate.conversationId === conversationId);
    assert.ok(sent, 'the bot answers');
    const answer = sent.activity as { text?: string; attachments?: { content: unknown }[] };
    return answer.attachments?.[0]?.content ?? answer.text;
  }
  const say = (text: string, who: Speaker = claire) => reply(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }), conversationOf(who));
  const read = (answer: unknown) => (typeof answer === 'string' ? answer : cardText(answer));
  async function execute(verb: string, data: Record<string, unknown>, who: Speaker = claire, conversationId = conversationOf(who)) {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url, from: who, conversationId }));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return (response.body as InvokeBody).value;
  }

  it('prepares Léa, member of her file’s team, with Start and its steps', async () => {
    await passerelle.post(channelMessageActivity('aide', bakeryTeam, { serviceUrl: passerelle.connector.url }));
    assert.match(read(await say('nom du cabinet Fiduciaire Dupont')), /Fiduciaire Dupont/);
    const fileForm = cardActions(await say('nouveau dossier')).find((action) => action.verb === 'clientFile.create')!;
    await execute('clientFile.create', { ...fileForm.data, code: '000100', companyName: 'Boulangerie Bernard', siret: '73282932000074' });
    const contactForm = cardActions(await say('nouvel interlocuteur')).find((action) => action.verb === 'contact.create')!;
    await execute('contact.create', { ...contactForm.data, lastName: 'Bernard', firstName: 'Léa', mobile: '06 12 34 56 78', email: 'lea@boulangerie-bernard.fr' });
    assert.match(read(await say('lier lea@boulangerie-bernard.fr 000100')), /est lié/);
    const choose = cardActions(await say('dossier 000100')).find((action) => action.verb === 'clientFile.openTeamChoice')!;
    await execute('clientFile.chooseTeam', { ...choose.data, teamId: bakeryTeam.aadGroupId });
    const invite = cardActions(await say('inviter lea@boulangerie-bernard.fr')).find((action) => action.verb === 'guest.invite')!;
    await execute('guest.invite', invite.data);
    for (let attempt = 0; attempt < 50 && passerelle.tenant.state().invitations.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(passerelle.tenant.accept('lea@boulangerie-bernard.fr'));
    clockAheadMs += 10 * 60_000;
    await passerelle.server.watchAcceptancesNow();
    const directoryId = passerelle.tenant.state().users.find((user) => user.mail === 'lea@boulangerie-bernard.fr')!.id;
    lea = { id: '29:guest-lea', name: 'Léa Bernard (Invité)', aadObjectId: directoryId };
    passerelle.connector.guests.add(lea.id);
    const open = cardActions(await say('interlocuteur lea@boulangerie-bernard.fr')).find((action) => action.verb === 'offer.openProposal')!;
    const proposal = await execute('offer.openProposal', open.data);
    const clientFileId = JSON.stringify(proposal).match(/"clientFileId","label":"Dossier","style":"compact","value":"([0-9a-f]{24})"/)?.[1];
    const activated = await execute('offer.propose', { ...cardActions(proposal).find((action) => action.verb === 'offer.propose')!.data, clientFileId, offerId: 'start' });
    assert.match(read(activated), /Offre Start activée pour Léa Bernard/);
    const step = cardActions(activated).find((action) => action.verb === 'offer.step')!;
    assert.match(read(await execute('offer.step', step.data)), /Étape faite/);
  });

  it('shows Léa her offers, the firm’s set-up and what is expected of her, in her personal chat', async () => {
    const answer = read(await say('mon accompagnement', lea));
    assert.match(answer, /Votre accompagnement par Fiduciaire Dupont/, answer);
    assert.match(answer, /\*\*Start\*\* – Boulangerie Bernard : actif/);
    assert.match(answer, /Mise en place par le cabinet : 1 étape\(s\) faite\(s\) sur 2/);
    assert.match(answer, /Maintenant : lisez la carte de votre service[\s\S]*« J’ai compris »/, 'her card is not acknowledged yet');
  });

  it('answers in English to « my onboarding » in her team’s channel, with the offer’s next step once she read her card', async () => {
    const leaInTeam = { ...lea };
    const posted = passerelle.connector.sent.find((sent) => sent.conversationId === bakeryTeam.threadId && JSON.stringify(sent.activity).includes('client.offerRefresh'));
    const refresh = (posted?.activity as { attachments?: { content: { refresh: { action: { data: Record<string, unknown> } } } }[] }).attachments?.[0]?.content.refresh.action.data;
    const view = await execute('client.offerRefresh', refresh!, lea, bakeryTeam.threadId);
    const acknowledge = cardActions(view).find((action) => action.verb === 'client.offerAcknowledge')!;
    assert.match(read(await execute('client.offerAcknowledge', acknowledge.data, lea, bakeryTeam.threadId)), /Merci, c’est noté/);
    const answer = read(await reply(channelMessageActivity('my onboarding', bakeryTeam, { serviceUrl: passerelle.connector.url, from: leaInTeam }), bakeryTeam.threadId));
    assert.match(answer, /Your onboarding with Fiduciaire Dupont[\s\S]*\*\*Start\*\* – Boulangerie Bernard: active/, answer);
    assert.match(answer, /active\n[\s\S]*Next step: open your space with the link below, then upload your first documents/);
  });

  it('refuses a stranger politely, telling nothing about the firm’s clients', async () => {
    const stranger: Speaker = { id: '29:guest-other', name: 'Autre invité', aadObjectId: 'cccccccc-0000-0000-0000-000000000009' };
    passerelle.connector.guests.add(stranger.id);
    const answer = read(await say('mon accompagnement', stranger));
    assert.match(answer, /Je ne vous retrouve pas parmi les clients/);
    assert.doesNotMatch(answer, /Léa|Boulangerie|Start|Fiduciaire/, 'a stranger learns nothing');
    assert.match(read(await say('my onboarding', stranger)), /I cannot find you among the clients/);
    assert.match(read(await say('dossier 000100', stranger)), /réservé|collaborateurs|staff/i, 'the staff tools stay closed to guests');
  });
});
