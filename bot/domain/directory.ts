/**
 * What Passerelle needs from the firm's directory (Microsoft Entra ID through Microsoft Graph).
 * The Graph implementation lives in bot/directory/; the domain only sees this port.
 */
export type RedemptionState = 'PendingAcceptance' | 'Accepted';

export interface DirectoryUser {
  id: string;
  displayName?: string;
  mail?: string;
  /** "Member" for the firm's own staff, "Guest" for invited clients. */
  userType: 'Member' | 'Guest';
  /** Only meaningful for guests. */
  redemptionState?: RedemptionState;
  accountEnabled?: boolean;
}

export interface GuestInvitation {
  email: string;
  displayName: string;
  /** Where the guest lands after accepting (the firm's team in Teams). */
  redirectUrl: string;
  /** Optional personal message, plain text, in French. */
  personalMessage?: string;
}

export interface SentInvitation {
  userId: string;
  /** The link the guest opens to accept; Graph returns it once only. */
  redeemUrl: string;
  status: RedemptionState;
}

/** Why the directory refused or failed, in terms the product can explain to staff. */
export type DirectoryFailureKind =
  | 'throttled' // 429: retry after `retryAfterSeconds`
  | 'unavailable' // 5xx, network error or timeout: retry later
  | 'invitationsDisabled' // the tenant does not allow B2B invitations
  | 'recipientRefused' // the mailbox or domain is refused by the tenant's policy
  | 'notFound'
  | 'forbidden' // permission missing (admin consent)
  | 'invalidRequest';

export class DirectoryError extends Error {
  constructor(
    readonly kind: DirectoryFailureKind,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }

  /** Worth trying again later without any change by a person. */
  get transient(): boolean {
    return this.kind === 'throttled' || this.kind === 'unavailable';
  }
}

export interface Directory {
  /** A user or guest whose mail or otherMails is this address; null when there is none. */
  findUserByEmail(email: string): Promise<DirectoryUser | null>;
  /** Several look-ups at once (batched where the directory allows it); the map is keyed by e-mail. */
  findUsersByEmail(emails: string[]): Promise<Map<string, DirectoryUser | null>>;
  inviteGuest(invitation: GuestInvitation): Promise<SentInvitation>;
  getUser(userId: string): Promise<DirectoryUser | null>;
  /** Redemption state of several guests at once; absent ids no longer exist. */
  getRedemptionStates(userIds: string[]): Promise<Map<string, RedemptionState>>;
  /** Adds the user to the team with the guest role; returns the membership id. Already a member is not an error. */
  addGuestToTeam(teamId: string, userId: string): Promise<{ membershipId: string }>;
  removeFromTeam(teamId: string, membershipId: string): Promise<void>;
  /** Blocks sign-in (accountEnabled false). */
  blockUser(userId: string): Promise<void>;
  deleteUser(userId: string): Promise<void>;
}
