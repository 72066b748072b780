import type { DirectoryFailureKind } from './directory.js';
import type { GuestFate, GuestPolicy } from './ports.js';

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
  /** The first team joined (kept for the cards that name one team); `teams` holds every one. */
  teamId?: string;
  membershipId?: string;
  memberAt?: Date;
  /** Every team the guest joined: a contact of several client files joins each file's team. */
  teams?: GuestMembership[];
  /** When the acceptance watcher looks at this guest next; absent once there is nothing to watch. */
  nextCheckAt?: Date;
  checks: number;
  failure?: { reason: GuestFailureReason; at: Date };
  revoked?: { action: RevocationAction; at: Date };
  /** The person was welcomed in the team (once). */
  welcomedAt?: Date;
}

export type RevocationAction = 'removedFromTeam' | 'blocked' | 'deleted';

export interface GuestMembership {
  teamId: string;
  membershipId: string;
  at: Date;
}

/** The teams a guest is in, including guests recorded before `teams` existed (one team). */
export function guestMemberships(guest: GuestOnboarding | undefined): GuestMembership[] {
  if (!guest) return [];
  if (guest.teams) return guest.teams;
  return guest.teamId && guest.membershipId ? [{ teamId: guest.teamId, membershipId: guest.membershipId, at: guest.memberAt ?? new Date(0) }] : [];
}

/** A guest who exists in the firm's tenant through Passerelle: invited, accepted or in a team. */
export function isActiveGuest(guest: GuestOnboarding | undefined): boolean {
  return isAlreadyOnboarded(guest) && Boolean(guest?.directoryUserId);
}

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

/** The revocation that carries out a guest's fate; null: the guest is kept as they are. */
export function revocationOf(fate: GuestFate): RevocationAction | null {
  return fate === 'removeFromTeam' ? 'removedFromTeam' : fate === 'block' ? 'blocked' : fate === 'delete' ? 'deleted' : null;
}
