import type { ActorStamp } from './actor.js';
import { newAuditEntry, type AuditAction } from './audit.js';
import type { ClientFile } from './clientFile.js';
import { contactDisplayName, type Contact } from './contact.js';
import { DirectoryError, type Directory, type DirectoryUser } from './directory.js';
import type { FirmSettingsService } from './firmSettingsService.js';
import { guestMemberships, isAlreadyOnboarded, nextAcceptanceCheck, reminderDue, type GuestOnboarding, type RevocationAction } from './guest.js';
import type { AuditEntry, AuditLog, ClientFileStore, ContactLinkStore, ContactStore, FirmTeam, TeamStore } from './ports.js';

/** Which contacts an invitation job is for; resolved again at confirmation so it is never stale. */
export type InvitationSelection = { kind: 'clientFiles'; ids: string[] } | { kind: 'notInvited' } | { kind: 'contacts'; ids: string[] };

/** One job takes at most this many contacts (a firm of 4,000 clients with 2 contacts each fits). */
export const maxContactsPerJob = 20_000;

/** What happened to one contact of an invitation job. */
export type InvitationOutcome =
  | 'invited' // a new invitation went out
  | 'alreadyInvited' // Passerelle had already invited them: nothing sent
  | 'alreadyGuest' // the directory already had them as a guest: recorded, nothing sent
  | 'staffAccount' // the address belongs to a member of the firm: not a client
  | 'contactNotFound';

export type ReminderOutcome =
  | 'reminded' // the invitation went out again
  | 'notWaiting' // not (or no longer) waiting for acceptance: nothing sent
  | 'contactNotFound';

/** Other parts of the product that wait for a guest (offers start on acceptance). */
export interface GuestProgressListener {
  guestAccepted(firmId: string, contactId: string, at: Date): Promise<void>;
  guestJoinedTeam(firmId: string, contactId: string): Promise<void>;
}

/** Welcomes a guest who has joined the team (Teams layer). */
export interface GuestWelcomer {
  welcomeInTeam(team: FirmTeam, guest: { contact: Contact; clientFile?: ClientFile; directoryUserId: string }): Promise<void>;
}

export type TeamChoiceOutcome = 'done' | 'unchanged' | 'clientFileNotFound' | 'teamNotFound' | 'teamIsInternal' | 'teamHasOtherClient';

export interface InvitationPreview {
  contact: Contact;
  existing: DirectoryUser | null;
  clientFiles: { file: ClientFile; team?: FirmTeam }[];
}

/**
 * Brings contacts into the firm's tenant and team through the directory, exactly once each:
 * search first, invite only when absent, record every step, follow acceptance, remind, welcome.
 */
export class GuestOnboardingService {
  constructor(
    private readonly deps: {
      directory: Directory;
      contacts: ContactStore;
      clientFiles: ClientFileStore;
      links: ContactLinkStore;
      teams: TeamStore;
      firmSettings: FirmSettingsService;
      audit: AuditLog;
      welcomer: GuestWelcomer;
      redirectUrl: string;
      now: () => Date;
    },
  ) {}

  private readonly listeners: GuestProgressListener[] = [];

  onProgress(listener: GuestProgressListener): void {
    this.listeners.push(listener);
  }

  /**
   * What will happen if the contact is invited: shown on the confirmation card. The contact and its files
   * come already read (the visibility check reads them): only the directory and the teams are asked.
   */
  async previewOf(contact: Contact, files: ClientFile[]): Promise<InvitationPreview> {
    const [existing, clientFiles] = await Promise.all([this.deps.directory.findUserByEmail(contact.email), this.withTeams(contact.firmId, files)]);
    return { contact, existing, clientFiles };
  }

  /**
   * Invites one contact. Safe to run again after a crash at any point: the directory is searched
   * before inviting, so an invitation sent just before a crash is found, not sent twice.
   * Throws DirectoryError; transient ones are for the caller to retry later.
   */
  async inviteContact(firmId: string, contactId: string, by: ActorStamp, personalMessage?: string): Promise<InvitationOutcome> {
    const contact = await this.deps.contacts.findById(firmId, contactId);
    if (!contact) return 'contactNotFound';
    return this.inviteKnownContact(contact, by, personalMessage, await this.deps.directory.findUserByEmail(contact.email));
  }

  /** Same as inviteContact, for many contacts, with one batched directory search. */
  async inviteContacts(firmId: string, contactIds: string[], by: ActorStamp, personalMessage?: string): Promise<Map<string, InvitationOutcome | DirectoryError>> {
    const results = new Map<string, InvitationOutcome | DirectoryError>();
    const contacts = await this.deps.contacts.findByIds(firmId, contactIds);
    for (const id of contactIds) if (!contacts.some((contact) => contact.id === id)) results.set(id, 'contactNotFound');
    const toSearch = contacts.filter((contact) => !isAlreadyOnboarded(contact.guest));
    for (const contact of contacts) {
      if (!isAlreadyOnboarded(contact.guest)) continue;
      // Invited since this request began: the same job did it before a restart, it is not a skip.
      const sameRequest = contact.guest?.invitedAt && contact.guest.invitedAt.getTime() >= by.at.getTime();
      results.set(contact.id, sameRequest ? 'invited' : 'alreadyInvited');
    }
    if (toSearch.length === 0) return results;
    let found: Map<string, DirectoryUser | null>;
    try {
      found = await this.deps.directory.findUsersByEmail(toSearch.map((contact) => contact.email));
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      for (const contact of toSearch) results.set(contact.id, error);
      return results;
    }
    await Promise.all(
      toSearch.map(async (contact) => {
        try {
          results.set(contact.id, await this.inviteKnownContact(contact, by, personalMessage, found.get(contact.email) ?? null));
        } catch (error) {
          if (!(error instanceof DirectoryError)) throw error;
          results.set(contact.id, error);
        }
      }),
    );
    return results;
  }

  private async inviteKnownContact(contact: Contact, by: ActorStamp, personalMessage: string | undefined, existing: DirectoryUser | null): Promise<InvitationOutcome> {
    if (isAlreadyOnboarded(contact.guest)) return 'alreadyInvited';
    const now = this.deps.now();
    const previousState = contact.guest?.state;
    if (existing?.userType === 'Member') {
      await this.recordFailure(contact, 'staffAccount', by);
      return 'staffAccount';
    }
    if (existing) {
      const accepted = existing.redemptionState === 'Accepted';
      const guest: GuestOnboarding = {
        state: accepted ? 'accepted' : 'invited',
        directoryUserId: existing.id,
        invitedAt: contact.guest?.invitedAt ?? now,
        lastInvitedAt: contact.guest?.lastInvitedAt ?? now,
        invitationCount: Math.max(1, contact.guest?.invitationCount ?? 0),
        acceptedAt: accepted ? now : undefined,
        nextCheckAt: now,
        checks: 0,
      };
      await this.deps.contacts.updateGuest(contact.firmId, contact.id, previousState, guest, this.entry(contact, by, 'guest.foundInDirectory', { directoryUserId: existing.id, state: guest.state }));
      return 'alreadyGuest';
    }
    let sent;
    try {
      sent = await this.deps.directory.inviteGuest({
        email: contact.email,
        displayName: contactDisplayName(contact),
        redirectUrl: this.deps.redirectUrl,
        personalMessage,
      });
    } catch (error) {
      if (error instanceof DirectoryError && !error.transient) await this.recordFailure(contact, error.kind, by);
      throw error;
    }
    const guest: GuestOnboarding = {
      state: sent.status === 'Accepted' ? 'accepted' : 'invited',
      directoryUserId: sent.userId,
      invitedAt: now,
      lastInvitedAt: now,
      invitationCount: 1,
      nextCheckAt: nextAcceptanceCheck(now, 0),
      checks: 0,
    };
    const invited = this.entry(contact, by, 'guest.invited', { directoryUserId: sent.userId, personalMessage: Boolean(personalMessage) });
    // The invitation went out even if the contact changed meanwhile: then it is logged on its own.
    if (!(await this.deps.contacts.updateGuest(contact.firmId, contact.id, previousState, guest, invited))) await this.deps.audit.record(invited);
    return 'invited';
  }

  private async recordFailure(contact: Contact, reason: NonNullable<GuestOnboarding['failure']>['reason'], by: ActorStamp): Promise<void> {
    const now = this.deps.now();
    const guest: GuestOnboarding = { ...contact.guest, state: 'failed', invitationCount: contact.guest?.invitationCount ?? 0, checks: 0, failure: { reason, at: now }, nextCheckAt: undefined };
    await this.deps.contacts.updateGuest(contact.firmId, contact.id, contact.guest?.state, guest, this.entry(contact, by, 'guest.failed', { reason }));
  }

  /**
   * One pass of the acceptance watcher: asks the directory about guests due for a check, records
   * acceptances, sends reminders, adds accepted guests to their dossier's team and welcomes them.
   */
  async watchAcceptances(limit = 200): Promise<{ checked: number; accepted: number; joined: number; reminded: number }> {
    const now = this.deps.now();
    const candidates = await this.deps.contacts.listGuestsDueForCheck(now, limit);
    // Claim each one for a few minutes: another instance running the same watcher skips it.
    const claimUntil = new Date(now.getTime() + 5 * 60_000);
    const due: Contact[] = [];
    for (const contact of candidates) {
      if (await this.deps.contacts.claimGuestCheck(contact.firmId, contact.id, contact.guest!.nextCheckAt!, claimUntil)) {
        due.push({ ...contact, guest: { ...contact.guest!, nextCheckAt: claimUntil } });
      }
    }
    const tally = { checked: due.length, accepted: 0, joined: 0, reminded: 0 };
    const system: ActorStamp = { userId: 'passerelle', displayName: 'Passerelle', at: now };
    const pending = due.filter((contact) => contact.guest?.state === 'invited' && contact.guest.directoryUserId);
    const states = pending.length ? await this.deps.directory.getRedemptionStates(pending.map((contact) => contact.guest!.directoryUserId!)) : new Map();
    for (const contact of due) {
      const guest = contact.guest!;
      try {
        if (guest.state === 'invited') {
          const state = states.get(guest.directoryUserId!);
          if (state === 'Accepted') {
            // Still claimed by this pass (not due now): another instance must not bring the same guest into the team meanwhile.
            const accepted: GuestOnboarding = { ...guest, state: 'accepted', acceptedAt: now, nextCheckAt: claimUntil, checks: 0 };
            if (await this.deps.contacts.updateGuest(contact.firmId, contact.id, 'invited', accepted, this.entry(contact, system, 'guest.accepted', { directoryUserId: guest.directoryUserId }))) {
              tally.accepted++;
              for (const listener of this.listeners) await listener.guestAccepted(contact.firmId, contact.id, now);
              if (await this.joinTeam({ ...contact, guest: accepted }, system)) tally.joined++;
            }
            continue;
          }
          const policy = (await this.deps.firmSettings.settings(contact.firmId)).guestPolicy;
          if (reminderDue(guest, policy, now)) {
            await this.deps.directory.inviteGuest({ email: contact.email, displayName: contactDisplayName(contact), redirectUrl: this.deps.redirectUrl });
            const reminded: GuestOnboarding = { ...guest, lastInvitedAt: now, invitationCount: guest.invitationCount + 1, nextCheckAt: nextAcceptanceCheck(now, 0), checks: 0 };
            if (await this.deps.contacts.updateGuest(contact.firmId, contact.id, 'invited', reminded, this.entry(contact, system, 'guest.reminded', { reminder: guest.invitationCount }))) {
              tally.reminded++;
            }
            continue;
          }
          await this.deps.contacts.updateGuest(contact.firmId, contact.id, 'invited', { ...guest, nextCheckAt: nextAcceptanceCheck(now, guest.checks + 1), checks: guest.checks + 1 });
        } else if (guest.state === 'accepted' || guest.state === 'member') {
          if (await this.joinTeam(contact, system)) tally.joined++;
        }
      } catch (error) {
        if (!(error instanceof DirectoryError) || !error.transient) throw error;
        // The directory is busy: look again later, the guest stays where it was.
        await this.deps.contacts.updateGuest(contact.firmId, contact.id, guest.state, { ...guest, nextCheckAt: new Date(now.getTime() + (error.retryAfterSeconds ?? 60) * 1_000) });
      }
    }
    return tally;
  }

  /**
   * Adds an accepted guest (or a member linked to another file since) to the team of each of their
   * files, when one is chosen and allowed: a contact of two client files joins both teams.
   */
  private async joinTeam(contact: Contact, by: ActorStamp): Promise<boolean> {
    let current = contact.guest!;
    const files = await this.clientFilesOf(contact.firmId, contact.id);
    const toJoin = new Map<string, { file: ClientFile; team: FirmTeam }>();
    for (const entry of files) {
      if (!entry.team || toJoin.has(entry.team.teamId) || guestMemberships(current).some((membership) => membership.teamId === entry.team!.teamId)) continue;
      toJoin.set(entry.team.teamId, { file: entry.file, team: entry.team });
    }
    let joined = false;
    for (const target of toJoin.values()) {
      const refusal = await this.teamRefusal(contact.firmId, target.file.id, target.team);
      if (refusal) {
        // A refusal changes nothing on the guest; it is still worth a line in the log.
        await this.deps.audit.record(this.entry(contact, by, 'guest.teamRefused', { teamId: target.team.teamId, reason: refusal }, target.file.id));
        continue;
      }
      const { membershipId } = await this.deps.directory.addGuestToTeam(target.team.teamId, current.directoryUserId!);
      const now = this.deps.now();
      const member: GuestOnboarding = {
        ...current,
        state: 'member',
        teamId: current.teamId ?? target.team.teamId,
        membershipId: current.membershipId ?? membershipId,
        memberAt: current.memberAt ?? now,
        teams: [...guestMemberships(current), { teamId: target.team.teamId, membershipId, at: now }],
        nextCheckAt: undefined,
      };
      if (!(await this.deps.contacts.updateGuest(contact.firmId, contact.id, current.state, member, this.entry(contact, by, 'guest.joinedTeam', { teamId: target.team.teamId }, target.file.id)))) return joined;
      current = member;
      joined = true;
      await this.deps.welcomer.welcomeInTeam(target.team, { contact, clientFile: target.file, directoryUserId: current.directoryUserId! });
      if (!current.welcomedAt) {
        current = { ...current, welcomedAt: this.deps.now() };
        await this.deps.contacts.updateGuest(contact.firmId, contact.id, 'member', current);
      }
    }
    // Nothing (more) to join: stay as they are; choosing a file's team or linking another file brings them in later.
    if (current.nextCheckAt) await this.deps.contacts.updateGuest(contact.firmId, contact.id, current.state, { ...current, nextCheckAt: undefined });
    if (joined) for (const listener of this.listeners) await listener.guestJoinedTeam(contact.firmId, contact.id);
    return joined;
  }

  /** Asks the watcher to bring an accepted guest or a member into the teams of their files now (a file linked, a team chosen). */
  async lookForTeamsNow(firmId: string, contactIds: string[], at: Date): Promise<void> {
    for (const state of ['accepted', 'member'] as const) {
      for (const contact of await this.deps.contacts.findByIdsWithGuestState(firmId, contactIds, state)) {
        await this.deps.contacts.updateGuest(firmId, contact.id, state, { ...contact.guest!, nextCheckAt: at });
      }
    }
  }

  /** Why guests of this client file may not join this team, or null when they may. */
  async teamRefusal(firmId: string, clientFileId: string, team: FirmTeam): Promise<'teamIsInternal' | 'teamHasOtherClient' | null> {
    const policy = (await this.deps.firmSettings.settings(firmId)).guestPolicy;
    if (policy.allowSharedGuestTeams) return null;
    if (team.internal) return 'teamIsInternal';
    const sharing = await this.deps.clientFiles.findByGuestTeam(firmId, team.teamId, 2);
    return sharing.some((file) => file.id !== clientFileId) ? 'teamHasOtherClient' : null;
  }

  /** Chooses the team a client file's guests join; accepted guests waiting for a team are then brought in. */
  async chooseTeam(actorStamp: ActorStamp & { firmId: string }, clientFileId: string, teamId: string): Promise<TeamChoiceOutcome> {
    const { firmId } = actorStamp;
    const file = await this.deps.clientFiles.findById(firmId, clientFileId);
    if (!file) return 'clientFileNotFound';
    const team = await this.deps.teams.find(firmId, teamId);
    if (!team) return 'teamNotFound';
    if (file.guestTeamId === teamId) return 'unchanged';
    const refusal = await this.teamRefusal(firmId, clientFileId, team);
    if (refusal) return refusal;
    const by: ActorStamp = { userId: actorStamp.userId, displayName: actorStamp.displayName, at: actorStamp.at };
    await this.deps.clientFiles.setGuestTeam(
      firmId, clientFileId, teamId, by.at,
      newAuditEntry({ firmId, actor: by, action: 'clientFile.guestTeamChosen', clientFileId, details: { teamId, previousTeamId: file.guestTeamId ?? null } }),
    );
    const links = await this.deps.links.listByClientFile(firmId, clientFileId);
    await this.lookForTeamsNow(firmId, links.map((link) => link.contactId), by.at);
    return 'done';
  }

  /** The contacts a selection designates that can still be invited (not invited yet, failed or revoked). */
  async contactsToInvite(firmId: string, selection: InvitationSelection): Promise<Contact[]> {
    let contacts: Contact[];
    if (selection.kind === 'notInvited') {
      contacts = await this.deps.contacts.listNotInvited(firmId, maxContactsPerJob);
    } else if (selection.kind === 'contacts') {
      contacts = await this.deps.contacts.findByIds(firmId, selection.ids.slice(0, maxContactsPerJob));
    } else {
      contacts = await this.contactsOfFiles(firmId, selection.ids);
    }
    return contacts.filter((contact) => !isAlreadyOnboarded(contact.guest)).sort((a, b) => a.lastName.localeCompare(b.lastName, 'fr'));
  }

  /** The contacts of these files whose invitation still waits for acceptance: whom « Relancer » is for. */
  async contactsToRemind(firmId: string, clientFileIds: string[]): Promise<Contact[]> {
    const contacts = await this.contactsOfFiles(firmId, clientFileIds);
    return contacts.filter((contact) => contact.guest?.state === 'invited').sort((a, b) => a.lastName.localeCompare(b.lastName, 'fr'));
  }

  /**
   * Sends the invitation again to contacts still waiting, when staff ask for it. A contact reminded
   * since the request began (the same job, before a restart) counts as reminded, not reminded twice.
   */
  async remindContacts(firmId: string, contactIds: string[], by: ActorStamp): Promise<Map<string, ReminderOutcome | DirectoryError>> {
    const results = new Map<string, ReminderOutcome | DirectoryError>();
    const contacts = await this.deps.contacts.findByIds(firmId, contactIds);
    for (const id of contactIds) if (!contacts.some((contact) => contact.id === id)) results.set(id, 'contactNotFound');
    await Promise.all(
      contacts.map(async (contact) => {
        const guest = contact.guest;
        if (guest?.state !== 'invited') return results.set(contact.id, 'notWaiting');
        if (guest.lastInvitedAt && guest.lastInvitedAt.getTime() >= by.at.getTime()) return results.set(contact.id, 'reminded');
        try {
          await this.deps.directory.inviteGuest({ email: contact.email, displayName: contactDisplayName(contact), redirectUrl: this.deps.redirectUrl });
        } catch (error) {
          if (!(error instanceof DirectoryError)) throw error;
          return results.set(contact.id, error);
        }
        const now = this.deps.now();
        const reminded: GuestOnboarding = { ...guest, lastInvitedAt: now, invitationCount: guest.invitationCount + 1, nextCheckAt: nextAcceptanceCheck(now, 0), checks: 0 };
        const entry = this.entry(contact, by, 'guest.reminded', { reminder: guest.invitationCount, requestedByStaff: true });
        // The e-mail went out even if the contact moved on meanwhile: then the reminder is logged on its own.
        if (!(await this.deps.contacts.updateGuest(firmId, contact.id, 'invited', reminded, entry))) await this.deps.audit.record(entry);
        return results.set(contact.id, 'reminded');
      }),
    );
    return results;
  }

  private async contactsOfFiles(firmId: string, clientFileIds: string[]): Promise<Contact[]> {
    const links = await this.deps.links.listByClientFiles(firmId, clientFileIds);
    return this.deps.contacts.findByIds(firmId, [...new Set(links.map((link) => link.contactId))].slice(0, maxContactsPerJob));
  }

  clientFilesOfTeam(firmId: string, teamId: string): Promise<ClientFile[]> {
    return this.deps.clientFiles.findByGuestTeam(firmId, teamId, 20);
  }

  /** Removes the guest from the team and, when asked, blocks or deletes the account; recorded. */
  async revoke(firmId: string, contactId: string, action: RevocationAction, by: ActorStamp, details: Record<string, unknown> = {}): Promise<'done' | 'notAGuest' | 'contactNotFound'> {
    const contact = await this.deps.contacts.findById(firmId, contactId);
    if (!contact) return 'contactNotFound';
    const guest = contact.guest;
    if (!guest?.directoryUserId || guest.state === 'revoked' || guest.state === 'failed') return 'notAGuest';
    await this.removeGuestAccount(guest.directoryUserId, guestMemberships(guest), action);
    const revoked: GuestOnboarding = { ...guest, state: 'revoked', revoked: { action, at: by.at }, nextCheckAt: undefined, membershipId: undefined, teams: [] };
    await this.deps.contacts.updateGuest(firmId, contactId, guest.state, revoked, this.entry(contact, by, 'guest.revoked', { action, teamId: guest.teamId ?? null, ...details }));
    return 'done';
  }

  /**
   * Takes a guest account out of every team and, when asked, blocks or deletes it. Safe to run again:
   * a membership or an account already gone is not an error (a resumed identity change does it twice).
   */
  async removeGuestAccount(directoryUserId: string, memberships: readonly { teamId: string; membershipId: string }[], action: RevocationAction): Promise<void> {
    for (const membership of memberships) await ignoringGone(() => this.deps.directory.removeFromTeam(membership.teamId, membership.membershipId));
    if (action === 'blocked') await ignoringGone(() => this.deps.directory.blockUser(directoryUserId));
    if (action === 'deleted') await ignoringGone(() => this.deps.directory.deleteUser(directoryUserId));
  }

  private async clientFilesOf(firmId: string, contactId: string): Promise<{ file: ClientFile; team?: FirmTeam }[]> {
    const links = await this.deps.links.listByContact(firmId, contactId);
    return this.withTeams(firmId, await this.deps.clientFiles.findByIds(firmId, links.map((link) => link.clientFileId)));
  }

  private withTeams(firmId: string, files: ClientFile[]): Promise<{ file: ClientFile; team?: FirmTeam }[]> {
    return Promise.all(
      files.map(async (file) => ({ file, team: file.guestTeamId ? (await this.deps.teams.find(firmId, file.guestTeamId)) ?? undefined : undefined })),
    );
  }

  /** The entry of a change to the contact's onboarding, written by the same update as the change. */
  private entry(contact: Contact, by: ActorStamp, action: AuditAction, details: Record<string, unknown>, clientFileId?: string): AuditEntry {
    return newAuditEntry({ firmId: contact.firmId, actor: by, action, contactId: contact.id, clientFileId, details });
  }
}

async function ignoringGone(operation: () => Promise<void>): Promise<void> {
  try {
    await operation();
  } catch (error) {
    if (!(error instanceof DirectoryError) || error.kind !== 'notFound') throw error;
  }
}
