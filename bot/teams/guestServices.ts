import type { GuestInvitations } from '../domain/guestInvitations.js';
import type { GuestOnboardingService } from '../domain/guestOnboardingService.js';
import type { TeamStore } from '../domain/ports.js';
import type { InvitationJobStore } from '../jobs/invitationJobs.js';
import type { ContactStore } from '../domain/ports.js';

/** What the guest commands and card actions need, on top of TeamsServices. */
export interface GuestTeamsServices {
  onboarding: GuestOnboardingService;
  /** Queues invitation jobs, after the permission and service checks. */
  invitations: GuestInvitations;
  jobs: InvitationJobStore;
  teams: TeamStore;
  contacts: ContactStore;
  /** Tells the invitation runner that work is waiting. */
  nudgeRunner: () => void;
}
