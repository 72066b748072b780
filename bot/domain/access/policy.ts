import { administratorProfile, hasProfile, type Membership, type Requirement, type Role } from './profiles.js';

/**
 * The one place that decides whether a member of staff may do something. The Teams layer and the
 * API both ask here; nothing else compares roles or profiles.
 */
export interface AccessContext {
  membership: Membership | null;
  role: Role | null;
  /** False once the structure is deactivated; absent means active. */
  structureActive?: boolean;
}

export type Decision =
  | { allowed: true }
  | { allowed: false; reason: 'notAttached' | 'detached' | 'missingProfile' | 'structureInactive'; missing?: Requirement };

export function isAdministrator(access: AccessContext): boolean {
  return access.role === 'mainManager' || Boolean(access.membership && access.membership.status === 'attached' && hasProfile(access.membership.profiles, administratorProfile));
}

export function decide(access: AccessContext, requirement: Requirement | null): Decision {
  if (!access.membership) return { allowed: false, reason: 'notAttached', missing: requirement ?? undefined };
  if (access.membership.status !== 'attached') return { allowed: false, reason: 'detached', missing: requirement ?? undefined };
  // A deactivated structure does no work; only its administrators may still manage it, to reactivate it.
  if (access.structureActive === false && !(isAdministrator(access) && requirement?.application === 'organisation')) return { allowed: false, reason: 'structureInactive' };
  if (!requirement || isAdministrator(access)) return { allowed: true };
  const held = access.membership.profiles.find((profile) => profile.application === requirement.application);
  if (held && (held.level === 'modification' || requirement.level === 'consultation')) return { allowed: true };
  return { allowed: false, reason: 'missingProfile', missing: requirement };
}

/** Requirements of everything Passerelle lets staff do, by command or card verb. */
export const requirements = {
  read: (application: Requirement['application']): Requirement => ({ application, level: 'consultation' }),
  change: (application: Requirement['application']): Requirement => ({ application, level: 'modification' }),
};

/**
 * Which services' client files a user may see. Administrators and users attached to the whole
 * structure see every file; a user attached to services sees the files of those services and the
 * files assigned to no service (client files store it as `serviceId`).
 */
export function visibleServiceIds(access: AccessContext): 'all' | string[] {
  if (!access.membership || access.membership.status !== 'attached') return [];
  if (isAdministrator(access)) return 'all';
  const services = access.membership.services;
  return services.length === 0 ? 'all' : [...services];
}

/** Whether a client file of this service (undefined: none) is within what `visibleServiceIds` gave. */
export function canSeeService(visible: 'all' | readonly string[], serviceId: string | undefined): boolean {
  return visible === 'all' || !serviceId || visible.includes(serviceId);
}

/**
 * A client file exists but belongs to a service the user is not attached to; `about: 'contact'` when
 * what was asked for is a contact all of whose client files are of such services.
 */
export class OtherServiceError extends Error {
  constructor(readonly serviceId: string, readonly about: 'clientFile' | 'contact' = 'clientFile') {
    super(`${about === 'contact' ? 'contact' : 'client file'} of another service`);
    this.name = 'OtherServiceError';
  }
}
