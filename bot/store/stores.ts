import type { Db } from 'mongodb';
import { InvitationJobStore } from '../jobs/invitationJobs.js';
import { WorkerHeartbeats } from '../jobs/workerHeartbeats.js';
import { MongoAccessRequestStore, MongoMembershipStore, MongoStructureStore } from './accessRepositories.js';
import { AuditRelay } from './auditRelay.js';
import { MongoArticleStore } from './articleRepository.js';
import { MongoSupportDirectory, MongoSupportRequestStore } from './supportRequestRepository.js';
import { MongoAuditLog } from './auditRepository.js';
import { MongoClientFileStore } from './clientFileRepository.js';
import { MongoContactLinkStore } from './contactLinkRepository.js';
import { MongoContactStore } from './contactRepository.js';
import { MongoConversationReferenceStore } from './conversationReferenceRepository.js';
import { MongoFirmStore } from './firmRepository.js';
import { MongoImportBatchStore } from './importBatchRepository.js';
import { MongoPartnerAppStore } from './partnerAppRepository.js';
import { MongoPortfolioStore, MongoPortfolioSummaryStore } from './portfolioRepository.js';
import { MongoStaffSnapshotStore } from './staffSnapshotRepository.js';
import { MongoWeeklyNotices } from './weeklyNoticeRepository.js';
import { MongoSubscriptionStore } from './subscriptionRepository.js';
import { MongoTeamStore } from './teamRepository.js';
import { MongoUserPreferenceStore } from './userPreferenceRepository.js';

/** Every store of one server on one database, sharing one audit relay. */
export function createStores(db: Db) {
  const auditRelay = new AuditRelay(db);
  const links = new MongoContactLinkStore(db, auditRelay);
  const memberships = new MongoMembershipStore(db, auditRelay);
  return {
    auditRelay,
    audit: new MongoAuditLog(db, auditRelay),
    clientFiles: new MongoClientFileStore(db, auditRelay),
    contacts: new MongoContactStore(db, auditRelay),
    links,
    subscriptions: new MongoSubscriptionStore(db, auditRelay),
    partnerApps: new MongoPartnerAppStore(db, auditRelay),
    structures: new MongoStructureStore(db, auditRelay),
    memberships,
    accessRequests: new MongoAccessRequestStore(db, auditRelay),
    firms: new MongoFirmStore(db, auditRelay),
    teams: new MongoTeamStore(db),
    preferences: new MongoUserPreferenceStore(db),
    conversations: new MongoConversationReferenceStore(db),
    invitationJobs: new InvitationJobStore(db),
    importBatches: new MongoImportBatchStore(db),
    heartbeats: new WorkerHeartbeats(db),
    portfolio: new MongoPortfolioStore(db),
    portfolioSummaries: new MongoPortfolioSummaryStore(db),
    staffSnapshots: new MongoStaffSnapshotStore(db),
    weeklyNotices: new MongoWeeklyNotices(db),
    articles: new MongoArticleStore(db, auditRelay),
    supportRequests: new MongoSupportRequestStore(db, auditRelay),
    /** Who a support request's requester is (a client's contact and file) and who the firm's support are. */
    supportDirectory: new MongoSupportDirectory(db, { links, memberships }),
  };
}

export type Stores = ReturnType<typeof createStores>;
