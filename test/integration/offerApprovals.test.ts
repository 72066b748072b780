import assert from 'node:assert/strict';
import { cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { claire, demoFirmId, executeActivity, messageActivity, paul, type Speaker } from '../helpers/activities.js';
import { seedPortfolio, withDatabase, type SeededFile } from '../helpers/portfolioSeed.js';
import { collections } from '../../bot/store/mongo.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };
type StoredSubscription = { id: string; offerId: string; state: string; version: number };

/**
 * A user without « Offres – modification » asks for a paid-offer operation; the main manager approves
 * it: the very operation asked is carried out (not an activation in its place), and both are told
 * what actually happened.
 */
describe('approving a paid-offer request carries out what was asked', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  const files = new Map<string, SeededFile>();

  before(async () => {
    passerelle = await startTestPasserelle();
    await say(claire, 'aide'); // the firm's first user: main manager, every profile
    assert.match(textOf(await say(claire, 'rattacher staff-paul@cabinet-demo.test')), /rattaché/);
    await say(paul, 'aide'); // Paul's personal chat is known: he can be told of decisions
    const seeded = await withDatabase(passerelle.mongoUri, passerelle.database, (db) =>
      seedPortfolio(db, demoFirmId, [
        { code: '000001', companyName: 'Ambulances Aubert', contacts: [{ firstName: 'Anne', lastName: 'Aubert', email: 'aubert@ambulances.test', state: 'member', primary: true }] },
        { code: '000002', companyName: 'Boulangerie Bernard', contacts: [{ firstName: 'Léa', lastName: 'Bernard', email: 'bernard@boulangerie.test', state: 'member', primary: true }] },
        { code: '000003', companyName: 'Café Colin', contacts: [{ firstName: 'Marc', lastName: 'Colin', email: 'colin@cafe.test', state: 'member', primary: true }] },
        { code: '000004', companyName: 'Droguerie Durand', contacts: [{ firstName: 'Eva', lastName: 'Durand', email: 'durand@droguerie.test', state: 'member', primary: true }] },
      ]),
    );
    for (const file of seeded) files.set(file.code, file);
  });
  after(async () => {
    await passerelle?.stop();
  });

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  const textOf = (reply: { text?: string; attachments?: { content: unknown }[] }) => `${reply.text ?? ''}\n${cardText(reply.attachments?.[0]?.content)}`;

  async function say(who: Speaker, text: string) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers ${who.name}: "${text}"`);
    return reply.activity;
  }
  async function execute(who: Speaker, verb: string, data: Record<string, unknown>) {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return response.body as InvokeBody;
  }
  const answerOf = (body: InvokeBody) => (typeof body.value === 'string' ? body.value : cardText(body.value));

  function fileOf(code: string) {
    const file = files.get(code);
    assert.ok(file, `file ${code} was seeded`);
    return { clientFileId: file.id, contactId: file.contactIds[0]! };
  }
  async function subscriptionOf(code: string): Promise<StoredSubscription | null> {
    const document = await withDatabase(passerelle.mongoUri, passerelle.database, (db) => db.collection(collections.offerSubscriptions).findOne({ clientFileId: fileOf(code).clientFileId }));
    return document && { id: document._id.toHexString(), offerId: String(document.offerId), state: String(document.state), version: Number(document.version) };
  }
  /** Claire (with every profile) proposes an offer herself: it is active at once, the contact being a member. */
  async function activeOffer(code: string, offerId: string): Promise<StoredSubscription> {
    const proposed = await execute(claire, 'offer.propose', { ...fileOf(code), offerId });
    assert.match(answerOf(proposed), /activée/, `Claire activates ${offerId} on ${code}`);
    const subscription = await subscriptionOf(code);
    assert.ok(subscription && subscription.state === 'active' && subscription.offerId === offerId, `${code} has ${offerId}, active`);
    return subscription;
  }
  /** Paul's wish became a request: its number, read from what he was told. */
  function requestNumberIn(answer: string, what: RegExp): number {
    assert.match(answer, /Une offre payante engage le cabinet/, 'Paul learns why his wish needs approval');
    assert.match(answer, what, 'Paul reads which operation he asked for');
    const number = Number(answer.match(/demande n° (\d+)/)?.[1]);
    assert.ok(number > 0, `a request number is given: ${answer}`);
    return number;
  }
  /** Claire approves from the pending requests card; returns her banner and what Paul was told. */
  async function approve(number: number, what: RegExp): Promise<{ banner: string; told: string }> {
    const pending = cardText((await say(claire, 'demandes')).attachments?.[0]?.content);
    assert.match(pending, new RegExp(`N° ${number} · Paul Durand[^\\n]*${what.source}`), `request ${number} reads as the operation asked`);
    const mark = passerelle.connector.sent.length;
    const banner = answerOf(await execute(claire, 'access.approve', { number }));
    const told = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(paul));
    assert.ok(told, `Paul is told of the decision on request ${number} in his personal chat`);
    return { banner, told: String(told.activity.text) };
  }

  it('applies an approved change from Start to Consultation: the subscription ends as Consultation', async () => {
    const start = await activeOffer('000001', 'start');
    const asked = await execute(paul, 'offer.change', { subscriptionId: start.id, version: start.version, offerId: 'consultation' });
    const what = /changement de l’offre Start en Consultation – Anne Aubert \(dossier 000001\)/;
    const number = requestNumberIn(answerOf(asked), what);
    assert.equal((await subscriptionOf('000001'))?.offerId, 'start', 'nothing changes before the approval');
    const { banner, told } = await approve(number, what);
    assert.match(banner, new RegExp(`Demande n° ${number} approuvée : ${what.source}, c’est fait`), 'Claire reads that the change was made');
    assert.equal((await subscriptionOf('000001'))?.offerId, 'consultation', 'the subscription is Consultation after the approval');
    assert.match(told, new RegExp(`Votre demande n° ${number} \\(${what.source}\\) a été approuvée par Claire Martin\\.$`), 'Paul is told it was approved, and nothing says it failed');
  });

  it('ends a paid offer when the request to end it is approved', async () => {
    const consultation = await activeOffer('000002', 'consultation');
    const asked = await execute(paul, 'offer.end', { subscriptionId: consultation.id, version: consultation.version });
    const what = /fin de l’offre payante Consultation – Léa Bernard \(dossier 000002\)/;
    const number = requestNumberIn(answerOf(asked), what);
    assert.equal((await subscriptionOf('000002'))?.state, 'active', 'still active until approved');
    const { banner, told } = await approve(number, what);
    assert.match(banner, /approuvée : fin de l’offre payante Consultation[^\n]*c’est fait/);
    assert.equal((await subscriptionOf('000002'))?.state, 'ended', 'the offer has ended after the approval');
    assert.match(told, new RegExp(`Votre demande n° ${number} \\(${what.source}\\) a été approuvée par Claire Martin`));
  });

  it('activates a paid offer when the request to activate it is approved', async () => {
    const asked = await execute(paul, 'offer.propose', { ...fileOf('000003'), offerId: 'consultation' });
    const what = /activation de l’offre payante Consultation – Marc Colin \(dossier 000003\)/;
    const number = requestNumberIn(answerOf(asked), what);
    assert.equal(await subscriptionOf('000003'), null, 'no subscription before the approval');
    const { banner, told } = await approve(number, what);
    assert.match(banner, /approuvée : activation de l’offre payante Consultation[^\n]*c’est fait/);
    const subscription = await subscriptionOf('000003');
    assert.deepEqual({ offerId: subscription?.offerId, state: subscription?.state }, { offerId: 'consultation', state: 'active' }, 'Consultation is active for Marc Colin');
    assert.match(told, new RegExp(`Votre demande n° ${number} \\(${what.source}\\) a été approuvée par Claire Martin`));
  });

  it('does nothing when the offer changed meanwhile, and tells both why', async () => {
    const consultation = await activeOffer('000004', 'consultation');
    const asked = await execute(paul, 'offer.change', { subscriptionId: consultation.id, version: consultation.version, offerId: 'start' });
    const what = /changement de l’offre Consultation en Start – Eva Durand \(dossier 000004\)/;
    const number = requestNumberIn(answerOf(asked), what);
    // Meanwhile Claire moves the client to Co-production herself.
    const moved = await execute(claire, 'offer.change', { subscriptionId: consultation.id, version: consultation.version, offerId: 'coproduction' });
    assert.match(answerOf(moved), /Offre changée : Co-production/);
    const { banner, told } = await approve(number, what);
    assert.match(banner, new RegExp(`Demande n° ${number} approuvée, mais rien n’a été fait[^\\n]*la situation a changé entre-temps`), 'Claire learns the request could not be carried out');
    assert.doesNotMatch(banner, /c’est fait/);
    assert.equal((await subscriptionOf('000004'))?.offerId, 'coproduction', 'the newer choice stands: Start was not forced over it');
    assert.match(told, new RegExp(`Votre demande n° ${number} \\(${what.source}\\) a été approuvée par Claire Martin, mais rien n’a été fait : la situation a changé entre-temps`), 'Paul learns nothing was done, and why');
  });

  it('files no second request for the same operation, and none from a card out of date', async () => {
    const subscription = (await subscriptionOf('000004'))!;
    const first = answerOf(await execute(paul, 'offer.end', { subscriptionId: subscription.id, version: subscription.version }));
    requestNumberIn(first, /fin de l’offre payante Co-production – Eva Durand/);
    const again = answerOf(await execute(paul, 'offer.end', { subscriptionId: subscription.id, version: subscription.version }));
    assert.match(again, /Une demande identique attend déjà/, 'the same wish twice is one request');
    const stale = answerOf(await execute(paul, 'offer.end', { subscriptionId: subscription.id, version: subscription.version - 1 }));
    assert.match(stale, /n’était plus à jour/, 'a card out of date is refreshed, no request is filed');
  });

  it('tells a requester who chose English, in English, what was asked and what happened', async () => {
    await say(paul, 'langue english');
    const consultation = (await subscriptionOf('000003'))!;
    const asked = answerOf(await execute(paul, 'offer.end', { subscriptionId: consultation.id, version: consultation.version }));
    assert.match(asked, /A paid offer commits the firm[\s\S]*end of the paid offer Consultation – Marc Colin \(file 000003\)/, 'Paul reads his request in English');
    const number = Number(asked.match(/request no\. (\d+)/)?.[1]);
    assert.ok(number > 0, `a request number is given: ${asked}`);
    // Meanwhile Claire ends it herself: the approval finds a newer version and does nothing.
    const ended = await execute(claire, 'offer.end', { subscriptionId: consultation.id, version: consultation.version, guestFate: 'keep' });
    assert.match(answerOf(ended), /Offre terminée/);
    const { banner, told } = await approve(number, /fin de l’offre payante Consultation – Marc Colin \(dossier 000003\)/);
    assert.match(banner, /rien n’a été fait/, 'Claire, in French, learns nothing was done');
    assert.match(told, new RegExp(`Your request no\\. ${number} \\(end of the paid offer Consultation – Marc Colin \\(file 000003\\)\\) was approved by Claire Martin, but nothing was done: things changed meanwhile`), 'Paul is told in English');
  });
});
