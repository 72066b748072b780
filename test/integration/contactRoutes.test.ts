import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MongoClient, ObjectId } from 'mongodb';
import { claire, demoFirmId, messageActivity, paul } from '../helpers/activities.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, startTestIdentityProvider, withDatabase, type SeededFile, type TestIdentityProvider } from '../helpers/portfolioSeed.js';
import { collections } from '../../bot/store/mongo.js';
import { createStores } from '../../bot/store/stores.js';

/** The tab's client page acting on one contact (bot/api/contactRoutes.ts), on the whole server with real tokens. */
const clientId = '0f0f0f0f-1111-2222-3333-666666666666';
const claireInTab = { tid: demoFirmId, oid: claire.aadObjectId, name: 'Claire Martin', preferred_username: 'staff-claire@cabinet-demo.test' };
const paulInTab = { tid: demoFirmId, oid: paul.aadObjectId, name: 'Paul Durand', preferred_username: 'staff-paul@cabinet-demo.test' };

type Body = Record<string, any>;

describe('The tab’s client page acts on each contact (contacts, guests, offers)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let identity: TestIdentityProvider;
  let mongo: MongoClient;
  let claireToken: string;
  let files: SeededFile[];
  const fileId = (code: string) => files.find((file) => file.code === code)!.id;
  const lea = () => files.find((file) => file.code === '000100')!.contactIds[0]!;
  const rose = () => files.find((file) => file.code === '000300')!.contactIds[0]!;

  async function call(method: string, path: string, body?: unknown, token = claireToken): Promise<{ status: number; body: Body }> {
    const response = await fetch(`${passerelle.server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Body };
  }
  const stored = (id: string) => mongo.db(passerelle.database).collection(collections.contacts).findOne({ _id: new ObjectId(id) });
  const auditCount = (action: string) => mongo.db(passerelle.database).collection(collections.auditLog).countDocuments({ action });
  const clientPage = async (code: string) => (await call('GET', `/api/portfolio/${fileId(code)}`)).body;
  const leaForm = { lastName: 'Bernard', firstName: 'Léa', mobile: '06 12 34 56 78', email: 'lea@boulangerie-bernard.fr' };

  before(async () => {
    identity = await startTestIdentityProvider(clientId);
    passerelle = await startTestPasserelle({ backgroundWork: false, env: { AAD_APP_CLIENT_ID: clientId, TAB_JWKS_URL: identity.jwksUrl, PUBLIC_URL: 'https://passerelle.test' } });
    await withDatabase(passerelle.mongoUri, passerelle.database, async (db) => {
      files = await seedPortfolio(db, demoFirmId, [
        { code: '000100', companyName: 'Boulangerie Bernard', siret: '73282932000074', contacts: [{ firstName: 'Léa', lastName: 'Bernard', email: 'lea@boulangerie-bernard.fr', state: 'member', primary: true }] },
        { code: '000200', companyName: 'Garage Martin' },
        { code: '000300', companyName: 'Fleuriste Rose', contacts: [{ lastName: 'Rose', email: 'rose@fleuriste.fr', state: 'member', primary: true }] },
      ]);
    });
    mongo = new MongoClient(passerelle.mongoUri);
    claireToken = await identity.token(claireInTab);
    assert.equal((await call('GET', '/api/me')).status, 200, 'Claire, the firm’s first user, is its main manager');
  });
  after(async () => {
    await mongo?.close();
    await passerelle?.stop();
    await identity?.stop();
  });

  it('refuses an edit with bad values field by field, in the user’s language, writing nothing', async () => {
    const before = await stored(lea());
    const refused = await call('PATCH', `/api/contacts/${lea()}`, { ...leaForm, lastName: '', mobile: '12', email: 'pas une adresse' });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'contact.invalid');
    assert.deepEqual(refused.body.problems.map((problem: { field: string }) => problem.field).sort(), ['email', 'lastName', 'mobile']);
    assert.match(refused.body.message, /rien n’a été enregistré/);
    assert.deepEqual(await stored(lea()), before, 'the contact is exactly as it was');
    const unknownField = await call('PATCH', `/api/contacts/${lea()}`, { ...leaForm, guest: 'x' });
    assert.equal(unknownField.status, 400, 'an unknown field is refused, not ignored');
  });

  it('saves an edit, and answers the plan to confirm when an invited guest’s e-mail changes', async () => {
    const saved = await call('PATCH', `/api/contacts/${lea()}`, { ...leaForm, city: 'Caen' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.status, 'updated');
    assert.equal(saved.body.contact.address.city, 'Caen');
    const plan = await call('PATCH', `/api/contacts/${lea()}`, { ...leaForm, city: 'Caen', email: 'lea.bernard@gmail.com' });
    assert.equal(plan.body.status, 'confirmIdentityChange');
    assert.deepEqual({ from: plan.body.plan.from, to: plan.body.plan.to, defaultOldGuestFate: plan.body.plan.defaultOldGuestFate }, { from: 'lea@boulangerie-bernard.fr', to: 'lea.bernard@gmail.com', defaultOldGuestFate: 'keep' });
    assert.equal((await stored(lea()))!.email, 'lea@boulangerie-bernard.fr', 'nothing changes before the confirmation');
  });

  it('adds a contact to a file, links an existing one and ticks the primary contact', async () => {
    const requestId = randomUUID();
    const added = await call('POST', `/api/portfolio/${fileId('000200')}/contacts`, { requestId, lastName: 'Martin', firstName: 'Hugo', mobile: '06 98 76 54 32', email: 'hugo@garage-martin.fr', primary: true });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.primary, true);
    const replay = await call('POST', `/api/portfolio/${fileId('000200')}/contacts`, { requestId, lastName: 'Martin', firstName: 'Hugo', mobile: '06 98 76 54 32', email: 'hugo@garage-martin.fr', primary: true });
    assert.equal(replay.body.status, 'alreadyCreated', 'the same request twice creates once');
    const bad = await call('POST', `/api/portfolio/${fileId('000200')}/contacts`, { requestId: randomUUID(), lastName: 'Sans', mobile: '06 98 76 54 32', email: 'hugo@garage-martin.fr' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.problems[0].code, 'email.taken');
    const linked = await call('POST', `/api/portfolio/${fileId('000200')}/links`, { contactEmail: 'lea@boulangerie-bernard.fr' });
    assert.equal(linked.body.status, 'linked');
    const ticked = await call('POST', `/api/portfolio/${fileId('000200')}/primary`, { contactId: lea() });
    assert.equal(ticked.body.status, 'done');
    const page = await clientPage('000200');
    assert.deepEqual(page.contacts.filter((contact: Body) => contact.primary).map((contact: Body) => contact.email), ['lea@boulangerie-bernard.fr']);
    const notLinked = await call('POST', `/api/portfolio/${fileId('000300')}/primary`, { contactId: lea() });
    assert.equal(notLinked.status, 409);
  });

  it('unlinks a contact from a file after a confirmation stating what it ends', async () => {
    const asked = await call('POST', `/api/contacts/${lea()}/unlink`, { clientFileId: fileId('000200') });
    assert.deepEqual(asked.body, { status: 'confirm', openOffers: 0, primary: true });
    const done = await call('POST', `/api/contacts/${lea()}/unlink`, { clientFileId: fileId('000200'), confirmed: true });
    assert.equal(done.body.status, 'done');
    const again = await call('POST', `/api/contacts/${lea()}/unlink`, { clientFileId: fileId('000200'), confirmed: true });
    assert.equal(again.status, 409, 'twice acts once');
    assert.equal((await clientPage('000200')).contacts.some((contact: Body) => contact.primary), false, 'the file has no primary contact any more');
  });

  it('proposes, changes and ends an offer; the last offer’s end carries out the guest’s fate', async () => {
    const proposed = await call('POST', `/api/portfolio/${fileId('000100')}/offers`, { contactId: lea(), offerId: 'start' });
    assert.equal(proposed.body.status, 'activated', JSON.stringify(proposed.body));
    const subscription = proposed.body.subscription;
    const changed = await call('POST', `/api/offers/subscriptions/${subscription.id}/change`, { expectedVersion: subscription.version, offerId: 'consultation' });
    assert.equal(changed.body.offerId, 'consultation', JSON.stringify(changed.body));
    const ending = await call('GET', `/api/offers/subscriptions/${subscription.id}/ending`);
    assert.deepEqual(ending.body, { lastOffer: true, asksGuestFate: true, defaultFate: 'keep' });
    const ended = await call('POST', `/api/offers/subscriptions/${subscription.id}/end`, { expectedVersion: changed.body.version, guestFate: 'removeFromTeam' });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.deepEqual(ended.body.guest, { fate: 'removeFromTeam', outcome: 'done' });
    assert.equal((await stored(lea()))!.guest.revoked.action, 'removedFromTeam');
  });

  it('lists guests for review and records the decision once', async () => {
    await createStores(mongo.db(passerelle.database)).firms.updateEngagementPolicy(demoFirmId, { guestFateAtEnd: 'keep', reviewAfterDays: 0 });
    const review = await call('GET', '/api/guests/review');
    assert.equal(review.status, 200);
    assert.deepEqual(review.body.guests.map((guest: Body) => guest.contact.email), ['rose@fleuriste.fr'], 'the guest without any offer; Léa is revoked, no longer a guest');
    const kept = await call('POST', `/api/guests/${rose()}/review`, { decision: 'keep' });
    assert.equal(kept.body.status, 'done');
    const again = await call('POST', `/api/guests/${rose()}/review`, { decision: 'keep' });
    assert.equal(again.status, 200, 'with a delay of 0 days a kept guest is due again at once');
    assert.equal(await auditCount('guest.reviewKept'), 2);
    await createStores(mongo.db(passerelle.database)).firms.updateEngagementPolicy(demoFirmId, { guestFateAtEnd: 'keep', reviewAfterDays: 30 });
    const notDue = await call('POST', `/api/guests/${rose()}/review`, { decision: 'block' });
    assert.equal(notDue.status, 409, 'a guest no longer due is left alone');
  });

  it('leaves deleting a guest account to administrators, and deletes a contact after a confirmation', async () => {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity('rattacher staff-paul@cabinet-demo.test', { serviceUrl: passerelle.connector.url, from: claire, conversationId: `a:personal-${claire.id}` }));
    assert.match(JSON.stringify(passerelle.connector.since(mark).map((sent) => sent.activity)), /rattaché/);
    const paulToken = await identity.token(paulInTab);
    const refused = await call('POST', `/api/contacts/${rose()}/revoke`, { action: 'deleted' }, paulToken);
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /Organisation – modification/);
    const deleteAsGuestFate = await call('POST', `/api/contacts/${rose()}/delete`, { confirmed: true, guestFate: 'delete' }, paulToken);
    assert.equal(deleteAsGuestFate.status, 403, 'nor through deleting the contact');
    const asked = await call('POST', `/api/contacts/${rose()}/delete`, {});
    assert.deepEqual(asked.body, { status: 'confirm', files: 1, openOffers: 0, isGuest: true, defaultFate: 'keep' });
    const deleted = await call('POST', `/api/contacts/${rose()}/delete`, { confirmed: true, guestFate: 'block' });
    assert.equal(deleted.body.status, 'done', JSON.stringify(deleted.body));
    assert.equal(await stored(rose()), null);
    assert.equal((await call('POST', `/api/contacts/${rose()}/delete`, { confirmed: true })).status, 404);
    assert.equal(await auditCount('contact.deleted'), 1);
  });
});


