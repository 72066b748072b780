import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import restify from 'restify';
import type { Config } from './config.js';
import { ClientFileService } from './domain/clientFileService.js';
import { ContactService } from './domain/contactService.js';
import { FirmSettingsService } from './domain/firmSettingsService.js';
import { languageOf } from './i18n/index.js';
import type { Logger } from './logger.js';
import { registerHealthRoute } from './api/health.js';
import { registerTabRoutes } from './api/tab.js';
import { registerBotRoute } from './api/messages.js';
import { MongoAuditLog } from './store/auditRepository.js';
import { MongoClientFileStore } from './store/clientFileRepository.js';
import { MongoContactLinkStore } from './store/contactLinkRepository.js';
import { MongoContactStore } from './store/contactRepository.js';
import { MongoConversationReferenceStore } from './store/conversationReferenceRepository.js';
import { MongoFirmStore } from './store/firmRepository.js';
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
import type { TeamsServices } from './teams/services.js';
import { SessionResolver } from './teams/session.js';
import { TeamsMemberRoles } from './teams/memberRoles.js';

export interface RunningPasserelle {
  /** Base URL of the server, e.g. http://127.0.0.1:3978 */
  url: string;
  stop(): Promise<void>;
}

export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The one place where things are wired: config -> Mongo -> stores -> services -> bot -> HTTP routes. */
export async function startPasserelle(config: Config, logger: Logger, options: { now?: () => Date } = {}): Promise<RunningPasserelle> {
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

  const clientFiles = new ClientFileService({ clientFiles: clientFileStore, contacts: contactStore, links: linkStore, audit, now });
  const firmSettings = new FirmSettingsService(firmStore);
  const contacts = new ContactService({ contacts: contactStore, clientFiles: clientFileStore, links: linkStore, firms: firmStore, audit, clientFileService: clientFiles, now });
  const services: TeamsServices = { clientFiles, contacts, firmSettings, preferences, newRequestId: randomUUID };

  const defaultLanguage = languageOf(config.DEFAULT_LOCALE) ?? 'fr';
  const bot = new PasserelleBot({
    commands: [
      new HelpCommand(),
      new NewClientFileCommand(services),
      new NewContactCommand(services),
      new ShowClientFileCommand(services),
      new ShowContactCommand(services),
      new LinkCommand(services),
      new OrgRolesCommand(services),
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
    ],
    sessions: new SessionResolver({ preferences, memberRoles: new TeamsMemberRoles(), defaultLanguage, trustClientLocale: config.TRUST_CLIENT_LOCALE }),
    conversations,
    defaultLanguage,
    logger: logger.child('teams'),
  });

  // Without BOT_ID (local mode only, enforced by config) the adapter accepts unsigned requests.
  const credentials = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.SECRET_BOT_PASSWORD ?? '',
    // The SDK insists on an app id for SingleTenant; with no id at all it runs unauthenticated.
    MicrosoftAppType: config.BOT_ID ? config.BOT_TYPE : 'MultiTenant',
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  };
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(credentials, new ConfigurationServiceClientCredentialFactory(credentials)),
  );

  const server = restify.createServer({ name: 'passerelle', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1_000_000, rejectUnknown: true }));

  registerBotRoute(server, adapter, bot, logger.child('http'));
  registerHealthRoute(server, db, version);
  registerTabRoutes(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.HOST}:${typeof address === 'object' && address ? address.port : config.PORT}`;
  logger.info('Passerelle listening', { url });

  return {
    url,
    async stop() {
      connection.cancel();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mongo.close();
    },
  };
}
