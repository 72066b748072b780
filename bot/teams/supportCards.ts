import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from '../cards/render.js';
import { supportRequestCard } from '../cards/supportViews.js';
import { formatDate } from '../cards/guestViews.js';
import type { ClientFileStore, FirmSettings, TeamStore, UserPreferenceStore } from '../domain/ports.js';
import type { SupportCardOptions, SupportNotifier, SupportRequestStore } from '../domain/support/supportPorts.js';
import { movesFor, type SupportRequest } from '../domain/support/supportRequest.js';
import type { SupportActor, SupportRequests } from '../domain/support/supportRequests.js';
import { format, languageOf, messagesFor, type Language } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { MongoConversationReferenceStore } from '../store/conversationReferenceRepository.js';
import { userMri } from './offerCards.js';

/**
 * The two cards of a request in Teams: the support channel's (the support's moves) and the
 * requester's (their view), both posted once and then updated in place after every change, from any
 * server instance (the activity ids are kept on the request, the conversation references in MongoDB).
 */
export class SupportTeamsCards implements SupportNotifier {
  constructor(
    private readonly deps: {
      adapter: CloudAdapter;
      botAppId: string;
      conversations: MongoConversationReferenceStore;
      teams: TeamStore;
      settings: (firmId: string) => Promise<Pick<FirmSettings, 'supportPolicy'>>;
      preferences: UserPreferenceStore;
      clientFiles: Pick<ClientFileStore, 'findById'>;
      store: Pick<SupportRequestStore, 'setCard'>;
      defaultLanguage: Language;
      logger: Logger;
    },
  ) {}

  /** The language a person chose (« langue english »), else the firm's default. */
  async languageOf(firmId: string, userId: string): Promise<Language> {
    return languageOf(await this.deps.preferences.getLocale(firmId, userId).catch(() => undefined)) ?? this.deps.defaultLanguage;
  }

  /** The request as this person sees it, with the moves open to them. */
  async viewFor(support: SupportRequests, who: SupportActor, language: Language, request: SupportRequest, banner?: { text: string; good: boolean }): Promise<AdaptiveCard> {
    const moves = support.movesOf(who, request);
    return supportRequestCard(language, request, {
      moves,
      refreshUserIds: [userMri(request.requester.userId)],
      clientFileLabel: await this.fileLabel(request),
      assignees: moves.includes('reassign') ? await support.assigneesFor(request) : [],
      banner,
      canDraftArticle: support.canDraftArticles && support.rolesOn(who, request).includes('support'),
    });
  }

  /** The support channel's card: every move of the support in the request's state. */
  async supportView(request: SupportRequest, options: SupportCardOptions, language: Language = this.deps.defaultLanguage): Promise<AdaptiveCard> {
    return supportRequestCard(language, request, {
      moves: movesFor(request.state, 'support'),
      refreshUserIds: [userMri(request.requester.userId)],
      clientFileLabel: await this.fileLabel(request),
      assignees: options.assignees,
      canDraftArticle: options.canDraftArticle,
    });
  }

  /** The requester's card, as posted: their moves only. */
  async requesterView(request: SupportRequest, banner?: { text: string; good: boolean }): Promise<AdaptiveCard> {
    const language = await this.languageOf(request.firmId, request.requester.userId);
    return supportRequestCard(language, request, {
      moves: movesFor(request.state, 'requester'),
      refreshUserIds: [userMri(request.requester.userId)],
      clientFileLabel: await this.fileLabel(request),
      banner,
    });
  }

  async changed(request: SupportRequest, supportCard: SupportCardOptions): Promise<void> {
    if (request.state !== 'draft') await this.postOrUpdateSupportCard(request, supportCard);
    if (request.requesterCard) await this.update(request.firmId, request.requesterCard, await this.requesterView(request));
  }

  async closeWarning(request: SupportRequest): Promise<void> {
    const language = await this.languageOf(request.firmId, request.requester.userId);
    const text = format(messagesFor(language).support.closeWarning, { number: request.number, subject: request.subject, date: formatDate(language, request.autoCloseAt) });
    const stored = request.requesterCard
      ? await this.deps.conversations.find(request.firmId, request.requesterCard.conversationId)
      : await this.deps.conversations.findPersonal(request.firmId, request.requester.userId);
    if (!stored) {
      this.deps.logger.warn('requester has no known conversation: closing warning not sent', { number: request.number });
      return;
    }
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, stored.reference as Partial<ConversationReference>, async (context) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  async firstAnswerReminder(request: SupportRequest): Promise<void> {
    const target = await this.supportChannel(request.firmId);
    if (!target) return;
    const t = messagesFor(this.deps.defaultLanguage).support;
    const text = format(t.reminder, { number: request.number, subject: request.subject, date: formatDate(this.deps.defaultLanguage, request.sentAt) });
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, target, async (context) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  private async postOrUpdateSupportCard(request: SupportRequest, options: SupportCardOptions): Promise<void> {
    const card = await this.supportView(request, options);
    if (request.supportCard) return this.update(request.firmId, request.supportCard, card);
    const target = await this.supportChannel(request.firmId);
    if (!target) {
      this.deps.logger.warn('no support channel known: request card not posted', { number: request.number });
      return;
    }
    const intro = format(messagesFor(this.deps.defaultLanguage).support.channelNew, { number: request.number, who: request.requester.displayName });
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, target, async (context) => {
      const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), intro));
      if (sent?.id) await this.deps.store.setCard(request.firmId, request.id, 'supportCard', { conversationId: target.conversation!.id, activityId: sent.id });
    });
  }

  private async update(firmId: string, posted: { conversationId: string; activityId: string }, card: AdaptiveCard): Promise<void> {
    const stored = await this.deps.conversations.find(firmId, posted.conversationId);
    const reference = stored?.reference ?? (await this.channelReference(firmId, posted.conversationId));
    if (!reference) return;
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference as Partial<ConversationReference>, async (context) => {
      await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: posted.activityId });
    });
  }

  /**
   * Where new requests are posted: the channel the firm chose in its settings, else the General
   * channel of the firm's own (internal) team. Null when Passerelle knows neither yet.
   */
  private async supportChannel(firmId: string): Promise<Partial<ConversationReference> | null> {
    const { supportPolicy } = await this.deps.settings(firmId);
    if (supportPolicy.channel) return this.channelReference(firmId, supportPolicy.channel.channelId, supportPolicy.channel.teamId);
    const internal = (await this.deps.teams.list(firmId)).find((team) => team.internal && team.conversationId);
    return internal ? this.channelReference(firmId, internal.conversationId!, internal.teamId) : null;
  }

  /** A reference to post in a channel of a team: the team's stored reference (its service URL), aimed at the channel. */
  private async channelReference(firmId: string, channelId: string, teamId?: string): Promise<Partial<ConversationReference> | null> {
    const team = teamId ? await this.deps.teams.find(firmId, teamId) : null;
    const stored = (team?.conversationId ? await this.deps.conversations.findForTeam(firmId, team.conversationId) : null) ?? (await this.deps.conversations.findForTeam(firmId, channelId));
    if (!stored) return null;
    return { ...(stored.reference as Partial<ConversationReference>), conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId: firmId, name: '' } };
  }

  private async fileLabel(request: SupportRequest): Promise<string | undefined> {
    if (!request.clientFileId) return undefined;
    const file = await this.deps.clientFiles.findById(request.firmId, request.clientFileId);
    return file ? `${file.code} – ${file.companyName}` : undefined;
  }
}
