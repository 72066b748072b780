import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { offerClientCard, offerStaffCard, type OfferCardContext } from '../cards/offerViews.js';
import type { ClientFile } from '../domain/clientFile.js';
import type { Contact } from '../domain/contact.js';
import type { OfferDefinition } from '../domain/offers/catalogue.js';
import type { OfferCardSender } from '../domain/offers/offerService.js';
import type { OfferSubscription, SubscriptionStore } from '../domain/offers/subscription.js';
import type { FirmSettingsService } from '../domain/firmSettingsService.js';
import type { ClientFileStore, ContactStore, TeamStore, UserPreferenceStore } from '../domain/ports.js';
import { messagesFor, type Language } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { MongoConversationReferenceStore } from '../store/conversationReferenceRepository.js';
import { clientLanguage } from './clientLanguage.js';

/** What both views need, plus what the client's alone needs: the firm's name and the client's language. */
export type ClientCardContext = OfferCardContext & { firmName: string | undefined; clientLanguage: Language };

/** Teams identifies a user in refresh.userIds by their MRI; for an Entra user that is 8:orgid:<object id>. */
export function userMri(aadObjectId: string): string {
  return `8:orgid:${aadObjectId}`;
}

/**
 * Builds both views of an offer card and posts the client's card in the client file's team, where
 * the app is installed for the guest. The same message shows each person their own view.
 */
export class OfferCards implements OfferCardSender {
  constructor(
    private readonly deps: {
      adapter: CloudAdapter;
      botAppId: string;
      conversations: MongoConversationReferenceStore;
      teams: TeamStore;
      subscriptions: SubscriptionStore;
      contacts: ContactStore;
      clientFiles: ClientFileStore;
      firmSettings: Pick<FirmSettingsService, 'firmName' | 'catalogue'>;
      preferences: UserPreferenceStore;
      defaultLanguage: Language;
      link: string;
      logger: Logger;
    },
  ) {}

  /** Everything a view needs, loaded from the subscription; null when it no longer exists in this firm. */
  async context(firmId: string, subscriptionId: string): Promise<ClientCardContext | null> {
    const subscription = await this.deps.subscriptions.findById(firmId, subscriptionId);
    if (!subscription) return null;
    const [contact, clientFile, catalogue] = await Promise.all([
      this.deps.contacts.findById(firmId, subscription.contactId),
      this.deps.clientFiles.findById(firmId, subscription.clientFileId),
      this.deps.firmSettings.catalogue(firmId),
    ]);
    const offer = catalogue.find((candidate) => candidate.id === subscription.offerId);
    if (!contact || !clientFile || !offer) return null;
    return this.contextOf(subscription, { offer, contact, clientFile }, catalogue);
  }

  private async contextOf(
    subscription: OfferSubscription,
    loaded: { offer: OfferDefinition; contact: Contact; clientFile: ClientFile },
    catalogue?: OfferDefinition[],
  ): Promise<ClientCardContext> {
    const [firmName, language] = await Promise.all([
      this.deps.firmSettings.firmName(subscription.firmId),
      clientLanguage(this.deps.preferences, loaded.contact, this.deps.defaultLanguage),
    ]);
    const refreshUserIds = [
      ...(loaded.contact.guest?.directoryUserId ? [userMri(loaded.contact.guest.directoryUserId)] : []),
      userMri(subscription.proposed.userId),
    ];
    return {
      subscription,
      ...loaded,
      catalogue: catalogue ?? (await this.deps.firmSettings.catalogue(subscription.firmId)),
      refreshUserIds: [...new Set(refreshUserIds)].slice(0, 60),
      firmName,
      clientLanguage: language,
    };
  }

  staffView(language: Language, context: OfferCardContext, banner?: { text: string; good: boolean }) {
    return offerStaffCard(language, { ...context, banner });
  }

  /** The client's view, in the client's language. */
  clientView(context: ClientCardContext, banner?: string) {
    const language = context.clientLanguage;
    return offerClientCard(language, {
      ...context,
      firmName: context.firmName ?? messagesFor(language).guest.firmFallback,
      link: this.deps.link,
      acknowledged: Boolean(context.subscription.acknowledgedAt),
      banner: banner ? { text: banner, good: true } : undefined,
    });
  }

  async sendToClient(subscription: OfferSubscription, loaded: { offer: OfferDefinition; contact: Contact; clientFile: ClientFile }): Promise<void> {
    const guest = loaded.contact.guest;
    if (guest?.state !== 'member' || !guest.teamId) {
      this.deps.logger.info('offer card waits for the guest to join their team', { subscriptionId: subscription.id });
      return;
    }
    const team = await this.deps.teams.find(subscription.firmId, guest.teamId);
    const stored = team?.conversationId ? await this.deps.conversations.findForTeam(subscription.firmId, team.conversationId) : null;
    if (!team?.conversationId || !stored) return;
    // The base card everyone sees is the client's own view; staff get theirs through refresh.
    const card = this.clientView(await this.contextOf(subscription, loaded));
    const reference = { ...(stored.reference as Partial<ConversationReference>), conversation: { id: team.conversationId, isGroup: true, conversationType: 'channel', tenantId: team.firmId } };
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference as Partial<ConversationReference>, async (context) => {
      const message = MessageFactory.attachment(CardFactory.adaptiveCard(card));
      if (subscription.clientCard?.activityId) {
        await context.updateActivity({ ...message, id: subscription.clientCard.activityId });
        return;
      }
      const sent = await context.sendActivity(message);
      if (sent?.id) await this.deps.subscriptions.setClientCard(subscription.firmId, subscription.id, { conversationId: team.conversationId!, activityId: sent.id });
    });
  }
}
