import type { ActorStamp } from '../actor.js';
import { newAuditEntry, type AuditAction } from '../audit.js';
import type { ClientFile } from '../clientFile.js';
import type { Contact } from '../contact.js';
import type { AuditEntry, ClientFileStore, ContactLinkStore, ContactStore } from '../ports.js';
import { findOffer, type OfferDefinition } from './catalogue.js';
import type { OfferSubscription, SubscriptionStore } from './subscription.js';

/** Starts the guest invitation of a contact (the guest onboarding's job queue). */
export interface GuestInvitationStarter {
  inviteForOffer(firmId: string, contactId: string, by: ActorStamp): Promise<void>;
}

/** Sends or refreshes the client's card about their offer (Teams layer). */
export interface OfferCardSender {
  sendToClient(subscription: OfferSubscription, context: { offer: OfferDefinition; contact: Contact; clientFile: ClientFile }): Promise<void>;
}

export interface CatalogueSource {
  catalogue(firmId: string): Promise<OfferDefinition[]>;
}

export type ProposeOutcome =
  | { status: 'activated' | 'waitingForGuest' | 'invitationStarted' | 'unchanged'; subscription: OfferSubscription; offer: OfferDefinition }
  | { status: 'alreadyHasOffer'; subscription: OfferSubscription; offer: OfferDefinition }
  | { status: 'offerUnknown' | 'clientFileNotFound' | 'contactNotFound' | 'notLinked' };

export type ChangeOutcome =
  | { status: 'done'; subscription: OfferSubscription }
  /** The card was out of date: someone changed the subscription since it was shown. */
  | { status: 'stale'; subscription: OfferSubscription }
  | { status: 'notFound' | 'offerUnknown' | 'ended' | 'stepOutOfOrder' | 'notActive' };

const onboarded = (contact: Contact) => contact.guest?.state === 'accepted' || contact.guest?.state === 'member';

/**
 * Proposes, changes and ends collaborative offers, one per contact and client file; an offer
 * becomes active once the contact is an accepted guest, and its steps are recorded one by one.
 */
export class OfferService {
  constructor(
    private readonly deps: {
      subscriptions: SubscriptionStore;
      contacts: ContactStore;
      clientFiles: ClientFileStore;
      links: ContactLinkStore;
      catalogue: CatalogueSource;
      invitations: GuestInvitationStarter;
      cards: OfferCardSender;
      now: () => Date;
    },
  ) {}

  catalogue(firmId: string): Promise<OfferDefinition[]> {
    return this.deps.catalogue.catalogue(firmId);
  }

  async offerOf(firmId: string, offerId: string): Promise<OfferDefinition | undefined> {
    return findOffer(await this.catalogue(firmId), offerId);
  }

  /** An offer that may be proposed or moved to now: a retired one is kept for its subscriptions only. */
  async proposableOfferOf(firmId: string, offerId: string): Promise<OfferDefinition | undefined> {
    const offer = await this.offerOf(firmId, offerId);
    return offer?.retired ? undefined : offer;
  }

  async propose(firmId: string, by: ActorStamp, input: { clientFileId: string; contactId: string; offerId: string }): Promise<ProposeOutcome> {
    const offer = await this.proposableOfferOf(firmId, input.offerId);
    if (!offer) return { status: 'offerUnknown' };
    const [clientFile, contact] = await Promise.all([this.deps.clientFiles.findById(firmId, input.clientFileId), this.deps.contacts.findById(firmId, input.contactId)]);
    if (!clientFile) return { status: 'clientFileNotFound' };
    if (!contact) return { status: 'contactNotFound' };
    if (!(await this.deps.links.exists(firmId, clientFile.id, contact.id))) return { status: 'notLinked' };

    const ready = onboarded(contact);
    const state = ready ? 'active' : 'waitingForGuest';
    const { inserted, subscription } = await this.deps.subscriptions.insertUnlessExists(
      { firmId, clientFileId: clientFile.id, contactId: contact.id, offerId: offer.id, state, version: 1, steps: [], proposed: by, activatedAt: ready ? by.at : undefined },
      (subscriptionId) => this.entry({ firmId, id: subscriptionId, clientFileId: clientFile.id, contactId: contact.id }, by, 'offer.proposed', { offerId: offer.id, state }),
    );
    if (!inserted) {
      if (subscription.state === 'ended') return this.reopen(subscription, offer, contact, clientFile, by);
      const existingOffer = (await this.offerOf(firmId, subscription.offerId)) ?? offer;
      return subscription.offerId === offer.id ? { status: 'unchanged', subscription, offer } : { status: 'alreadyHasOffer', subscription, offer: existingOffer };
    }
    if (ready) {
      await this.deps.cards.sendToClient(subscription, { offer, contact, clientFile });
      return { status: 'activated', subscription, offer };
    }
    if (!contact.guest || contact.guest.state === 'failed' || contact.guest.state === 'revoked') {
      await this.deps.invitations.inviteForOffer(firmId, contact.id, by);
      return { status: 'invitationStarted', subscription, offer };
    }
    return { status: 'waitingForGuest', subscription, offer };
  }

  /**
   * Whom a bulk proposal on these files is for: each file's primary contact (files without one are
   * counted, staff learn which to fix), or every contact linked to the files.
   */
  async proposalTargets(firmId: string, clientFileIds: string[], who: 'primary' | 'all'): Promise<{ targets: { clientFileId: string; contactId: string }[]; filesWithoutPrimary: number }> {
    if (who === 'all') {
      const links = await this.deps.links.listByClientFiles(firmId, clientFileIds);
      return { targets: links.map((link) => ({ clientFileId: link.clientFileId, contactId: link.contactId })), filesWithoutPrimary: 0 };
    }
    const targets: { clientFileId: string; contactId: string }[] = [];
    let filesWithoutPrimary = 0;
    for (let start = 0; start < clientFileIds.length; start += 1_000) {
      for (const file of await this.deps.clientFiles.findByIds(firmId, clientFileIds.slice(start, start + 1_000))) {
        if (file.primaryContactId) targets.push({ clientFileId: file.id, contactId: file.primaryContactId });
        else filesWithoutPrimary++;
      }
    }
    return { targets, filesWithoutPrimary };
  }

  private async reopen(ended: OfferSubscription, offer: OfferDefinition, contact: Contact, clientFile: ClientFile, by: ActorStamp): Promise<ProposeOutcome> {
    const ready = onboarded(contact);
    const state = ready ? 'active' : 'waitingForGuest';
    const reopened = await this.deps.subscriptions.update(
      ended.firmId, ended.id, ended.version,
      { offerId: offer.id, state, steps: [], proposed: by, activatedAt: ready ? by.at : undefined, ended: undefined },
      this.entry(ended, by, 'offer.proposed', { offerId: offer.id, state, reopened: true }),
    );
    if (!reopened) return { status: 'unchanged', subscription: ended, offer };
    if (ready) await this.deps.cards.sendToClient(reopened, { offer, contact, clientFile });
    else if (!contact.guest || contact.guest.state === 'failed' || contact.guest.state === 'revoked') await this.deps.invitations.inviteForOffer(ended.firmId, contact.id, by);
    return { status: ready ? 'activated' : 'waitingForGuest', subscription: reopened, offer };
  }

  async change(firmId: string, by: ActorStamp, subscriptionId: string, expectedVersion: number, offerId: string): Promise<ChangeOutcome> {
    const offer = await this.proposableOfferOf(firmId, offerId);
    if (!offer) return { status: 'offerUnknown' };
    const current = await this.deps.subscriptions.findById(firmId, subscriptionId);
    if (!current) return { status: 'notFound' };
    if (current.version !== expectedVersion) return { status: 'stale', subscription: current };
    if (current.state === 'ended') return { status: 'ended' };
    const updated = await this.deps.subscriptions.update(firmId, subscriptionId, expectedVersion, { offerId, steps: [] }, this.entry(current, by, 'offer.changed', { before: current.offerId, after: offerId }));
    if (!updated) return { status: 'stale', subscription: (await this.deps.subscriptions.findById(firmId, subscriptionId))! };
    await this.resendCard(updated);
    return { status: 'done', subscription: updated };
  }

  async end(firmId: string, by: ActorStamp, subscriptionId: string, expectedVersion: number): Promise<ChangeOutcome> {
    const current = await this.deps.subscriptions.findById(firmId, subscriptionId);
    if (!current) return { status: 'notFound' };
    if (current.version !== expectedVersion) return { status: 'stale', subscription: current };
    if (current.state === 'ended') return { status: 'ended' };
    const updated = await this.deps.subscriptions.update(firmId, subscriptionId, expectedVersion, { state: 'ended', ended: by }, this.entry(current, by, 'offer.ended', { offerId: current.offerId, before: current.state }));
    if (!updated) return { status: 'stale', subscription: (await this.deps.subscriptions.findById(firmId, subscriptionId))! };
    await this.resendCard(updated);
    return { status: 'done', subscription: updated };
  }

  /** Marks the next post-activation step done (e.g. "Initialiser" before "Activation de l'extension"). */
  async completeStep(firmId: string, by: ActorStamp, subscriptionId: string, expectedVersion: number, stepId: string): Promise<ChangeOutcome> {
    const current = await this.deps.subscriptions.findById(firmId, subscriptionId);
    if (!current) return { status: 'notFound' };
    if (current.version !== expectedVersion) return { status: 'stale', subscription: current };
    if (current.state !== 'active') return { status: 'notActive' };
    const offer = await this.offerOf(firmId, current.offerId);
    const next = offer?.steps[current.steps.length];
    if (!next || next.id !== stepId) return { status: 'stepOutOfOrder' };
    const updated = await this.deps.subscriptions.update(
      firmId, subscriptionId, expectedVersion,
      { steps: [...current.steps, { id: stepId, done: by }] },
      this.entry(current, by, 'offer.stepDone', { offerId: current.offerId, stepId }),
    );
    if (!updated) return { status: 'stale', subscription: (await this.deps.subscriptions.findById(firmId, subscriptionId))! };
    return { status: 'done', subscription: updated };
  }

  /** Called when a contact becomes an accepted guest: offers waiting for them start. */
  async activateWaiting(firmId: string, contactId: string, at: Date): Promise<number> {
    const waiting = await this.deps.subscriptions.listWaitingForContact(firmId, contactId);
    let activated = 0;
    for (const subscription of waiting) {
      const system = { userId: 'passerelle', displayName: 'Passerelle', at };
      const updated = await this.deps.subscriptions.update(firmId, subscription.id, subscription.version, { state: 'active', activatedAt: at }, this.entry(subscription, system, 'offer.activated', { offerId: subscription.offerId }));
      if (!updated) continue;
      activated++;
      await this.resendCard(updated);
    }
    return activated;
  }

  /** The client read their card; recorded once (a second click finds a newer version). */
  async acknowledge(firmId: string, subscriptionId: string, expectedVersion: number, by: ActorStamp): Promise<ChangeOutcome> {
    const current = await this.deps.subscriptions.findById(firmId, subscriptionId);
    if (!current) return { status: 'notFound' };
    if (current.version !== expectedVersion || current.acknowledgedAt) return { status: 'stale', subscription: current };
    const updated = await this.deps.subscriptions.update(firmId, subscriptionId, expectedVersion, { acknowledgedAt: by.at }, this.entry(current, by, 'offer.acknowledgedByClient', { offerId: current.offerId }));
    if (!updated) return { status: 'stale', subscription: (await this.deps.subscriptions.findById(firmId, subscriptionId))! };
    return { status: 'done', subscription: updated };
  }

  /** The contact joined their team: cards of active offers that could not reach them are sent now. */
  async sendPendingCards(firmId: string, contactId: string): Promise<void> {
    for (const subscription of await this.deps.subscriptions.listActiveWithoutCard(firmId, contactId)) await this.resendCard(subscription);
  }

  findById(firmId: string, id: string): Promise<OfferSubscription | null> {
    return this.deps.subscriptions.findById(firmId, id);
  }

  private async resendCard(subscription: OfferSubscription): Promise<void> {
    if (subscription.state === 'waitingForGuest') return;
    const [offer, contact, clientFile] = await Promise.all([
      this.offerOf(subscription.firmId, subscription.offerId),
      this.deps.contacts.findById(subscription.firmId, subscription.contactId),
      this.deps.clientFiles.findById(subscription.firmId, subscription.clientFileId),
    ]);
    if (offer && contact && clientFile) await this.deps.cards.sendToClient(subscription, { offer, contact, clientFile });
  }

  /** The entry of a change to a subscription, written by the same update as the change. */
  private entry(subscription: Pick<OfferSubscription, 'firmId' | 'id' | 'clientFileId' | 'contactId'>, by: ActorStamp, action: AuditAction, details: Record<string, unknown>): AuditEntry {
    return newAuditEntry({ firmId: subscription.firmId, actor: by, action, clientFileId: subscription.clientFileId, contactId: subscription.contactId, details: { subscriptionId: subscription.id, ...details } });
  }
}
