import type { DirectoryFailureKind } from './directory.js';
import type { GuestPolicy } from './ports.js';

/**
 * A contact's journey into the firm's tenant and team, stored on the contact and shown everywhere:
 * not invited -> invited (PendingAcceptance) -> accepted -> member of the team; or failed / revoked.
 */
export type GuestStateName = 'invited' | 'accepted' | 'member' | 'failed' | 'revoked';

export type GuestFailureReason = DirectoryFailureKind | 'staffAccount' | 'teamRefused' | 'retriesExhausted';

export interface GuestOnboarding {
  state: GuestStateName;
  directoryUserId?: string;
  /** When the first invitation went out, and the latest one (reminders send new ones). */
  invitedAt?: Date;
  lastInvitedAt?: Date;
  invitationCount: number;
  acceptedAt?: Date;
  teamId?: string;
  membershipId?: string;
  memberAt?: Date;
  /** When the acceptance watcher looks at this guest next; absent once there is nothing to watch. */
  nextCheckAt?: Date;
  checks: number;
  failure?: { reason: GuestFailureReason; at: Date };
  revoked?: { action: RevocationAction; at: Date };
  /** The person was welcomed in the team (once). */
  welcomedAt?: Date;
}

export type RevocationAction = 'removedFromTeam' | 'blocked' | 'deleted';

/** Back-off of the acceptance watcher: soon after the invitation, then less and less often, at most hourly. */
export function nextAcceptanceCheck(now: Date, checksSoFar: number): Date {
  const delaySeconds = Math.min(3_600, 30 * 2 ** Math.min(checksSoFar, 7));
  return new Date(now.getTime() + delaySeconds * 1_000);
}

/** States in which a new invitation must not be sent (it would be a duplicate). */
export function isAlreadyOnboarded(guest: GuestOnboarding | undefined): boolean {
  return guest !== undefined && (guest.state === 'invited' || guest.state === 'accepted' || guest.state === 'member');
}

export function reminderDue(guest: GuestOnboarding, policy: GuestPolicy, now: Date): boolean {
  if (guest.state !== 'invited' || !guest.lastInvitedAt) return false;
  if (guest.invitationCount - 1 >= policy.maxReminders) return false;
  return now.getTime() - guest.lastInvitedAt.getTime() >= policy.reminderAfterDays * 86_400_000;
}
