import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { guestReviewCard } from '../cards/journeyViews.js';
import type { StructureStore, MembershipStore } from '../domain/access/ports.js';
import { defaultStructureId } from '../domain/access/structures.js';
import type { ReviewEntry } from '../domain/guestEngagement.js';
import type { GuestReviewNotifier, MainManagerDirectory } from '../domain/guestReviewReminder.js';
import type { UserPreferenceStore } from '../domain/ports.js';
import { format, languageOf, messagesFor, type Language } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { MongoConversationReferenceStore } from '../store/conversationReferenceRepository.js';

/** The weekly guest review card, posted in the main manager's personal chat with Passerelle, in their language. */
export class TeamsGuestReviewNotifier implements GuestReviewNotifier, MainManagerDirectory {
  constructor(
    private readonly deps: {
      adapter: CloudAdapter;
      botAppId: string;
      conversations: MongoConversationReferenceStore;
      structures: Pick<StructureStore, 'mainManagerEmail'>;
      memberships: Pick<MembershipStore, 'findByEmail'>;
      preferences: UserPreferenceStore;
      defaultLanguage: Language;
      logger: Logger;
    },
  ) {}

  async mainManagerUserId(firmId: string): Promise<string | null> {
    const email = await this.deps.structures.mainManagerEmail(firmId, defaultStructureId);
    if (!email) return null;
    return (await this.deps.memberships.findByEmail(firmId, email))?.userId ?? null;
  }

  async remindGuestReview(firmId: string, userId: string, review: { entries: ReviewEntry[]; afterDays: number }): Promise<boolean> {
    const stored = await this.deps.conversations.findPersonal(firmId, userId);
    if (!stored) {
      this.deps.logger.warn('main manager has no personal conversation: guest review not sent', { firmId });
      return false;
    }
    const language = languageOf(await this.deps.preferences.getLocale(firmId, userId).catch(() => undefined)) ?? this.deps.defaultLanguage;
    const banner = format(messagesFor(language).engagement.weeklyReview, { count: String(review.entries.length), days: String(review.afterDays) });
    const card = guestReviewCard(language, { ...review, banner });
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, stored.reference as Partial<ConversationReference>, async (context) => {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    });
    return true;
  }
}
