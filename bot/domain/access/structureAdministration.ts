import { randomBytes } from 'node:crypto';
import type { AuditAction } from '../audit.js';
import { checkText } from '../fieldRules.js';
import {
  auditEntry,
  maxUpdateAttempts,
  ok,
  refuse,
  stampOf,
  structureLabelOrDefault,
  type AccessOutcome,
  type AdministrationRefusal,
  type StaffIdentity,
  type StructureReadRefusal,
  type StructureRefusal,
} from './accessOutcome.js';
import { decide, requirements, type AccessContext } from './policy.js';
import type { StructureStore } from './ports.js';
import type { MembershipStore } from './ports.js';
import { applications, normaliseProfiles } from './profiles.js';
import type { StaffSessions } from './staffSessions.js';
import {
  checkServiceName,
  checkStructureSiret,
  defaultStructureId,
  editableStructureFields,
  findService,
  registerFields,
  sameName,
  validateStructureDetails,
  type EditableStructureField,
  type Service,
  type Structure,
} from './structures.js';

type Outcome<T = undefined> = AccessOutcome<T, StructureRefusal>;

/** The structures of a firm (offices, legal entities) and their services, changed by their administrators. */
export class StructureAdministration {
  constructor(
    private readonly deps: {
      structures: StructureStore;
      memberships: MembershipStore;
      sessions: StaffSessions;
      now: () => Date;
      /** Ids of new services; random unless a test fixes them. */
      newId?: () => string;
    },
  ) {}

  /**
   * The structure, if the actor may administer it: the policy decides on their membership in that
   * structure (a deactivated structure is still open to its administrators, to reactivate it).
   */
  async administer(actor: StaffIdentity, structureId: string): Promise<AccessOutcome<Structure & { access: AccessContext }, AdministrationRefusal>> {
    const structure = await this.deps.structures.find(actor.firmId, structureId);
    if (!structure) return refuse('structureNotFound', structureId);
    const access = await this.deps.sessions.contextFor(actor, structureId);
    const decision = decide(access, requirements.change('organisation'));
    if (!decision.allowed) return { ...refuse(decision.reason === 'structureInactive' ? 'structureInactive' : 'notAdministrator', structureLabelOrDefault(structure)), denied: decision };
    return ok(Object.assign(structure, { access }));
  }

  /**
   * A structure as its card shows it, if the actor may read it (« Organisation – consultation » in that
   * structure) or, with `need: 'administer'`, change it; `canEdit` says whether its forms are open to them.
   */
  async open(actor: StaffIdentity, structureId: string, need: 'read' | 'administer'): Promise<AccessOutcome<{ structure: Structure; access: AccessContext; canEdit: boolean }, StructureReadRefusal>> {
    const found = await this.deps.sessions.structureAccess(actor, structureId);
    if (!found) return refuse('structureNotFound');
    const decision = decide(found.access, need === 'read' ? requirements.read('organisation') : requirements.change('organisation'));
    if (!decision.allowed) return { ...refuse('notPermitted', structureLabelOrDefault(found.structure)), denied: decision };
    return ok({ ...found, canEdit: decide(found.access, requirements.change('organisation')).allowed });
  }

  listStructures(firmId: string): Promise<Structure[]> {
    return this.deps.structures.list(firmId);
  }

  findStructure(firmId: string, structureId: string = defaultStructureId): Promise<Structure | null> {
    return this.deps.structures.find(firmId, structureId);
  }

  mainManagerEmail(firmId: string, structureId: string = defaultStructureId) {
    return this.deps.structures.mainManagerEmail(firmId, structureId);
  }

  /**
   * A further structure of the firm (another office or legal entity with its own SIRET). Its legal
   * name and SIRET are the register's and cannot be edited afterwards; whoever creates it is its
   * first user, hence its main manager.
   */
  async createStructure(actor: StaffIdentity & { email?: string }, input: { siret?: string; legalName?: string; displayName?: string }): Promise<Outcome<Structure>> {
    const administered = await this.administer(actor, defaultStructureId);
    if (!administered.ok) return administered;
    if (!actor.email) return refuse('notAttached');
    const siret = checkStructureSiret(input.siret);
    if (!siret.ok) return refuse('siretInvalid');
    const legalName = checkText(input.legalName, { required: true, max: 120 });
    if (!legalName.ok || !legalName.value) return refuse('legalNameRequired');
    const displayName = checkText(input.displayName, { required: false, max: 120 });
    const existing = await this.deps.structures.list(actor.firmId);
    if (existing.some((structure) => structure.siret === siret.value)) return refuse('siretTaken');
    const structure: Omit<Structure, 'version'> = {
      firmId: actor.firmId,
      id: siret.value,
      siret: siret.value,
      legalName: legalName.value,
      displayName: (displayName.ok ? displayName.value : undefined) ?? legalName.value,
      active: true,
      mainManagerEmail: actor.email,
      services: [],
    };
    const created = auditEntry(actor.firmId, this.stamp(actor), 'structure.created', { structureId: structure.id, siret: siret.value, legalName: legalName.value, mainManager: actor.email });
    if (!(await this.deps.structures.create(structure, created))) return refuse('siretTaken');
    // The creator's membership is part of what `structure.created` records (its main manager).
    const self = administered.value.access.membership!;
    await this.deps.memberships.attach({
      firmId: actor.firmId, structureId: structure.id, userId: actor.userId, email: actor.email, displayName: self.displayName, services: [],
      profiles: normaliseProfiles(applications.map((application) => ({ application, level: 'modification' as const }))), status: 'attached',
    });
    return ok({ ...structure, version: 0 });
  }

  /**
   * Changes what staff own of a structure. The SIRET and the legal name are the company register's:
   * a submission carrying them is refused as a whole, nothing written.
   */
  async updateStructure(actor: StaffIdentity, structureId: string, input: Record<string, unknown>, expectedVersion?: number): Promise<Outcome<Structure>> {
    if (registerFields.some((field) => field in input)) return refuse('registerField');
    const administered = await this.administer(actor, structureId);
    if (!administered.ok) return administered;
    const structure = administered.value;
    if (expectedVersion !== undefined && expectedVersion !== structure.version) return refuse('changedMeanwhile');
    const values: Partial<Record<EditableStructureField, string>> = {};
    for (const field of editableStructureFields) {
      const value = input[field];
      if (value !== undefined && typeof value !== 'string') return { ok: false, refusal: 'invalidFields', errors: [{ field, code: 'required' }] };
      values[field] = value;
    }
    const checked = validateStructureDetails(values);
    if (!checked.ok) return { ok: false, refusal: 'invalidFields', errors: checked.errors };
    const before = Object.fromEntries(editableStructureFields.map((field) => [field, structure[field] ?? null]));
    const updated = auditEntry(actor.firmId, this.stamp(actor), 'structure.updated', { structureId, before, after: checked.value });
    if (!(await this.deps.structures.update(actor.firmId, structureId, structure.version, { details: checked.value }, updated))) return refuse('changedMeanwhile');
    return ok({ ...structure, ...checked.value, version: structure.version + 1 });
  }

  /**
   * Activates or deactivates a structure. Deactivating stops every staff command in it except its
   * administrators reactivating it, so it needs an explicit confirmation.
   */
  async setStructureActive(actor: StaffIdentity, structureId: string, active: boolean, confirmed: boolean): Promise<Outcome<Structure>> {
    const administered = await this.administer(actor, structureId);
    if (!administered.ok) return administered;
    const structure = administered.value;
    if (structure.active === active) return refuse(active ? 'alreadyActive' : 'alreadyInactive');
    if (!active && !confirmed) return refuse('confirmationRequired');
    const changed = auditEntry(actor.firmId, this.stamp(actor), active ? 'structure.reactivated' : 'structure.deactivated', { structureId });
    if (!(await this.deps.structures.update(actor.firmId, structureId, structure.version, { active }, changed))) return refuse('changedMeanwhile');
    return ok({ ...structure, active, version: structure.version + 1 });
  }

  async createService(actor: StaffIdentity, structureId: string, rawName: string | undefined): Promise<Outcome<Service>> {
    const name = checkServiceName(rawName);
    if (!name.ok) return refuse('serviceNameInvalid');
    const service: Service = { id: this.newServiceId(), name: name.value, active: true };
    const outcome = await this.changeServices(actor, structureId, (services) => {
      if (services.some((known) => sameName(known.name, name.value))) return refuse('serviceNameTaken', name.value);
      return ok([...services, service]);
    }, () => ({ action: 'structure.serviceCreated', details: { structureId, serviceId: service.id, name: service.name } }));
    if (!outcome.ok) return outcome;
    return ok(service);
  }

  async renameService(actor: StaffIdentity, structureId: string, reference: string, rawName: string | undefined): Promise<Outcome<Service>> {
    const name = checkServiceName(rawName);
    if (!name.ok) return refuse('serviceNameInvalid');
    let renamed: Service | undefined;
    let previous = '';
    const outcome = await this.changeServices(actor, structureId, (services) => {
      const service = findService({ services }, reference);
      if (!service) return refuse('serviceNotFound', reference);
      if (services.some((known) => known.id !== service.id && sameName(known.name, name.value))) return refuse('serviceNameTaken', name.value);
      previous = service.name;
      renamed = { ...service, name: name.value };
      return ok(services.map((known) => (known.id === service.id ? renamed! : known)));
    }, () => ({ action: 'structure.serviceRenamed', details: { structureId, serviceId: renamed!.id, before: previous, after: renamed!.name } }));
    if (!outcome.ok) return outcome;
    return ok(renamed!);
  }

  /** A deactivated service keeps its members and files (nothing is lost) but takes no new ones. */
  async setServiceActive(actor: StaffIdentity, structureId: string, reference: string, active: boolean): Promise<Outcome<Service>> {
    let changed: Service | undefined;
    const outcome = await this.changeServices(actor, structureId, (services) => {
      const service = findService({ services }, reference);
      if (!service) return refuse('serviceNotFound', reference);
      if (service.active === active) return refuse(active ? 'alreadyActive' : 'alreadyInactive', service.name);
      changed = { ...service, active };
      return ok(services.map((known) => (known.id === service.id ? changed! : known)));
    }, () => ({ action: active ? 'structure.serviceReactivated' : 'structure.serviceDeactivated', details: { structureId, serviceId: changed!.id, name: changed!.name } }));
    if (!outcome.ok) return outcome;
    return ok(changed!);
  }

  /** An active service of the default structure, as named by a person; for assigning client files. */
  async activeService(firmId: string, reference: string): Promise<AccessOutcome<Service, 'serviceNotFound' | 'serviceInactive'>> {
    const structure = await this.deps.structures.find(firmId, defaultStructureId);
    const service = structure ? findService(structure, reference) : undefined;
    if (!service) return refuse('serviceNotFound', reference);
    if (!service.active) return refuse('serviceInactive', service.name);
    return ok(service);
  }

  /**
   * Read, change, write guarded by the structure's version; retried when another admin wrote first.
   * `described` tells what the change just computed did; its entry is written with that attempt.
   */
  private async changeServices(
    actor: StaffIdentity,
    structureId: string,
    change: (services: Service[]) => Outcome<Service[]>,
    described: () => { action: AuditAction; details: Record<string, unknown> },
  ): Promise<Outcome> {
    for (let attempt = 0; attempt < maxUpdateAttempts; attempt++) {
      const administered = await this.administer(actor, structureId);
      if (!administered.ok) return administered;
      const next = change(administered.value.services);
      if (!next.ok) return next;
      const { action, details } = described();
      const entry = auditEntry(actor.firmId, this.stamp(actor), action, details);
      if (await this.deps.structures.update(actor.firmId, structureId, administered.value.version, { services: next.value }, entry)) return ok(undefined);
    }
    return refuse('changedMeanwhile');
  }

  private newServiceId(): string {
    return this.deps.newId?.() ?? `svc-${randomBytes(6).toString('hex')}`;
  }

  private stamp(identity: StaffIdentity) {
    return stampOf(identity, this.deps.now);
  }
}
