import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { MainManagerAvailability } from '../../bot/domain/access/mainManagerAvailability.js';
import { createAccessCore, withApprovals, type AccessUseCases, type StaffIdentity } from '../../bot/domain/access/accessUseCases.js';
import { requirements } from '../../bot/domain/access/policy.js';
import type { Profile, Requirement } from '../../bot/domain/access/profiles.js';
import { ensureIndexes } from '../../bot/store/mongo.js';
import type { Access } from '../../bot/teams/handlers.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { createStores } from '../../bot/store/stores.js';
import { GuestEngagement, guestDeletionRequirement } from '../../bot/domain/guestEngagement.js';
import { SupportRequests } from '../../bot/domain/support/supportRequests.js';

/**
 * A command or card verb declares a coarse `requires`, checked before its handler runs; its use case
 * enforces the real rule. The two must agree: a first filter stricter than the use case refuses people
 * the use case would allow, a looser one hides an administrator verb behind « anyone ».
 */

/** What answers a use case gives when the policy says no. */
const policyRefusals = new Set(['notAdministrator', 'notPermitted', 'structureInactive', 'notMainManager', 'notAttached']);

type Probe = (access: AccessUseCases, actor: StaffIdentity & { email: string }) => Promise<{ ok: boolean; refusal?: string; denied?: unknown }>;

/** Asks to read or administer the default structure, as the card and command handlers do first. */
const opens = (need: 'read' | 'administer'): Probe => (access, actor) => access.structures.open(actor, 'default', need);
const nobody = 'personne@cabinet.test';

/**
 * Every handler whose right is decided in the structure it names, with a call of its use case that
 * writes nothing whoever makes it (a target nobody, an unconfirmed deactivation, a stale version).
 */
const decidedInStructure: Record<string, { requires: Access; probe: Probe }> = {
  'access.users': { requires: { inStructure: requirements.read('organisation') }, probe: opens('read') },
  'access.openProfiles': { requires: { inStructure: requirements.change('organisation') }, probe: opens('administer') },
  'access.saveProfiles': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.members.replaceProfiles(actor, nobody, []) },
  'access.detach': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.members.detach(actor, nobody, 'Départ') },
  'structure.show': { requires: { inStructure: requirements.read('organisation') }, probe: opens('read') },
  'structure.save': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.structures.updateStructure(actor, 'default', { displayName: 'Cabinet' }, 999) },
  'structure.confirmDeactivate': { requires: { inStructure: requirements.change('organisation') }, probe: opens('administer') },
  'structure.deactivate': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.structures.setStructureActive(actor, 'default', false, false) },
  'structure.activate': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.structures.setStructureActive(actor, 'default', true, true) },
  'structure.services': { requires: { inStructure: requirements.read('organisation') }, probe: opens('read') },
  'service.create': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.structures.createService(actor, 'default', 'Pôle paie') },
  'service.rename': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.structures.renameService(actor, 'default', 'inconnu', 'Pôle social') },
  'service.setActive': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.structures.setServiceActive(actor, 'default', 'inconnu', false) },
  'access.openServices': { requires: { inStructure: requirements.change('organisation') }, probe: opens('administer') },
  'access.setServices': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.members.setServices(actor, nobody, []) },
  'access.detachServices': { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.members.detachFromServices(actor, nobody, ['inconnu'], 'Départ') },
  structures: { requires: { inStructure: 'attached' }, probe: (access, actor) => access.members.structuresSeenBy(actor) },
  structure: { requires: { inStructure: requirements.read('organisation') }, probe: opens('read') },
  deactivateStructure: { requires: { inStructure: requirements.change('organisation') }, probe: opens('administer') },
  activateStructure: { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.structures.setStructureActive(actor, 'default', true, true) },
  services: { requires: { inStructure: requirements.read('organisation') }, probe: opens('read') },
  attach: { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.members.attach(actor, { email: nobody, services: ['inconnu'] }) },
  transferMainManager: { requires: { inStructure: 'mainManager' }, probe: (access, actor) => access.members.transferMainManager(actor, nobody) },
  // The main manager is available here: an administrator is let through the policy and refused the take-over itself.
  takeOverMainManager: { requires: { inStructure: requirements.change('organisation') }, probe: (access, actor) => access.members.takeOverMainManager(actor) },
};

/** The support requests' use case, on the test's database (set in before()). */
let support: SupportRequests;

/** The support's queue as the actor: refused without « Assistance – modification », as each of the support's moves is. */
const supportProbe: Probe = async (access, actor) => {
  const listing = await support.list(support.staff({ ...actor, access: await access.sessions.contextFor(actor) }), { scope: 'queue' });
  return 'status' in listing ? { ok: false, refusal: 'notPermitted' } : { ok: true };
};

/** Handlers whose first filter is a firm-wide profile that their use case enforces too. */
const decidedFirmWide: Record<string, { requires: Access; probe: Probe }> = {
  'access.approve': { requires: requirements.change('organisation'), probe: (access, actor) => access.approvals.approve(actor, 99_999) },
  'access.refuse': { requires: requirements.change('organisation'), probe: (access, actor) => access.approvals.refuse(actor, 99_999, 'Hors périmètre') },
  ...Object.fromEntries(
    ['support.take', 'support.answer', 'support.askInformation', 'support.proposeSolution', 'support.reassign', 'support.queue', 'support.draftArticle'].map((verb) => [verb, { requires: requirements.change('support'), probe: supportProbe }]),
  ),
};

/** What needs nothing at all: help, the language, one's own rights, and asking for access. */
const forAnyone = ['help', 'language', 'myRights', 'requestAccess', 'access.request'];

const keyOf = (handler: { name?: string; verb?: string }) => handler.verb ?? handler.name!;

describe('the requirement each command and card verb declares matches its use case', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let client: MongoClient;
  let db: Db;
  let access: AccessUseCases;
  const firmId = '33333333-3333-3333-3333-333333333333';
  const manager = { firmId, userId: 'mm', displayName: 'Margaux Manager', email: 'margaux@cabinet.test' };
  let serial = 0;

  before(async () => {
    passerelle = await startTestPasserelle({ backgroundWork: false });
    client = new MongoClient(passerelle.mongoUri);
    db = client.db(passerelle.database);
    await ensureIndexes(db);
    const { structures, memberships, accessRequests: requests } = createStores(db);
    const stores = { structures, memberships, requests, now: () => new Date() };
    // No paid-offer request is approved here: the offers' use cases are never reached.
    const quiet = { requestFiled: async () => [], requestDecided: async () => undefined };
    // The directory (Graph's edge) finds nobody: no main manager is judged unavailable here.
    const availability = new MainManagerAvailability({ memberships, directory: { findUserByEmail: async () => null } });
    access = withApprovals(createAccessCore(stores, quiet, availability), stores, quiet, { applyApproved: async () => ({ applied: false, reason: 'gone' }) });
    support = new SupportRequests({
      store: createStores(db).supportRequests,
      clientFiles: { findById: async () => null, findByCode: async () => null },
      directory: { clientOf: async () => null, supportStaff: async () => [] },
      policy: async () => ({ firstAnswerWithinWorkingDays: 1, autoCloseAfterDays: 7 }),
      notifier: { changed: async () => undefined, closeWarning: async () => undefined, firstAnswerReminder: async () => undefined },
      now: () => new Date(),
    });
    await access.sessions.contextFor(manager);
    assert.equal((await access.sessions.contextFor(manager)).role, 'mainManager', 'the firm’s first user is its main manager');
  });
  after(async () => {
    await client?.close();
    await passerelle?.stop();
  });

  /** A member of staff of the default structure holding exactly these profiles. */
  async function staffWith(profiles: Profile[]): Promise<StaffIdentity & { email: string }> {
    serial += 1;
    const email = `collab${serial}@cabinet.test`;
    const attached = await access.members.attach(manager, { email, displayName: `Collaborateur ${serial}`, profiles });
    assert.ok(attached.ok, `attach ${email}`);
    if (profiles.length === 0) {
      // Attaching gives the default profiles when none are chosen: take them away for « nothing more ».
      assert.ok((await access.members.replaceProfiles(manager, email, [])).ok, `strip ${email}`);
    }
    return { firmId, userId: `user-${serial}`, displayName: `Collaborateur ${serial}`, email };
  }

  /** The same requirement one step lower: modification becomes consultation, consultation nothing. */
  const below = (requirement: Requirement): Profile[] => (requirement.level === 'modification' ? [{ application: requirement.application, level: 'consultation' }] : []);

  it('lists every registered command and card verb, and declares « anyone » only where nothing is needed', () => {
    const { commands, actions } = passerelle.server.handlers;
    const handlers = [...commands, ...actions];
    assert.ok(handlers.length > 60, `only ${handlers.length} handlers registered`);
    const anyone = handlers.filter((handler) => handler.requires === 'anyone').map(keyOf).sort();
    assert.deepEqual(anyone, [...forAnyone].sort(), 'handlers that let anyone through: each must need nothing, or declare what its use case enforces');
    const inStructure = handlers.filter((handler) => typeof handler.requires === 'object' && 'inStructure' in handler.requires).map(keyOf).sort();
    assert.deepEqual(inStructure, Object.keys(decidedInStructure).sort(), 'every handler decided in its structure has its use case probed below');
    for (const key of Object.keys(decidedFirmWide)) assert.ok(handlers.some((handler) => keyOf(handler) === key), `${key} is registered`);
    for (const handler of handlers) {
      const row = decidedInStructure[keyOf(handler)] ?? decidedFirmWide[keyOf(handler)];
      if (row) assert.deepEqual(handler.requires, row.requires, `${keyOf(handler)} declares what its use case enforces`);
    }
  });

  it('guest.revoke declares « Invitations – modification », which removes or blocks a guest; deleting the account needs exactly « Organisation – modification »', async () => {
    const revoke = passerelle.server.handlers.actions.find((handler) => handler.verb === 'guest.revoke');
    assert.deepEqual(revoke?.requires, requirements.change('invitations'), 'the first filter lets inviters through');
    // The rule reads only the actor's access: the use case's stores are never reached here.
    const engagement = new GuestEngagement({} as ConstructorParameters<typeof GuestEngagement>[0]);
    const actorWith = async (profiles: Profile[]) => {
      const identity = await staffWith(profiles);
      return { ...identity, access: await access.sessions.contextFor(identity) };
    };
    const inviter = await actorWith([requirements.change('invitations')]);
    assert.equal(engagement.fateRefusal(inviter, 'block'), null, 'an inviter may block');
    assert.equal(engagement.fateRefusal(inviter, 'removeFromTeam'), null, 'and remove from the team');
    assert.deepEqual(engagement.fateRefusal(inviter, 'delete'), guestDeletionRequirement, 'but not delete the account');
    assert.deepEqual(guestDeletionRequirement, requirements.change('organisation'));
    const administrator = await actorWith([requirements.change('organisation')]);
    assert.equal(engagement.fateRefusal(administrator, 'delete'), null, 'an administrator may delete');
    const reader = await actorWith([requirements.read('invitations')]);
    assert.deepEqual(engagement.fateRefusal(reader, 'block'), requirements.change('invitations'), 'one level below is refused');
  });

  for (const [key, { requires, probe }] of Object.entries({ ...decidedInStructure, ...decidedFirmWide })) {
    const needed = typeof requires === 'object' && 'inStructure' in requires ? requires.inStructure : typeof requires === 'object' ? requires : undefined;
    it(`${key}: its use case allows exactly ${JSON.stringify(needed)}`, async () => {
      const policyRefused = (outcome: { ok: boolean; refusal?: string; denied?: unknown }) => !outcome.ok && (policyRefusals.has(outcome.refusal ?? '') || outcome.denied !== undefined);
      if (needed === 'mainManager') {
        const administrator = await staffWith([{ application: 'organisation', level: 'modification' }]);
        assert.equal(policyRefused(await probe(access, manager)), false, `${key}: the main manager is not refused`);
        assert.equal(policyRefused(await probe(access, administrator)), true, `${key}: an administrator who is not main manager is refused`);
        return;
      }
      if (needed === 'attached') {
        assert.equal(policyRefused(await probe(access, await staffWith([]))), false, `${key}: someone attached with no profile is not refused`);
        const stranger = { firmId, userId: 'stranger', displayName: 'Inconnu', email: 'inconnu@ailleurs.test' };
        assert.equal(policyRefused(await probe(access, stranger)), true, `${key}: someone attached nowhere is refused`);
        return;
      }
      assert.ok(needed, `${key} declares a profile in its structure`);
      const holder = await staffWith([needed]);
      const holderOutcome = await probe(access, holder);
      assert.equal(policyRefused(holderOutcome), false, `${key}: a user holding exactly ${needed.application} – ${needed.level} is let through by the use case (got ${JSON.stringify(holderOutcome)})`);
      const lacking = await staffWith(below(needed));
      const lackingOutcome = await probe(access, lacking);
      assert.equal(policyRefused(lackingOutcome), true, `${key}: a user one level below is refused by the use case (got ${JSON.stringify(lackingOutcome)})`);
    });
  }
});
