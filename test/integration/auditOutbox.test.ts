import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { MainManagerAvailability } from '../../bot/domain/access/mainManagerAvailability.js';
import { createAccessCore, type AccessCore, type StaffIdentity } from '../../bot/domain/access/accessUseCases.js';
import type { Actor } from '../../bot/domain/actor.js';
import { newAuditEntry, type AuditAction } from '../../bot/domain/audit.js';
import type { AuditEntry } from '../../bot/domain/ports.js';
import { ClientFileService } from '../../bot/domain/clientFileService.js';
import { searchTokens } from '../../bot/domain/fieldRules.js';
import { MongoAuditLog } from '../../bot/store/auditRepository.js';
import { AuditRelay, auditDocument } from '../../bot/store/auditRelay.js';
import { MongoClientFileStore } from '../../bot/store/clientFileRepository.js';
import { MongoContactLinkStore } from '../../bot/store/contactLinkRepository.js';
import { MongoContactStore } from '../../bot/store/contactRepository.js';
import { MongoTeamStore } from '../../bot/store/teamRepository.js';
import { collections, ensureIndexes } from '../../bot/store/mongo.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName, usingRealMongo } from '../helpers/mongo.js';
import { createStores, type Stores } from '../../bot/store/stores.js';

/**
 * The audit outbox: a change and its audit entry are one write on one record; the relay moves the
 * entry to the log right away, or the sweep does later when the log could not take it, once only.
 */
describe(`Audit outbox (${usingRealMongo ? 'real MongoDB' : 'in-process stand-in'})`, function () {
  this.timeout(30_000);
  let client: MongoClient;
  let db: Db;
  let uri: string;
  let stores: Stores;
  let relay: AuditRelay;
  let log: MongoAuditLog;
  let files: MongoClientFileStore;
  let contacts: MongoContactStore;
  let links: MongoContactLinkStore;
  let service: ClientFileService;
  const name = uniqueDatabaseName('audit_outbox');
  const at = new Date('2026-11-02T09:00:00Z');
  let firmCount = 0;
  const newActor = (): Actor => ({ firmId: `firm-outbox-${++firmCount}`, userId: 'u1', displayName: 'Claire Martin' });

  /** The log refuses the next `times` inserts, as an unreachable or failing log would. */
  function failLogInserts(times = 1): () => void {
    const append = relay.append.bind(relay);
    let left = times;
    relay.append = (document) => (left-- > 0 ? Promise.reject(new Error('log unreachable')) : append(document));
    return () => {
      relay.append = append;
    };
  }

  const rawFile = (firmId: string, code: string) => db.collection(collections.clientFiles).findOne({ firmId, code });
  const logged = (firmId: string) => db.collection(collections.auditLog).find({ firmId }).toArray();

  before(async () => {
    uri = await testMongoUri();
    client = new MongoClient(uri, { ignoreUndefined: true });
    db = client.db(name);
    await ensureIndexes(db);
    stores = createStores(db);
    relay = stores.auditRelay;
    log = stores.audit;
    files = stores.clientFiles;
    contacts = stores.contacts;
    links = stores.links;
    service = new ClientFileService({ clientFiles: files, contacts, links, teams: new MongoTeamStore(db), now: () => at });
  });
  after(async () => {
    await client?.close();
    await dropDatabase(uri, name).catch(() => undefined);
  });

  it('delivers the entry with the change: the log has it, the record keeps nothing pending', async () => {
    const actor = newActor();
    const created = await service.create(actor, 'req-1', { code: '000001', companyName: 'Boulangerie Bernard' });
    assert.equal(created.status, 'created');
    const entries = await log.listForClientFile(actor.firmId, created.status === 'created' ? created.record.id : '', 10);
    assert.deepEqual(entries.map((entry) => entry.action), ['clientFile.created']);
    assert.match(entries[0]!.id, /^[0-9a-f-]{36}$/, 'the id given in the domain');
    assert.deepEqual((await rawFile(actor.firmId, '000001'))?.pendingAudit, []);
    const record = created.status === 'created' ? created.record : undefined;
    assert.equal((record as unknown as Record<string, unknown>).pendingAudit, undefined, 'records read by the domain never show the outbox');
  });

  it('keeps the entry on the record when the log fails, and the sweep delivers it exactly once', async () => {
    const actor = newActor();
    const restore = failLogInserts();
    try {
      const created = await service.create(actor, 'req-2', { code: '000002', companyName: 'Garage Martin' });
      assert.equal(created.status, 'created', 'the change stands even though the log refused its entry');
    } finally {
      restore();
    }
    const pending = (await rawFile(actor.firmId, '000002'))?.pendingAudit as { id: string; action: string }[];
    assert.deepEqual(pending.map((entry) => entry.action), ['clientFile.created'], 'the change and its entry were written together');
    assert.equal((await logged(actor.firmId)).length, 0);

    assert.ok((await relay.sweep()) >= 1);
    assert.equal(await relay.sweep(), 0, 'a second sweep finds nothing to deliver');
    const entries = await logged(actor.firmId);
    assert.deepEqual(entries.map((entry) => entry.action), ['clientFile.created']);
    assert.equal(entries[0]!.id, pending[0]!.id);
    assert.deepEqual((await rawFile(actor.firmId, '000002'))?.pendingAudit, []);
  });

  it('stores an entry once however many times it is delivered (crash between the log and the record)', async () => {
    const actor = newActor();
    const entry = newAuditEntry({ firmId: actor.firmId, actor: { ...actor, at }, action: 'clientFile.created' });
    const document = auditDocument(entry);
    assert.equal(await relay.append(document), true);
    assert.equal(await relay.append(document), false);
    const [first, second] = await Promise.all([relay.append(auditDocument({ ...entry, id: `${entry.id}-b` })), relay.append(auditDocument({ ...entry, id: `${entry.id}-b` }))]);
    assert.equal(Number(first) + Number(second), 1, 'two deliveries at once write once');
    assert.equal((await logged(actor.firmId)).length, 2);
  });

  it('writes a change and its entry together or not at all', async () => {
    const actor = newActor();
    const contact = await contacts.insertUnlessEmailExists({
      firmId: actor.firmId, lastName: 'Bernard', mobile: '+33612345678', email: 'lea@bernard.fr', address: {}, searchTokens: searchTokens('Bernard'), creationRequestId: 'r', created: { ...actor, at }, updatedAt: at,
    });
    assert.ok(contact.inserted);
    const id = contact.record.id;
    const entry = (action: AuditAction) => newAuditEntry({ firmId: actor.firmId, actor: { ...actor, at }, action, contactId: id });
    // The guard fails (the contact was never invited): neither the change nor its entry is written.
    assert.equal(await contacts.updateGuest(actor.firmId, id, 'invited', { state: 'accepted', invitationCount: 1, checks: 0 }, entry('guest.accepted')), false);
    const untouched = await db.collection(collections.contacts).findOne({ firmId: actor.firmId, email: 'lea@bernard.fr' });
    assert.equal(untouched?.guest, undefined);
    assert.equal(untouched?.pendingAudit, undefined);

    // The guard holds while the log is away: the record has the change and its entry, both.
    const restore = failLogInserts();
    try {
      assert.equal(await contacts.updateGuest(actor.firmId, id, undefined, { state: 'invited', invitationCount: 1, checks: 0 }, entry('guest.invited')), true);
    } finally {
      restore();
    }
    const changed = await db.collection(collections.contacts).findOne({ firmId: actor.firmId, email: 'lea@bernard.fr' });
    assert.equal(changed?.guest?.state, 'invited');
    assert.deepEqual((changed?.pendingAudit as { action: string }[]).map((pending) => pending.action), ['guest.invited']);
    assert.deepEqual((await logged(actor.firmId)).map((logEntry) => logEntry.action), []);
    await relay.sweep();
    assert.deepEqual((await log.listForContact(actor.firmId, id, 10)).map((logEntry) => logEntry.action), ['guest.invited']);

    // A stale offer change (wrong version) writes nothing either.
    const subscriptions = stores.subscriptions;
    const { subscription } = await subscriptions.insertUnlessExists({
      firmId: actor.firmId, clientFileId: '65a000000000000000000001', contactId: id, offerId: 'start', state: 'active', version: 1, steps: [], proposed: { ...actor, at },
    });
    assert.equal(await subscriptions.update(actor.firmId, subscription.id, 7, { state: 'ended' }, entry('offer.ended')), null);
    const stored = await db.collection(collections.offerSubscriptions).findOne({ firmId: actor.firmId });
    assert.equal(stored?.state, 'active');
    assert.equal(stored?.pendingAudit, undefined);
  });

  it('keeps the order of changes made in the same millisecond, even when one entry arrives late', async () => {
    const actor = newActor();
    const restore = failLogInserts();
    try {
      await service.create(actor, 'req-a', { code: '000010', companyName: 'Atelier Arnaud' });
    } finally {
      restore();
    }
    await service.create(actor, 'req-b', { code: '000011', companyName: 'Bistrot Blanc' });
    await relay.sweep();
    const entries = await log.search(actor.firmId, {}, 10);
    assert.deepEqual(entries.map((entry) => entry.details?.code), ['000011', '000010'], 'newest first, as the changes happened');
  });

  it('tells each subscriber once per entry, whichever way it reached the log; a failing one stops nothing', async () => {
    const actor = newActor();
    const seen: AuditEntry[] = [];
    const stopCounting = log.subscribe((entry) => {
      if (entry.firmId === actor.firmId) seen.push(entry);
    });
    const stopFailing = log.subscribe(() => {
      throw new Error('projector down');
    });
    try {
      const restore = failLogInserts();
      let fileId = '';
      try {
        const created = await service.create(actor, 'req-s1', { code: '000020', companyName: 'Cave Cordier' });
        fileId = created.status === 'created' ? created.record.id : '';
      } finally {
        restore();
      }
      assert.equal(seen.length, 0, 'not before it is in the log');
      await relay.sweep();
      await relay.sweep();
      const contact = await contacts.insertUnlessEmailExists(
        { firmId: actor.firmId, lastName: 'Cordier', mobile: '+33612345678', email: 'paul@cordier.fr', address: {}, searchTokens: searchTokens('Cordier'), creationRequestId: 'r2', created: { ...actor, at }, updatedAt: at },
        (contactId) => newAuditEntry({ firmId: actor.firmId, actor: { ...actor, at }, action: 'contact.created', contactId }),
      );
      assert.ok(contact.inserted);
      await links.upsert({ firmId: actor.firmId, clientFileId: fileId, contactId: contact.record.id, scope: '-', linked: { ...actor, at } }, (change) =>
        newAuditEntry({ firmId: actor.firmId, actor: { ...actor, at }, action: change.created ? 'contact.linked' : 'contact.linkScopeChanged', clientFileId: fileId, contactId: contact.record.id }),
      );
      // Replaying the same link changes nothing and logs nothing.
      await links.upsert({ firmId: actor.firmId, clientFileId: fileId, contactId: contact.record.id, scope: '-', linked: { ...actor, at } }, () => {
        throw new Error('no entry for a link left as it was');
      });
      await log.record({ firmId: actor.firmId, actor: { ...actor, at }, action: 'import.done' });
      await relay.sweep();

      assert.deepEqual(seen.map((entry) => entry.action), ['clientFile.created', 'contact.created', 'contact.linked', 'import.done']);
      assert.equal(new Set(seen.map((entry) => entry.id)).size, 4, 'once each');
      assert.equal(seen[0]!.clientFileId, fileId, 'entries keep the file they are about');
      assert.deepEqual([seen[2]!.clientFileId, seen[2]!.contactId], [fileId, contact.record.id]);
    } finally {
      stopCounting();
      stopFailing();
    }
  });

  describe('access and structures', () => {
    // The directory (Microsoft Graph's edge) finds nobody: take-overs are tested in access.test.ts against the local tenant.
    let access: AccessCore;
    before(() => {
      const nobodyUnavailable = new MainManagerAvailability({ memberships: stores.memberships, directory: { findUserByEmail: async () => null } });
      access = createAccessCore({
        structures: stores.structures,
        memberships: stores.memberships,
        requests: stores.accessRequests,
        now: () => at,
      }, { requestFiled: async () => [], requestDecided: async () => undefined }, nobodyUnavailable);
    });

    type Pending = { id: string; action: string; details?: Record<string, unknown> }[];
    const pendingOf = async (collection: string, filter: Record<string, unknown>) => ((await db.collection(collection).findOne(filter))?.pendingAudit ?? []) as Pending;
    const actionsLogged = async (firmId: string) => (await logged(firmId)).map((entry) => entry.action).sort();

    /** The firm's first user, made its main manager with the log up: nothing pending afterwards. */
    async function firstUser(): Promise<StaffIdentity & { email: string }> {
      const actor = newActor();
      const admin = { ...actor, email: 'claire@cabinet.test' };
      assert.equal((await access.sessions.contextFor(admin)).role, 'mainManager');
      return admin;
    }

    it('writes the bootstrap with its entry, and the main-manager claim with its own, delivered once by the sweep', async () => {
      const identity = { ...newActor(), email: 'claire@cabinet.test' };
      const restore = failLogInserts(2);
      try {
        assert.equal((await access.sessions.contextFor(identity)).role, 'mainManager', 'the first user stands as main manager though the log refused both entries');
      } finally {
        restore();
      }
      const onMembership = await pendingOf(collections.memberships, { firmId: identity.firmId, email: identity.email });
      const onFirm = await pendingOf(collections.firms, { firmId: identity.firmId });
      assert.deepEqual(onMembership.map((entry) => entry.action), ['access.bootstrapped'], 'the membership insert carries its entry');
      assert.deepEqual(onFirm.map((entry) => [entry.action, entry.details?.email]), [['access.mainManagerClaimed', identity.email]], 'the claim on the firm document carries its own');
      assert.equal((await logged(identity.firmId)).length, 0);

      await relay.sweep();
      await relay.sweep();
      assert.deepEqual(await actionsLogged(identity.firmId), ['access.bootstrapped', 'access.mainManagerClaimed'], 'once each');
      assert.deepEqual(await pendingOf(collections.memberships, { firmId: identity.firmId, email: identity.email }), []);
      assert.deepEqual(await pendingOf(collections.firms, { firmId: identity.firmId }), []);
      // The same person coming again is no new bootstrap.
      await access.sessions.contextFor(identity);
      assert.equal((await logged(identity.firmId)).length, 2);
    });

    it('attaches with its entry in the same write; a re-attachment reports what the store replaced', async () => {
      const admin = await firstUser();
      const mark = (await logged(admin.firmId)).length;
      const restore = failLogInserts();
      try {
        const attached = await access.members.attach(admin, { email: 'paul@cabinet.test', displayName: 'Paul Durand' });
        assert.ok(attached.ok, 'the attachment stands though the log refused its entry');
      } finally {
        restore();
      }
      const pending = await pendingOf(collections.memberships, { firmId: admin.firmId, email: 'paul@cabinet.test' });
      assert.deepEqual(pending.map((entry) => [entry.action, entry.details?.before]), [['access.attached', null]], 'created: no membership before');
      assert.equal((await logged(admin.firmId)).length, mark);

      await relay.sweep();
      await relay.sweep();
      const attached = (await logged(admin.firmId)).filter((entry) => entry.action === 'access.attached');
      assert.deepEqual(attached.map((entry) => entry.id), [pending[0]!.id], 'delivered exactly once');

      assert.ok((await access.members.detach(admin, 'paul@cabinet.test', 'Départ')).ok);
      assert.ok((await access.members.attach(admin, { email: 'paul@cabinet.test' })).ok);
      const again = (await logged(admin.firmId)).filter((entry) => entry.action === 'access.attached');
      assert.equal(again.length, 2);
      const reattached = again.find((entry) => entry.id !== pending[0]!.id)!;
      assert.equal((reattached.details?.before as { status: string }).status, 'detached', 're-attached: the membership as it was just before');
      assert.deepEqual(await pendingOf(collections.memberships, { firmId: admin.firmId, email: 'paul@cabinet.test' }), []);
    });

    it('inserts a request with its entry, numbered by the store, delivered once by the sweep', async () => {
      const admin = await firstUser();
      const requester = { firmId: admin.firmId, userId: 'u-lea', displayName: 'Léa Petit', email: 'lea@cabinet.test' };
      const restore = failLogInserts();
      let number = 0;
      try {
        const requested = await access.requests.request(requester, { kind: 'join', comment: 'Nouvelle au cabinet' });
        assert.ok(requested.ok, 'the request stands though the log refused its entry');
        number = requested.value.number;
      } finally {
        restore();
      }
      const pending = await pendingOf(collections.accessRequests, { firmId: admin.firmId, number });
      assert.deepEqual(pending.map((entry) => [entry.action, entry.details?.number]), [['access.requested', number]], 'the entry knows the number the counter gave');
      const adminAccess = await access.sessions.contextFor(admin);
      assert.equal((await access.requests.listPending(admin.firmId, adminAccess))[0]?.number, number);
      assert.equal(((await access.requests.listPending(admin.firmId, adminAccess))[0] as unknown as Record<string, unknown>).pendingAudit, undefined, 'requests read back never show the outbox');
      assert.deepEqual(await access.requests.listPending(admin.firmId, await access.sessions.contextFor(requester)), [], 'someone who decides no request sees none');

      await relay.sweep();
      await relay.sweep();
      const requested = (await logged(admin.firmId)).filter((entry) => entry.action === 'access.requested');
      assert.deepEqual(requested.map((entry) => entry.id), [pending[0]!.id]);
      assert.deepEqual(await pendingOf(collections.accessRequests, { firmId: admin.firmId, number }), []);
    });

    it('changes a structure and its services with their entries in the same write; a stale change writes neither', async () => {
      const admin = await firstUser();
      const restore = failLogInserts(2);
      try {
        assert.ok((await access.structures.createService(admin, 'default', 'Pôle social')).ok, 'the service exists though the log refused its entry');
        assert.ok((await access.structures.updateStructure(admin, 'default', { displayName: 'Cabinet Démo Lyon' })).ok);
      } finally {
        restore();
      }
      const firm = await db.collection(collections.firms).findOne({ firmId: admin.firmId });
      assert.deepEqual((firm?.structureServices as { name: string }[]).map((service) => service.name), ['Pôle social']);
      assert.deepEqual((firm?.pendingAudit as Pending).map((entry) => entry.action), ['structure.serviceCreated', 'structure.updated']);

      // A stale version writes nothing, its entry included.
      const stale = newAuditEntry({ firmId: admin.firmId, actor: { ...admin, at }, action: 'structure.deactivated', details: { structureId: 'default' } });
      assert.equal(await stores.structures.update(admin.firmId, 'default', 0, { active: false }, stale), false);
      assert.deepEqual((await pendingOf(collections.firms, { firmId: admin.firmId })).map((entry) => entry.action), ['structure.serviceCreated', 'structure.updated']);

      await relay.sweep();
      await relay.sweep();
      assert.deepEqual(await actionsLogged(admin.firmId), ['access.bootstrapped', 'access.mainManagerClaimed', 'structure.serviceCreated', 'structure.updated']);
      assert.deepEqual(await pendingOf(collections.firms, { firmId: admin.firmId }), []);

      // A further structure is a document of its own, inserted with its entry.
      const failing = failLogInserts();
      try {
        assert.ok((await access.structures.createStructure(admin, { siret: '44306184100047', legalName: 'Cabinet Démo Grenoble' })).ok);
      } finally {
        failing();
      }
      assert.deepEqual((await pendingOf(collections.structures, { firmId: admin.firmId, structureId: '44306184100047' })).map((entry) => entry.action), ['structure.created']);
      await relay.sweep();
      assert.equal((await logged(admin.firmId)).filter((entry) => entry.action === 'structure.created').length, 1);
      assert.deepEqual(await pendingOf(collections.structures, { firmId: admin.firmId, structureId: '44306184100047' }), []);
    });
  });
});
