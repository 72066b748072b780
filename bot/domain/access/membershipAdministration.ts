import { checkEmail, checkText } from '../fieldRules.js';
import type { AuditEntry } from '../ports.js';
import { auditEntry, ok, refuse, stampOf, structureLabelOrDefault, type AccessOutcome, type MembershipRefusal, type StaffIdentity } from './accessOutcome.js';
import type { Attachment, MembershipStore, StructureStore } from './ports.js';
import { defaultStaffProfiles, hasProfile, normaliseProfiles, type Membership, type Profile } from './profiles.js';
import type { MainManagerAvailability, MainManagerUnavailable } from './mainManagerAvailability.js';
import type { StructureAdministration } from './structureAdministration.js';
import { defaultStructureId, findService, type Structure } from './structures.js';

type Outcome<T = undefined> = AccessOutcome<T, MembershipRefusal>;
type AdministeredStructure = Extract<Awaited<ReturnType<StructureAdministration['administer']>>, { ok: true }>['value'];

/** What a main-manager handover covers: one structure, a selection, or every structure the actor manages. */
export type HandoverScope = { structureIds: string[] } | 'all';

export interface StructureAccess {
  structure: Structure;
  membership: Membership;
  role: 'mainManager' | 'user';
}

/** Who is attached to a structure, to which services, with which profiles; and who is its main manager. */
export class MembershipAdministration {
  constructor(
    private readonly deps: {
      structures: StructureStore;
      memberships: MembershipStore;
      administration: StructureAdministration;
      /** Whether a main manager can still act: only then may an administrator take the role over. */
      availability: Pick<MainManagerAvailability, 'unavailable'>;
      now: () => Date;
    },
  ) {}

  listMembers(firmId: string, structureId: string = defaultStructureId) {
    return this.deps.memberships.list(firmId, structureId);
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
   * Every structure of the firm with the actor's role in each (null where they are not attached), for
   * someone attached to at least one of them: a structure's own members may be strangers to the default one.
   */
  async structuresSeenBy(actor: StaffIdentity): Promise<AccessOutcome<{ structure: Structure; role: StructureAccess['role'] | null }[], 'notAttached'>> {
    const mine = actor.email ? await this.structuresOf(actor.firmId, actor.email) : [];
    if (mine.length === 0) return refuse('notAttached');
    const all = await this.deps.structures.list(actor.firmId);
    return ok(all.map((structure) => ({ structure, role: mine.find((entry) => entry.structure.id === structure.id)?.role ?? null })));
  }

  /**
   * Attaches a person by e-mail to a structure (the default one unless told): to the whole structure,
   * or to the chosen services (ids or names of active services). Re-attaching sets the services anew.
   */
  async attach(
    actor: StaffIdentity,
    input: { email: string; displayName?: string; services?: string[]; profiles?: Profile[]; structureId?: string },
  ): Promise<Outcome<Membership>> {
    const structureId = input.structureId ?? defaultStructureId;
    const email = checkEmail(input.email);
    if (!email.ok) return refuse('invalidEmail');
    const administered = await this.deps.administration.administer(actor, structureId);
    if (!administered.ok) return administered;
    const resolved = this.resolveServices(administered.value, input.services ?? []);
    if (!resolved.ok) return resolved;
    const serviceIds = resolved.value;
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
  attachedEntry(actor: StaffIdentity, email: string, structureId: string, after: Pick<Membership, 'profiles' | 'services'>): (attachment: Attachment) => AuditEntry {
    const stamp = this.stamp(actor);
    return (attachment) =>
      auditEntry(actor.firmId, stamp, 'access.attached', {
        email,
        structureId,
        before: attachment.created ? null : { status: attachment.before.status, profiles: attachment.before.profiles, services: attachment.before.services },
        after,
      });
  }

  /** Replaces a user's habilitation as submitted; nothing changes before the form is sent. */
  async replaceProfiles(actor: StaffIdentity, email: string, profiles: Profile[], structureId: string = defaultStructureId): Promise<Outcome<Membership>> {
    const target = await this.administeredMember(actor, email, structureId);
    if (!target.ok) return target;
    const { membership } = target.value;
    const next = normaliseProfiles(profiles);
    const changed = auditEntry(actor.firmId, this.stamp(actor), 'access.profilesChanged', { email, structureId, before: membership.profiles, after: next });
    if (!(await this.deps.memberships.replaceProfiles(actor.firmId, email, membership.profiles, next, structureId, changed))) return refuse('changedMeanwhile');
    return ok({ ...membership, profiles: next });
  }

  /** Adds one profile; refused with a clear reason when the user already holds it. */
  async addProfile(actor: StaffIdentity, email: string, profile: Profile): Promise<Outcome<Membership>> {
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    if (hasProfile(membership.profiles, profile)) return refuse('alreadyHeld');
    return this.replaceProfiles(actor, email, [...membership.profiles.filter((held) => held.application !== profile.application), profile]);
  }

  /** Detaches a user from the whole structure; the comment is mandatory. */
  async detach(actor: StaffIdentity, email: string, rawComment: string | undefined, structureId: string = defaultStructureId): Promise<Outcome> {
    const comment = checkText(rawComment, { required: true, max: 500 });
    if (!comment.ok || !comment.value) return refuse('commentRequired');
    const target = await this.administeredMember(actor, email, structureId);
    if (!target.ok) return target;
    // A main manager who leaves without a successor would block every approval.
    if ((await this.deps.structures.mainManagerEmail(actor.firmId, structureId)) === email) return refuse('mainManagerNeedsSuccessor');
    await this.deps.memberships.detach(actor.firmId, email, comment.value, structureId, auditEntry(actor.firmId, this.stamp(actor), 'access.detached', { email, structureId, comment: comment.value }));
    return ok(undefined);
  }

  /**
   * Sets the services a user is attached to: none means the whole structure. Nothing changes before
   * the form is sent; a service that does not exist or is deactivated is refused.
   */
  async setServices(actor: StaffIdentity, email: string, services: string[], structureId: string = defaultStructureId): Promise<Outcome<Membership>> {
    const target = await this.administeredMember(actor, email, structureId);
    if (!target.ok) return target;
    const { structure: administered, membership } = target.value;
    const resolved = this.resolveServices(administered, services, membership.services);
    if (!resolved.ok) return resolved;
    const changed = auditEntry(actor.firmId, this.stamp(actor), 'access.servicesChanged', { email, structureId, before: membership.services, after: resolved.value });
    if (!(await this.deps.memberships.replaceServices(actor.firmId, email, membership.services, resolved.value, structureId, changed))) return refuse('changedMeanwhile');
    return ok({ ...membership, services: resolved.value });
  }

  /**
   * Detaches a user from some of their services, with a mandatory comment. Someone attached to the
   * whole structure has no service to leave, and leaving the last one would widen their access to
   * the whole structure: both are refused with what to do instead.
   */
  async detachFromServices(actor: StaffIdentity, email: string, services: string[], rawComment: string | undefined, structureId: string = defaultStructureId): Promise<Outcome<Membership>> {
    const comment = checkText(rawComment, { required: true, max: 500 });
    if (!comment.ok || !comment.value) return refuse('commentRequired');
    const target = await this.administeredMember(actor, email, structureId);
    if (!target.ok) return target;
    const { structure: administered, membership } = target.value;
    if (membership.services.length === 0) return refuse('wholeStructure');
    const leaving: string[] = [];
    for (const reference of services) {
      const service = findService(administered, reference);
      if (!service || !membership.services.includes(service.id)) return refuse('notInService', service?.name ?? reference);
      leaving.push(service.id);
    }
    if (leaving.length === 0) return refuse('serviceNotFound');
    const remaining = membership.services.filter((id) => !leaving.includes(id));
    if (remaining.length === 0) return refuse('lastService');
    const left = auditEntry(actor.firmId, this.stamp(actor), 'access.detachedFromServices', { email, structureId, services: leaving, comment: comment.value });
    if (!(await this.deps.memberships.replaceServices(actor.firmId, email, membership.services, remaining, structureId, left))) return refuse('changedMeanwhile');
    return ok({ ...membership, services: remaining });
  }

  /**
   * Hands the main-manager role over: for one structure, for a selection, or for every structure
   * the actor manages, to one person attached to each of them. Everything is checked before anything
   * changes; each structure then changes in one conditional write, so a concurrent handover of the
   * same structure cannot also win.
   */
  async transferMainManager(actor: StaffIdentity & { email?: string }, toEmail: string, scope: HandoverScope = { structureIds: [defaultStructureId] }): Promise<Outcome<{ transferred: Structure[]; lost: Structure[] }>> {
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
      const handedOver = auditEntry(actor.firmId, this.stamp(actor), 'access.mainManagerTransferred', { structureId: structure.id, before: actor.email, after: target.value });
      if (await this.deps.structures.transferMainManager(actor.firmId, structure.id, actor.email, target.value, handedOver)) {
        transferred.push({ ...structure, mainManagerEmail: target.value });
      } else {
        lost.push(structure);
      }
    }
    if (transferred.length === 0) return refuse('changedMeanwhile');
    return ok({ transferred, lost });
  }

  /**
   * An administrator of the structure takes the main manager's role over when its holder can no
   * longer act (detached, or their account disabled): nobody else could hand it over, and requests
   * would wait for ever. While the main manager can act, only they hand it over.
   */
  async takeOverMainManager(actor: StaffIdentity & { email?: string }, structureId: string = defaultStructureId): Promise<Outcome<{ structure: Structure; before: string; reason: MainManagerUnavailable }>> {
    const administered = await this.deps.administration.administer(actor, structureId);
    if (!administered.ok) return administered;
    const structure = administered.value;
    const before = structure.mainManagerEmail;
    if (!actor.email) return refuse('notAdministrator');
    if (before === actor.email) return refuse('alreadyHeld');
    const reason = before ? await this.deps.availability.unavailable(actor.firmId, structure) : null;
    if (!before || !reason) return refuse('mainManagerAvailable', structureLabelOrDefault(structure));
    const takenOver = auditEntry(actor.firmId, this.stamp(actor), 'access.mainManagerTransferred', { structureId: structure.id, before, after: actor.email, takenOver: reason });
    if (!(await this.deps.structures.transferMainManager(actor.firmId, structure.id, before, actor.email, takenOver))) return refuse('changedMeanwhile');
    return ok({ structure: { ...structure, mainManagerEmail: actor.email }, before, reason });
  }

  /** Service ids for what a person chose (ids or names); only active services take new members. */
  private resolveServices(structure: Structure, references: string[], keep: string[] = []): Outcome<string[]> {
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

  /** The structure the actor administers and the attached member they act on in it, or why not. */
  private async administeredMember(actor: StaffIdentity, email: string, structureId: string): Promise<Outcome<{ structure: AdministeredStructure; membership: Membership }>> {
    const administered = await this.deps.administration.administer(actor, structureId);
    if (!administered.ok) return administered;
    const membership = await this.deps.memberships.findByEmail(actor.firmId, email, structureId);
    if (!membership || membership.status !== 'attached') return refuse('targetNotAttached');
    return ok({ structure: administered.value, membership });
  }

  private stamp(identity: StaffIdentity) {
    return stampOf(identity, this.deps.now);
  }
}
