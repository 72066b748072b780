import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { claire, demoFirmId, executeActivity, messageActivity, paul, type Speaker } from '../helpers/activities.js';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, startTestIdentityProvider, withDatabase, type SeededFile, type TestIdentityProvider } from '../helpers/portfolioSeed.js';
import { collections } from '../../bot/store/mongo.js';

/** Editing an open client file from the tab (PATCH /api/portfolio/:id) on the whole server. */
const clientId = '0f0f0f0f-1111-2222-3333-555555555555';
const otherFirm = '22222222-2222-2222-2222-222222222222';
const claireInTab = { tid: demoFirmId, oid: claire.aadObjectId, name: 'Claire Martin', preferred_username: 'staff-claire@cabinet-demo.test' };
const paulInTab = { tid: demoFirmId, oid: paul.aadObjectId, name: 'Paul Durand', preferred_username: 'staff-paul@cabinet-demo.test' };

interface ClientBody {
  id: string;
  code: string;
  companyName: string;
  siret: string | null;
  updatedAt: string;
  equipment: Record<string, unknown>;
  collection: Record<string, unknown>;
  notes: string | null;
  message?: string;
  problems?: { field: string | null; code: string; message: string }[];
}

describe('Client file edit from the tab (PATCH /api/portfolio/:id)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let identity: TestIdentityProvider;
  let claireToken: string;
  let files: SeededFile[];
  let elsewhere: SeededFile[];

  const request = async (method: 'GET' | 'PATCH', path: string, body?: unknown, token: string = claireToken) => {
    const response = await fetch(`${passerelle.server.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as ClientBody };
  };
  const open = async (id: string) => {
    const response = await request('GET', `/api/portfolio/${id}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  };
  const edit = (id: string, body: Record<string, unknown>, token?: string) => request('PATCH', `/api/portfolio/${id}`, body, token);

  async function inDatabase<T>(use: (client: MongoClient) => Promise<T>): Promise<T> {
    const client = new MongoClient(passerelle.mongoUri);
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  }
  const auditOf = (action: string, clientFileId: string) =>
    inDatabase((client) => client.db(passerelle.database).collection(collections.auditLog).find({ action }).toArray()).then((entries) =>
      entries.filter((entry) => String(entry.clientFileId) === clientFileId),
    );
  const storedFile = (id: string) =>
    inDatabase((client) => client.db(passerelle.database).collection(collections.clientFiles).findOne({ code: files.find((file) => file.id === id)!.code, firmId: demoFirmId }));

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  async function say(who: Speaker, text: string) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    return passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who))!.activity;
  }
  async function execute(who: Speaker, verb: string, data: Record<string, unknown>) {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    return response.body as { value: unknown };
  }

  before(async () => {
    identity = await startTestIdentityProvider(clientId);
    passerelle = await startTestPasserelle({ backgroundWork: false, env: { AAD_APP_CLIENT_ID: clientId, TAB_JWKS_URL: identity.jwksUrl, PUBLIC_URL: 'https://passerelle.test' } });
    await withDatabase(passerelle.mongoUri, passerelle.database, async (db) => {
      files = await seedPortfolio(db, demoFirmId, [
        { code: '000100', companyName: 'Boulangerie Bernard', legalForm: 'SARL', siret: '73282932000074', contacts: [{ firstName: 'Léa', lastName: 'Bernard', email: 'lea@boulangerie-bernard.fr', primary: true }] },
        { code: '000200', companyName: 'Garage Martin', legalForm: 'SAS' },
        { code: '000300', companyName: 'Fleuriste Rose', legalForm: 'EI', siret: '73282932000074', contacts: [{ lastName: 'Rose', email: 'rose@fleuriste.fr', primary: true }] },
      ]);
      elsewhere = await seedPortfolio(db, otherFirm, [{ code: '000100', companyName: 'Client d’un autre cabinet' }]);
    });
    claireToken = await identity.token(claireInTab);
    // The firm's first user (Claire) becomes its main manager, with every profile.
    assert.equal((await request('GET', '/api/me')).status, 200);
  });

  after(async () => {
    await passerelle?.stop();
    await identity?.stop();
  });

  it('tells the tab that the main manager may edit', async () => {
    const me = await request('GET', '/api/me');
    assert.equal((me.body as unknown as { canEdit: boolean }).canEdit, true);
  });

  it('applies an edit of the details, equipment, collection and notes, and records before/after of what changed', async () => {
    const file = files[1]!;
    const before = await open(file.id);
    assert.deepEqual(before.equipment, { mandate: 'none', einvoicingRegistration: 'none', reformAwareness: false }, 'defaults of a file that never had equipment');
    assert.deepEqual(before.collection, {});
    const response = await edit(file.id, {
      expectedUpdatedAt: before.updatedAt,
      companyName: 'Garage Martin & Fils',
      siret: '732 829 320 00074',
      legalForm: 'SAS',
      equipment: { purchases: 'Axonaut', till: 'Apisoft', mandate: 'sent', einvoicingRegistration: 'invited', reformAwareness: true },
      collection: { feedReception: 'Cegid Quadra', collectionEmail: ' Factures+Garage@Martin.FR ' },
      notes: 'Rappeler en janvier.\nPrévoir la paie.',
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.companyName, 'Garage Martin & Fils');
    assert.equal(response.body.siret, '73282932000074', 'the SIRET is stored without its spaces');
    assert.deepEqual(response.body.equipment, { purchases: 'Axonaut', till: 'Apisoft', mandate: 'sent', einvoicingRegistration: 'invited', reformAwareness: true });
    assert.deepEqual(response.body.collection, { feedReception: 'Cegid Quadra', collectionEmail: 'factures+garage@martin.fr' });
    assert.equal(response.body.notes, 'Rappeler en janvier.\nPrévoir la paie.', 'notes keep their line breaks');
    assert.notEqual(response.body.updatedAt, before.updatedAt, 'a new version');
    assert.equal(response.body.code, '000200');

    const [entry, ...more] = await auditOf('clientFile.updated', file.id);
    assert.equal(more.length, 0, 'one entry per edit');
    assert.equal(entry!.actor.displayName, 'Claire Martin');
    assert.deepEqual(entry!.details.before, {
      companyName: 'Garage Martin',
      siret: null,
      notes: null,
      equipment: { purchases: null, till: null, mandate: 'none', einvoicingRegistration: 'none', reformAwareness: false },
      collection: { feedReception: null, collectionEmail: null },
    }, 'before holds the changed fields only (not the unchanged legal form)');
    assert.equal(entry!.details.after.companyName, 'Garage Martin & Fils');
    assert.equal(entry!.details.after.equipment.mandate, 'sent');

    const found = (await request('GET', '/api/portfolio?search=fils')).body as unknown as { items: { id: string }[] };
    assert.ok(found.items.some((item) => item.id === file.id), 'the new name is searchable');

    const again = await edit(file.id, { expectedUpdatedAt: response.body.updatedAt, companyName: 'Garage Martin & Fils', notes: 'Rappeler en janvier.\r\nPrévoir la paie.  ' });
    assert.equal(again.status, 200);
    assert.equal(again.body.updatedAt, response.body.updatedAt, 'the same values change nothing');
    assert.equal((await auditOf('clientFile.updated', file.id)).length, 1, 'and record nothing');

    const cleared = await edit(file.id, { expectedUpdatedAt: response.body.updatedAt, siret: '', equipment: { till: '' }, notes: null });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal(cleared.body.siret, null);
    assert.equal(cleared.body.notes, null);
    assert.deepEqual(cleared.body.equipment, { purchases: 'Axonaut', mandate: 'sent', einvoicingRegistration: 'invited', reformAwareness: true }, 'only the cleared field goes');
    const stored = await storedFile(file.id);
    assert.ok(stored && !('siret' in stored) && !('notes' in stored), 'cleared fields are removed, as on a file created without them');
  });

  it('refuses a bad SIRET and a bad collection e-mail, naming each field in French, and writes nothing', async () => {
    const file = files[0]!;
    const before = await open(file.id);
    const storedBefore = await storedFile(file.id);
    const response = await edit(file.id, {
      expectedUpdatedAt: before.updatedAt,
      companyName: 'Nouveau nom qui ne doit pas être écrit',
      siret: '73282932000075',
      collection: { collectionEmail: 'pas-une-adresse' },
      equipment: { mandate: 'peut-être', purchases: 'x'.repeat(61) },
    });
    assert.equal(response.status, 400);
    assert.match(String(response.body.message), /SIRET/);
    assert.match(String(response.body.message), /e-mail de collecte/);
    assert.match(String(response.body.message), /rien n’a été enregistré/);
    const byField = Object.fromEntries((response.body.problems ?? []).map((problem) => [problem.field, problem.message]));
    assert.match(byField.siret!, /clé de contrôle/);
    assert.match(byField['collection.collectionEmail']!, /adresse e-mail n’est pas valide/);
    assert.match(byField['equipment.mandate']!, /état du mandat/);
    assert.match(byField['equipment.purchases']!, /60 caractères au maximum/);
    assert.equal(byField.companyName, undefined, 'a valid field is not reported');
    assert.deepEqual(await storedFile(file.id), storedBefore, 'nothing written');
    assert.equal((await auditOf('clientFile.updated', file.id)).length, 0);
  });

  it('refuses to change the code, or any field it does not know (400)', async () => {
    const file = files[0]!;
    const before = await open(file.id);
    const response = await edit(file.id, { expectedUpdatedAt: before.updatedAt, code: 'AUTRE01' });
    assert.equal(response.status, 400);
    assert.equal(response.body.problems?.[0]?.field, 'code');
    assert.match(String(response.body.message), /« code » ne peut pas être modifié/);
    const nested = await edit(file.id, { expectedUpdatedAt: before.updatedAt, equipment: { shine: true } });
    assert.equal(nested.status, 400);
    assert.equal(nested.body.problems?.[0]?.field, 'equipment.shine');
    const missingVersion = await edit(file.id, { companyName: 'Sans version' });
    assert.equal(missingVersion.status, 400);
    assert.equal(missingVersion.body.problems?.[0]?.field, 'expectedUpdatedAt');
    assert.equal((await open(file.id)).code, '000100');
  });

  it('refuses an edit of a version someone changed meanwhile (409) and keeps their change', async () => {
    const file = files[0]!;
    const seen = await open(file.id);
    const first = await edit(file.id, { expectedUpdatedAt: seen.updatedAt, equipment: { sales: 'Sellsy' } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const late = await edit(file.id, { expectedUpdatedAt: seen.updatedAt, equipment: { sales: 'Tiime' }, notes: 'écrasera ?' });
    assert.equal(late.status, 409);
    assert.equal(late.body.message, 'Ce dossier a été modifié entre-temps : les dernières informations sont affichées.');
    const now = await open(file.id);
    assert.equal(now.equipment.sales, 'Sellsy');
    assert.equal(now.notes, null);
  });

  it('does not reveal another firm’s file (404)', async () => {
    const response = await edit(elsewhere[0]!.id, { expectedUpdatedAt: new Date().toISOString(), companyName: 'Piraté' });
    assert.equal(response.status, 404);
    assert.equal(response.body.message, 'Dossier introuvable.');
    const stored = await inDatabase((client) => client.db(passerelle.database).collection(collections.clientFiles).findOne({ firmId: otherFirm }));
    assert.equal(stored?.companyName, 'Client d’un autre cabinet');
  });

  it('refuses the edit to someone with « Dossiers clients – consultation » only (403), and hides « Modifier »', async () => {
    await say(claire, 'rattacher staff-paul@cabinet-demo.test');
    const users = (await say(claire, 'utilisateurs')).attachments?.[0]?.content;
    const openProfiles = cardActions(users).find((action) => action.verb === 'access.openProfiles' && action.data.email === 'staff-paul@cabinet-demo.test');
    assert.ok(openProfiles, 'Paul is attached');
    const form = await execute(claire, 'access.openProfiles', openProfiles.data);
    const save = cardActions(form.value).find((action) => action.verb === 'access.saveProfiles')!;
    const saved = await execute(claire, 'access.saveProfiles', {
      ...save.data, profile_clientFiles: 'consultation', profile_contacts: 'none', profile_invitations: 'none', profile_offers: 'none', profile_partnerApps: 'none', profile_audit: 'none', profile_organisation: 'none',
    });
    assert.match(cardText(saved.value), /Profils de staff-paul@cabinet-demo\.test enregistrés/);

    const paulToken = await identity.token(paulInTab);
    const me = await request('GET', '/api/me', undefined, paulToken);
    assert.equal(me.status, 200, 'Paul may read');
    assert.equal((me.body as unknown as { canEdit: boolean }).canEdit, false);
    const file = files[0]!;
    const before = await open(file.id);
    const response = await edit(file.id, { expectedUpdatedAt: before.updatedAt, companyName: 'Par Paul' }, paulToken);
    assert.equal(response.status, 403);
    assert.match(String(response.body.message), /Dossiers clients – modification/);
    assert.equal((await open(file.id)).companyName, 'Boulangerie Bernard');
  });

  it('fills Achat and Vente when Shine is activated: the activation wins over what was typed', async () => {
    const file = files[2]!;
    const before = await open(file.id);
    const typed = await edit(file.id, { expectedUpdatedAt: before.updatedAt, equipment: { purchases: 'Axonaut', sales: 'Sellsy' } });
    assert.equal(typed.status, 200);
    const card = (await say(claire, 'shine 000300')).attachments?.[0]?.content;
    const activate = cardActions(card).find((action) => action.verb === 'shine.activate');
    assert.ok(activate, cardText(card));
    const done = await execute(claire, 'shine.activate', { ...activate.data, purchases: 'true', sales: 'false', billingMode: 'firmRebills', plan: 'plus', accountEmail: 'rose@fleuriste.fr', emailSubject: 'Votre facturation avec Shine' });
    assert.match(cardText(done.value), /Shine activé/);
    const after = await open(file.id);
    assert.equal(after.equipment.purchases, 'Shine Plus');
    assert.equal(after.equipment.sales, 'Sellsy', 'Vente was not chosen: left as typed');
    assert.notEqual(after.updatedAt, typed.body.updatedAt, 'an editor holding the old version is told it changed');
  });
});
