import { administratorProfile, hasProfile, type Membership, type Requirement, type Role } from './profiles.js';

/**
 * The one place that decides whether a member of staff may do something. The Teams layer and the
 * API both ask here; nothing else compares roles or profiles.
 */
export interface AccessContext {
  membership: Membership | null;
  role: Role | null;
}

export type Decision = { allowed: true } | { allowed: false; reason: 'notAttached' | 'detached' | 'missingProfile'; missing?: Requirement };

export function isAdministrator(access: AccessContext): boolean {
  return access.role === 'mainManager' || Boolean(access.membership && access.membership.status === 'attached' && hasProfile(access.membership.profiles, administratorProfile));
}

export function decide(access: AccessContext, requirement: Requirement | null): Decision {
  if (!access.membership) return { allowed: false, reason: 'notAttached', missing: requirement ?? undefined };
  if (access.membership.status !== 'attached') return { allowed: false, reason: 'detached', missing: requirement ?? undefined };
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
