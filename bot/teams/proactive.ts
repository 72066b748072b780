import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { guestWelcomeCard } from '../cards/guestViews.js';
import type { ClientFile } from '../domain/clientFile.js';
import type { Contact } from '../domain/contact.js';
import type { GuestWelcomer } from '../domain/guestOnboardingService.js';
import type { FirmSettingsService } from '../domain/firmSettingsService.js';
import type { FirmTeam } from '../domain/ports.js';
import type { JobProgressReporter } from '../jobs/invitationRunner.js';
import type { InvitationJob, InvitationJobStore } from '../jobs/invitationJobs.js';
import type { Logger } from '../logger.js';
import type { MongoConversationReferenceStore } from '../store/conversationReferenceRepository.js';
import type { MainManagerAlert, MainManagerNotifier } from '../domain/access/mainManagerWatch.js';
import type { PendingRequestsNotifier } from '../domain/access/pendingRequestsReminder.js';
import { defaultStructureId } from '../domain/access/structures.js';
import type { AccessNotifier, AccessRequest, ApprovalResult, Approver, RequestCardCopy } from '../domain/access/ports.js';
import type { ContactStore, UserPreferenceStore } from '../domain/ports.js';
import { accessRequestDecidedCard, accessRequestsCard, describeRequest, structureTitle } from '../cards/accessViews.js';
import { format, languageOf, messagesFor, type Language } from '../i18n/index.js';
import { renderJobProgress } from './actions/guestActions.js';
import { clientLanguage } from './clientLanguage.js';

/**
 * Messages the bot sends without being spoken to: a job's progress card updated in place, and the
 * welcome of a guest who joined their team (in the guest's language, naming the firm).
 * Conversation references come from MongoDB, so any server instance can send them.
 */
export class TeamsProactiveMessenger implements JobProgressReporter, GuestWelcomer, AccessNotifier, PendingRequestsNotifier, MainManagerNotifier {
  constructor(
    private readonly deps: {
      adapter: CloudAdapter;
      botAppId: string;
      conversations: MongoConversationReferenceStore;
      firmSettings: Pick<FirmSettingsService, 'firmName'>;
      /** The progress card names the contacts a job could not invite. */
      jobs: InvitationJobStore;
      contacts: ContactStore;
      preferences: UserPreferenceStore;
      defaultLanguage: Language;
      logger: Logger;
    },
  ) {}

  async report(job: InvitationJob): Promise<void> {
    const target = job.progress;
    if (!target?.activityId) return;
    const stored = await this.deps.conversations.find(job.firmId, target.conversationId);
    if (!stored) return;
    const card = await renderJobProgress(this.deps, { language: target.language }, job);
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, stored.reference as Partial<ConversationReference>, async (context) => {
      await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: target.activityId });
    });
  }

  /**
   * Sends the new request's card to each approver's personal chat, in their language; returns the
   * copies sent. An approver who never spoke to Passerelle has no chat to receive it: they see the
   * request in « demandes ». A failed send is logged, never the request's failure.
   */
  async requestFiled(request: AccessRequest, approvers: Approver[]): Promise<RequestCardCopy[]> {
    const copies: RequestCardCopy[] = [];
    for (const approver of approvers) {
      try {
        const stored = await this.deps.conversations.findPersonal(request.firmId, approver.userId);
        if (!stored) continue;
        const language = await this.languageOf(request.firmId, approver.userId);
        const card = accessRequestsCard(language, [request], { text: messagesFor(language).access.requestArrived, good: true });
        await this.deps.adapter.continueConversationAsync(this.deps.botAppId, stored.reference as Partial<ConversationReference>, async (context) => {
          const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
          if (sent?.id) copies.push({ userId: approver.userId, conversationId: stored.conversationId, activityId: sent.id });
        });
      } catch (error) {
        this.deps.logger.warn('request card not sent to an approver', { number: request.number, error });
      }
    }
    return copies;
  }

  /**
   * The weekly reminder: the requests waiting for more than `afterDays` days, as one card each
   * approver can decide from. New copies are not tracked: whoever decides, the others' « demandes »
   * list is current, and a decision on an outdated card is answered « already decided ».
   */
  async remindPendingRequests(firmId: string, approvers: Approver[], requests: AccessRequest[], afterDays: number): Promise<void> {
    for (const approver of approvers) {
      try {
        const stored = await this.deps.conversations.findPersonal(firmId, approver.userId);
        if (!stored) continue;
        const language = await this.languageOf(firmId, approver.userId);
        const text = format(messagesFor(language).access.requestsStillWaiting, { count: requests.length, days: afterDays });
        const card = accessRequestsCard(language, requests, { text, good: false });
        await this.deps.adapter.continueConversationAsync(this.deps.botAppId, stored.reference as Partial<ConversationReference>, async (context) => {
          await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
        });
      } catch (error) {
        this.deps.logger.warn('pending requests reminder not sent to an approver', { firmId, error });
      }
    }
  }

  /** Tells each administrator, in their language, that a structure's main manager can no longer act and how to take the role over. */
  async mainManagerUnavailable(firmId: string, recipients: Approver[], alert: MainManagerAlert): Promise<void> {
    for (const recipient of recipients) {
      try {
        const stored = await this.deps.conversations.findPersonal(firmId, recipient.userId);
        if (!stored) continue;
        const language = await this.languageOf(firmId, recipient.userId);
        const t = messagesFor(language).access;
        const isDefault = alert.structure.id === defaultStructureId;
        const command = language === 'en' ? 'take over manager' : 'reprendre gestionnaire';
        const text = format(t.mainManagerAlert, {
          structure: structureTitle(language, alert.structure),
          email: alert.email,
          why: t.mainManagerUnavailable[alert.reason],
          command: isDefault ? command : `${command} structure ${structureTitle(language, alert.structure)}`,
        });
        await this.deps.adapter.continueConversationAsync(this.deps.botAppId, stored.reference as Partial<ConversationReference>, async (context) => {
          await context.sendActivity(MessageFactory.text(text));
        });
      } catch (error) {
        this.deps.logger.warn('main manager alert not sent to an administrator', { firmId, error });
      }
    }
  }

  /**
   * The other approvers' copies now say who decided (the decider's own card is their answer); then
   * the requester is told, in their personal chat with Passerelle, what was decided and by whom.
   */
  async requestDecided(request: AccessRequest, result?: ApprovalResult): Promise<void> {
    for (const copy of request.approverCards ?? []) {
      if (copy.userId === request.decision?.by.userId) continue;
      try {
        const stored = await this.deps.conversations.findPersonal(request.firmId, copy.userId);
        if (!stored) continue;
        const card = accessRequestDecidedCard(await this.languageOf(request.firmId, copy.userId), request);
        await this.deps.adapter.continueConversationAsync(this.deps.botAppId, stored.reference as Partial<ConversationReference>, async (context) => {
          await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: copy.activityId });
        });
      } catch (error) {
        this.deps.logger.warn('an approver’s request card not updated', { number: request.number, error });
      }
    }
    const stored = await this.deps.conversations.findPersonal(request.firmId, request.requester.userId);
    if (!stored) {
      this.deps.logger.warn('requester has no personal conversation: decision not sent', { number: request.number });
      return;
    }
    const language = await this.languageOf(request.firmId, request.requester.userId);
    const t = messagesFor(language).access;
    const params = { number: request.number, what: describeRequest(language, request), by: request.decision?.by.displayName ?? '', reason: request.decision?.reason ?? '' };
    const text =
      request.status !== 'approved'
        ? format(t.notifyRefused, params)
        : result && !result.applied
          ? format(t.notifyApprovedNotApplied, { ...params, why: t.notApplied[result.reason] })
          : format(t.notifyApproved, params);
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, stored.reference as Partial<ConversationReference>, async (context) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  private async languageOf(firmId: string, userId: string): Promise<Language> {
    return languageOf(await this.deps.preferences.getLocale(firmId, userId).catch(() => undefined)) ?? this.deps.defaultLanguage;
  }

  async welcomeInTeam(team: FirmTeam, guest: { contact: Contact; clientFile?: ClientFile; directoryUserId: string }): Promise<void> {
    if (!team.conversationId) {
      this.deps.logger.warn('team has no known conversation: welcome not sent', { teamId: team.teamId });
      return;
    }
    const stored = await this.deps.conversations.findForTeam(team.firmId, team.conversationId);
    if (!stored) return;
    // A new post in the team's General channel, whose id is the team's thread id.
    const reference = { ...(stored.reference as Partial<ConversationReference>), conversation: { id: team.conversationId, isGroup: true, conversationType: 'channel', tenantId: team.firmId, name: team.displayName } };
    const language = await clientLanguage(this.deps.preferences, guest.contact, this.deps.defaultLanguage);
    const firmName = (await this.deps.firmSettings.firmName(team.firmId)) ?? messagesFor(language).guest.firmFallback;
    const card = guestWelcomeCard(language, firmName, guest);
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference as Partial<ConversationReference>, async (context) => {
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    });
  }
}
