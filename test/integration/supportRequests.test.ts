import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { collections } from '../../bot/store/mongo.js';
import { channelMessageActivity, claire, demoFirmId, executeActivity, messageActivity, paul, type Speaker, type TeamChannel } from '../helpers/activities.js';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio } from '../helpers/portfolioSeed.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };
const internalTeam: TeamChannel = { threadId: '19:team-cabinet@thread.tacv2', name: 'Cabinet Démo', aadGroupId: 'aaaaaaaa-0000-0000-0000-0000000000aa' };
const lea: Speaker = { id: '29:guest-lea', name: 'Léa Bernard (Invité)', aadObjectId: 'cccccccc-0000-0000-0000-000000000001' };
const hugo: Speaker = { id: '29:guest-hugo', name: 'Hugo Martin (Invité)', aadObjectId: 'cccccccc-0000-0000-0000-000000000002' };
const zoe: Speaker = { id: '29:staff-zoe', name: 'Zoé Roux', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000003' };
const dayMs = 24 * 60 * 60 * 1_000;

describe('Support requests: lifecycle, visibility and cards in Teams (seed 004)', function () {
  this.timeout(120_000);
  let passerelle: TestPasserelle;
  let client: MongoClient;
  let db: Db;
  let clockAheadMs = 0;

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  const options = (who: Speaker) => ({ serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) });
  async function say(text: string, who: Speaker = claire) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, options(who)));
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers "${text}" to ${who.name}`);
    return reply.activity;
  }
  async function execute(verb: string, data: Record<string, unknown>, who: Speaker = claire, replyToId = 'card-1', conversationId = conversationOf(who)) {
    const response = await passerelle.post(executeActivity(verb, data, { ...options(who), conversationId, replyToId }));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return response.body as InvokeBody;
  }
  const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;
  const textOf = (body: InvokeBody) => (typeof body.value === 'string' ? body.value : cardText(body.value));
  const actionOf = (card: unknown, verb: string) => {
    const found = cardActions(card).find((action) => action.verb === verb);
    assert.ok(found, `the card offers ${verb}; it has ${cardActions(card).map((action) => action.verb).join(', ')}`);
    return found;
  };
  const auditCount = (action: string) => db.collection(collections.auditLog).countDocuments({ action });
  const stored = (number: number) => db.collection(collections.supportRequests).findOne({ firmId: demoFirmId, number });
  /** The latest card posted in the support channel, and how many were posted. */
  const channelCards = () => passerelle.connector.sent.filter((sent) => sent.conversationId === internalTeam.threadId && /Demande n°/.test(cardText(sent.activity.attachments?.[0]?.content)));
  const channelTexts = () => passerelle.connector.sent.filter((sent) => sent.conversationId === internalTeam.threadId && !sent.activity.attachments?.length).map((sent) => String(sent.activity.text));

  /**
   * Sends as a user does: the knowledge base may first answer with matching articles (nothing sent
   * yet); the user then sends anyway from that card, which carries the draft it kept.
   */
  async function sending(who: Speaker, data: Record<string, unknown>, replyToId: string) {
    const first = await execute('client.supportSubmit', data, who, replyToId);
    if (!/Ces articles répondent peut-être à votre question/.test(cardText(first.value))) return first;
    assert.doesNotMatch(cardText(first.value), /envoyée au support/, 'nothing is sent before the user sends anyway');
    const anyway = cardActions(first.value).find((action) => action.verb === 'client.supportSubmit' && action.data.mode === 'send' && action.data.confirmed === 'true');
    assert.ok(anyway, 'the card with the articles offers « Envoyer quand même »');
    return execute('client.supportSubmit', { ...data, ...anyway.data }, who, replyToId);
  }

  /** Opens the form and submits it; the answer's card. */
  async function submitNew(who: Speaker, fields: Record<string, string>, mode: 'send' | 'draft', replyToId: string) {
    const form = cardOf(await say('nouvelle demande', who));
    const submit = cardActions(form).find((action) => action.verb === 'client.supportSubmit' && action.data.mode === mode)!;
    if (mode === 'send') return sending(who, { ...submit.data, ...fields }, replyToId);
    return execute('client.supportSubmit', { ...submit.data, ...fields }, who, replyToId);
  }

  before(async () => {
    passerelle = await startTestPasserelle({
      backgroundWork: false,
      now: () => new Date(Date.now() + clockAheadMs),
      // The tab's API as Claire, without a token (local mode).
      env: { TAB_LOCAL_USER: `${demoFirmId}|${claire.aadObjectId}|${claire.name}|staff-claire@cabinet-demo.test` },
    });
    client = new MongoClient(passerelle.mongoUri);
    db = client.db(passerelle.database);
    await say('aide'); // Claire, the firm's first user: main manager, so the support
    await passerelle.post(channelMessageActivity('aide', internalTeam, { serviceUrl: passerelle.connector.url }));
    const overview = cardOf(await say('équipes'));
    await execute('teams.setInternal', cardActions(overview).find((action) => action.data.teamId === internalTeam.aadGroupId)!.data);
    const [bakery, garage] = await seedPortfolio(db, demoFirmId, [
      { code: '000100', companyName: 'Boulangerie Bernard', contacts: [{ lastName: 'Bernard', firstName: 'Léa', email: 'lea@boulangerie-bernard.fr' }] },
      { code: '000200', companyName: 'Garage Martin', contacts: [{ lastName: 'Martin', firstName: 'Hugo', email: 'hugo@garage-martin.fr' }] },
    ]);
    // Both clients are guests who joined their team (as the onboarding leaves them).
    for (const [contactId, guest] of [[bakery!.contactIds[0]!, lea], [garage!.contactIds[0]!, hugo]] as const) {
      await db.collection(collections.contacts).updateOne({ _id: new ObjectId(contactId) }, { $set: { guest: { state: 'member', directoryUserId: guest.aadObjectId, invitationCount: 1, checks: 0 } } });
      passerelle.connector.guests.add(guest.id);
    }
    assert.match(JSON.stringify(await say('rattacher staff-paul@cabinet-demo.test')), /rattaché/);
  });
  after(async () => {
    await client?.close();
    await passerelle?.stop();
  });

  let leaCard: unknown;
  let requestId = '';

  it('keeps a client’s request as a draft, then sends it: the support channel gets its card', async () => {
    const emptied = await submitNew(lea, { category: 'signIn', subject: '', description: '' }, 'draft', 'lea-form');
    assert.match(textOf(emptied), /Corrigez les champs signalés[\s\S]*obligatoire/, 'a draft needs its subject');
    assert.equal(await db.collection(collections.supportRequests).countDocuments(), 0, 'bad input writes nothing');
    const draft = await submitNew(lea, { category: 'signIn', subject: 'Connexion impossible à Teams', description: '' }, 'draft', 'lea-form');
    assert.match(textOf(draft), /Brouillon n° 1 enregistré/);
    assert.equal(channelCards().length, 0, 'a draft is its author’s alone');
    const send = actionOf(draft.value, 'client.supportSubmit');
    const sendData = cardActions(draft.value).find((action) => action.data.mode === 'send')!.data;
    assert.equal(send.data.requestId || sendData.requestId, sendData.requestId);
    const missing = await execute('client.supportSubmit', { ...sendData, category: 'signIn', subject: 'Connexion impossible à Teams', description: '' }, lea, 'lea-form');
    assert.match(textOf(missing), /Corrigez les champs signalés/, 'sending needs a description');
    const sent = await sending(lea, { ...sendData, category: 'signIn', subject: 'Connexion impossible à Teams', description: 'Le code de vérification n’arrive jamais.' }, 'lea-form');
    leaCard = sent.value;
    assert.match(textOf(sent), /Demande n° 1 envoyée au support du cabinet[\s\S]*État: En cours[\s\S]*Dossier: 000100 – Boulangerie Bernard/);
    assert.equal(cardActions(leaCard).filter((action) => action.verb.startsWith('support.')).length, 0, 'the client gets no support move');
    const posted = channelCards();
    assert.equal(posted.length, 1, 'the request is posted once in the support channel');
    const channelCard = cardOf(posted[0]!.activity);
    assert.match(cardText(channelCard), /Demande n° 1 – Connexion impossible à Teams[\s\S]*Demandeur: Léa Bernard/);
    requestId = String(actionOf(channelCard, 'support.take').data.requestId);
    const document = await stored(1);
    assert.deepEqual(document?.requesterCard, { conversationId: conversationOf(lea), activityId: 'lea-form' }, 'the requester’s card is kept to be updated in place');
    assert.equal(await auditCount('support.created'), 1);
    assert.equal(await auditCount('support.sent'), 1);
    assert.equal(await auditCount('support.draftSaved'), 0, 'the draft was saved once, at its creation');
  });

  it('takes the request once, even when two people click at the same time', async () => {
    const channelCard = cardOf(channelCards()[0]!.activity);
    const take = actionOf(channelCard, 'support.take');
    const [first, second] = await Promise.all([execute('support.take', take.data), execute('support.take', take.data)]);
    const texts = [textOf(first), textOf(second)];
    assert.equal(texts.filter((text) => /C’est fait/.test(text)).length, 1, 'one click acts');
    assert.equal(texts.filter((text) => /n’était plus à jour/.test(text)).length, 1, 'the other is told and shown the request as it is');
    assert.equal(await auditCount('support.taken'), 1);
    assert.match(texts.find((text) => /C’est fait/.test(text))!, /Prise en charge par: Claire Martin/);
  });

  async function supportMove(verb: string, field: string, text: string) {
    const fresh = await execute('client.supportRefresh', { requestId });
    const move = actionOf(fresh.value, verb);
    return execute(verb, { ...move.data, [field]: text });
  }
  async function requesterMove(verb: string, data: Record<string, unknown> = {}) {
    const fresh = await execute('client.supportRefresh', { requestId }, lea, 'lea-form');
    const move = actionOf(fresh.value, verb);
    return execute(verb, { ...move.data, ...data }, lea, 'lea-form');
  }
  const leaUpdates = () => passerelle.connector.updated.filter((update) => update.conversationId === conversationOf(lea) && update.replyToId === 'lea-form');

  it('asks the requester for information; their card is updated in place; their answer sends it back', async () => {
    const before = leaUpdates().length;
    const asked = await supportMove('support.askInformation', 'askInformationText', 'Quel navigateur utilisez-vous ?');
    assert.match(textOf(asked), /État: Action requise/);
    const updates = leaUpdates();
    assert.equal(updates.length, before + 1, 'the requester’s card is replaced, not posted again');
    const updated = updates.at(-1)!.activity.attachments![0]!.content;
    assert.match(cardText(updated), /Le support attend votre réponse[\s\S]*Quel navigateur utilisez-vous/);
    assert.ok(cardActions(updated).some((action) => action.verb === 'client.supportReply'), 'the updated card lets the client answer');
    const channelUpdates = passerelle.connector.updated.filter((update) => update.conversationId === internalTeam.threadId);
    assert.ok(channelUpdates.length >= 1, 'the support channel’s card is updated in place too');
    const replied = await requesterMove('client.supportReply', { replyText: 'Microsoft Edge.' });
    assert.match(textOf(replied), /État: En cours[\s\S]*réponse du demandeur[\s\S]*Microsoft Edge/);
  });

  it('resolves; a refusal needs a reason and sends it back; resolved again and accepted, it closes', async () => {
    assert.match(textOf(await supportMove('support.proposeSolution', 'proposeSolutionText', 'Videz le cache du navigateur.')), /État: Résolue/);
    const resolvedCard = leaUpdates().at(-1)!.activity.attachments![0]!.content;
    assert.match(cardText(resolvedCard), /Une solution vous est proposée/);
    const versionBefore = (await stored(1))!.version;
    const noReason = await requesterMove('client.supportRefuse', { refuseText: '  ' });
    assert.match(textOf(noReason), /obligatoire/, 'a refusal without a reason is refused');
    assert.equal((await stored(1))!.version, versionBefore, 'and writes nothing');
    assert.equal(await auditCount('support.refused'), 0);
    const refused = await requesterMove('client.supportRefuse', { refuseText: 'Le cache est déjà vide.' });
    assert.match(textOf(refused), /État: En cours[\s\S]*solution refusée[\s\S]*Le cache est déjà vide/);
    assert.match(textOf(await supportMove('support.proposeSolution', 'proposeSolutionText', 'Autorisez les cookies tiers pour teams.microsoft.com.')), /État: Résolue/);
    const accept = actionOf((await execute('client.supportRefresh', { requestId }, lea, 'lea-form')).value, 'client.supportAccept');
    const [once, twice] = [await execute('client.supportAccept', accept.data, lea, 'lea-form'), await execute('client.supportAccept', accept.data, lea, 'lea-form')];
    assert.match(textOf(once), /C’est fait[\s\S]*État: Clôturée/);
    assert.match(textOf(twice), /n’était plus à jour/, 'the same card answered twice acts once');
    assert.equal(await auditCount('support.accepted'), 1);
    const document = await stored(1);
    assert.deepEqual(
      document!.timeline.map((entry: { kind: string }) => entry.kind),
      ['draftSaved', 'sent', 'taken', 'informationRequested', 'requesterAnswered', 'solutionProposed', 'refused', 'solutionProposed', 'accepted'],
      'every step is on the timeline, in order',
    );
    assert.ok(document!.timeline.every((entry: { by: { displayName: string; at: Date } }) => entry.by.displayName && entry.by.at instanceof Date), 'every step has who and when');
  });

  it('lists one’s requests by the seed’s tabs with counts, and searches by keyword and number', async () => {
    const mine = cardOf(await say('assistance', lea));
    assert.match(cardText(mine), /Mes demandes d’assistance[\s\S]*Action requise \(0\) · En cours \(0\) · Clôturées \(1\) · Brouillons \(0\)/);
    assert.match(cardText(mine), /n° 1 · Connexion impossible à Teams · Clôturée/);
    assert.match(cardText(cardOf(await say('assistance connex', lea))), /n° 1 · Connexion impossible/, 'a word’s beginning finds it');
    assert.match(cardText(cardOf(await say('assistance n° 1', lea))), /n° 1 · Connexion impossible/, 'so does its number');
    assert.match(cardText(cardOf(await say('assistance imprimante', lea))), /Aucune demande ici/);
  });

  it('tells a client who types a staff command where to ask the firm', async () => {
    assert.match(String((await say('nouveau dossier', lea)).text), /« nouvelle demande » pour poser une question au cabinet, « assistance » pour suivre vos demandes/);
  });

  it('never shows a client another client’s request', async () => {
    const list = cardOf(await say('assistance', hugo));
    assert.doesNotMatch(cardText(list), /Connexion impossible/, 'Hugo’s list is his own');
    assert.match(textOf(await execute('client.supportRefresh', { requestId }, hugo)), /Demande introuvable/);
    const version = (await stored(1))!.version;
    assert.match(textOf(await execute('client.supportReply', { requestId, version, replyText: 'Intrusion' }, hugo)), /Demande introuvable/);
    assert.equal((await stored(1))!.version, version, 'nothing written');
    assert.match(textOf(await execute('client.supportRefresh', { requestId }, paul)), /Demande introuvable/, 'staff without the support’s profile see only their own');
  });

  it('shows staff of other services none of the files they may not see', async () => {
    assert.match(JSON.stringify(await say('créer service Pôle social')), /Pôle social/);
    assert.match(JSON.stringify(await say('créer service Pôle TPE')), /Pôle TPE/);
    assert.match(JSON.stringify(await say('service 000100 Pôle TPE')), /Pôle TPE/);
    assert.match(JSON.stringify(await say('rattacher staff-zoe@cabinet-demo.test services Pôle social')), /rattaché/);
    await db.collection(collections.memberships).updateOne({ firmId: demoFirmId, email: 'staff-zoe@cabinet-demo.test' }, { $push: { profiles: { application: 'support', level: 'modification' } } } as never);
    // A new request about Léa's file (now of Pôle TPE), and one of Paul about no file.
    await submitNew(lea, { category: 'offer', subject: 'Accès au tableau de bord', description: 'Je ne vois pas mes documents.' }, 'send', 'lea-form-2');
    await submitNew(paul, { category: 'other', subject: 'Question sur Flow', description: 'Comment activer la DSP2 ?' }, 'send', 'paul-form');
    const queue = textOf(await execute('support.queue', { tab: 'inProgress' }, zoe));
    assert.match(queue, /Question sur Flow/, 'a request about no file reaches the whole support');
    assert.doesNotMatch(queue, /Accès au tableau de bord/, 'a file of another service does not');
    const hidden = (await stored(2))!;
    assert.match(textOf(await execute('support.take', { requestId: hidden._id.toHexString(), version: hidden.version }, zoe)), /Demande introuvable/);
    const everything = textOf(await execute('support.queue', { tab: 'inProgress' }));
    assert.ok(/Accès au tableau de bord/.test(everything) && /Question sur Flow/.test(everything), `the administrator sees every file: ${everything}`);
    const refused = await execute('support.queue', { tab: 'inProgress' }, paul);
    assert.match(textOf(refused), /Assistance – modification/, 'without the profile the queue is refused, naming it');
  });

  it('reminds the support channel of a request without a first answer after one working day, once', async () => {
    const before = channelTexts().length;
    assert.deepEqual(await passerelle.server.sweepSupportNow(), { warned: 0, closed: 0, reminded: 0 }, 'nothing due yet');
    clockAheadMs = 4 * dayMs; // whatever today is, at least one working day later
    const [first, second] = await Promise.all([passerelle.server.sweepSupportNow(), passerelle.server.sweepSupportNow()]);
    assert.equal(first.reminded + second.reminded, 2, 'the two requests waiting are reminded, each once across both sweeps');
    const reminders = channelTexts().slice(before);
    assert.equal(reminders.length, 2);
    assert.ok(reminders.some((text) => /Relance : la demande n° 3 « Question sur Flow » attend sa première réponse/.test(text)), reminders.join('\n'));
    assert.equal((await passerelle.server.sweepSupportNow()).reminded, 0, 'never twice');
    assert.equal(await auditCount('support.reminded'), 2);
  });

  it('closes a resolved request left unanswered after the firm’s delay, warning its requester the day before', async () => {
    const request = (await stored(3))!;
    const propose = await execute('support.proposeSolution', { requestId: request._id.toHexString(), version: request.version, proposeSolutionText: 'Activez la DSP2 depuis Flow, étape 5.' });
    assert.match(textOf(propose), /État: Résolue/);
    const resolvedAt = clockAheadMs;
    clockAheadMs = resolvedAt + 5 * dayMs;
    assert.equal((await passerelle.server.sweepSupportNow()).warned, 0, 'not yet');
    const mark = passerelle.connector.sent.length;
    clockAheadMs = resolvedAt + 6 * dayMs + 60_000;
    assert.equal((await passerelle.server.sweepSupportNow()).warned, 1, 'warned the day before');
    const warning = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(paul));
    assert.match(String(warning?.activity.text), /Votre demande n° 3 « Question sur Flow » est résolue et sera clôturée automatiquement le/);
    assert.equal((await passerelle.server.sweepSupportNow()).warned, 0, 'warned once');
    clockAheadMs = resolvedAt + 7 * dayMs + 60_000;
    const [first, second] = await Promise.all([passerelle.server.sweepSupportNow(), passerelle.server.sweepSupportNow()]);
    assert.equal(first.closed + second.closed, 1, 'closed once by two sweeping instances');
    const closed = (await stored(3))!;
    assert.equal(closed.state, 'closed');
    assert.equal(closed.timeline.at(-1).kind, 'autoClosed');
    assert.equal(await auditCount('support.autoClosed'), 1);
    const paulCard = passerelle.connector.updated.filter((update) => update.replyToId === 'paul-form').at(-1);
    assert.match(cardText(paulCard?.activity.attachments?.[0]?.content), /État: Clôturée/, 'the requester’s card says so');
  });

  it('answers bad card data with a clear message and writes nothing', async () => {
    const count = await db.collection(collections.supportRequests).countDocuments();
    const bogus = await execute('client.supportSubmit', { mode: 'send', creationRequestId: randomUUID(), category: 'astrologie', subject: 'x', description: 'y' }, paul, 'paul-bogus');
    assert.match(textOf(bogus), /Choisissez une catégorie dans la liste/);
    const malformed = await execute('support.take', { requestId: 'pas-un-id', version: 1 });
    assert.match(textOf(malformed), /périmée/);
    assert.equal(await db.collection(collections.supportRequests).countDocuments(), count);
  });

  it('gives the « Assistance » page its queue, filters, search, detail, moves and export', async () => {
    const api = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${passerelle.server.url}${path}`, init);
      const text = await response.text();
      return { status: response.status, text, body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined) as Record<string, any> };
    };
    const queue = await api('/api/support/requests');
    assert.equal(queue.status, 200, queue.text);
    assert.deepEqual(queue.body.items.map((item: { number: number }) => item.number).sort(), [1, 2, 3], 'every request sent, no draft');
    assert.deepEqual(queue.body.counts, { inProgress: 1, actionRequired: 0, resolved: 0, closed: 2 });
    assert.deepEqual((await api('/api/support/requests?state=closed')).body.items.map((item: { number: number }) => item.number).sort(), [1, 3]);
    assert.deepEqual((await api('/api/support/requests?category=offer')).body.items.map((item: { number: number }) => item.number), [2]);
    assert.deepEqual((await api('/api/support/requests?search=dsp2')).body.items.map((item: { number: number }) => item.number), [3], 'a word of the description');
    assert.deepEqual((await api('/api/support/requests?search=2')).body.items.map((item: { subject: string }) => item.subject), ['Accès au tableau de bord'], 'a number');
    const file = (await db.collection(collections.clientFiles).findOne({ firmId: demoFirmId, code: '000100' }))!._id.toHexString();
    assert.deepEqual((await api(`/api/support/requests?clientFile=${file}`)).body.items.map((item: { number: number }) => item.number).sort(), [1, 2]);
    assert.deepEqual((await api('/api/support/requests?clientFile=000100')).body.items.map((item: { number: number }) => item.number).sort(), [1, 2], 'by its code too');
    assert.deepEqual((await api('/api/support/requests?clientFile=999999')).body.items, [], 'a code no file has finds nothing');
    const bad = await api('/api/support/requests?category=astrologie');
    assert.equal(bad.status, 400, 'an unknown category is bad input, not a server error');
    assert.equal(bad.body.code, 'request.invalid');

    const second = queue.body.items.find((item: { number: number }) => item.number === 2);
    const detail = await api(`/api/support/requests/${second.id}`);
    assert.equal(detail.body.clientFile, '000100 – Boulangerie Bernard');
    assert.deepEqual(detail.body.timeline.map((entry: { label: string }) => entry.label), ['relance : pas encore de première réponse', 'demande envoyée'], 'latest first');
    assert.deepEqual(detail.body.moves, ['take', 'answer', 'askInformation', 'proposeSolution', 'reassign']);
    assert.equal((await api('/api/support/requests/0123456789abcdef01234567')).status, 404);
    assert.equal((await api('/api/support/requests/nimportequoi')).body.code, 'support.notFound');

    const post = (body: unknown) => api(`/api/support/requests/${second.id}/actions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const empty = await post({ move: 'answer', expectedVersion: detail.body.version, text: '' });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, 'support.invalid');
    assert.equal(empty.body.problems[0].field, 'text');
    const stale = await post({ move: 'take', expectedVersion: detail.body.version + 5 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'support.changedMeanwhile');
    const before = await auditCount('support.answered');
    const answered = await post({ move: 'answer', expectedVersion: detail.body.version, text: 'Nous regardons votre espace documentaire.' });
    assert.equal(answered.status, 200, answered.text);
    assert.equal(answered.body.timeline[0].text, 'Nous regardons votre espace documentaire.');
    assert.equal(await auditCount('support.answered'), before + 1);
    const leaSecond = passerelle.connector.updated.filter((update) => update.replyToId === 'lea-form-2').at(-1);
    assert.match(cardText(leaSecond?.activity.attachments?.[0]?.content), /Nous regardons votre espace documentaire/, 'the answer from the tab reaches the client’s card');
    const wrongState = await post({ move: 'askInformation', expectedVersion: answered.body.version, text: 'Encore ?' });
    assert.equal(wrongState.status, 200, 'asking is possible while in progress');
    const notNow = await post({ move: 'askInformation', expectedVersion: wrongState.body.version, text: 'Et encore ?' });
    assert.equal(notNow.status, 409, 'not while the requester is already asked');
    assert.equal(notNow.body.code, 'support.notAllowed');

    const csv = await api('/api/support/requests/export.csv?state=closed');
    assert.equal(csv.status, 200);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], 'N°;Objet;Catégorie;État;Dossier;Demandeur;Pris en charge par;Ouverte le;Mise à jour le');
    assert.equal(lines.length, 3, 'one line per closed request');
    assert.ok(lines.some((line) => line.startsWith('1;Connexion impossible à Teams;Connexion / compte Microsoft;Clôturée;000100 – Boulangerie Bernard;Léa Bernard')), lines.join('\n'));
    const english = await api('/api/support/requests/export.csv', { headers: { 'Accept-Language': 'en' } });
    assert.match(english.text, /No\.;Subject;Category;State/);
  });

  it('records the files a client sends with « assistance <n°> » on their request’s timeline, by name and link', async () => {
    const mark = passerelle.connector.sent.length;
    const file = {
      contentType: 'application/vnd.microsoft.teams.file.download.info',
      name: 'capture-erreur.png',
      contentUrl: 'https://cabinetdemo-my.sharepoint.com/personal/lea/Documents/capture-erreur.png',
      content: { downloadUrl: 'https://cabinetdemo-my.sharepoint.com/download?token=abc', uniqueId: 'f1', fileType: 'png' },
    };
    await passerelle.post({ ...messageActivity('assistance 2', options(lea)), attachments: [file] });
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(lea));
    assert.match(String(reply?.activity.text), /1 pièce\(s\) jointe\(s\) ajoutée\(s\) à la demande n° 2/);
    const request = (await stored(2))!;
    assert.deepEqual(request.timeline.at(-1).attachments, [{ name: 'capture-erreur.png', url: file.contentUrl }], 'the stable link, not the short-lived download');
    assert.equal(await auditCount('support.filesAttached'), 1);
    const card = passerelle.connector.updated.filter((update) => update.replyToId === 'lea-form-2').at(-1);
    assert.match(cardText(card?.activity.attachments?.[0]?.content), /Pièce jointe : \[capture-erreur\.png\]/, 'the card shows it');
    const other = passerelle.connector.sent.length;
    await passerelle.post({ ...messageActivity('assistance 3', options(hugo)), attachments: [file] });
    assert.match(String(passerelle.connector.since(other).find((sent) => sent.conversationId === conversationOf(hugo))?.activity.text), /Demande introuvable/, 'only to one’s own request');
    assert.equal(await auditCount('support.filesAttached'), 1);
  });

  it('reassigns a request only to a member of the support who may see its file', async () => {
    const request = (await stored(2))!;
    const channelCard = (await execute('client.supportRefresh', { requestId: request._id.toHexString() })).value;
    const reassign = actionOf(channelCard, 'support.reassign');
    assert.doesNotMatch(JSON.stringify(channelCard), /Zoé Roux/, 'Zoé, of another service, is not offered for a file of Pôle TPE');
    const refused = await execute('support.reassign', { ...reassign.data, assigneeUserId: zoe.aadObjectId });
    assert.match(textOf(refused), /Choisissez une personne du support dans la liste/);
    assert.equal((await stored(2))!.version, request.version, 'nothing written');
    const given = await execute('support.reassign', { ...reassign.data, assigneeUserId: claire.aadObjectId });
    assert.match(textOf(given), /Prise en charge par: Claire Martin[\s\S]*réassignée/);
    assert.equal(await auditCount('support.reassigned'), 1);
    const noFile = (await stored(3))!;
    const noFileCard = (await execute('client.supportRefresh', { requestId: noFile._id.toHexString() })).value;
    const left = cardActions(noFileCard).filter((action) => action.verb !== 'client.supportRefresh');
    // Its solution can still become a help article (the knowledge base is connected); nothing else moves it.
    assert.deepEqual(left.map((action) => action.verb), ['support.draftArticle'], 'a closed request offers no move but the article');
    const drafted = await execute('support.draftArticle', left[0]!.data);
    assert.match(textOf(drafted), /article/i, 'the card says the article was drafted');
    const article = await db.collection(collections.articles).findOne({ firmId: demoFirmId, fromRequestId: noFile._id.toHexString() });
    assert.equal(article?.state, 'draft', 'the solution became a draft article of the firm’s knowledge base');
  });
});
