import type { CloudAdapter } from 'botbuilder';
import type { Db } from 'mongodb';
import type { MembershipStore } from './domain/access/ports.js';
import type { FirmSettingsService } from './domain/firmSettingsService.js';
import type { KnowledgeBaseLink } from './domain/help/knowledgeBaseLink.js';
import type { ClientFileStore, ContactLinkStore, TeamStore, UserPreferenceStore } from './domain/ports.js';
import { SupportRequests } from './domain/support/supportRequests.js';
import type { Language } from './i18n/index.js';
import { SupportSweeper } from './jobs/supportSweeper.js';
import type { Logger } from './logger.js';
import type { MongoConversationReferenceStore } from './store/conversationReferenceRepository.js';
import { MongoSupportDirectory, MongoSupportRequestStore } from './store/supportRequestRepository.js';
import type { SessionResolver } from './teams/session.js';
import { SupportTeamsCards } from './teams/supportCards.js';
import { supportHandlers } from './teams/supportHandlers.js';

/** The support requests, wired: store, use case, Teams cards and handlers, the periodic sweep. */
export function createSupport(deps: {
  db: Db;
  adapter: CloudAdapter;
  botAppId: string;
  conversations: MongoConversationReferenceStore;
  teams: TeamStore;
  firmSettings: Pick<FirmSettingsService, 'settings'>;
  preferences: UserPreferenceStore;
  clientFiles: Pick<ClientFileStore, 'findById' | 'findByCode'>;
  links: Pick<ContactLinkStore, 'listByContact'>;
  memberships: Pick<MembershipStore, 'list'>;
  sessions: SessionResolver;
  /** Absent until the knowledge base is connected: no suggestions, no article from a solution. */
  knowledgeBase?: KnowledgeBaseLink;
  defaultLanguage: Language;
  logger: Logger;
  now: () => Date;
  sweepEveryMs?: number;
}) {
  const store = new MongoSupportRequestStore(deps.db);
  const directory = new MongoSupportDirectory(deps.db, { links: deps.links, memberships: deps.memberships });
  let support: SupportRequests | undefined;
  const cards = new SupportTeamsCards({
    adapter: deps.adapter,
    botAppId: deps.botAppId,
    conversations: deps.conversations,
    teams: deps.teams,
    settings: (firmId) => deps.firmSettings.settings(firmId),
    preferences: deps.preferences,
    clientFiles: deps.clientFiles,
    store,
    support: () => support!,
    defaultLanguage: deps.defaultLanguage,
    logger: deps.logger,
  });
  support = new SupportRequests({
    store,
    clientFiles: deps.clientFiles,
    directory,
    policy: async (firmId) => (await deps.firmSettings.settings(firmId)).supportPolicy,
    notifier: cards,
    knowledgeBase: deps.knowledgeBase,
    now: deps.now,
    warn: (message, details) => deps.logger.warn(message, details),
  });
  const sweeper = new SupportSweeper({ support, logger: deps.logger, everyMs: deps.sweepEveryMs ?? 60_000 });
  return { support, store, cards, sweeper, handlers: supportHandlers({ support, cards, sessions: deps.sessions }) };
}
