import { createAccessCore, withApprovals } from '../domain/access/accessUseCases.js';
import type { AccessNotifier } from '../domain/access/ports.js';
import { AuditNameResolver } from '../domain/auditNames.js';
import { ClientFileService } from '../domain/clientFileService.js';
import { ContactChanges } from '../domain/contactChanges.js';
import { ContactService } from '../domain/contactService.js';
import type { Directory } from '../domain/directory.js';
import { FirmSettingsService } from '../domain/firmSettingsService.js';
import { GuestEngagement } from '../domain/guestEngagement.js';
import { GuestInvitations } from '../domain/guestInvitations.js';
import { MainManagerAvailability } from '../domain/access/mainManagerAvailability.js';
import { MainManagerWatch, type MainManagerNotifier } from '../domain/access/mainManagerWatch.js';
import { PendingRequestsReminder, type PendingRequestsNotifier } from '../domain/access/pendingRequestsReminder.js';
import { GuestReviewReminder, type GuestReviewNotifier, type MainManagerDirectory } from '../domain/guestReviewReminder.js';
import { IdentityChanges } from '../domain/identityChange.js';
import { GuestOnboardingService, type GuestWelcomer } from '../domain/guestOnboardingService.js';
import { KnowledgeBase } from '../domain/help/knowledgeBase.js';
import { ImportService, type ImportLimits } from '../domain/importService.js';
import type { SupportNotifier } from '../domain/support/supportPorts.js';
import { SupportRequests } from '../domain/support/supportRequests.js';
import type { Logger } from '../logger.js';
import { LegacyAccessService } from '../domain/offers/legacy.js';
import { ClientOnboardingQuery } from '../domain/offers/clientOnboarding.js';
import { FirmSettingsAdministration } from '../domain/settings/firmSettingsAdministration.js';
import { OfferCommands } from '../domain/offers/offerCommands.js';
import { OfferService, type OfferCardSender } from '../domain/offers/offerService.js';
import { FlowService } from '../domain/partners/flowService.js';
import { ShineService, type OfferMailer } from '../domain/partners/shineService.js';
import { PortfolioService } from '../domain/portfolio.js';
import { PortfolioProjector } from '../domain/portfolioSummary.js';
import type { Stores } from '../store/stores.js';

/** The firm's settings come first: the Teams side's cards read them (the firm's name, the catalogue). */
export function createFirmSettings(stores: Pick<Stores, 'firms' | 'structures' | 'teams'>): FirmSettingsService {
  return new FirmSettingsService(stores.firms, { structures: stores.structures, teams: stores.teams });
}

/** What the use cases reach outside the database: Microsoft 365, Teams, the mailbox, the job runner. */
export interface UseCasePorts {
  directory: Directory;
  /** Welcomes a guest who joined their team. */
  welcomer: GuestWelcomer;
  /** Tells requesters what was decided on their access requests. */
  accessNotifier: AccessNotifier;
  /** Sends and updates the offer cards clients answer. */
  offerCards: OfferCardSender;
  /** Tells administrators when a structure's main manager can no longer act. */
  mainManagers: MainManagerNotifier;
  /** Lists again, once a week, the access requests still waiting to those who decide them. */
  pendingRequests: PendingRequestsNotifier;
  /** Finds each firm's main manager and sends them the weekly list of guests to review. */
  guestReview: GuestReviewNotifier & MainManagerDirectory;
  /** Posts and updates support requests' cards, warns before closing, reminds the support. */
  supportNotifier: SupportNotifier;
  /** Sends the Shine offer e-mail; without it the e-mail is shown ready to copy. */
  mailer?: OfferMailer;
  /** Said whenever durable work is queued, so a runner starts on it now rather than at its next poll. */
  workQueued: () => void;
}

export interface UseCaseSettings {
  now: () => Date;
  /** Where an invited guest lands after accepting. */
  redirectUrl: string;
  imports?: Partial<ImportLimits>;
  /** Where use cases say what went wrong without failing (help suggestions unavailable...). */
  logger: Logger;
}

/**
 * Every use case of the product, each built once from the stores and the ports. Nothing here knows
 * Teams or HTTP: the bot's handlers and the tab's routes receive these and only these.
 */
export function createUseCases(stores: Stores, firmSettings: FirmSettingsService, ports: UseCasePorts, settings: UseCaseSettings) {
  const { now } = settings;
  const clientFiles = new ClientFileService({ clientFiles: stores.clientFiles, contacts: stores.contacts, links: stores.links, teams: stores.teams, now });
  const contacts = new ContactService({
    contacts: stores.contacts, clientFiles: stores.clientFiles, links: stores.links, firmSettings, teams: stores.teams, audit: stores.audit, clientFileService: clientFiles, now,
  });
  const onboarding = new GuestOnboardingService({
    directory: ports.directory,
    contacts: stores.contacts,
    clientFiles: stores.clientFiles,
    links: stores.links,
    teams: stores.teams,
    firmSettings,
    audit: stores.audit,
    welcomer: ports.welcomer,
    redirectUrl: settings.redirectUrl,
    now,
  });
  const invitations = new GuestInvitations({ jobs: stores.invitationJobs, onboarding, clientFiles, contacts, nudge: ports.workQueued, now });
  const imports = new ImportService({
    clientFiles: stores.clientFiles,
    contacts: stores.contacts,
    links: stores.links,
    firmSettings,
    audit: stores.audit,
    batches: stores.importBatches,
    jobs: stores.invitationJobs,
    invitations,
    now,
    limits: settings.imports,
  });
  const offers = new OfferService({
    subscriptions: stores.subscriptions,
    contacts: stores.contacts,
    clientFiles: stores.clientFiles,
    links: stores.links,
    catalogue: firmSettings,
    invitations,
    cards: ports.offerCards,
    now,
  });
  // A waiting offer starts when its guest accepts, and its card goes out once they are in their team.
  onboarding.onProgress({
    guestAccepted: async (firmId, contactId, at) => {
      await offers.activateWaiting(firmId, contactId, at);
    },
    guestJoinedTeam: async (firmId, contactId) => {
      await offers.activateWaiting(firmId, contactId, now());
      await offers.sendPendingCards(firmId, contactId);
    },
  });
  // A contact's journey after creation, and the end of an engagement.
  const engagement = new GuestEngagement({
    contacts: stores.contacts,
    subscriptions: stores.subscriptions,
    clientFileStore: stores.clientFiles,
    offers,
    onboarding,
    contactDetails: contacts,
    clientFiles,
    firmSettings,
    audit: stores.audit,
    now,
  });
  const contactChanges = new ContactChanges({
    contacts: stores.contacts,
    links: stores.links,
    clientFiles: stores.clientFiles,
    contactDetails: contacts,
    firmSettings,
    engagement,
    identityJobs: invitations,
    audit: stores.audit,
    now,
  });
  const accessStores = { structures: stores.structures, memberships: stores.memberships, requests: stores.accessRequests, now };
  const mainManagers = new MainManagerAvailability({ memberships: stores.memberships, directory: ports.directory });
  const accessCore = createAccessCore(accessStores, ports.accessNotifier, mainManagers);
  const offerCommands = new OfferCommands({
    offers, clientFiles: stores.clientFiles, contacts: stores.contacts, links: stores.links, requests: accessCore.requests, jobs: invitations, engagement, now,
  });
  // Approvals come last: an approved request runs the very operation it asked for, as the approver.
  const access = withApprovals(accessCore, accessStores, ports.accessNotifier, offerCommands);
  const knowledgeBase = new KnowledgeBase({ articles: stores.articles, now });
  const support = new SupportRequests({
    store: stores.supportRequests,
    clientFiles: stores.clientFiles,
    directory: stores.supportDirectory,
    policy: async (firmId) => (await firmSettings.settings(firmId)).supportPolicy,
    notifier: ports.supportNotifier,
    // Articles matching a request before it is sent; a solved request as a draft article.
    knowledgeBase,
    now,
    warn: (message, details) => settings.logger.warn(message, details),
  });
  return {
    firmSettings,
    clientFiles,
    contacts,
    onboarding,
    invitations,
    imports,
    offers,
    offerCommands,
    access,
    engagement,
    contactChanges,
    identityChanges: new IdentityChanges({ contacts: stores.contacts, subscriptions: stores.subscriptions, onboarding, audit: stores.audit, now }),
    mainManagerWatch: new MainManagerWatch({
      structures: stores.structures,
      memberships: stores.memberships,
      availability: mainManagers,
      approvers: accessCore.requests,
      notices: stores.weeklyNotices,
      notifier: ports.mainManagers,
      now,
      warn: (message, details) => settings.logger.warn(message, details),
    }),
    pendingRequestsReminder: new PendingRequestsReminder({
      requests: stores.accessRequests, approvers: accessCore.requests, notices: stores.weeklyNotices, notifier: ports.pendingRequests, now,
    }),
    guestReviewReminder: new GuestReviewReminder({
      engagement, firmSettings, notices: stores.weeklyNotices, managers: ports.guestReview, notifier: ports.guestReview, now,
    }),
    knowledgeBase,
    support,
    legacy: new LegacyAccessService({ contacts: stores.contacts, now }),
    settingsAdministration: new FirmSettingsAdministration({ firms: stores.firms, settings: firmSettings, teams: stores.teams, subscriptions: stores.subscriptions, now }),
    // What a client asks about their own onboarding (« mon accompagnement »).
    clientOnboarding: new ClientOnboardingQuery({ contacts: stores.contacts, subscriptions: stores.subscriptions, clientFiles: stores.clientFiles, catalogue: firmSettings }),
    flow: new FlowService({ apps: stores.partnerApps, clientFiles: stores.clientFiles, links: stores.links, contacts: stores.contacts, firm: firmSettings }),
    shine: new ShineService({ apps: stores.partnerApps, clientFiles: stores.clientFiles, contacts: stores.contacts, audit: stores.audit, settings: firmSettings, mailer: ports.mailer }),
    portfolio: new PortfolioService({ store: stores.portfolio, clientFiles, audit: stores.audit, subscriptions: stores.subscriptions }),
    portfolioProjector: new PortfolioProjector({ store: stores.portfolioSummaries }),
    auditNames: new AuditNameResolver({ catalogue: (firmId) => firmSettings.catalogue(firmId), structures: stores.structures, teams: stores.teams, contacts: stores.contacts }),
  };
}

export type UseCases = ReturnType<typeof createUseCases>;
