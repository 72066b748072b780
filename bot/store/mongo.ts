import {
  MongoClient,
  MongoError,
  ObjectId,
  type Collection,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type CreateIndexesOptions,
  type Db,
  type Document,
  type Filter,
  type IndexSpecification,
} from 'mongodb';
import { StorageUnavailableError } from '../domain/errors.js';
import type { Logger } from '../logger.js';

export const collections = {
  firms: 'firms',
  clientFiles: 'clientFiles',
  contacts: 'contacts',
  contactLinks: 'contactLinks',
  auditLog: 'auditLog',
  conversationReferences: 'conversationReferences',
  userPreferences: 'userPreferences',
  jobs: 'jobs',
  jobItems: 'jobItems',
  workerHeartbeats: 'workerHeartbeats',
  imports: 'imports',
  importBatches: 'importBatches',
  teams: 'teams',
  memberships: 'memberships',
  structures: 'structures',
  structureMemberships: 'structureMemberships',
  accessRequests: 'accessRequests',
  offerSubscriptions: 'offerSubscriptions',
  partnerApps: 'partnerApps',
  articles: 'articles',
  articleFeedback: 'articleFeedback',
  supportRequests: 'supportRequests',
  supportCounters: 'supportCounters',
} as const;

/** Collections whose records may carry audit entries not yet in the log (bot/store/auditRelay.ts). */
export const auditedCollections = [
  collections.clientFiles,
  collections.contacts,
  collections.contactLinks,
  collections.offerSubscriptions,
  collections.partnerApps,
  collections.memberships,
  collections.accessRequests,
  collections.firms,
  collections.structures,
  collections.structureMemberships,
  collections.articles,
  collections.supportRequests,
] as const;

/** A command the driver sends to the server, then its answer: one round trip each. */
export type DatabaseCommandEvent = CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent;

/**
 * Short timeouts: a bot reply must leave within Bot Service's 15 s even when the database is away.
 * `onCommand` turns on the driver's command monitoring (benchmarks and tests count round trips);
 * production leaves it off: monitoring copies every command.
 */
export function connectMongo(uri: string, options: { onCommand?: (event: DatabaseCommandEvent) => void } = {}): MongoClient {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: 20_000,
    maxPoolSize: 20,
    appName: 'passerelle',
    // Optional fields left undefined by the domain are simply absent from the stored document.
    ignoreUndefined: true,
    // The local stand-in and a single mongod are standalone servers; a replica set URI says so itself.
    directConnection: /^mongodb:\/\/(127\.0\.0\.1|localhost)[:/]/.test(uri) && !uri.includes('replicaSet=') ? true : undefined,
    ...(options.onCommand ? { monitorCommands: true } : {}),
  });
  const onCommand = options.onCommand;
  if (onCommand) for (const name of ['commandStarted', 'commandSucceeded', 'commandFailed'] as const) client.on(name, (event: DatabaseCommandEvent) => onCommand(event));
  return client;
}

interface IndexSpec {
  collection: string;
  keys: IndexSpecification;
  options: CreateIndexesOptions & { name: string };
}

const index = (collection: string, keys: IndexSpecification, options: CreateIndexesOptions & { name: string }): IndexSpec => ({ collection, keys, options });

/** Every index Passerelle relies on. */
export const indexes: readonly IndexSpec[] = [
  index(collections.firms, { firmId: 1 }, { unique: true, name: 'firm_unique' }),
  index(collections.clientFiles, { firmId: 1, code: 1 }, { unique: true, name: 'firm_code_unique' }),
  index(collections.clientFiles, { firmId: 1, searchTokens: 1 }, { name: 'firm_search' }),
  index(collections.clientFiles, { firmId: 1, companyName: 1 }, { name: 'firm_name' }),
  index(collections.contacts, { firmId: 1, email: 1 }, { unique: true, name: 'firm_email_unique' }),
  index(collections.contacts, { firmId: 1, searchTokens: 1 }, { name: 'firm_search' }),
  index(collections.contacts, { 'guest.state': 1, 'guest.nextCheckAt': 1 }, { name: 'guest_watch' }),
  index(collections.contacts, { firmId: 1, 'guest.state': 1 }, { name: 'firm_guest_state' }),
  index(collections.contacts, { firmId: 1, 'guest.directoryUserId': 1 }, { name: 'firm_guest_user', sparse: true }),
  index(collections.memberships, { firmId: 1, email: 1 }, { unique: true, name: 'firm_email_unique' }),
  index(collections.memberships, { firmId: 1, userId: 1 }, { name: 'firm_user', sparse: true }),
  index(collections.structures, { firmId: 1, structureId: 1 }, { unique: true, name: 'firm_structure_unique' }),
  index(collections.structureMemberships, { firmId: 1, structureId: 1, email: 1 }, { unique: true, name: 'firm_structure_email_unique' }),
  index(collections.structureMemberships, { firmId: 1, email: 1 }, { name: 'firm_email' }),
  index(collections.accessRequests, { firmId: 1, number: 1 }, { unique: true, name: 'firm_number_unique' }),
  index(collections.accessRequests, { firmId: 1, status: 1, number: 1 }, { name: 'firm_status' }),
  index(collections.offerSubscriptions, { firmId: 1, clientFileId: 1, contactId: 1 }, { unique: true, name: 'firm_file_contact_unique' }),
  index(collections.offerSubscriptions, { firmId: 1, contactId: 1, state: 1 }, { name: 'firm_contact_state' }),
  index(collections.partnerApps, { firmId: 1, clientFileId: 1, app: 1 }, { unique: true, name: 'firm_file_app_unique' }),
  index(collections.partnerApps, { firmId: 1, app: 1, accountEmail: 1 }, { name: 'firm_app_email', sparse: true }),
  index(collections.teams, { firmId: 1, teamId: 1 }, { unique: true, name: 'firm_team_unique' }),
  index(collections.clientFiles, { firmId: 1, guestTeamId: 1 }, { name: 'firm_guest_team', sparse: true }),
  index(collections.jobs, { firmId: 1, requestId: 1 }, { unique: true, name: 'firm_request_unique' }),
  index(collections.jobItems, { status: 1, availableAt: 1 }, { name: 'claimable' }),
  index(collections.jobItems, { jobId: 1, status: 1 }, { name: 'job_status' }),
  index(collections.jobItems, { firmId: 1, contactId: 1, status: 1 }, { name: 'firm_contact_status' }),
  // A dead worker's items are taken back by its name (bot/jobs/workerHeartbeats.ts).
  index(collections.jobItems, { leaseOwner: 1 }, { sparse: true, name: 'lease_owner' }),
  index(collections.workerHeartbeats, { owner: 1 }, { unique: true, name: 'owner_unique' }),
  index(collections.imports, { firmId: 1, requestId: 1 }, { unique: true, name: 'firm_request_unique' }),
  index(collections.importBatches, { firmId: 1, requestId: 1, index: 1 }, { unique: true, name: 'firm_request_index_unique' }),
  index(collections.contactLinks, { firmId: 1, clientFileId: 1, contactId: 1 }, { unique: true, name: 'firm_file_contact_unique' }),
  index(collections.contactLinks, { firmId: 1, contactId: 1 }, { name: 'firm_contact' }),
  index(collections.auditLog, { firmId: 1, clientFileId: 1, at: -1 }, { name: 'firm_file_time' }),
  index(collections.auditLog, { firmId: 1, at: -1 }, { name: 'firm_time' }),
  index(collections.auditLog, { firmId: 1, contactId: 1, at: -1 }, { name: 'firm_contact_time' }),
  index(collections.auditLog, { firmId: 1, 'actor.userId': 1, at: -1 }, { name: 'firm_actor_time' }),
  // An entry delivered twice by the audit relay is stored once; entries logged before ids existed have none.
  index(collections.auditLog, { id: 1 }, { unique: true, sparse: true, name: 'entry_unique' }),
  // The relay's sweep finds records with entries still pending; sparse, so only those are indexed.
  ...auditedCollections.map((name) => index(name, { 'pendingAudit.id': 1 }, { sparse: true, name: 'pending_audit' })),
  index(collections.conversationReferences, { firmId: 1, conversationId: 1 }, { unique: true, name: 'firm_conversation_unique' }),
  index(collections.conversationReferences, { firmId: 1, userId: 1 }, { name: 'firm_user', sparse: true }),
  index(collections.conversationReferences, { firmId: 1, teamId: 1 }, { name: 'firm_team', sparse: true }),
  index(collections.userPreferences, { firmId: 1, userId: 1 }, { unique: true, name: 'firm_user_unique' }),
  // A turn's snapshot joins the member's preferences by Entra id (bot/store/staffSnapshotRepository.ts).
  index(collections.userPreferences, { userId: 1 }, { name: 'user' }),
  // Portfolio console (bot/store/portfolioRepository.ts): sort by name with a total order, SIRET search and filters.
  index(collections.clientFiles, { firmId: 1, companyName: 1, code: 1 }, { name: 'portfolio_name_code' }),
  index(collections.clientFiles, { firmId: 1, siret: 1 }, { name: 'portfolio_siret' }),
  index(collections.clientFiles, { firmId: 1, primaryContactId: 1 }, { name: 'portfolio_primary_contact' }),
  // The console's sort and filters read the per-file summary (bot/domain/portfolioSummary.ts).
  index(collections.clientFiles, { firmId: 1, 'portfolio.sortName': 1, code: 1 }, { name: 'portfolio_sort_name' }),
  index(collections.clientFiles, { firmId: 1, 'portfolio.stateList': 1, 'portfolio.sortName': 1, code: 1 }, { name: 'portfolio_states' }),
  index(collections.clientFiles, { firmId: 1, 'portfolio.offerList': 1, 'portfolio.sortName': 1, code: 1 }, { name: 'portfolio_offers' }),
  index(collections.clientFiles, { 'portfolio.version': 1 }, { name: 'portfolio_summary_version' }),
  // Knowledge base (bot/store/articleRepository.ts): a search filters on the analysed terms within firm, language and state.
  index(collections.articles, { firmId: 1, language: 1, state: 1, 'analysis.terms': 1 }, { name: 'firm_language_state_terms' }),
  index(collections.articles, { firmId: 1, language: 1, state: 1, 'updated.at': -1 }, { name: 'firm_language_state_updated' }),
  // Starting articles and drafts from a support request are written once per firm, whoever writes them. Partial,
  // not sparse: a sparse compound index still holds every article (firmId is always there) and would refuse a second one.
  index(collections.articles, { firmId: 1, starterKey: 1 }, { unique: true, partialFilterExpression: { starterKey: { $type: 'string' } }, name: 'firm_starter_unique' }),
  index(collections.articles, { firmId: 1, fromRequestId: 1 }, { unique: true, partialFilterExpression: { fromRequestId: { $type: 'string' } }, name: 'firm_request_unique' }),
  index(collections.articleFeedback, { firmId: 1, articleId: 1, readerId: 1 }, { unique: true, name: 'firm_article_reader_unique' }),
  // Support requests (bot/store/supportRequestRepository.ts): one per submission, numbered per firm, the queue by state, one's own, keywords.
  index(collections.supportCounters, { firmId: 1 }, { unique: true, name: 'firm_unique' }),
  index(collections.supportRequests, { firmId: 1, creationRequestId: 1 }, { unique: true, name: 'firm_creation_unique' }),
  index(collections.supportRequests, { firmId: 1, number: 1 }, { unique: true, name: 'firm_number_unique' }),
  index(collections.supportRequests, { firmId: 1, state: 1, updatedAt: -1, number: -1 }, { name: 'firm_state_updated' }),
  index(collections.supportRequests, { firmId: 1, updatedAt: -1, number: -1 }, { name: 'firm_updated' }),
  index(collections.supportRequests, { firmId: 1, 'requester.userId': 1, state: 1, updatedAt: -1 }, { name: 'firm_requester_state' }),
  index(collections.supportRequests, { firmId: 1, searchTokens: 1 }, { name: 'firm_search' }),
  index(collections.supportRequests, { state: 1, autoCloseAt: 1 }, { name: 'sweep_close', sparse: true }),
  index(collections.supportRequests, { state: 1, closeWarningAt: 1 }, { name: 'sweep_warning', sparse: true }),
  index(collections.supportRequests, { state: 1, firstAnswerDueAt: 1 }, { name: 'sweep_reminder', sparse: true }),
  index(collections.contacts, { firmId: 1, 'guest.directoryUserId': 1 }, { name: 'firm_guest_user', sparse: true }),
];

/** Server answers worth another try a moment later: a lock or write conflict while indexes are built. */
const transientIndexErrorCodes = new Set([
  112, // WriteConflict
  117, // ConflictingOperationInProgress
  276, // IndexBuildAborted
  16500, // Cosmos DB: request rate too large
]);

function isTransientIndexError(error: unknown): boolean {
  if (!(error instanceof MongoError)) return false;
  // Anything else (a deadlock reported without a MongoDB code, say) is retried by connectInBackground's loop.
  return (typeof error.code === 'number' && transientIndexErrorCodes.has(error.code)) || error.hasErrorLabel('TransientTransactionError');
}

/**
 * Creates every index, one after another: several createIndex at once on one collection deadlock on
 * DocumentDB-based servers (Azure Cosmos DB for MongoDB vCore). createIndex is idempotent, so this runs at
 * every start-up; a transient refusal is tried again a few times before start-up gives up.
 */
export async function ensureIndexes(db: Db, options: { attempts?: number; retryDelayMs?: number } = {}): Promise<void> {
  const attempts = options.attempts ?? 5;
  for (const { collection, keys, options: indexOptions } of indexes) {
    for (let attempt = 1; ; attempt++) {
      try {
        await db.collection(collection).createIndex(keys, indexOptions);
        break;
      } catch (error) {
        if (attempt >= attempts || !isTransientIndexError(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 200) * attempt));
      }
    }
  }
}

/**
 * Connects and creates the indexes, retrying until the database answers. The driver recovers from
 * outages by itself once connected, but a first connection that fails leaves the client closed
 * ("Topology is closed") until connect() is called again: hence this loop at start-up.
 */
export function connectInBackground(client: MongoClient, db: Db, logger: Logger, retryEveryMs = 2_000): { ready: Promise<void>; cancel(): void } {
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  let warned = false;
  const ready = new Promise<void>((resolve) => {
    const attempt = () => {
      if (cancelled) return resolve();
      client
        .connect()
        .then(() => ensureIndexes(db))
        .then(
          () => {
            logger.info('database connected, indexes ready');
            resolve();
          },
          (error: unknown) => {
            if (cancelled) return resolve();
            if (!warned) logger.warn('database not reachable yet, retrying in the background', { error });
            warned = true;
            timer = setTimeout(attempt, retryEveryMs);
          },
        );
    };
    attempt();
  });
  return {
    ready,
    cancel: () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
}

export async function pingDatabase(db: Db, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
  try {
    return await Promise.race([db.command({ ping: 1 }).then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const unavailableErrorNames = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoOperationTimeoutError',
]);

export function isUnavailable(error: unknown): boolean {
  return error instanceof MongoError && unavailableErrorNames.has(error.name);
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoError && error.code === 11000;
}

/** Runs a store operation, turning "database away" into the domain's StorageUnavailableError. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isUnavailable(error)) throw new StorageUnavailableError(error);
    throw error;
  }
}

/** Ids from cards or URLs are untrusted text: a malformed one simply matches nothing. */
export function toObjectId(id: string): ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : null;
}

export function toObjectIds(ids: string[]): ObjectId[] {
  return ids.map(toObjectId).filter((id): id is ObjectId => id !== null);
}

/**
 * Inserts `document` unless one matching `naturalKey` exists, in one atomic upsert. Under a
 * concurrent insert of the same key a real server answers 11000 on the unique index: read it back.
 */
export async function insertUnlessExists<T extends Document>(
  collection: Collection<T>,
  naturalKey: Filter<T>,
  document: T,
): Promise<{ inserted: true; document: T & { _id: ObjectId } } | { inserted: false; existing: T & { _id: ObjectId } }> {
  // A caller may choose the id, e.g. to name the new record in the audit entry inserted with it.
  const _id = (document._id as ObjectId | undefined) ?? new ObjectId();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const result = await collection.findOneAndUpdate(naturalKey, { $setOnInsert: { ...document, _id } } as never, {
        upsert: true,
        returnDocument: 'before',
        includeResultMetadata: true,
      });
      if (result.value) return { inserted: false, existing: result.value as T & { _id: ObjectId } };
      return { inserted: true, document: { ...document, _id } as T & { _id: ObjectId } };
    } catch (error) {
      if (!isDuplicateKey(error) || attempt > 0) throw error;
    }
  }
  throw new Error('unreachable');
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every word must start one of the record's search tokens: anchored regexes on a multikey index. */
export function wordsFilter(words: string[]): Document {
  return { $and: words.map((word) => ({ searchTokens: { $regex: `^${escapeRegex(word)}` } })) };
}

/**
 * Upsert of an imported record on its natural key: fields given are set, others untouched; the
 * creation stamp only on insert. Says whether it created, changed or left the record as it was.
 *
 * Two writers of the same line (a batch taken back after its lease ran out while the first attempt
 * still waited on the database) must not both record the change: the creation is an insert that
 * does nothing when the record exists, and a change applies only while a given field still differs.
 * The one whose write did nothing reads the record again and finds it as the other left it.
 */
export async function upsertImported<T extends Document>(
  collection: Collection<T>,
  naturalKey: Filter<T>,
  fields: Partial<T>,
  onInsert: Partial<T>,
  // What to push onto the record with the change (its audit entry), in the same operation.
  push?: (change: { id: ObjectId; outcome: 'created' | 'updated' }) => Document | undefined,
): Promise<{ id: ObjectId; outcome: 'created' | 'updated' | 'unchanged' }> {
  const given = Object.entries(fields).filter(([, value]) => value !== undefined);
  const compared = given.filter(([key]) => key !== 'updatedAt');
  for (let attempt = 0; ; attempt++) {
    const before = (await collection.findOne(naturalKey)) as (Document & { _id: ObjectId }) | null;
    if (before) {
      const differing = compared.filter(([key, value]) => JSON.stringify(before[key]) !== JSON.stringify(value));
      if (differing.length === 0) return { id: before._id, outcome: 'unchanged' };
      const pushed = push?.({ id: before._id, outcome: 'updated' });
      const stillDiffering = { ...naturalKey, _id: before._id, $or: differing.map(([key, value]) => ({ [key]: { $ne: value } })) } as Filter<T>;
      const result = await collection.updateOne(stillDiffering, { $set: Object.fromEntries(given), ...(pushed ? { $push: pushed } : {}) } as never);
      if (result.matchedCount === 1) return { id: before._id, outcome: 'updated' };
    } else {
      const newId = new ObjectId();
      const pushed = push?.({ id: newId, outcome: 'created' }) ?? {};
      const pushedAsArrays = Object.fromEntries(Object.entries(pushed).map(([key, value]) => [key, [value]]));
      try {
        const result = await collection.updateOne(naturalKey, { $setOnInsert: { ...Object.fromEntries(given), ...onInsert, ...pushedAsArrays, _id: newId } } as never, { upsert: true });
        if (result.upsertedCount === 1) return { id: newId, outcome: 'created' };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    // Another writer got there first: read what it left (a few rounds at most, each after its write).
    if (attempt >= 3) throw new Error('imported record kept changing under this write');
  }
}
