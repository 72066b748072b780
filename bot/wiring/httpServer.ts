import type { ActivityHandler } from 'botbuilder';
import type { Db } from 'mongodb';
import restify, { type Server } from 'restify';
import { registerAuditRoutes } from '../api/audit.js';
import type { BotEndpointAdapter } from '../api/botAdapter.js';
import { registerClientEditRoutes } from '../api/clientEdit.js';
import { registerContactRoutes } from '../api/contactRoutes.js';
import { registerHealthRoute } from '../api/health.js';
import { registerHelpArticleRoutes } from '../api/helpArticles.js';
import { answerServerErrorsAsProblems } from '../api/http/serverErrors.js';
import { registerImportRoutes } from '../api/import.js';
import { registerInvitationRoutes } from '../api/invitations.js';
import { registerBotRoute } from '../api/messages.js';
import { registerOfferEndRoute } from '../api/offerEnd.js';
import { createPortfolioApi, registerPortfolioRoutes } from '../api/portfolio.js';
import { registerShineRoutes } from '../api/shine.js';
import { registerSettingsRoutes } from '../api/settings.js';
import { registerSupportRoutes } from '../api/support.js';
import { registerTabRoutes } from '../api/tab.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/stores.js';
import type { UseCases } from './useCases.js';

/**
 * The HTTP server: the bot's endpoint, the tab's static files and its API. Each route parses, calls a
 * use case and translates; none builds a store or a service of its own.
 */
export function createHttpServer(deps: {
  useCases: UseCases;
  stores: Stores;
  adapter: BotEndpointAdapter;
  bot: ActivityHandler;
  db: Db;
  version: string;
  config: Config;
  logger: Logger;
}): Server {
  const { useCases, stores, config, logger } = deps;
  const server = restify.createServer({ name: 'passerelle', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // No body parser here: each route reads its JSON body itself, after authentication, within its own limit.
  answerServerErrorsAsProblems(server, logger.child('http'));

  registerBotRoute(server, deps.adapter, deps.bot, logger.child('http'), { tokenRequired: Boolean(config.BOT_ID) });
  registerHealthRoute(server, deps.db, deps.version);
  registerTabRoutes(server);
  const api = createPortfolioApi({
    config,
    portfolio: useCases.portfolio,
    access: useCases.access,
    firmSettings: useCases.firmSettings,
    auditNames: useCases.auditNames,
    logger: logger.child('tab-api'),
  });
  registerPortfolioRoutes(server, api);
  registerClientEditRoutes(server, api, { clientFiles: useCases.clientFiles });
  registerAuditRoutes(server, api, {
    audit: stores.audit, clientFiles: stores.clientFiles, contacts: stores.contacts, clientFileService: useCases.clientFiles, contactService: useCases.contacts,
  });
  registerOfferEndRoute(server, api, { offers: useCases.offerCommands });
  registerShineRoutes(server, api, { shine: useCases.shine, clientFiles: useCases.clientFiles, mailerConfigured: Boolean(config.OFFER_MAILBOX) });
  registerInvitationRoutes(server, api, { invitations: useCases.invitations, offers: useCases.offerCommands, jobs: stores.invitationJobs });
  registerImportRoutes(server, api, useCases.imports);
  registerSettingsRoutes(server, api, { administration: useCases.settingsAdministration });
  registerHelpArticleRoutes(server, api, useCases.knowledgeBase);
  registerSupportRoutes(server, api, { support: useCases.support, clientFiles: stores.clientFiles });
  registerContactRoutes(server, api, {
    changes: useCases.contactChanges, engagement: useCases.engagement, contacts: useCases.contacts, clientFiles: useCases.clientFiles, invitations: useCases.invitations, offers: useCases.offerCommands,
  });
  return server;
}
