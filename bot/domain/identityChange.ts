import { newAuditEntry } from './audit.js';
import type { IdentityChange } from './contact.js';
import { DirectoryError } from './directory.js';
import { revocationOf } from './guest.js';
import type { GuestOnboardingService, InvitationOutcome } from './guestOnboardingService.js';
import type { SubscriptionStore } from './offers/subscription.js';
import type { AuditLog, ContactStore } from './ports.js';

/**
 * Carries out a confirmed identity change (bot/domain/contactChanges.ts), as the item of a durable
 * job: the contact's open offers wait for the new address, the old guest account meets its fate, the
 * new address is invited, and the change is closed. Each step is safe to run again, so a restart or a
 * transient directory failure resumes where it stopped; a failure for good stays on the contact.
 */
export class IdentityChanges {
  constructor(
    private readonly deps: {
      contacts: ContactStore;
      subscriptions: Pick<SubscriptionStore, 'listByContacts' | 'update'>;
      onboarding: Pick<GuestOnboardingService, 'inviteContact' | 'removeGuestAccount'>;
      audit: AuditLog;
      now: () => Date;
    },
  ) {}

  async complete(firmId: string, contactId: string): Promise<InvitationOutcome | DirectoryError> {
    const contact = await this.deps.contacts.findById(firmId, contactId);
    if (!contact) return 'contactNotFound';
    let change = contact.identityChange;
    // Already completed by an earlier run of this item.
    if (!change) return 'alreadyInvited';
    try {
      await this.carryOffersOver(firmId, contactId);
      if (change.oldGuest && !change.oldGuest.done) {
        const action = revocationOf(change.oldGuest.fate);
        if (action) await this.deps.onboarding.removeGuestAccount(change.oldGuest.directoryUserId, change.oldGuest.memberships, action);
        change = { ...change, oldGuest: { ...change.oldGuest, done: true }, failure: undefined };
        await this.deps.contacts.updateIdentityChange(firmId, contactId, change.id, change);
      }
      const invited = await this.deps.onboarding.inviteContact(firmId, contactId, change.requested);
      if (invited === 'staffAccount') {
        await this.fail(firmId, contactId, change, 'staffAccount');
        return invited;
      }
      await this.deps.contacts.updateIdentityChange(firmId, contactId, change.id, null, this.entry(firmId, contactId, change, 'contact.identityChangeCompleted', { before: change.from, after: change.to }));
      return invited;
    } catch (error) {
      if (!(error instanceof DirectoryError)) throw error;
      if (!error.transient) await this.fail(firmId, contactId, change, error.kind);
      return error;
    }
  }

  /** Offers of the old identity wait for the new one to accept; their card will be sent to the new guest. */
  private async carryOffersOver(firmId: string, contactId: string): Promise<void> {
    for (const subscription of await this.deps.subscriptions.listByContacts(firmId, [contactId])) {
      if (subscription.state !== 'active') continue;
      await this.deps.subscriptions.update(firmId, subscription.id, subscription.version, { state: 'waitingForGuest', activatedAt: undefined, clientCard: undefined });
    }
  }

  private async fail(firmId: string, contactId: string, change: IdentityChange, reason: string): Promise<void> {
    const failed: IdentityChange = { ...change, failure: { reason, at: this.deps.now() } };
    await this.deps.contacts.updateIdentityChange(firmId, contactId, change.id, failed, this.entry(firmId, contactId, change, 'contact.identityChangeFailed', { reason }));
  }

  private entry(firmId: string, contactId: string, change: IdentityChange, action: 'contact.identityChangeCompleted' | 'contact.identityChangeFailed', details: Record<string, unknown>) {
    return newAuditEntry({ firmId, actor: { userId: 'passerelle', displayName: 'Passerelle', at: this.deps.now() }, action, contactId, details });
  }
}
