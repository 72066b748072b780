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
import type { AccessNotifier, AccessRequest, ApprovalResult } from '../domain/access/ports.js';
import type { ContactStore, UserPreferenceStore } from '../domain/ports.js';
import { describeRequest } from '../cards/accessViews.js';
import { format, languageOf, messagesFor, type Language } from '../i18n/index.js';
import { renderJobProgress } from './actions/guestActions.js';
import { clientLanguage } from './clientLanguage.js';

/**
 * Messages the bot sends without being spoken to: a job's progress card updated in place, and the
 * welcome of a guest who joined their team (in the guest's language, naming the firm).
 * Conversation references come from MongoDB, so any server instance can send them.
 */
export class TeamsProactiveMessenger implements JobProgressReporter, GuestWelcomer, AccessNotifier {
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

  /** Tells the requester, in their personal chat with Passerelle, what was decided and by whom. */
  async requestDecided(request: AccessRequest, result?: ApprovalResult): Promise<void> {
    const stored = await this.deps.conversations.findPersonal(request.firmId, request.requester.userId);
    if (!stored) {
      this.deps.logger.warn('requester has no personal conversation: decision not sent', { number: request.number });
      return;
    }
    const preference = await this.deps.preferences.getLocale(request.firmId, request.requester.userId).catch(() => undefined);
    const language = languageOf(preference) ?? this.deps.defaultLanguage;
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
