import type { ClientFile } from '../clientFile.js';
import type { Contact } from '../contact.js';
import type { ClientFileStore, ContactStore } from '../ports.js';
import { findOffer, type OfferDefinition } from './catalogue.js';
import type { CatalogueSource } from './offerService.js';
import type { OfferSubscription, SubscriptionStore } from './subscription.js';

/** What the client is expected to do next for one offer. */
export type ExpectedOfClient =
  /** Their offer waits for them to accept the invitation Microsoft sent them. */
  | 'acceptInvitation'
  /** Their offer waits for the firm to invite them. */
  | 'awaitInvitation'
  /** Their offer is active: read its card in their team and say so. */
  | 'readCard'
  /** They read their card: the offer's own next step (open the workspace, deposit documents…). */
  | 'offerNextStep'
  /** The offer ended: nothing more. */
  | 'nothing';

export interface ClientOfferProgress {
  clientFile: Pick<ClientFile, 'code' | 'companyName'>;
  offer: OfferDefinition;
  state: OfferSubscription['state'];
  /** The firm's own set-up steps for this offer (e.g. Start's dashboard widget). */
  firmSteps: { done: number; total: number };
  expected: ExpectedOfClient;
}

export type ClientOnboardingOutcome =
  /** The person is not a guest the firm knows as one of its clients' contacts: they learn nothing. */
  | { status: 'stranger' }
  | { status: 'known'; contact: Contact; offers: ClientOfferProgress[] };

function expectedOf(contact: Contact, subscription: OfferSubscription): ExpectedOfClient {
  if (subscription.state === 'ended') return 'nothing';
  if (subscription.state === 'waitingForGuest') return contact.guest?.state === 'invited' ? 'acceptInvitation' : 'awaitInvitation';
  return subscription.acknowledgedAt ? 'offerNextStep' : 'readCard';
}

const stateOrder: Record<OfferSubscription['state'], number> = { active: 0, waitingForGuest: 1, ended: 2 };

/**
 * « mon accompagnement »: a client asks Passerelle where they stand. They are recognised by their
 * guest account alone (never by what they type), and see only their own offers, on their own files.
 */
export class ClientOnboardingQuery {
  constructor(
    private readonly deps: {
      contacts: Pick<ContactStore, 'findByGuestUserId'>;
      subscriptions: Pick<SubscriptionStore, 'listByContact'>;
      clientFiles: Pick<ClientFileStore, 'findByIds'>;
      catalogue: CatalogueSource;
    },
  ) {}

  async forGuest(firmId: string, directoryUserId: string): Promise<ClientOnboardingOutcome> {
    const contact = await this.deps.contacts.findByGuestUserId(firmId, directoryUserId);
    // A revoked guest is no longer the firm's client guest: treated as anyone else.
    if (!contact || contact.guest?.state === 'revoked') return { status: 'stranger' };
    const subscriptions = await this.deps.subscriptions.listByContact(firmId, contact.id);
    const [files, catalogue] = await Promise.all([
      this.deps.clientFiles.findByIds(firmId, [...new Set(subscriptions.map((subscription) => subscription.clientFileId))]),
      this.deps.catalogue.catalogue(firmId),
    ]);
    const offers = subscriptions
      .sort((a, b) => stateOrder[a.state] - stateOrder[b.state])
      .flatMap((subscription): ClientOfferProgress[] => {
        const file = files.find((candidate) => candidate.id === subscription.clientFileId);
        const offer = findOffer(catalogue, subscription.offerId);
        if (!file || !offer) return [];
        return [{
          clientFile: { code: file.code, companyName: file.companyName },
          offer,
          state: subscription.state,
          firmSteps: { done: Math.min(subscription.steps.length, offer.steps.length), total: offer.steps.length },
          expected: expectedOf(contact, subscription),
        }];
      });
    return { status: 'known', contact, offers };
  }
}
