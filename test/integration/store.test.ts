import assert from 'node:assert/strict';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { collections, ensureIndexes, indexes as passerelleIndexes } from '../../bot/store/mongo.js';
import type { NewClientFile } from '../../bot/domain/clientFile.js';
import type { Contact } from '../../bot/domain/contact.js';
import { searchTokens } from '../../bot/domain/fieldRules.js';
import { newAuditEntry, type AuditAction } from '../../bot/domain/audit.js';
import { defaultEngagementPolicy, defaultGuestPolicy, defaultSupportPolicy, defaultPartnerDefaults } from '../../bot/domain/firmSettingsService.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName, usingRealMongo } from '../helpers/mongo.js';
import { createStores } from '../../bot/store/stores.js';

/**
 * The storage contract, run against whatever TEST_MONGODB_URI names (a real MongoDB) or, by default,
 * the in-process stand-in. Tests that need real-server semantics say so when they are skipped.
 */
const stamp = { userId: 'u1', displayName: 'Claire Martin', at: new Date('2026-11-02T09:00:00Z') };

function newFile(firmId: string, code: string, companyName: string, requestId = `req-${code}`): NewClientFile {
  return { firmId, code, companyName, searchTokens: searchTokens(companyName, code), creationRequestId: requestId, created: stamp, updatedAt: stamp.at };
}

function newContact(firmId: string, email: string, lastName: string): Omit<Contact, 'id'> {
  return { firmId, lastName, mobile: '+33612345678', email, address: {}, searchTokens: searchTokens(lastName), creationRequestId: `req-${email}`, created: stamp, updatedAt: stamp.at };
}

describe(`MongoDB stores (${usingRealMongo ? 'real MongoDB from TEST_MONGODB_URI' : 'in-process stand-in; set TEST_MONGODB_URI for a real server'})`, () => {
  let client: MongoClient;
  let db: Db;
  let uri: string;
  const name = uniqueDatabaseName('store_contract');

  before(async () => {
    uri = await testMongoUri();
    client = new MongoClient(uri, { ignoreUndefined: true });
    db = client.db(name);
    await ensureIndexes(db);
  });
  after(async () => {
    await client?.close();
    await dropDatabase(uri, name).catch(() => undefined);
  });

  it('creates its indexes one after another, never two at once (DocumentDB-based servers deadlock otherwise)', async () => {
    const monitored = new MongoClient(uri, { ignoreUndefined: true, monitorCommands: true });
    let inFlight = 0;
    let mostAtOnce = 0;
    let created = 0;
    monitored.on('commandStarted', (event) => {
      if (event.commandName !== 'createIndexes') return;
      created++;
      mostAtOnce = Math.max(mostAtOnce, ++inFlight);
    });
    const finished = (event: { commandName: string }) => {
      if (event.commandName === 'createIndexes') inFlight--;
    };
    monitored.on('commandSucceeded', finished);
    monitored.on('commandFailed', finished);
    const scratch = uniqueDatabaseName('store_indexes');
    try {
      await ensureIndexes(monitored.db(scratch));
    } finally {
      await monitored.close();
      await dropDatabase(uri, scratch).catch(() => undefined);
    }
    assert.equal(created, passerelleIndexes.length, 'one createIndexes command per index');
    assert.equal(mostAtOnce, 1, 'createIndexes commands never overlap');
  });

  it('creates its indexes idempotently', async () => {
    await ensureIndexes(db);
    const indexes = await db.collection(collections.clientFiles).indexes();
    const unique = indexes.find((index) => index.name === 'firm_code_unique');
    assert.ok(unique, 'the (firm, code) index exists');
    assert.equal(unique.unique, true);
    const contactIndexes = await db.collection(collections.contacts).indexes();
    assert.equal(contactIndexes.find((index) => index.name === 'firm_email_unique')?.unique, true);
  });

  it('inserts a client file once per (firm, code) and returns the existing one after', async () => {
    const store = createStores(db).clientFiles;
    const first = await store.insertUnlessCodeExists(newFile('firm-a', 'C1', 'Alpha'));
    assert.equal(first.inserted, true);
    const second = await store.insertUnlessCodeExists(newFile('firm-a', 'C1', 'Beta', 'another-request'));
    assert.equal(second.inserted, false);
    assert.equal(!second.inserted && second.existing.companyName, 'Alpha', 'the first one is kept untouched');
    const otherFirm = await store.insertUnlessCodeExists(newFile('firm-b', 'C1', 'Gamma'));
    assert.equal(otherFirm.inserted, true, 'the same code is free in another firm');
    assert.equal(await db.collection(collections.clientFiles).countDocuments({ code: 'C1' }), 2);
  });

  it('keeps concurrent inserts of one code to a single document', async () => {
    const store = createStores(db).clientFiles;
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, index) => store.insertUnlessCodeExists(newFile('firm-a', 'RACE', `Racer ${index}`, `r${index}`))));
    assert.equal(outcomes.filter((outcome) => outcome.inserted).length, 1, 'exactly one insert wins');
    assert.equal(await db.collection(collections.clientFiles).countDocuments({ firmId: 'firm-a', code: 'RACE' }), 1);
  });

  it('scopes every read to the firm', async () => {
    const store = createStores(db).clientFiles;
    const inserted = await store.insertUnlessCodeExists(newFile('firm-a', 'SCOPE', 'Scoped'));
    assert.ok(inserted.inserted);
    const id = inserted.record.id;
    assert.equal(await store.findById('firm-b', id), null);
    assert.equal(await store.findByCode('firm-b', 'SCOPE'), null);
    assert.deepEqual(await store.findByIds('firm-b', [id]), []);
    assert.equal((await store.findById('firm-a', id))?.companyName, 'Scoped');
    assert.equal(await store.findById('firm-a', 'not-an-object-id'), null, 'a malformed id matches nothing');
  });

  it('searches by word prefixes, all words required, ordered by name', async () => {
    const store = createStores(db).clientFiles;
    await store.insertUnlessCodeExists(newFile('firm-s', 'S1', 'Boulangerie Bernard'));
    await store.insertUnlessCodeExists(newFile('firm-s', 'S2', 'Boucherie Éloïse'));
    await store.insertUnlessCodeExists(newFile('firm-s', 'S3', 'Garage Bernard'));
    assert.deepEqual((await store.searchByWords('firm-s', ['bou'], 10)).map((file) => file.code), ['S2', 'S1']);
    assert.deepEqual((await store.searchByWords('firm-s', ['bern', 'gar'], 10)).map((file) => file.code), ['S3']);
    assert.deepEqual((await store.searchByWords('firm-s', ['eloise'], 10)).map((file) => file.code), ['S2']);
    assert.deepEqual(await store.searchByWords('firm-s', ['.*'], 10), [], 'regex characters are matched literally');
  });

  it('inserts a contact once per (firm, e-mail)', async () => {
    const store = createStores(db).contacts;
    assert.equal((await store.insertUnlessEmailExists(newContact('firm-a', 'lea@x.fr', 'Bernard'))).inserted, true);
    assert.equal((await store.insertUnlessEmailExists(newContact('firm-a', 'lea@x.fr', 'Autre'))).inserted, false);
    assert.equal((await store.findByEmail('firm-a', 'lea@x.fr'))?.lastName, 'Bernard');
    assert.equal(await store.findByEmail('firm-b', 'lea@x.fr'), null);
  });

  it('upserts links: created once, scope changes reported, replays unchanged', async () => {
    const files = createStores(db).clientFiles;
    const contacts = createStores(db).contacts;
    const links = createStores(db).links;
    const file = await files.insertUnlessCodeExists(newFile('firm-l', 'L1', 'Linked'));
    const contact = await contacts.insertUnlessEmailExists(newContact('firm-l', 'l@x.fr', 'Linker'));
    assert.ok(file.inserted && contact.inserted);
    const link = { firmId: 'firm-l', clientFileId: file.record.id, contactId: contact.record.id, scope: '-', linked: stamp };
    assert.deepEqual(await links.upsert(link), { created: true, scopeChanged: false });
    assert.deepEqual(await links.upsert(link), { created: false, scopeChanged: false, previousScope: '-' });
    assert.deepEqual(await links.upsert({ ...link, scope: 'Ventes' }), { created: false, scopeChanged: true, previousScope: '-' });
    assert.equal((await links.listByClientFile('firm-l', file.record.id)).length, 1);
    assert.equal((await links.listByContact('firm-l', contact.record.id))[0]?.scope, 'Ventes');
    assert.equal(await links.exists('firm-other', file.record.id, contact.record.id), false);
  });

  it('writes an imported line twice at once (a batch taken back while its first attempt still waited): created once, changed once, each audited once', async () => {
    const { clientFiles } = createStores(db);
    const line = (companyName: string) => ({ ...newFile('firm-i', 'I1', companyName, 'import:I1'), searchTokens: searchTokens(companyName, 'I1') });
    const audit = (change: { id: string; outcome: string }) => newAuditEntry({ firmId: 'firm-i', actor: stamp, action: `clientFile.import.${change.outcome}` as AuditAction, clientFileId: change.id, details: { code: 'I1' } });
    const created = await Promise.all([clientFiles.upsertFromImport(line('Importée'), audit), clientFiles.upsertFromImport(line('Importée'), audit)]);
    assert.deepEqual(created.map((result) => result.outcome).sort(), ['created', 'unchanged']);
    assert.equal(created[0]!.id, created[1]!.id, 'one record');
    const changed = await Promise.all([clientFiles.upsertFromImport(line('Importée SAS'), audit), clientFiles.upsertFromImport(line('Importée SAS'), audit)]);
    assert.deepEqual(changed.map((result) => result.outcome).sort(), ['unchanged', 'updated']);
    const log = db.collection(collections.auditLog);
    const countOf = async (action: string) => {
      let count = 0;
      for (let attempt = 0; attempt < 30 && count === 0; attempt++) {
        count = await log.countDocuments({ firmId: 'firm-i', action });
        if (count === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return count;
    };
    assert.equal(await countOf('clientFile.import.created'), 1, 'the creation audited once');
    assert.equal(await countOf('clientFile.import.updated'), 1, 'the change audited once');
    assert.equal(await db.collection(collections.clientFiles).countDocuments({ firmId: 'firm-i' }), 1);
  });

  it('creates firm settings with defaults once and edits the role list', async () => {
    const firms = createStores(db).firms;
    const settings = await firms.ensure('firm-r', { orgRoles: ['A', 'B'], guestPolicy: defaultGuestPolicy, offerCatalogue: [], engagementPolicy: defaultEngagementPolicy, supportPolicy: defaultSupportPolicy, partnerDefaults: defaultPartnerDefaults });
    assert.deepEqual(settings.orgRoles, ['A', 'B']);
    assert.equal(await firms.addOrgRole('firm-r', 'C'), true);
    assert.deepEqual((await firms.ensure('firm-r', { orgRoles: ['ignored'], guestPolicy: defaultGuestPolicy, offerCatalogue: [], engagementPolicy: defaultEngagementPolicy, supportPolicy: defaultSupportPolicy, partnerDefaults: defaultPartnerDefaults })).orgRoles, ['A', 'B', 'C']);
    assert.equal(await firms.removeOrgRole('firm-r', 'A'), true);
    assert.deepEqual((await firms.ensure('firm-r', { orgRoles: [], guestPolicy: defaultGuestPolicy, offerCatalogue: [], engagementPolicy: defaultEngagementPolicy, supportPolicy: defaultSupportPolicy, partnerDefaults: defaultPartnerDefaults })).orgRoles, ['B', 'C']);
  });

  it('keeps a firm’s engagement and support policies, and gives a firm created before them the defaults', async () => {
    const firms = createStores(db).firms;
    const defaults = { orgRoles: [], guestPolicy: defaultGuestPolicy, offerCatalogue: [], engagementPolicy: defaultEngagementPolicy, supportPolicy: defaultSupportPolicy, partnerDefaults: defaultPartnerDefaults };
    await db.collection(collections.firms).insertOne({ firmId: 'firm-older', orgRoles: ['A'], createdAt: new Date() });
    const older = await firms.ensure('firm-older', defaults);
    assert.deepEqual([older.engagementPolicy, older.supportPolicy], [defaultEngagementPolicy, defaultSupportPolicy], 'a firm stored before the policies existed reads the defaults');
    await firms.updateEngagementPolicy('firm-older', { guestFateAtEnd: 'block', reviewAfterDays: 45 });
    await firms.updateSupportPolicy('firm-older', { channel: { teamId: 't', channelId: 'c' }, firstAnswerWithinWorkingDays: 2, autoCloseAfterDays: 10 });
    const changed = await firms.ensure('firm-older', defaults);
    assert.deepEqual(changed.engagementPolicy, { guestFateAtEnd: 'block', reviewAfterDays: 45 });
    assert.deepEqual(changed.supportPolicy, { channel: { teamId: 't', channelId: 'c' }, firstAnswerWithinWorkingDays: 2, autoCloseAfterDays: 10 });
  });

  const uniqueTitle = 'enforces the unique (firm, code) index on direct writes';
  it(usingRealMongo ? uniqueTitle : `${uniqueTitle} (skipped: the stand-in does not enforce unique indexes; set TEST_MONGODB_URI to a real MongoDB)`, async function () {
    if (!usingRealMongo) this.skip();
    const collection = db.collection(collections.clientFiles);
    await collection.insertOne({ firmId: 'firm-u', code: 'U1' });
    // Recognised by its code: the message text differs between MongoDB, Cosmos DB and DocumentDB-based servers.
    await assert.rejects(collection.insertOne({ firmId: 'firm-u', code: 'U1' }), (error: unknown) => error instanceof MongoServerError && error.code === 11000);
  });
});
