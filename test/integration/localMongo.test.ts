import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON, MongoClient, ObjectId } from 'mongodb';
import { startLocalMongo, type LocalMongo } from '../../bot/dev/localMongo.js';
import { createLogger } from '../../bot/logger.js';

const { EJSON } = BSON;

/** The in-process stand-in can leak index state between servers of one process: one database name per test. */
const uniqueDb = (label: string) => `lm_${label}_${new ObjectId().toHexString().slice(-8)}`;

describe('local MongoDB (stand-in + snapshot)', function () {
  this.timeout(30_000);

  let dir: string;
  let savedBinary: string | undefined;
  let lines: string[];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  const started: LocalMongo[] = [];
  const clients: MongoClient[] = [];

  async function start(snapshotPath: string, snapshotEverySeconds = 3600): Promise<{ mongo: LocalMongo; client: MongoClient }> {
    const mongo = await startLocalMongo({ snapshotPath, snapshotEverySeconds, logger });
    started.push(mongo);
    const client = new MongoClient(mongo.uri);
    clients.push(client);
    await client.connect();
    return { mongo, client };
  }

  before(() => {
    // These tests are about the stand-in and its snapshot file, even on a machine that has a mongod.
    savedBinary = process.env.MONGOMS_SYSTEM_BINARY;
    delete process.env.MONGOMS_SYSTEM_BINARY;
  });

  after(() => {
    if (savedBinary !== undefined) process.env.MONGOMS_SYSTEM_BINARY = savedBinary;
  });

  beforeEach(async () => {
    lines = [];
    dir = await mkdtemp(join(tmpdir(), 'passerelle-localmongo-'));
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
    for (const mongo of started.splice(0)) await mongo.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps documents and their BSON types across a stop and a restart', async () => {
    const snapshotPath = join(dir, 'nested', 'local-mongodb.json');
    const dbName = uniqueDb('roundtrip');
    const firmId = new ObjectId();
    const clientsDocs = [
      {
        _id: new ObjectId(),
        firmId,
        companyName: 'Boulangerie Bernard',
        createdAt: new Date('2025-03-01T08:30:00.123Z'),
        address: { street: '3 rue de la Gare', city: 'Lyon', geo: { lat: 45.76, lng: 4.83 } },
        tags: ['paie', 'tva'],
        contacts: [{ contactId: new ObjectId(), since: new Date('2025-01-02T00:00:00Z'), primary: true }],
        employees: 12,
        closedAt: null,
      },
      { _id: new ObjectId(), firmId, companyName: 'Garage Dupont – SARL « Élan »', createdAt: new Date(0), tags: [], employees: 0 },
    ];
    const auditDocs = Array.from({ length: 2_500 }, (_, i) => ({
      _id: new ObjectId(),
      firmId,
      at: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
      action: i % 2 ? 'contact.invited' : 'file.created',
      details: { index: i, ratio: i / 7, nested: { ok: i % 3 === 0 } },
    }));

    const first = await start(snapshotPath);
    assert.equal(first.mongo.kind, 'stand-in');
    assert.match(first.mongo.uri, /^mongodb:\/\/127\.0\.0\.1:\d+\/\?/);
    await first.client.db(dbName).collection('clientFiles').insertMany(clientsDocs.map((d) => ({ ...d })));
    await first.client.db(dbName).collection('auditLog').insertMany(auditDocs.map((d) => ({ ...d })));
    await first.client.db(dbName).createCollection('empty');
    await first.client.close();
    await first.mongo.stop();

    const text = await readFile(snapshotPath, 'utf8');
    assert.match(text, /"\$oid"/, 'ObjectIds are written as canonical Extended JSON');
    assert.match(text, /"\$date"/, 'Dates are written as canonical Extended JSON');
    await assert.rejects(stat(`${snapshotPath}.tmp`), 'the temporary file is renamed away');

    const second = await start(snapshotPath);
    const db = second.client.db(dbName);
    const reloadedClients = await db.collection('clientFiles').find().sort({ _id: 1 }).toArray();
    const reloadedAudit = await db.collection('auditLog').find().sort({ _id: 1 }).toArray();
    assert.deepStrictEqual(reloadedClients, [...clientsDocs].sort((a, b) => a._id.toHexString().localeCompare(b._id.toHexString())));
    assert.deepStrictEqual(reloadedAudit, auditDocs);
    const sample = reloadedClients.find((d) => d.companyName === 'Boulangerie Bernard') as (typeof clientsDocs)[0] | undefined;
    assert.ok(sample?._id instanceof ObjectId);
    assert.ok(sample.firmId instanceof ObjectId);
    assert.ok(sample.createdAt instanceof Date);
    assert.ok(sample.contacts?.[0]?.contactId instanceof ObjectId);
    assert.ok(sample.contacts[0].since instanceof Date);
    assert.equal(sample.address?.geo.lat, 45.76);
    const collectionNames = (await db.listCollections().toArray()).map((c) => c.name).sort();
    assert.deepStrictEqual(collectionNames, ['auditLog', 'clientFiles', 'empty']);
    // Still a working server after the reload.
    await db.collection('clientFiles').insertOne({ _id: new ObjectId(), firmId, companyName: 'Nouveau' });
    assert.equal(await db.collection('clientFiles').countDocuments({ firmId }), 3);
  });

  it('moves a corrupt snapshot aside, warns, and starts empty', async () => {
    const snapshotPath = join(dir, 'local-mongodb.json');
    const garbage = '{"format":"passerelle-local-mongodb","version":1,"collections":[{"db":"x","collection":"y","documents":[{"_id":';
    await writeFile(snapshotPath, garbage);

    const { mongo, client } = await start(snapshotPath);
    assert.equal(mongo.snapshotTrouble?.kind, 'unreadable', 'the banner is told the local database starts empty');
    const files = await readdir(dir);
    const aside = files.filter((name) => name.startsWith('local-mongodb.json.corrupt-'));
    assert.equal(aside.length, 1, `corrupt file kept aside (files: ${files.join(', ')})`);
    assert.equal(await readFile(join(dir, aside[0]!), 'utf8'), garbage, 'the corrupt content is kept byte for byte');
    assert.ok(!files.includes('local-mongodb.json'), 'the corrupt file is no longer at the snapshot path');
    const warning = lines.map((line) => JSON.parse(line) as { level: string; message: string }).find((entry) => entry.level === 'warn');
    assert.ok(warning && /CORROMPU/.test(warning.message) && warning.message.includes(aside[0]!), 'a clear warning names the kept file');

    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    assert.deepStrictEqual(databases.map((d) => d.name).filter((name) => !['admin', 'local', 'config'].includes(name)), []);

    const dbName = uniqueDb('corrupt');
    await client.db(dbName).collection('firms').insertOne({ _id: new ObjectId(), name: 'Cabinet Démo' });
    await mongo.saveSnapshot();
    const saved = EJSON.parse(await readFile(snapshotPath, 'utf8'), { relaxed: false }) as { collections: { db: string }[] };
    assert.deepStrictEqual(saved.collections.map((c) => c.db), [dbName], 'a fresh snapshot is written at the usual path');
  });

  it('loads every good document of a snapshot holding a bad one, keeps a copy of the file and names what was left out', async () => {
    const snapshotPath = join(dir, 'local-mongodb.json');
    const dbName = uniqueDb('partial');
    const good = [{ _id: { $oid: '64b000000000000000000001' }, name: 'Cabinet Démo' }, { _id: { $oid: '64b000000000000000000002' }, name: 'Autre' }];
    const original = JSON.stringify({
      format: 'passerelle-local-mongodb',
      version: 1,
      collections: [
        { db: dbName, collection: 'firms', documents: [good[0], { name: 'sans identifiant' }, good[1]] },
        { db: dbName, collection: 'contacts', documents: [{ _id: { $oid: '64b000000000000000000003' }, email: 'lea@boulangerie.test' }] },
      ],
    });
    await writeFile(snapshotPath, original);

    const { mongo, client } = await start(snapshotPath);
    assert.equal(mongo.snapshotTrouble?.kind, 'partial', 'the banner is told part of the snapshot was left out');
    const names = (await client.db(dbName).collection('firms').find().sort({ _id: 1 }).toArray()).map((doc) => doc.name);
    assert.deepStrictEqual(names, ['Cabinet Démo', 'Autre'], 'the good documents of the damaged collection are loaded');
    assert.equal(await client.db(dbName).collection('contacts').countDocuments(), 1, 'the other collections are loaded');
    const files = await readdir(dir);
    const copies = files.filter((name) => name.startsWith('local-mongodb.json.corrupt-'));
    assert.equal(copies.length, 1, `a copy of the file is kept (files: ${files.join(', ')})`);
    assert.equal(await readFile(join(dir, copies[0]!), 'utf8'), original, 'the copy is the file as it was, byte for byte');
    const warning = lines.map((line) => JSON.parse(line) as { level: string; message: string }).find((entry) => entry.level === 'warn');
    assert.ok(warning && warning.message.includes(`1 document(s) invalide(s) ou sans _id dans ${dbName}.firms`) && warning.message.includes(copies[0]!), `the warning says what was left out and where the copy is: ${warning?.message}`);
  });

  it('also treats a valid JSON file of the wrong shape as corrupt', async () => {
    const snapshotPath = join(dir, 'local-mongodb.json');
    await writeFile(snapshotPath, '{"hello":"world"}');
    await start(snapshotPath);
    const files = await readdir(dir);
    assert.equal(files.filter((name) => name.startsWith('local-mongodb.json.corrupt-')).length, 1);
  });

  it('saves periodically, and only when something changed', async () => {
    const snapshotPath = join(dir, 'local-mongodb.json');
    const dbName = uniqueDb('periodic');
    const { client } = await start(snapshotPath, 1);
    const collection = client.db(dbName).collection('contacts');

    const firstId = new ObjectId();
    await collection.insertOne({ _id: firstId, at: new Date('2025-06-01T10:00:00Z') });
    const firstText = await waitForSnapshotContaining(snapshotPath, firstId);
    assert.ok(firstText, 'the first change is saved within a few seconds without any stop');

    const secondId = new ObjectId();
    await collection.updateOne({ _id: firstId }, { $set: { seen: true } });
    await collection.insertOne({ _id: secondId });
    const secondText = await waitForSnapshotContaining(snapshotPath, secondId);
    assert.ok(secondText, 'later changes are saved too');
    const saved = EJSON.parse(secondText, { relaxed: false }) as { collections: { documents: { _id: ObjectId; seen?: boolean }[] }[] };
    assert.equal(saved.collections[0]?.documents.find((d) => d._id.equals(firstId))?.seen, true);

    // Nothing changes: the file is left alone.
    const before = (await stat(snapshotPath)).mtimeMs;
    await sleep(2_300);
    assert.equal((await stat(snapshotPath)).mtimeMs, before);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForSnapshotContaining(path: string, id: ObjectId, timeoutMs = 5_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await readFile(path, 'utf8').catch(() => '');
    if (text.includes(id.toHexString())) return text;
    await sleep(100);
  }
  throw new Error(`snapshot ${path} does not contain ${id.toHexString()} after ${timeoutMs} ms`);
}
