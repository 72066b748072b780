import { randomBytes } from 'node:crypto';
import type { ActorStamp } from '../actor.js';
import { newAuditEntry, type AuditAction } from '../audit.js';
import type { AuditEntry } from '../ports.js';
import { checkEmail, checkText } from '../fieldRules.js';
import { decide, isAdministrator, requirements, type AccessContext, type Decision } from './policy.js';
import type { StaffActor } from '../staffActor.js';
import type { AccessNotifier, AccessRequest, AccessRequestKind, AccessRequestStore, ApprovalResult, Attachment, MembershipStore, RequestedOffer, StructureStore } from './ports.js';
import { applications, defaultStaffProfiles, hasProfile, normaliseProfiles, type Membership, type Profile, type Requirement } from './profiles.js';
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
  type StructureFieldError,
} from './structures.js';

export interface StaffIdentity {
  firmId: string;
  userId: string;
  email?: string;
  displayName: string;
}

export type AccessRefusal =
  | 'invalidEmail'
  | 'notAttached'
  | 'alreadyHeld'
  | 'alreadyRequested'
  | 'commentRequired'
  | 'reasonRequired'
  | 'mainManagerNeedsSuccessor'
  | 'notMainManager'
  | 'targetNotAttached'
  | 'requestNotFound'
  | 'alreadyDecided'
  | 'changedMeanwhile'
  | 'notAdministrator'
  | 'structureNotFound'
  | 'structureInactive'
  | 'serviceNameInvalid'
  | 'serviceNameTaken'
  | 'serviceNotFound'
  | 'serviceInactive'
  | 'wholeStructure'
  | 'notInService'
  | 'lastService'
  | 'registerField'
  | 'invalidFields'
  | 'confirmationRequired'
  | 'alreadyActive'
  | 'alreadyInactive'
  | 'siretInvalid'
  | 'siretTaken'
  | 'legalNameRequired';

/** `about`: the structure or service a refusal is about, when several were involved; `errors`: per field. */
export type AccessOutcome<T = undefined> = { ok: true; value: T } | { ok: false; refusal: AccessRefusal; about?: string; errors?: StructureFieldError[] };

const ok = <T>(value: T): AccessOutcome<T> => ({ ok: true, value });
const refuse = (refusal: AccessRefusal, about?: string): AccessOutcome<never> => ({ ok: false, refusal, ...(about ? { about } : {}) });

/** What a main-manager handover covers: one structure, a selection, or every structure the actor manages. */
export type HandoverScope = { structureIds: string[] } | 'all';

export interface StructureAccess {
  structure: Structure;
  membership: Membership;
  role: 'mainManager' | 'user';
}

/** A name to show for a structure: what staff chose, else the register's, else its SIRET. */
export function structureLabel(structure: Pick<Structure, 'displayName' | 'legalName' | 'siret' | 'id'>): string {
  return structure.displayName ?? structure.legalName ?? structure.siret ?? structure.id;
}

const maxUpdateAttempts = 3;

/** How a refusal names a structure; the default one unnamed yet is left for the Teams layer to call. */
function structureLabelOrDefault(structure: Structure): string | undefined {
  return structure.id === defaultStructureId && !structure.displayName && !structure.legalName ? undefined : structureLabel(structure);
}

/**
 * Structures, users, profiles and approvals. The first person of a firm to use Passerelle becomes
 * its main manager; everyone else is attached by an administrator or asks to join.
 */
export class AccessService {
  constructor(
    private readonly deps: {
      structures: StructureStore;
      memberships: MembershipStore;
      requests: AccessRequestStore;
      notifier: AccessNotifier;
      now: () => Date;
      /** Ids of new services; random unless a test fixes them. */
      newId?: () => string;
    },
  ) {}

  /**
   * Who the acting user is for the policy in one structure (the default one unless told); binds an
   * e-mail attachment to the Entra id on first use.
   */
  async contextFor(identity: StaffIdentity, structureId: string = defaultStructureId): Promise<AccessContext & { email?: string }> {
    const checked = identity.email ? checkEmail(identity.email) : undefined;
    const email = checked?.ok ? checked.value : undefined;
    let membership = await this.deps.memberships.findByUserId(identity.firmId, identity.userId, structureId);
    if (!membership && email) {
      membership = await this.deps.memberships.findByEmail(identity.firmId, email, structureId);
      if (membership && !membership.userId) {
        await this.deps.memberships.bindUserId(identity.firmId, email, identity.userId, identity.displayName);
        membership = { ...membership, userId: identity.userId };
      }
    }
    if (!membership && email && structureId === defaultStructureId) {
      if ((await this.deps.memberships.count(identity.firmId)) === 0) membership = await this.bootstrap(identity, email);
      // Someone is attached already: maybe this very person, by a request of theirs that arrived a moment
      // earlier (the tab asks several things at once on its first load); look again before refusing.
      else membership = await this.deps.memberships.findByEmail(identity.firmId, email, structureId);
    }
    const structure = await this.deps.structures.find(identity.firmId, structureId);
    if (!structure) return { membership: null, role: null, email };
    return {
      membership,
      role: membership ? (membership.email === structure.mainManagerEmail ? 'mainManager' : 'user') : null,
      structureActive: structure.active,
      email: membership?.email ?? email,
    };
  }

  check(access: AccessContext, requirement: Requirement | null): Decision {
    return decide(access, requirement);
  }

  /**
   * The first user of a firm: attached, administrator, main manager. The membership's insert carries
   * `access.bootstrapped`; the claim of the role, a write on the firm document, carries its own entry
   * and only if it won (a concurrent first request re-attaching the same person logs nothing).
   */
  private async bootstrap(identity: StaffIdentity, email: string): Promise<Membership | null> {
    const stamp = this.stamp(identity);
    const { membership, created } = await this.deps.memberships.attach(
      {
        firmId: identity.firmId, userId: identity.userId, email, displayName: identity.displayName, services: [], profiles: normaliseProfiles([...defaultStaffProfiles, ...applications.map((application) => ({ application, level: 'modification' as const }))]), status: 'attached',
      },
      (attachment) => (attachment.created ? this.entry(identity.firmId, stamp, 'access.bootstrapped', { email }) : undefined),
    );
    if (!created) return membership;
    await this.deps.structures.claimMainManager(identity.firmId, defaultStructureId, email, this.entry(identity.firmId, stamp, 'access.mainManagerClaimed', { structureId: defaultStructureId, email }));
    return membership;
  }

  /**
   * Attaches a person by e-mail to a structure (the default one unless told): to the whole structure,
   * or to the chosen services (ids or names of active services). Re-attaching sets the services anew.
   */
  async attach(
    actor: StaffIdentity,
    input: { email: string; displayName?: string; services?: string[]; profiles?: Profile[]; structureId?: string },
  ): Promise<AccessOutcome<Membership>> {
    const structureId = input.structureId ?? defaultStructureId;
    const email = checkEmail(input.email);
    if (!email.ok) return refuse('invalidEmail');
    let serviceIds: string[] = [];
    if (structureId !== defaultStructureId || input.services?.length) {
      const administered = await this.administer(actor, structureId);
      if (!administered.ok) return administered;
      const resolved = this.resolveServices(administered.value, input.services ?? []);
      if (!resolved.ok) return resolved;
      serviceIds = resolved.value;
    }
    const before = await this.deps.memberships.findByEmail(actor.firmId, email.value, structureId);
    // The person may already be known in another structure of the firm: keep their Entra id and name.
    const elsewhere = before ? undefined : (await this.deps.memberships.listForEmail(actor.firmId, email.value)).find((known) => known.userId);
    const profiles = normaliseProfiles(input.profiles ?? before?.profiles ?? defaultStaffProfiles);
    const { membership } = await this.deps.memberships.attach(
      {
        firmId: actor.firmId,
        ...(structureId === defaultStructureId ? {} : { structureId }),
        userId: before?.userId ?? elsewhere?.userId,
        email: email.value,
        displayName: input.displayName ?? before?.displayName ?? elsewhere?.displayName ?? email.value,
        services: serviceIds,
        profiles,
        status: 'attached',
      },
      this.attachedEntry(actor, email.value, structureId, { profiles, services: serviceIds }),
    );
    return ok(membership);
  }

  /** `access.attached`, with the membership as the store found it just before writing. */
  private attachedEntry(actor: StaffIdentity, email: string, structureId: string, after: Pick<Membership, 'profiles' | 'services'>): (attachment: Attachment) => AuditEntry {
    const stamp = this.stamp(actor);
    return (attachment) =>
      this.entry(actor.firmId, stamp, 'access.attached', {
        email,
        structureId,
        before: attachment.created ? null : { status: attachment.before.status, profiles: attachment.before.profiles, services: attachment.before.services },
        after,
      });
  }

  /** Replaces a user's habilitation as submitted; nothing changes before the form is sent. */
  async replaceProfiles(actor: StaffIdentity, email: string, profiles: Profile[], structureId: string = defaultStructureId): Promise<AccessOutcome<Membership>> {
    if (structureId !== defaultStructureId) {
      const administered = await this.administer(actor, structureId);
      if (!administered.ok) return administered;
    }
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email, structureId);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    const next = normaliseProfiles(profiles);
    const changed = this.entry(actor.firmId, this.stamp(actor), 'access.profilesChanged', { email, structureId, before: membership.profiles, after: next });
    if (!(await this.deps.memberships.replaceProfiles(actor.firmId, email, membership.profiles, next, structureId, changed))) return refuse('changedMeanwhile');
    return ok({ ...membership, profiles: next });
  }

  /** Adds one profile; refused with a clear reason when the user already holds it. */
  async addProfile(actor: StaffIdentity, email: string, profile: Profile): Promise<AccessOutcome<Membership>> {
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    if (hasProfile(membership.profiles, profile)) return refuse('alreadyHeld');
    return this.replaceProfiles(actor, email, [...membership.profiles.filter((held) => held.application !== profile.application), profile]);
  }

  /** Detaches a user from the whole structure; the comment is mandatory. */
  async detach(actor: StaffIdentity, email: string, rawComment: string | undefined, structureId: string = defaultStructureId): Promise<AccessOutcome> {
    const comment = checkText(rawComment, { required: true, max: 500 });
    if (!comment.ok || !comment.value) return refuse('commentRequired');
    if (structureId !== defaultStructureId) {
      const administered = await this.administer(actor, structureId);
      if (!administered.ok) return administered;
    }
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email, structureId);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    // A main manager who leaves without a successor would block every approval.
    if ((await this.deps.structures.mainManagerEmail(actor.firmId, structureId)) === email) return refuse('mainManagerNeedsSuccessor');
    await this.deps.memberships.detach(actor.firmId, email, comment.value, structureId, this.entry(actor.firmId, this.stamp(actor), 'access.detached', { email, structureId, comment: comment.value }));
    return ok(undefined);
  }

  /**
   * Sets the services a user is attached to: none means the whole structure. Nothing changes before
   * the form is sent; a service that does not exist or is deactivated is refused.
   */
  async setServices(actor: StaffIdentity, email: string, services: string[], structureId: string = defaultStructureId): Promise<AccessOutcome<Membership>> {
    const administered = await this.administer(actor, structureId);
    if (!administered.ok) return administered;
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email, structureId);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    const resolved = this.resolveServices(administered.value, services, membership.services);
    if (!resolved.ok) return resolved;
    const changed = this.entry(actor.firmId, this.stamp(actor), 'access.servicesChanged', { email, structureId, before: membership.services, after: resolved.value });
    if (!(await this.deps.memberships.replaceServices(actor.firmId, email, membership.services, resolved.value, structureId, changed))) return refuse('changedMeanwhile');
    return ok({ ...membership, services: resolved.value });
  }

  /**
   * Detaches a user from some of their services, with a mandatory comment. Someone attached to the
   * whole structure has no service to leave, and leaving the last one would widen their access to
   * the whole structure: both are refused with what to do instead.
   */
  async detachFromServices(actor: StaffIdentity, email: string, services: string[], rawComment: string | undefined, structureId: string = defaultStructureId): Promise<AccessOutcome<Membership>> {
    const comment = checkText(rawComment, { required: true, max: 500 });
    if (!comment.ok || !comment.value) return refuse('commentRequired');
    const administered = await this.administer(actor, structureId);
    if (!administered.ok) return administered;
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email, structureId);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    if (membership.services.length === 0) return refuse('wholeStructure');
    const leaving: string[] = [];
    for (const reference of services) {
      const service = findService(administered.value, reference);
      if (!service || !membership.services.includes(service.id)) return refuse('notInService', service?.name ?? reference);
      leaving.push(service.id);
    }
    if (leaving.length === 0) return refuse('serviceNotFound');
    const remaining = membership.services.filter((id) => !leaving.includes(id));
    if (remaining.length === 0) return refuse('lastService');
    const left = this.entry(actor.firmId, this.stamp(actor), 'access.detachedFromServices', { email, structureId, services: leaving, comment: comment.value });
    if (!(await this.deps.memberships.replaceServices(actor.firmId, email, membership.services, remaining, structureId, left))) return refuse('changedMeanwhile');
    return ok({ ...membership, services: remaining });
  }

  /**
   * Hands the main-manager role over: for one structure, for a selection, or for every structure
   * the actor manages, to one person attached to each of them. Everything is checked before anything
   * changes; each structure then changes in one conditional write, so a concurrent handover of the
   * same structure cannot also win.
   */
  async transferMainManager(actor: StaffIdentity & { email?: string }, toEmail: string, scope: HandoverScope = { structureIds: [defaultStructureId] }): Promise<AccessOutcome<{ transferred: Structure[]; lost: Structure[] }>> {
    if (!actor.email) return refuse('notMainManager');
    const target = checkEmail(toEmail);
    if (!target.ok) return refuse('invalidEmail');
    const all = await this.deps.structures.list(actor.firmId);
    let selected: Structure[];
    if (scope === 'all') {
      selected = all.filter((structure) => structure.mainManagerEmail === actor.email);
      if (selected.length === 0) return refuse('notMainManager');
    } else {
      selected = [];
      for (const id of new Set(scope.structureIds)) {
        const structure = all.find((candidate) => candidate.id === id);
        if (!structure) return refuse('structureNotFound', id);
        selected.push(structure);
      }
      if (selected.length === 0) return refuse('structureNotFound');
    }
    for (const structure of selected) {
      if (structure.mainManagerEmail !== actor.email) return refuse('notMainManager', structureLabelOrDefault(structure));
      const membership = await this.deps.memberships.findByEmail(actor.firmId, target.value, structure.id);
      if (!membership || membership.status !== 'attached') return refuse('targetNotAttached', structureLabelOrDefault(structure));
    }
    const transferred: Structure[] = [];
    const lost: Structure[] = [];
    for (const structure of selected) {
      const handedOver = this.entry(actor.firmId, this.stamp(actor), 'access.mainManagerTransferred', { structureId: structure.id, before: actor.email, after: target.value });
      if (await this.deps.structures.transferMainManager(actor.firmId, structure.id, actor.email, target.value, handedOver)) {
        transferred.push({ ...structure, mainManagerEmail: target.value });
      } else {
        lost.push(structure);
      }
    }
    if (transferred.length === 0) return refuse('changedMeanwhile');
    return ok({ transferred, lost });
  }

  // ---------------------------------------------------------------------------
  // Structures and services
  // ---------------------------------------------------------------------------

  /** A structure and the actor's place in it, for the policy to decide on; null when it does not exist. */
  async structureAccess(identity: StaffIdentity, structureId: string): Promise<{ structure: Structure; access: AccessContext & { email?: string } } | null> {
    const structure = await this.deps.structures.find(identity.firmId, structureId);
    if (!structure) return null;
    return { structure, access: await this.contextFor(identity, structureId) };
  }

  listStructures(firmId: string): Promise<Structure[]> {
    return this.deps.structures.list(firmId);
  }

  findStructure(firmId: string, structureId: string = defaultStructureId): Promise<Structure | null> {
    return this.deps.structures.find(firmId, structureId);
  }

  /** The structures this person is attached to, with their role in each. */
  async structuresOf(firmId: string, email: string): Promise<StructureAccess[]> {
    const [memberships, structures] = await Promise.all([this.deps.memberships.listForEmail(firmId, email), this.deps.structures.list(firmId)]);
    return structures.flatMap((structure) => {
      const membership = memberships.find((candidate) => (candidate.structureId ?? defaultStructureId) === structure.id && candidate.status === 'attached');
      return membership ? [{ structure, membership, role: structure.mainManagerEmail === email ? ('mainManager' as const) : ('user' as const) }] : [];
    });
  }

  /**
   * A further structure of the firm (another office or legal entity with its own SIRET). Its legal
   * name and SIRET are the register's and cannot be edited afterwards; whoever creates it is its
   * first user, hence its main manager.
   */
  async createStructure(actor: StaffIdentity & { email?: string }, input: { siret?: string; legalName?: string; displayName?: string }): Promise<AccessOutcome<Structure>> {
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
    const created = this.entry(actor.firmId, this.stamp(actor), 'structure.created', { structureId: structure.id, siret: siret.value, legalName: legalName.value, mainManager: actor.email });
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
  async updateStructure(actor: StaffIdentity, structureId: string, input: Record<string, unknown>, expectedVersion?: number): Promise<AccessOutcome<Structure>> {
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
    const updated = this.entry(actor.firmId, this.stamp(actor), 'structure.updated', { structureId, before, after: checked.value });
    if (!(await this.deps.structures.update(actor.firmId, structureId, structure.version, { details: checked.value }, updated))) return refuse('changedMeanwhile');
    return ok({ ...structure, ...checked.value, version: structure.version + 1 });
  }

  /**
   * Activates or deactivates a structure. Deactivating stops every staff command in it except its
   * administrators reactivating it, so it needs an explicit confirmation.
   */
  async setStructureActive(actor: StaffIdentity, structureId: string, active: boolean, confirmed: boolean): Promise<AccessOutcome<Structure>> {
    const administered = await this.administer(actor, structureId);
    if (!administered.ok) return administered;
    const structure = administered.value;
    if (structure.active === active) return refuse(active ? 'alreadyActive' : 'alreadyInactive');
    if (!active && !confirmed) return refuse('confirmationRequired');
    const changed = this.entry(actor.firmId, this.stamp(actor), active ? 'structure.reactivated' : 'structure.deactivated', { structureId });
    if (!(await this.deps.structures.update(actor.firmId, structureId, structure.version, { active }, changed))) return refuse('changedMeanwhile');
    return ok({ ...structure, active, version: structure.version + 1 });
  }

  async createService(actor: StaffIdentity, structureId: string, rawName: string | undefined): Promise<AccessOutcome<Service>> {
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

  async renameService(actor: StaffIdentity, structureId: string, reference: string, rawName: string | undefined): Promise<AccessOutcome<Service>> {
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
  async setServiceActive(actor: StaffIdentity, structureId: string, reference: string, active: boolean): Promise<AccessOutcome<Service>> {
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
  async activeService(firmId: string, reference: string): Promise<AccessOutcome<Service>> {
    const structure = await this.deps.structures.find(firmId, defaultStructureId);
    const service = structure ? findService(structure, reference) : undefined;
    if (!service) return refuse('serviceNotFound', reference);
    if (!service.active) return refuse('serviceInactive', service.name);
    return ok(service);
  }

  // ---------------------------------------------------------------------------
  // Requests and approvals
  // ---------------------------------------------------------------------------

  /** Runs an approved paid-offer request's operation as the approver (the offers' use cases, wired at start-up). */
  private paidOfferApprover?: (offer: RequestedOffer, approver: StaffActor) => Promise<ApprovalResult>;

  onPaidOfferApproved(approver: (offer: RequestedOffer, approver: StaffActor) => Promise<ApprovalResult>): void {
    this.paidOfferApprover = approver;
  }

  /** `service`: for a join request, the name or id of the service (of the default structure) to join. */
  async request(
    requester: StaffIdentity & { email: string },
    input: { kind: AccessRequestKind; profile?: Profile; offer?: RequestedOffer; comment?: string; service?: string },
  ): Promise<AccessOutcome<AccessRequest>> {
    const membership = await this.deps.memberships.findByEmail(requester.firmId, requester.email);
    const attached = membership?.status === 'attached';
    let serviceId: string | undefined;
    let serviceName: string | undefined;
    if (input.kind === 'profile') {
      if (!input.profile) return refuse('notAttached');
      if (attached && hasProfile(membership.profiles, input.profile)) return refuse('alreadyHeld');
    }
    if (input.kind === 'join' && input.service) {
      const service = await this.activeService(requester.firmId, input.service);
      if (!service.ok) return service;
      serviceId = service.value.id;
      serviceName = service.value.name;
      // Attached to the whole structure, or already to this service: nothing to ask for.
      if (attached && (membership.services.length === 0 || membership.services.includes(serviceId))) return refuse('alreadyHeld');
    } else if (input.kind === 'join' && attached) {
      return refuse('alreadyHeld');
    }
    if (await this.deps.requests.findPendingLike(requester.firmId, requester.userId, input.kind, input.profile, input.offer, serviceId)) return refuse('alreadyRequested');
    const comment = checkText(input.comment, { required: false, max: 500 });
    const stamp = this.stamp(requester);
    const request = await this.deps.requests.create(
      {
        firmId: requester.firmId,
        kind: input.kind,
        requester: { userId: requester.userId, email: requester.email, displayName: requester.displayName },
        profile: input.profile,
        offer: input.offer,
        service: serviceId,
        serviceName,
        comment: comment.ok ? comment.value : undefined,
        status: 'pending',
        createdAt: this.deps.now(),
      },
      // The number is the firm counter's next value: known to the store only, just before the insert.
      (numbered) => this.entry(requester.firmId, stamp, 'access.requested', { number: numbered.number, kind: numbered.kind, profile: numbered.profile ?? null, service: serviceId ?? null }),
    );
    return ok(request);
  }

  /**
   * Records the approval once, then carries out what was asked as the approver; the result says
   * whether it was done or why not (the situation changed meanwhile), for the approver and the requester.
   */
  async approve(actor: StaffIdentity, number: number): Promise<AccessOutcome<{ request: AccessRequest; result: ApprovalResult }>> {
    const request = await this.deps.requests.find(actor.firmId, number);
    if (!request) return refuse('requestNotFound');
    if (request.status !== 'pending') return refuse('alreadyDecided');
    const decision = { by: this.stamp(actor) };
    const approved = this.entry(actor.firmId, decision.by, 'access.requestApproved', { number, kind: request.kind, service: request.service ?? null });
    if (!(await this.deps.requests.decide(actor.firmId, number, 'approved', decision, approved))) return refuse('alreadyDecided');
    const result = await this.carryOut(actor, request);
    const decided: AccessRequest = { ...request, status: 'approved', decision };
    await this.deps.notifier.requestDecided(decided, result);
    return ok({ request: decided, result });
  }

  private async carryOut(actor: StaffIdentity, request: AccessRequest): Promise<ApprovalResult> {
    if (request.kind === 'paidOffer') {
      if (!request.offer || !this.paidOfferApprover) return { applied: false, reason: 'gone' };
      return this.paidOfferApprover(request.offer, { ...actor, access: await this.contextFor(actor) });
    }
    if (request.kind === 'join') {
      await this.approveJoin(actor, request);
      return { applied: true };
    }
    if (!request.profile) return { applied: false, reason: 'gone' };
    const outcome = await this.addProfile(actor, request.requester.email, request.profile);
    if (!outcome.ok && outcome.refusal === 'targetNotAttached') {
      await this.attach(actor, { email: request.requester.email, displayName: request.requester.displayName, profiles: [...defaultStaffProfiles, request.profile] });
    } else if (!outcome.ok && outcome.refusal === 'changedMeanwhile') {
      return { applied: false, reason: 'changedMeanwhile' };
    }
    return { applied: true };
  }

  /** Joining a service adds it to the requester's services; someone not attached yet is attached to it alone. */
  private async approveJoin(actor: StaffIdentity, request: AccessRequest): Promise<void> {
    const email = request.requester.email;
    const service = request.service;
    let membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    // Another admin may change their services meanwhile: re-read and add again rather than lose the approval.
    for (let attempt = 0; membership?.status === 'attached' && service && attempt < maxUpdateAttempts; attempt++) {
      if (membership.services.length === 0 || membership.services.includes(service)) return;
      const next = [...membership.services, service];
      const changed = this.entry(actor.firmId, this.stamp(actor), 'access.servicesChanged', { email, structureId: defaultStructureId, before: membership.services, after: next });
      if (await this.deps.memberships.replaceServices(actor.firmId, email, membership.services, next, undefined, changed)) {
        return;
      }
      membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    }
    if (membership?.status === 'attached' && service) return;
    // The service was chosen when the request was made and is kept even if deactivated since.
    const services = service ? [service] : [];
    const profiles = normaliseProfiles(membership?.profiles ?? defaultStaffProfiles);
    await this.deps.memberships.attach(
      { firmId: actor.firmId, userId: membership?.userId, email, displayName: request.requester.displayName, services, profiles, status: 'attached' },
      this.attachedEntry(actor, email, defaultStructureId, { profiles, services }),
    );
  }

  async refuse(actor: StaffIdentity, number: number, rawReason: string | undefined): Promise<AccessOutcome<AccessRequest>> {
    const reason = checkText(rawReason, { required: true, max: 500 });
    if (!reason.ok || !reason.value) return refuse('reasonRequired');
    const request = await this.deps.requests.find(actor.firmId, number);
    if (!request) return refuse('requestNotFound');
    const decision = { by: this.stamp(actor), reason: reason.value };
    const refused = this.entry(actor.firmId, decision.by, 'access.requestRefused', { number, reason: reason.value });
    if (!(await this.deps.requests.decide(actor.firmId, number, 'refused', decision, refused))) return refuse('alreadyDecided');
    const decided: AccessRequest = { ...request, status: 'refused', decision };
    await this.deps.notifier.requestDecided(decided);
    return ok(decided);
  }

  listPending(firmId: string) {
    return this.deps.requests.listPending(firmId, 50);
  }

  countPending(firmId: string) {
    return this.deps.requests.countPending(firmId);
  }

  listMembers(firmId: string, structureId: string = defaultStructureId) {
    return this.deps.memberships.list(firmId, structureId);
  }

  mainManagerEmail(firmId: string, structureId: string = defaultStructureId) {
    return this.deps.structures.mainManagerEmail(firmId, structureId);
  }

  isAdministrator(access: AccessContext): boolean {
    return isAdministrator(access);
  }

  /**
   * The structure, if the actor may administer it: the policy decides on their membership in that
   * structure (a deactivated structure is still open to its administrators, to reactivate it).
   */
  private async administer(actor: StaffIdentity, structureId: string): Promise<AccessOutcome<Structure & { access: AccessContext }>> {
    const structure = await this.deps.structures.find(actor.firmId, structureId);
    if (!structure) return refuse('structureNotFound', structureId);
    const access = await this.contextFor(actor, structureId);
    const decision = decide(access, requirements.change('organisation'));
    if (!decision.allowed) return refuse(decision.reason === 'structureInactive' ? 'structureInactive' : 'notAdministrator', structureLabelOrDefault(structure));
    return ok(Object.assign(structure, { access }));
  }

  /** Service ids for what a person chose (ids or names); only active services take new members. */
  private resolveServices(structure: Structure, references: string[], keep: string[] = []): AccessOutcome<string[]> {
    const ids: string[] = [];
    for (const reference of references) {
      const service = findService(structure, reference);
      if (!service) return refuse('serviceNotFound', reference);
      // A deactivated service a member already has may stay; it takes nobody new.
      if (!service.active && !keep.includes(service.id)) return refuse('serviceInactive', service.name);
      if (!ids.includes(service.id)) ids.push(service.id);
    }
    return ok(ids);
  }

  /**
   * Read, change, write guarded by the structure's version; retried when another admin wrote first.
   * `described` tells what the change just computed did; its entry is written with that attempt.
   */
  private async changeServices(
    actor: StaffIdentity,
    structureId: string,
    change: (services: Service[]) => AccessOutcome<Service[]>,
    described: () => { action: AuditAction; details: Record<string, unknown> },
  ): Promise<AccessOutcome> {
    for (let attempt = 0; attempt < maxUpdateAttempts; attempt++) {
      const administered = await this.administer(actor, structureId);
      if (!administered.ok) return administered;
      const next = change(administered.value.services);
      if (!next.ok) return next;
      const { action, details } = described();
      const entry = this.entry(actor.firmId, this.stamp(actor), action, details);
      if (await this.deps.structures.update(actor.firmId, structureId, administered.value.version, { services: next.value }, entry)) return ok(undefined);
    }
    return refuse('changedMeanwhile');
  }

  private newServiceId(): string {
    return this.deps.newId?.() ?? `svc-${randomBytes(6).toString('hex')}`;
  }

  private stamp(identity: StaffIdentity): ActorStamp {
    return { userId: identity.userId, displayName: identity.displayName, at: this.deps.now() };
  }

  /** Every entry here goes to the store method making its change: written by the same operation. */
  private entry(firmId: string, actor: ActorStamp, action: AuditAction, details: Record<string, unknown>): AuditEntry {
    return newAuditEntry({ firmId, actor, action, details });
  }
}
