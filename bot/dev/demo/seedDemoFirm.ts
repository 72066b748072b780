import type { Db } from 'mongodb';
import type { Actor, ActorStamp } from '../../domain/actor.js';
import { contactDisplayName } from '../../domain/contact.js';
import type { Directory } from '../../domain/directory.js';
import type { LocalTenant } from '../../directory/localTenant.js';
import type { Logger } from '../../logger.js';
import { ensureIndexes } from '../../store/mongo.js';
import { headOfficeSiret } from '../siret.js';
import { claire, demoFiles, demoTenantId, ines, paul, refusingDomains, type DemoFile, type DemoGuestState, type DemoStaff } from './demoFirm.js';
import { demoServices, type DemoServices } from './demoServices.js';

const DAY_MS = 24 * 3_600_000;

export interface DemoSummary {
  files: number;
  contacts: number;
  /** Contacts per onboarding state, as the product recorded them. */
  states: Record<DemoGuestState, number>;
}

/** The tenant side of the story: guests accept their invitation, client teams exist. */
export type DemoTenant = Pick<LocalTenant, 'accept' | 'declareTeam' | 'setFaults'>;

interface SeededFile {
  demo: DemoFile & { code: string };
  id: string;
  contactIds: string[];
}

/**
 * Writes « Cabinet Démo » through the product's use cases, as staff would have over the last three
 * weeks: files and contacts created and linked, guests invited through the directory (the local tenant),
 * some accepting, some joining their team, some refused by their company; offers, Flow, Shine, and one
 * paid offer waiting for approval. Every change carries its audit entry as the product writes it, and
 * the guests' states are the tenant's own, so the acceptance watcher finds nothing to undo.
 */
export async function seedDemoFirm(db: Db, options: { directory: Directory; tenant: DemoTenant; logger: Logger; now?: Date }): Promise<DemoSummary> {
  await ensureIndexes(db);
  const end = options.now ?? new Date();
  let clock = new Date(end.getTime() - 21 * DAY_MS);
  const services = demoServices(db, options.directory, () => clock);
  const at = (when: Date) => (clock = when);

  await services.firmSettings.settings(demoTenantId);
  // Claire is the firm's first user (main manager); Paul and Inès are attached by her.
  await services.access.sessions.contextFor({ ...actorOf(claire), email: claire.email });
  for (const colleague of [paul, ines]) await services.access.members.attach(actorOf(claire), { email: colleague.email, displayName: colleague.displayName });

  const seeded: SeededFile[] = [];
  for (const [index, demo] of demoFiles.entries()) {
    at(new Date(end.getTime() - 21 * DAY_MS + index * 3 * 3_600_000));
    seeded.push(await createFile(services, demo, index));
  }

  at(new Date(end.getTime() - 6 * DAY_MS));
  await inviteGuests(services, options.tenant, seeded, () => at(new Date(clock.getTime() + 7 * 60_000)));

  at(new Date(end.getTime() - 4 * DAY_MS));
  await welcomeGuests(services, options.tenant, seeded, () => at(new Date(clock.getTime() + 3_600_000)));

  at(new Date(end.getTime() - 3 * DAY_MS));
  await proposeOffers(services, seeded, () => at(new Date(clock.getTime() + 20 * 60_000)));

  at(new Date(end.getTime() - 2 * DAY_MS));
  await runPartnerApps(services, seeded, () => at(new Date(clock.getTime() + 30 * 60_000)));

  // Summaries are what the dashboard lists; the server also refreshes them as the audit entries reach its log.
  await services.projector.refresh(demoTenantId, seeded.map((file) => file.id));
  const summary = await summarise(services, seeded);
  options.logger.info('cabinet de démonstration créé', { files: summary.files, contacts: summary.contacts, states: summary.states });
  return summary;
}

function actorOf(staff: DemoStaff): Actor {
  return { firmId: demoTenantId, userId: staff.userId, displayName: staff.displayName };
}

function expectStatus<T extends { status: string }>(outcome: T, wanted: string[], what: string): T {
  if (!wanted.includes(outcome.status)) throw new Error(`démonstration : ${what} : ${JSON.stringify(outcome)}`);
  return outcome;
}

async function createFile(services: DemoServices, demo: DemoFile & { code: string }, index: number): Promise<SeededFile> {
  const actor = actorOf(demo.createdBy);
  const created = expectStatus(
    await services.clientFiles.create(actor, `demo-file-${demo.code}`, {
      code: demo.code,
      companyName: demo.companyName,
      legalForm: demo.legalForm,
      taxRegime: demo.taxRegime,
      siret: demo.siret ? headOfficeSiret(index + 1) : undefined,
    }),
    ['created'],
    `dossier ${demo.code}`,
  );
  if (created.status !== 'created') throw new Error('unreachable');
  const contactIds: string[] = [];
  for (const [position, person] of demo.contacts.entries()) {
    const contact = expectStatus(
      await services.contacts.create(actor, `demo-contact-${person.email}`, {
        firstName: person.firstName,
        lastName: person.lastName,
        email: person.email,
        mobile: `06 12 ${String(10 + index).padStart(2, '0')} 4${position} ${String((index * 37) % 100).padStart(2, '0')}`,
        orgRole: person.orgRole,
      }),
      ['created'],
      `interlocuteur ${person.email}`,
    );
    if (contact.status !== 'created') throw new Error('unreachable');
    expectStatus(await services.contacts.link(actor, { contactId: contact.record.id, clientFileId: created.record.id, primary: position === 0 }), ['linked'], `lien ${person.email}`);
    contactIds.push(contact.record.id);
  }
  return { demo, id: created.record.id, contactIds };
}

function contactsIn(seeded: SeededFile[], states: DemoGuestState[]): { file: SeededFile; contactId: string; email: string }[] {
  return seeded.flatMap((file) =>
    file.demo.contacts.flatMap((person, position) => (states.includes(person.state) ? [{ file, contactId: file.contactIds[position]!, email: person.email }] : [])),
  );
}

async function inviteGuests(services: DemoServices, tenant: DemoTenant, seeded: SeededFile[], tick: () => void): Promise<void> {
  // Their companies' collaboration settings refuse guests: the directory says so, the product records it.
  tenant.setFaults({ refusedDomains: refusingDomains });
  try {
    for (const file of seeded) {
      const toInvite = contactsIn([file], ['invited', 'accepted', 'member', 'failed']).map((entry) => entry.contactId);
      if (toInvite.length === 0) continue;
      await services.onboarding.inviteContacts(demoTenantId, toInvite, stamp(file.demo.createdBy, services));
      tick();
    }
  } finally {
    tenant.setFaults({});
  }
}

/** Guests who accepted, then the teams of the files whose guests are members, then one pass of the watcher. */
async function welcomeGuests(services: DemoServices, tenant: DemoTenant, seeded: SeededFile[], tick: () => void): Promise<void> {
  for (const { email } of contactsIn(seeded, ['accepted', 'member'])) {
    if (!tenant.accept(email)) throw new Error(`démonstration : ${email} absent du tenant local`);
  }
  for (const file of seeded) {
    const team = file.demo.team;
    if (!team) continue;
    tenant.declareTeam(team.id, team.displayName);
    await services.stores.teams.remember({ firmId: demoTenantId, teamId: team.id, displayName: team.displayName, conversationId: team.conversationId });
    const chosen = await services.onboarding.chooseTeam({ ...stamp(claire, services), firmId: demoTenantId }, file.id, team.id);
    if (chosen !== 'done') throw new Error(`démonstration : équipe de ${file.demo.code} : ${chosen}`);
  }
  tick();
  await services.onboarding.watchAcceptances(500);
}

async function proposeOffers(services: DemoServices, seeded: SeededFile[], tick: () => void): Promise<void> {
  for (const file of seeded) {
    const contactId = file.contactIds[0];
    if (!contactId) continue;
    if (file.demo.offer) {
      const proposed = expectStatus(
        await services.offers.propose(demoTenantId, stamp(claire, services), { clientFileId: file.id, contactId, offerId: file.demo.offer.offerId }),
        ['activated', 'waitingForGuest'],
        `offre ${file.demo.code}`,
      );
      let subscription = 'subscription' in proposed ? proposed.subscription : undefined;
      for (const step of file.demo.offer.stepsDone ?? []) {
        tick();
        const done = expectStatus(await services.offers.completeStep(demoTenantId, stamp(claire, services), subscription!.id, subscription!.version, step), ['done'], `étape ${step}`);
        subscription = 'subscription' in done ? done.subscription : subscription;
      }
    }
    if (file.demo.offerAwaitingApproval) {
      const offer = (await services.offers.offerOf(demoTenantId, file.demo.offerAwaitingApproval))!;
      const person = file.demo.contacts[0]!;
      const summary = `${offer.name} – ${contactDisplayName(person)} (dossier ${file.demo.code})`;
      const asked = await services.access.requests.request(
        { ...actorOf(paul), email: paul.email },
        { kind: 'paidOffer', offer: { clientFileId: file.id, contactId, offerId: offer.id, summary } },
      );
      if (!asked.ok) throw new Error(`démonstration : demande d’offre ${file.demo.code} : ${asked.refusal}`);
    }
    tick();
  }
}

async function runPartnerApps(services: DemoServices, seeded: SeededFile[], tick: () => void): Promise<void> {
  for (const file of seeded) {
    for (const step of file.demo.flowStepsDone ?? []) {
      const checklist = (await services.flow.checklist(demoTenantId, file.id))!;
      // Step 1 is the firm's: once done on one file it is done on all of them.
      if (checklist.steps.find((candidate) => candidate.id === step)?.state === 'done') continue;
      expectStatus(await services.flow.completeStep(demoTenantId, file.id, checklist.setup.version, step, stamp(claire, services)), ['done'], `Flow ${file.demo.code} ${step}`);
      tick();
    }
    const shine = file.demo.shine;
    if (shine) {
      const prepared = await services.shine.prepare(demoTenantId, file.id);
      if (!prepared.ok) throw new Error(`démonstration : Shine ${file.demo.code} : ${prepared.refusal}`);
      const activated = await services.shine.activate(
        demoTenantId,
        file.id,
        { ...shine, billingMode: 'shineBillsClient', accountEmail: prepared.value.proposedEmail, emailSubject: prepared.value.emailSubject, emailBody: prepared.value.emailBody },
        stamp(claire, services),
      );
      if (!activated.ok) throw new Error(`démonstration : Shine ${file.demo.code} : ${activated.refusal}`);
      tick();
    }
  }
}

function stamp(staff: DemoStaff, services: DemoServices): ActorStamp {
  return { userId: staff.userId, displayName: staff.displayName, at: services.now() };
}

async function summarise(services: DemoServices, seeded: SeededFile[]): Promise<DemoSummary> {
  const states: Record<DemoGuestState, number> = { notInvited: 0, invited: 0, accepted: 0, member: 0, failed: 0 };
  const contactIds = seeded.flatMap((file) => file.contactIds);
  for (const contact of await services.stores.contacts.findByIds(demoTenantId, contactIds)) {
    const state = (contact.guest?.state ?? 'notInvited') as DemoGuestState;
    states[state] = (states[state] ?? 0) + 1;
  }
  return { files: seeded.length, contacts: contactIds.length, states };
}
