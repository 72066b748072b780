import type { ActorStamp } from '../actor.js';
import { newAuditEntry, type AuditAction } from '../audit.js';
import type { AuditEntry } from '../ports.js';
import type { Decision } from './policy.js';
import { defaultStructureId, type Structure, type StructureFieldError } from './structures.js';

/** The authenticated member of staff an access use case acts for. */
export interface StaffIdentity {
  firmId: string;
  userId: string;
  email?: string;
  displayName: string;
}

/** Why the policy said no, and the profile that was missing: what the edges show with a request button. */
export type Denial = Extract<Decision, { allowed: false }>;

/**
 * What an access use case answers. `about`: the structure or service a refusal is about, when several
 * were involved; `errors`: per field; `denied`: for a refusal by the policy, its reason and the missing
 * profile. Each use case class narrows `R` to the refusals it can give.
 */
export type AccessOutcome<T = undefined, R extends string = AccessRefusal> =
  | { ok: true; value: T }
  | { ok: false; refusal: R; about?: string; errors?: StructureFieldError[]; denied?: Denial };

/** Refusals of administering a structure, shared by every use case that changes one. */
export type AdministrationRefusal = 'structureNotFound' | 'structureInactive' | 'notAdministrator';

/** Refusals of reading a structure: `notPermitted` comes with the policy's `denied`. */
export type StructureReadRefusal = 'structureNotFound' | 'notPermitted';

export type StructureRefusal =
  | AdministrationRefusal
  | StructureReadRefusal
  | 'notAttached'
  | 'changedMeanwhile'
  | 'serviceNameInvalid'
  | 'serviceNameTaken'
  | 'serviceNotFound'
  | 'serviceInactive'
  | 'registerField'
  | 'invalidFields'
  | 'confirmationRequired'
  | 'alreadyActive'
  | 'alreadyInactive'
  | 'siretInvalid'
  | 'siretTaken'
  | 'legalNameRequired';

export type MembershipRefusal =
  | AdministrationRefusal
  | 'invalidEmail'
  | 'alreadyHeld'
  | 'commentRequired'
  | 'mainManagerNeedsSuccessor'
  | 'notMainManager'
  | 'mainManagerAvailable'
  | 'targetNotAttached'
  | 'changedMeanwhile'
  | 'serviceNotFound'
  | 'serviceInactive'
  | 'wholeStructure'
  | 'notInService'
  | 'lastService';

export type AccessRequestRefusal = 'notAttached' | 'alreadyHeld' | 'alreadyRequested' | 'serviceNotFound' | 'serviceInactive';

export type ApprovalRefusal = 'notAdministrator' | 'reasonRequired' | 'requestNotFound' | 'alreadyDecided';

/** Every refusal of the access use cases, for the edges that put them into words. */
export type AccessRefusal = StructureRefusal | MembershipRefusal | AccessRequestRefusal | ApprovalRefusal;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = <R extends string>(refusal: R, about?: string): { ok: false; refusal: R; about?: string } => ({ ok: false, refusal, ...(about ? { about } : {}) });

export const maxUpdateAttempts = 3;

/** A name to show for a structure: what staff chose, else the register's, else its SIRET. */
export function structureLabel(structure: Pick<Structure, 'displayName' | 'legalName' | 'siret' | 'id'>): string {
  return structure.displayName ?? structure.legalName ?? structure.siret ?? structure.id;
}

/** How a refusal names a structure; the default one unnamed yet is left for the Teams layer to call. */
export function structureLabelOrDefault(structure: Structure): string | undefined {
  return structure.id === defaultStructureId && !structure.displayName && !structure.legalName ? undefined : structureLabel(structure);
}

/** Who did it and when, for the audit entry written with the change. */
export function stampOf(identity: StaffIdentity, now: () => Date): ActorStamp {
  return { userId: identity.userId, displayName: identity.displayName, at: now() };
}

/** Every entry goes to the store method making its change: written by the same operation. */
export function auditEntry(firmId: string, actor: ActorStamp, action: AuditAction, details: Record<string, unknown>): AuditEntry {
  return newAuditEntry({ firmId, actor, action, details });
}
