import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import restify from 'restify';
import type { Config } from './config.js';
import { ClientFileService } from './domain/clientFileService.js';
import { ContactService } from './domain/contactService.js';
import { FirmSettingsService } from './domain/firmSettingsService.js';
import { languageOf } from './i18n/index.js';
import type { Logger } from './logger.js';
import { registerHealthRoute } from './api/health.js';
import { registerTabRoutes } from './api/tab.js';
import { createPortfolioApi, registerPortfolioRoutes } from './api/portfolio.js';
import { registerShineRoutes } from './api/shine.js';
import { registerOfferEndRoute } from './api/offerEnd.js';
import { registerClientEditRoutes } from './api/clientEdit.js';
import { PortfolioProjector } from './domain/portfolioSummary.js';
import { MongoPortfolioSummaryStore } from './store/portfolioRepository.js';
import { registerAuditRoutes } from './api/audit.js';
import { AuditNameResolver } from './domain/auditNames.js';
import { registerInvitationRoutes } from './api/invitations.js';
import { registerImportRoutes } from './api/import.js';
import { ImportService, type ImportLimits } from './domain/importService.js';
import { MongoImportBatchStore } from './store/importBatchRepository.js';
import { registerBotRoute } from './api/messages.js';
import { BotEndpointAdapter } from './api/botAdapter.js';
import { answerServerErrorsAsProblems } from './api/http/serverErrors.js';
import { MongoAuditLog } from './store/auditRepository.js';
import { AuditRelay } from './store/auditRelay.js';
import { MongoClientFileStore } from './store/clientFileRepository.js';
import { MongoContactLinkStore } from './store/contactLinkRepository.js';
import { MongoContactStore } from './store/contactRepository.js';
import { MongoConversationReferenceStore } from './store/conversationReferenceRepository.js';
import { MongoFirmStore } from './store/firmRepository.js';
import { MongoTeamStore } from './store/teamRepository.js';
import { connectInBackground, connectMongo } from './store/mongo.js';
import { MongoUserPreferenceStore } from './store/userPreferenceRepository.js';
import { CreateClientFileAction, OpenClientFileFormAction, SetPrimaryContactAction, ShowClientFileAction } from './teams/actions/clientFileActions.js';
import { CreateContactAction, OpenContactFormAction, ShowContactAction } from './teams/actions/contactActions.js';
import { CreateLinkAction, OpenLinkFormAction } from './teams/actions/linkActions.js';
import { AddOrgRoleAction, RemoveOrgRoleAction } from './teams/actions/orgRoleActions.js';
import { HelpCommand } from './teams/commands/helpCommand.js';
import { LanguageCommand } from './teams/commands/languageCommand.js';
import { LinkCommand } from './teams/commands/linkCommand.js';
import { NewClientFileCommand } from './teams/commands/newClientFileCommand.js';
import { NewContactCommand } from './teams/commands/newContactCommand.js';
import { OrgRolesCommand } from './teams/commands/orgRolesCommand.js';
import { ShowClientFileCommand } from './teams/commands/showClientFileCommand.js';
import { ShowContactCommand } from './teams/commands/showContactCommand.js';
import { PasserelleBot } from './teams/passerelleBot.js';
import { MongoSubscriptionStore } from './store/subscriptionRepository.js';
import { MongoPartnerAppStore } from './store/partnerAppRepository.js';
import { FlowService } from './domain/partners/flowService.js';
import { ShineService } from './domain/partners/shineService.js';
import { ActivateShineAction, CompleteFlowStepAction, FlowCommand, ShineCommand, ShowFlowAction, ShowShineAction, type PartnerServices } from './teams/partnerHandlers.js';
import { OfferService } from './domain/offers/offerService.js';
import { OfferCommands } from './domain/offers/offerCommands.js';
import { LegacyAccessService } from './domain/offers/legacy.js';
import { OfferCards } from './teams/offerCards.js';
import {
  ChangeOfferAction,
  CompleteOfferStepAction,
  EndOfferAction,
  MigrateLegacyAction,
  OpenProposalAction,
  ProposeOfferAction,
  ShowOfferAction,
  type OfferTeamsServices,
} from './teams/actions/offerActions.js';
import { AcknowledgeOfferAction, RefreshOfferCardAction } from './teams/actions/clientActions.js';
import { LegacyAccessesCommand, ProposeOfferCommand } from './teams/commands/offerCommands.js';
import { createAccessCore, withApprovals } from './domain/access/accessUseCases.js';
import { MongoAccessRequestStore, MongoMembershipStore, MongoStructureStore } from './store/accessRepositories.js';
import { AuditLogCommand } from './teams/commands/auditCommand.js';
import { FirmNameCommand } from './teams/commands/firmNameCommand.js';
import { FirmSettingsAdministration } from './domain/settings/firmSettingsAdministration.js';
import { settingsHandlers } from './teams/settingsHandlers.js';
import { MyOnboardingCommand } from './teams/clientCommands.js';
import { ClientOnboardingQuery } from './domain/offers/clientOnboarding.js';
import { FlagLegacyAccessAction } from './teams/actions/legacyActions.js';
import { registerSettingsRoutes } from './api/settings.js';
import { AttachCommand, MyRightsCommand, RequestAccessCommand, RequestsCommand, TransferMainManagerCommand, UsersCommand } from './teams/commands/accessCommands.js';
import {
  ApproveRequestAction,
  DetachUserAction,
  OpenProfilesAction,
  RefuseRequestAction,
  RequestAccessAction,
  SaveProfilesAction,
  ShowUsersAction,
} from './teams/actions/accessActions.js';
import {
  ActivateStructureAction,
  ConfirmDeactivateStructureAction,
  CreateServiceAction,
  DeactivateStructureAction,
  DetachMemberServicesAction,
  OpenMemberServicesAction,
  RenameServiceAction,
  SaveStructureAction,
  SetMemberServicesAction,
  SetServiceActiveAction,
  ShowServicesAction,
  ShowStructureAction,
} from './teams/actions/accessStructureActions.js';
import { OpenClientFileServiceAction, SetClientFileServiceAction } from './teams/actions/accessServiceActions.js';
import {
  ActivateStructureCommand,
  AssignServiceCommand,
  CreateServiceCommand,
  CreateStructureCommand,
  DeactivateStructureCommand,
  ServicesCommand,
  StructureCommand,
  StructuresCommand,
} from './teams/commands/accessStructureCommands.js';
import { GraphDirectory } from './directory/graphDirectory.js';
import { GuestOnboardingService } from './domain/guestOnboardingService.js';
import { GuestInvitations } from './domain/guestInvitations.js';
import { InvitationJobStore } from './jobs/invitationJobs.js';
import { InvitationRunner, type RunnerOptions } from './jobs/invitationRunner.js';
import { WorkerHeartbeats } from './jobs/workerHeartbeats.js';
import { AcceptanceWatcher } from './jobs/acceptanceWatcher.js';
import { TeamsProactiveMessenger } from './teams/proactive.js';
import type { GuestTeamsServices } from './teams/guestServices.js';
import { InviteCommand } from './teams/commands/inviteCommand.js';
import { RevokeCommand } from './teams/commands/revokeCommand.js';
import { TeamsCommand } from './teams/commands/teamsCommand.js';
import {
  CancelInvitationAction,
  ChooseTeamAction,
  InviteContactAction,
  InviteManyAction,
  OpenRevokeAction,
  OpenTeamChoiceAction,
  PreviewInvitationAction,
  PreviewManyInvitationsAction,
  RevokeGuestAction,
  SetTeamInternalAction,
  ShowJobAction,
} from './teams/actions/guestActions.js';
import type { TeamsServices } from './teams/services.js';
import { SessionResolver } from './teams/session.js';
import { TeamsMemberRoles } from './teams/memberRoles.js';

export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The one place where things are wired: config -> Mongo -> stores -> services -> bot -> HTTP routes. */
export interface StartOptions {
  now?: () => Date;
  /** Background work (invitation jobs, acceptance watcher); tests may drive it themselves. */
  backgroundWork?: boolean;
  runner?: Partial<RunnerOptions>;
  /** Lines per import and per job item (tests use small ones). */
  imports?: Partial<ImportLimits>;
  /** Time between two sweeps of pending audit entries (default: the relay's own). */
  auditSweepEveryMs?: number;
  /** Where the Bot Framework's signing keys are described (default: the public Bot Framework's); tests serve their own. */
  botOpenIdMetadataUrl?: string;
}

export interface RunningPasserelle {
  /** Base URL of the server, e.g. http://127.0.0.1:3978 */
  url: string;
  stop(): Promise<void>;
  /** Runs one pass of the acceptance watcher now (tests, with a controllable clock). */
  watchAcceptancesNow(): Promise<void>;
  /** The bot's commands and card verbs, as registered (tests hold their requirements to the use cases'). */
  handlers: ReturnType<PasserelleBot['registered']>;
}

export async function startPasserelle(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningPasserelle> {
  if (!config.MONGODB_URI) throw new Error('MONGODB_URI manquant : en mode local, lancez « npm start » qui démarre une base locale.');
  const now = options.now ?? (() => new Date());

  const mongo = connectMongo(config.MONGODB_URI);
  const db = mongo.db(config.MONGODB_DB);
  const connection = connectInBackground(mongo, db, logger.child('store'));

  const clientFileStore = new MongoClientFileStore(db);
  const contactStore = new MongoContactStore(db);
  const linkStore = new MongoContactLinkStore(db);
  const firmStore = new MongoFirmStore(db);
  const audit = new MongoAuditLog(db);
  const preferences = new MongoUserPreferenceStore(db);
  const conversations = new MongoConversationReferenceStore(db);

  const teamStore = new MongoTeamStore(db);
  const clientFiles = new ClientFileService({ clientFiles: clientFileStore, contacts: contactStore, links: linkStore, teams: teamStore, now });
  const structureStore = new MongoStructureStore(db);
  const firmSettings = new FirmSettingsService(firmStore, { structures: structureStore, teams: teamStore });
  const contacts = new ContactService({ contacts: contactStore, clientFiles: clientFileStore, links: linkStore, firmSettings, teams: teamStore, audit, clientFileService: clientFiles, now });
  const services: TeamsServices = { clientFiles, contacts, firmSettings, preferences, newRequestId: randomUUID };
  const auditNames = new AuditNameResolver({ catalogue: (firmId) => firmSettings.catalogue(firmId), structures: structureStore, teams: teamStore, contacts: contactStore });

  // Without BOT_ID (local mode only, enforced by config) the adapter accepts unsigned requests.
  const credentials = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.SECRET_BOT_PASSWORD ?? '',
    // The SDK insists on an app id for SingleTenant; with no id at all it runs unauthenticated.
    MicrosoftAppType: config.BOT_ID ? config.BOT_TYPE : 'MultiTenant',
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
    // Naming one endpoint makes the SDK take all of them from here: the public cloud's, with the test's keys.
    ...(options.botOpenIdMetadataUrl
      ? {
          ToBotFromChannelOpenIdMetadataUrl: options.botOpenIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: options.botOpenIdMetadataUrl,
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          OAuthUrl: 'https://api.botframework.com',
          CallerId: 'urn:botframework:azure',
          ValidateAuthority: true,
        }
      : {}),
  };
  const adapter = new BotEndpointAdapter(
    new ConfigurationBotFrameworkAuthentication(credentials, new ConfigurationServiceClientCredentialFactory(credentials)),
  );

  const directory = GraphDirectory.fromConfig(config, logger);
  const jobStore = new InvitationJobStore(db);
  let guestServices: GuestTeamsServices | undefined;
  const messenger = new TeamsProactiveMessenger({
    adapter,
    botAppId: config.BOT_ID ?? '',
    conversations,
    firmSettings,
    guest: () => guestServices!,
    preferences,
    defaultLanguage: languageOf(config.DEFAULT_LOCALE) ?? 'fr',
    logger: logger.child('proactive'),
  });
  const accessStores = { structures: new MongoStructureStore(db), memberships: new MongoMembershipStore(db), requests: new MongoAccessRequestStore(db), now };
  const accessCore = createAccessCore(accessStores);
  const onboarding = new GuestOnboardingService({
    directory,
    contacts: contactStore,
    clientFiles: clientFileStore,
    links: linkStore,
    teams: teamStore,
    firmSettings,
    audit,
    welcomer: messenger,
    redirectUrl: config.INVITE_REDIRECT_URL,
    now,
  });
  let offerService: OfferService | undefined;
  let importService: ImportService | undefined;
  const runner = new InvitationRunner({
    store: jobStore, heartbeats: new WorkerHeartbeats(db), onboarding, reporter: messenger, logger: logger.child('jobs'), now, options: options.runner,
    offers: () => offerService!, imports: () => importService!,
  });
  const watcher = new AcceptanceWatcher({ onboarding, logger: logger.child('guests'), everyMs: config.GUEST_WATCH_SECONDS * 1_000 });
  const invitations = new GuestInvitations({ jobs: jobStore, onboarding, clientFiles, contacts, nudge: () => runner.nudge(), now });
  importService = new ImportService({
    clientFiles: clientFileStore, contacts: contactStore, links: linkStore, firmSettings, audit, batches: new MongoImportBatchStore(db), jobs: jobStore, invitations, now, limits: options.imports,
  });
  const imports = importService;
  guestServices = { onboarding, invitations, jobs: jobStore, teams: teamStore, contacts: contactStore, nudgeRunner: () => runner.nudge() };

  const subscriptions = new MongoSubscriptionStore(db);
  const offerCards = new OfferCards({
    adapter,
    botAppId: config.BOT_ID ?? '',
    conversations,
    teams: teamStore,
    subscriptions,
    contacts: contactStore,
    clientFiles: clientFileStore,
    offers: () => offerService!,
    firmSettings,
    preferences,
    defaultLanguage: languageOf(config.DEFAULT_LOCALE) ?? 'fr',
    link: config.INVITE_REDIRECT_URL,
    logger: logger.child('offers'),
  });
  offerService = new OfferService({
    subscriptions,
    contacts: contactStore,
    clientFiles: clientFileStore,
    links: linkStore,
    catalogue: firmSettings,
    invitations,
    cards: offerCards,
    now,
  });
  const offers = offerService;
  const settingsAdministration = new FirmSettingsAdministration({ firms: firmStore, settings: firmSettings, teams: teamStore, subscriptions, now });
  const settingsTeams = settingsHandlers(settingsAdministration);
  onboarding.onProgress({
    guestAccepted: async (firmId, contactId, at) => {
      await offers.activateWaiting(firmId, contactId, at);
    },
    guestJoinedTeam: async (firmId, contactId) => {
      await offers.activateWaiting(firmId, contactId, now());
      await offers.sendPendingCards(firmId, contactId);
    },
  });
  const offerCommands = new OfferCommands({ offers, clientFiles: clientFileStore, contacts: contactStore, links: linkStore, requests: accessCore.requests, jobs: invitations, now });
  // An approved request runs the very operation it asked for, as the approver.
  const access = withApprovals(accessCore, accessStores, messenger, offerCommands);
  const partnerApps = new MongoPartnerAppStore(db);
  const partners: PartnerServices = {
    flow: new FlowService({ apps: partnerApps, clientFiles: clientFileStore, links: linkStore, contacts: contactStore, firm: firmSettings }),
    // With a firm mailbox the offer e-mail is sent through Graph; without one it is shown ready to copy.
    shine: new ShineService({
      apps: partnerApps,
      clientFiles: clientFileStore,
      contacts: contactStore,
      audit,
      mailer: config.OFFER_MAILBOX ? { send: (message) => directory.sendMail(config.OFFER_MAILBOX!, message) } : undefined,
      settings: firmSettings,
    }),
  };
  const legacyAccesses = new LegacyAccessService({ contacts: contactStore, now });
  const offerTeams: OfferTeamsServices = { offers, commands: offerCommands, cards: offerCards, access, legacy: legacyAccesses };

  const defaultLanguage = languageOf(config.DEFAULT_LOCALE) ?? 'fr';
  const sessions = new SessionResolver({ preferences, memberRoles: new TeamsMemberRoles(), access, defaultLanguage, trustClientLocale: config.TRUST_CLIENT_LOCALE });
  const bot = new PasserelleBot({
    commands: [
      new HelpCommand(),
      new NewClientFileCommand(services),
      new NewContactCommand(services),
      new ShowClientFileCommand(services),
      new ShowContactCommand(services),
      new LinkCommand(services),
      new InviteCommand(services, guestServices),
      new RevokeCommand(services, guestServices),
      new TeamsCommand(services, guestServices),
      new OrgRolesCommand(services),
      new FirmNameCommand(services, settingsAdministration),
      ...settingsTeams.commands,
      new ProposeOfferCommand(services, offerTeams),
      new LegacyAccessesCommand(offerTeams),
      new FlowCommand(services, partners),
      new ShineCommand(services, partners),
      new AuditLogCommand(services, { audit, clientFiles: clientFileStore, contacts: contactStore, names: auditNames }),
      new MyRightsCommand(access),
      new RequestAccessCommand(access),
      new RequestsCommand(access),
      new UsersCommand(access),
      new AttachCommand(access),
      new TransferMainManagerCommand(access),
      new StructuresCommand(access),
      new StructureCommand(access),
      new CreateStructureCommand(access),
      new DeactivateStructureCommand(access),
      new ActivateStructureCommand(access),
      new ServicesCommand(access),
      new CreateServiceCommand(access),
      new AssignServiceCommand(services, access),
      new LanguageCommand(services),
    ],
    actions: [
      new OpenClientFileFormAction(services),
      new CreateClientFileAction(services),
      new ShowClientFileAction(services),
      new SetPrimaryContactAction(services),
      new OpenContactFormAction(services),
      new CreateContactAction(services),
      new ShowContactAction(services),
      new OpenLinkFormAction(services),
      new CreateLinkAction(services),
      new AddOrgRoleAction(services),
      new RemoveOrgRoleAction(services),
      new PreviewInvitationAction(services, guestServices),
      new PreviewManyInvitationsAction(services, guestServices),
      new InviteContactAction(guestServices),
      new InviteManyAction(guestServices),
      new CancelInvitationAction(),
      new ShowJobAction(guestServices),
      new OpenTeamChoiceAction(services, guestServices),
      new ChooseTeamAction(services, guestServices),
      new SetTeamInternalAction(services, guestServices),
      new OpenRevokeAction(guestServices, services),
      new RevokeGuestAction(guestServices, services),
      new OpenProposalAction(services, offerTeams),
      new ProposeOfferAction(services, offerTeams),
      new ChangeOfferAction(offerTeams),
      new EndOfferAction(offerTeams),
      new CompleteOfferStepAction(offerTeams),
      new ShowOfferAction(offerTeams),
      new MigrateLegacyAction(offerTeams),
      new CompleteFlowStepAction(services, partners),
      new ShowFlowAction(services, partners),
      new ShowShineAction(services, partners),
      new ActivateShineAction(services, partners),
      new RequestAccessAction(access),
      new ApproveRequestAction(access),
      new RefuseRequestAction(access),
      new ShowUsersAction(access),
      new OpenProfilesAction(access),
      new SaveProfilesAction(access),
      new DetachUserAction(access),
      new ShowStructureAction(access),
      new SaveStructureAction(access),
      new ConfirmDeactivateStructureAction(access),
      new DeactivateStructureAction(access),
      new ActivateStructureAction(access),
      new ShowServicesAction(access),
      new CreateServiceAction(access),
      new RenameServiceAction(access),
      new SetServiceActiveAction(access),
      new OpenMemberServicesAction(access),
      new SetMemberServicesAction(access),
      new DetachMemberServicesAction(access),
      new OpenClientFileServiceAction(services, access),
      new SetClientFileServiceAction(services, access),
      ...settingsTeams.actions,
      new FlagLegacyAccessAction(services, legacyAccesses),
    ],
    clientActions: [new RefreshOfferCardAction({ cards: offerCards, sessions }), new AcknowledgeOfferAction({ cards: offerCards, offers })],
    clientCommands: [
      new MyOnboardingCommand({ onboarding: new ClientOnboardingQuery({ contacts: contactStore, subscriptions, clientFiles: clientFileStore, catalogue: firmSettings }), firmSettings }),
    ],
    sessions,
    conversations,
    teams: teamStore,
    defaultLanguage,
    logger: logger.child('teams'),
  });

  const server = restify.createServer({ name: 'passerelle', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // No body parser here: each route reads its JSON body itself, after authentication, within its own limit.
  answerServerErrorsAsProblems(server, logger.child('http'));

  registerBotRoute(server, adapter, bot, logger.child('http'), { tokenRequired: Boolean(config.BOT_ID) });
  registerHealthRoute(server, db, version);
  registerTabRoutes(server);
  const portfolioApi = createPortfolioApi({ db, config, clientFiles, audit, access, firmSettings, auditNames, logger: logger.child('tab-api') });
  registerPortfolioRoutes(server, portfolioApi);
  registerClientEditRoutes(server, portfolioApi, { clientFiles });
  const portfolioProjector = new PortfolioProjector({ store: new MongoPortfolioSummaryStore(db) });
  const stopProjecting = AuditRelay.of(db).subscribe((entry) => portfolioProjector.onAuditEntry(entry));
  // Files written before summaries existed (or of an older shape) are summarised once the database answers.
  void connection.ready
    .then(() => portfolioProjector.rebuildStale())
    .then((count) => count > 0 && logger.info('portfolio summaries rebuilt', { count }))
    .catch((error: unknown) => logger.warn('portfolio summaries not rebuilt yet; they will be at the next start', { error }));
  registerAuditRoutes(server, portfolioApi, { audit, clientFiles: clientFileStore, contacts: contactStore, clientFileService: clientFiles, contactService: contacts });
  registerOfferEndRoute(server, portfolioApi, { offers: offerCommands });
  registerShineRoutes(server, portfolioApi, { shine: partners.shine, clientFiles, mailerConfigured: Boolean(config.OFFER_MAILBOX) });
  registerInvitationRoutes(server, portfolioApi, { invitations, offers: offerCommands, jobs: jobStore });
  registerImportRoutes(server, portfolioApi, imports);
  registerSettingsRoutes(server, portfolioApi, { administration: settingsAdministration });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.HOST}:${typeof address === 'object' && address ? address.port : config.PORT}`;
  logger.info('Passerelle listening', { url });

  // Audit entries a crash or an unreachable log left on their records reach the log at start-up, then every few seconds.
  const auditRelay = AuditRelay.of(db);
  auditRelay.start(logger.child('audit'), connection.ready, options.auditSweepEveryMs);

  if (options.backgroundWork !== false) {
    runner.start();
    watcher.start();
  }

  return {
    url,
    watchAcceptancesNow: () => watcher.tick(),
    handlers: bot.registered(),
    async stop() {
      stopProjecting();
      portfolioProjector.stop();
      await Promise.all([runner.stop(), watcher.stop(), auditRelay.stop()]);
      connection.cancel();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mongo.close();
    },
  };
}
