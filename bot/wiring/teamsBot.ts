import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import type { GuestTeamsServices } from '../teams/guestServices.js';
import type { TeamsServices } from '../teams/services.js';
import { SessionResolver } from '../teams/session.js';
import {
  CancelChangeAction,
  ChangeIdentityAction,
  DeleteContactAction,
  OpenDeleteContactAction,
  OpenEditContactAction,
  OpenReviewDecisionAction,
  OpenUnlinkAction,
  ReviewDecideAction,
  ShowGuestReviewAction,
  UnlinkContactAction,
  UpdateContactAction,
  type JourneyTeamsServices,
} from '../teams/actions/journeyActions.js';
import { EditContactCommand, GuestReviewCommand } from '../teams/commands/journeyCommands.js';
import { TeamsMemberRoles } from '../teams/memberRoles.js';
import type { UseCases } from './useCases.js';
import { defaultLanguageOf, type TeamsOutbound } from './teamsOutbound.js';
import { CreateClientFileAction, OpenClientFileFormAction, SetPrimaryContactAction, ShowClientFileAction } from '../teams/actions/clientFileActions.js';
import { CreateContactAction, OpenContactFormAction, ShowContactAction } from '../teams/actions/contactActions.js';
import { CreateLinkAction, OpenLinkFormAction } from '../teams/actions/linkActions.js';
import { AddOrgRoleAction, RemoveOrgRoleAction } from '../teams/actions/orgRoleActions.js';
import { GuestHelpCommand, HelpCommand } from '../teams/commands/helpCommand.js';
import { HelpReaders } from '../teams/helpReaders.js';
import { supportHandlers } from '../teams/supportHandlers.js';
import { settingsHandlers } from '../teams/settingsHandlers.js';
import { MyOnboardingCommand } from '../teams/clientCommands.js';
import { FlagLegacyAccessAction } from '../teams/actions/legacyActions.js';
import {
  ArchiveArticleAction,
  ArticleFeedbackAction,
  ArticlesCommand,
  OpenArticleAction,
  OpenArticleEditorAction,
  PublishArticleAction,
  SaveArticleAction,
  SearchHelpAction,
} from '../teams/actions/helpActions.js';
import { ClientLanguageCommand, LanguageCommand } from '../teams/commands/languageCommand.js';
import { LinkCommand } from '../teams/commands/linkCommand.js';
import { NewClientFileCommand } from '../teams/commands/newClientFileCommand.js';
import { NewContactCommand } from '../teams/commands/newContactCommand.js';
import { OrgRolesCommand } from '../teams/commands/orgRolesCommand.js';
import { ShowClientFileCommand } from '../teams/commands/showClientFileCommand.js';
import { ShowContactCommand } from '../teams/commands/showContactCommand.js';
import { PasserelleBot } from '../teams/passerelleBot.js';
import { ActivateShineAction, CompleteFlowStepAction, FlowCommand, ShineCommand, ShowFlowAction, ShowShineAction, type PartnerServices } from '../teams/partnerHandlers.js';
import {
  ChangeOfferAction,
  CompleteOfferStepAction,
  EndOfferAction,
  MigrateLegacyAction,
  OpenProposalAction,
  ProposeOfferAction,
  ShowOfferAction,
  type OfferTeamsServices,
} from '../teams/actions/offerActions.js';
import { AcknowledgeOfferAction, RefreshOfferCardAction } from '../teams/actions/clientActions.js';
import { LegacyAccessesCommand, ProposeOfferCommand } from '../teams/commands/offerCommands.js';
import { AuditLogCommand } from '../teams/commands/auditCommand.js';
import { FirmNameCommand } from '../teams/commands/firmNameCommand.js';
import { AttachCommand, MyRightsCommand, RequestAccessCommand, RequestsCommand, TakeOverMainManagerCommand, TransferMainManagerCommand, UsersCommand } from '../teams/commands/accessCommands.js';
import {
  ApproveRequestAction,
  DetachUserAction,
  OpenProfilesAction,
  RefuseRequestAction,
  RequestAccessAction,
  SaveProfilesAction,
  ShowUsersAction,
} from '../teams/actions/accessActions.js';
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
} from '../teams/actions/accessStructureActions.js';
import { OpenClientFileServiceAction, SetClientFileServiceAction } from '../teams/actions/accessServiceActions.js';
import {
  ActivateStructureCommand,
  AssignServiceCommand,
  CreateServiceCommand,
  CreateStructureCommand,
  DeactivateStructureCommand,
  ServicesCommand,
  StructureCommand,
  StructuresCommand,
} from '../teams/commands/accessStructureCommands.js';
import { InviteCommand } from '../teams/commands/inviteCommand.js';
import { RevokeCommand } from '../teams/commands/revokeCommand.js';
import { TeamsCommand } from '../teams/commands/teamsCommand.js';
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
} from '../teams/actions/guestActions.js';

/** The bot: every command and card verb, each handed the use cases it calls and nothing more. */
export function createTeamsBot(deps: { useCases: UseCases; stores: Stores; outbound: TeamsOutbound; workQueued: () => void; config: Config; logger: Logger }) {
  const { useCases, stores, outbound, config, logger } = deps;
  const { access, clientFiles, contacts, firmSettings } = useCases;
  const services: TeamsServices = { clientFiles, contacts, firmSettings, preferences: stores.preferences, newRequestId: randomUUID };
  const guestServices: GuestTeamsServices = {
    onboarding: useCases.onboarding, invitations: useCases.invitations, jobs: stores.invitationJobs, teams: stores.teams, contacts: stores.contacts, nudgeRunner: deps.workQueued,
  };
  const { engagement } = useCases;
  const journey: JourneyTeamsServices = { engagement, changes: useCases.contactChanges };
  const offerTeams: OfferTeamsServices = { offers: useCases.offers, commands: useCases.offerCommands, cards: outbound.offerCards, access, legacy: useCases.legacy, engagement };
  const partners: PartnerServices = { flow: useCases.flow, shine: useCases.shine };
  const auditReading = { audit: stores.audit, clientFiles: stores.clientFiles, contacts: stores.contacts, names: useCases.auditNames };
  const defaultLanguage = defaultLanguageOf(config);
  const sessions = new SessionResolver({ preferences: stores.preferences, snapshots: stores.staffSnapshots, memberRoles: new TeamsMemberRoles(), access, defaultLanguage, trustClientLocale: config.TRUST_CLIENT_LOCALE });
  const help = { knowledgeBase: useCases.knowledgeBase, readers: new HelpReaders(sessions) };
  const settings = settingsHandlers(useCases.settingsAdministration);
  const support = supportHandlers({ support: useCases.support, cards: outbound.supportCards, sessions });
  return new PasserelleBot({
    commands: [
      // « aide » lists the commands, « aide <mots> » searches the knowledge base.
      new HelpCommand(useCases.knowledgeBase),
      new ArticlesCommand(help),
      ...support.commands,
      new NewClientFileCommand(services),
      new NewContactCommand(services),
      new ShowClientFileCommand(services),
      new ShowContactCommand(services),
      new LinkCommand(services),
      new InviteCommand(services, guestServices),
      new RevokeCommand(services, guestServices, engagement),
      new TeamsCommand(services, guestServices),
      new OrgRolesCommand(services),
      new FirmNameCommand(services, useCases.settingsAdministration),
      ...settings.commands,
      new ProposeOfferCommand(services, offerTeams),
      new LegacyAccessesCommand(offerTeams),
      new FlowCommand(services, partners),
      new ShineCommand(services, partners),
      new AuditLogCommand(services, auditReading),
      new MyRightsCommand(access),
      new RequestAccessCommand(access),
      new RequestsCommand(access),
      new UsersCommand(access),
      new AttachCommand(access),
      new TransferMainManagerCommand(access),
      new TakeOverMainManagerCommand(access),
      new StructuresCommand(access),
      new StructureCommand(access),
      new CreateStructureCommand(access),
      new DeactivateStructureCommand(access),
      new ActivateStructureCommand(access),
      new ServicesCommand(access),
      new CreateServiceCommand(access),
      new AssignServiceCommand(services, access),
      new LanguageCommand(services),
      new EditContactCommand(services),
      new GuestReviewCommand(journey),
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
      new OpenRevokeAction(guestServices, services, engagement),
      new RevokeGuestAction(guestServices, services, engagement),
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
      new OpenEditContactAction(services),
      new UpdateContactAction(services, journey),
      new ChangeIdentityAction(services, journey),
      new CancelChangeAction(),
      new OpenUnlinkAction(services, journey),
      new UnlinkContactAction(services, journey),
      new OpenDeleteContactAction(journey),
      new DeleteContactAction(journey),
      new ShowGuestReviewAction(journey),
      new OpenReviewDecisionAction(journey),
      new ReviewDecideAction(journey),
      new OpenArticleEditorAction(help),
      new SaveArticleAction(help),
      new PublishArticleAction(help),
      new ArchiveArticleAction(help),
      ...support.actions,
      ...settings.actions,
      new FlagLegacyAccessAction(services, useCases.legacy),
    ],
    clientActions: [new RefreshOfferCardAction({ cards: outbound.offerCards, sessions }), new AcknowledgeOfferAction({ cards: outbound.offerCards, offers: useCases.offers }),
      new SearchHelpAction(help), new OpenArticleAction(help), new ArticleFeedbackAction(help),
      ...support.clientActions,
    ],
    clientCommands: [new ClientLanguageCommand(stores.preferences), new GuestHelpCommand(useCases.knowledgeBase), ...support.clientCommands,
      new MyOnboardingCommand({ onboarding: useCases.clientOnboarding, firmSettings }),
    ],
    sessions,
    conversations: stores.conversations,
    teams: stores.teams,
    defaultLanguage,
    logger: logger.child('teams'),
  });
}
