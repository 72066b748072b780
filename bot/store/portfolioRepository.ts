import type { Collection, Db, Document, Filter, ObjectId, Sort } from 'mongodb';
import type { ClientFile } from '../domain/clientFile.js';
import type { PortfolioCriteria, PortfolioStore } from '../domain/portfolio.js';
import type { OnboardingState, PortfolioSummary, PortfolioSummaryStore, SummarySources } from '../domain/portfolioSummary.js';
import { clientFileFromDocument, type ClientFileDocument } from './clientFileRepository.js';
import type { ContactDocument } from './contactRepository.js';
import { collections, escapeRegex, guarded, toObjectId, toObjectIds, wordsFilter } from './mongo.js';

interface LinkDocument {
  firmId: string;
  clientFileId: ObjectId;
  contactId: ObjectId;
}

/** The summary lives on the file's document, with when its records were read. */
type SummarisedFileDocument = ClientFileDocument & { portfolio?: PortfolioSummary; portfolioReadAt?: number };

function summaryOf(document: ClientFileDocument): PortfolioSummary | null {
  return (document as SummarisedFileDocument).portfolio ?? null;
}

/** Contacts found by a search are capped: the console shows pages, and a search that broad is refined by typing more. */
export const searchedContactsCap = 1_000;

/**
 * The portfolio's reads: one query on the files and its count, served by indexes (see ensureIndexes).
 * Every query starts with the firm; filters and the name sort use the per-file summary
 * (portfolioSummary.ts): (firmId, portfolio.sortName, code), (firmId, portfolio.stateList, …),
 * (firmId, portfolio.offerList, …); search by (firmId, searchTokens) and (firmId, siret); a search by a
 * contact's name or e-mail goes through contacts (firmId, searchTokens | email) and links (firmId, contactId).
 */
export class MongoPortfolioStore implements PortfolioStore {
  private readonly files: Collection<ClientFileDocument>;
  private readonly contacts: Collection<ContactDocument>;
  private readonly links: Collection<LinkDocument>;

  constructor(db: Db) {
    this.files = db.collection<ClientFileDocument>(collections.clientFiles);
    this.contacts = db.collection<ContactDocument>(collections.contacts);
    this.links = db.collection<LinkDocument>(collections.contactLinks);
  }

  listPage(firmId: string, criteria: PortfolioCriteria): Promise<{ rows: { file: ClientFile; summary: PortfolioSummary | null }[]; total: number }> {
    return guarded(async () => {
      const filter = await this.fileFilter(firmId, criteria);
      if (!filter) return { rows: [], total: 0 };
      const direction = criteria.direction === 'desc' ? -1 : 1;
      const sort: Sort = criteria.sort === 'code' ? { code: direction } : { 'portfolio.sortName': direction, code: direction };
      const [documents, total] = await Promise.all([
        this.files.find(filter).sort(sort).skip(criteria.skip).limit(criteria.limit).toArray(),
        this.files.countDocuments(filter),
      ]);
      return { rows: documents.map((document) => ({ file: clientFileFromDocument(document), summary: summaryOf(document) })), total };
    });
  }

  summary(firmId: string, clientFileId: string): Promise<PortfolioSummary | null> {
    return guarded(async () => {
      const _id = toObjectId(clientFileId);
      const document = _id ? await this.files.findOne({ firmId, _id }, { projection: { portfolio: 1 } }) : null;
      return document ? summaryOf(document) : null;
    });
  }

  listIds(firmId: string, criteria: PortfolioCriteria, cap: number): Promise<string[]> {
    return guarded(async () => {
      const filter = await this.fileFilter(firmId, criteria);
      if (!filter) return [];
      const documents = await this.files.find(filter, { projection: { _id: 1 } }).limit(cap).toArray();
      return documents.map((document) => document._id.toHexString());
    });
  }

  /** The files' filter, or null when it can match nothing (saves the query). */
  private async fileFilter(firmId: string, criteria: PortfolioCriteria): Promise<Filter<ClientFileDocument> | null> {
    const clauses: Document[] = [];
    const searching = criteria.words.length > 0 || criteria.siretPrefix !== undefined || criteria.contactEmailPrefix !== undefined;
    if (searching) {
      const alternatives: Document[] = [];
      if (criteria.words.length > 0) alternatives.push(wordsFilter(criteria.words));
      if (criteria.siretPrefix) alternatives.push({ siret: { $regex: `^${escapeRegex(criteria.siretPrefix)}` } });
      const contactFilter: Document | undefined =
        criteria.contactEmailPrefix !== undefined
          ? { email: { $regex: `^${escapeRegex(criteria.contactEmailPrefix)}` } }
          : criteria.contactWords.length > 0
            ? wordsFilter(criteria.contactWords)
            : undefined;
      if (contactFilter) {
        const fileIds = await this.fileIdsOfContacts(firmId, contactFilter, searchedContactsCap);
        if (fileIds.length > 0) alternatives.push({ _id: { $in: fileIds } });
      }
      if (alternatives.length === 0) return null;
      clauses.push(alternatives.length === 1 ? alternatives[0]! : { $or: alternatives });
    }
    if (criteria.states) clauses.push({ 'portfolio.stateList': { $in: criteria.states } });
    if (criteria.offers) clauses.push({ 'portfolio.offerList': { $in: criteria.offers } });
    if (criteria.clientFileIds) clauses.push({ _id: { $in: toObjectIds(criteria.clientFileIds) } });
    if (criteria.visibleServiceIds) clauses.push({ $or: [{ serviceId: { $in: criteria.visibleServiceIds } }, { serviceId: null }] });
    if (criteria.missingSiret) clauses.push({ siret: null });
    if (criteria.missingPrimaryContact) clauses.push({ primaryContactId: null });
    return (clauses.length === 0 ? { firmId } : { firmId, $and: clauses }) as Filter<ClientFileDocument>;
  }

  /** Files linked to the firm's contacts matching `filter`, at most `limit` contacts. */
  private async fileIdsOfContacts(firmId: string, filter: Document, limit: number): Promise<ObjectId[]> {
    const contactIds = (await this.contacts.find({ firmId, ...filter } as Filter<ContactDocument>, { projection: { _id: 1 } }).limit(limit).toArray()).map((contact) => contact._id);
    if (contactIds.length === 0) return [];
    const links = await this.links.find({ firmId, contactId: { $in: contactIds } }, { projection: { _id: 0, clientFileId: 1 } }).toArray();
    const unique = new Map(links.map((link) => [link.clientFileId.toHexString(), link.clientFileId]));
    return [...unique.values()];
  }
}

/** Reads a batch of files' records for their summaries (one query per collection) and saves the results. */
export class MongoPortfolioSummaryStore implements PortfolioSummaryStore {
  private readonly db: Db;
  private readonly files: Collection<SummarisedFileDocument>;
  private readonly links: Collection<LinkDocument>;

  constructor(db: Db) {
    this.db = db;
    this.files = db.collection<SummarisedFileDocument>(collections.clientFiles);
    this.links = db.collection<LinkDocument>(collections.contactLinks);
  }

  sourcesOf(firmId: string, clientFileIds: string[]): Promise<SummarySources> {
    return guarded(async () => {
      const ids = toObjectIds(clientFileIds);
      const empty: SummarySources = { files: [], links: [], contacts: [], subscriptions: [], flows: [], shines: [] };
      if (ids.length === 0) return empty;
      const hexIds = ids.map((id) => id.toHexString());
      const [files, links, subscriptions, apps] = await Promise.all([
        this.files.find({ firmId, _id: { $in: ids } }, { projection: { _id: 1, firmId: 1, companyName: 1, primaryContactId: 1 } }).toArray(),
        this.links.find({ firmId, clientFileId: { $in: ids } }, { projection: { _id: 0, clientFileId: 1, contactId: 1 } }).toArray(),
        this.db.collection(collections.offerSubscriptions).find({ firmId, clientFileId: { $in: hexIds } }, { projection: { _id: 0, clientFileId: 1, offerId: 1, state: 1 } }).toArray(),
        this.db.collection(collections.partnerApps).find({ firmId, clientFileId: { $in: hexIds } }).toArray(),
      ]);
      const contactIds = [...new Map(links.map((link) => [link.contactId.toHexString(), link.contactId])).values()];
      const contacts = contactIds.length === 0 ? [] : await this.db
        .collection<ContactDocument>(collections.contacts)
        .find({ firmId, _id: { $in: contactIds } }, { projection: { _id: 1, firstName: 1, lastName: 1, email: 1, 'guest.state': 1 } })
        .toArray();
      return {
        files: files.map((file) => ({ id: file._id.toHexString(), firmId: file.firmId, companyName: file.companyName, primaryContactId: file.primaryContactId?.toHexString() })),
        links: links.map((link) => ({ clientFileId: link.clientFileId.toHexString(), contactId: link.contactId.toHexString() })),
        contacts: contacts.map((contact) => ({
          id: contact._id.toHexString(),
          firstName: contact.firstName,
          lastName: contact.lastName,
          email: contact.email,
          state: (contact.guest?.state ?? 'notInvited') as OnboardingState,
        })),
        subscriptions: subscriptions.map((row) => ({ clientFileId: String(row.clientFileId), offerId: String(row.offerId), state: row.state })),
        flows: apps.filter((app) => app.app === 'flow').map((app) => ({ clientFileId: String(app.clientFileId), steps: app.steps ?? {} })),
        shines: apps
          .filter((app) => app.app === 'shine')
          .map((app) => ({ clientFileId: String(app.clientFileId), purchases: Boolean(app.purchases), sales: Boolean(app.sales), plan: app.plan, billingMode: app.billingMode })),
      };
    });
  }

  saveSummary(firmId: string, clientFileId: string, summary: PortfolioSummary, readAt: number): Promise<void> {
    return guarded(async () => {
      const _id = toObjectId(clientFileId);
      if (!_id) return;
      // Not updatedAt: the summary is derived, and editing the file's own fields checks updatedAt.
      await this.files.updateOne(
        { firmId, _id, $or: [{ portfolioReadAt: { $exists: false } }, { portfolioReadAt: { $lte: readAt } }] },
        { $set: { portfolio: summary, portfolioReadAt: readAt } },
      );
    });
  }

  clientFileIdsOfContacts(firmId: string, contactIds: string[]): Promise<string[]> {
    return guarded(async () => {
      const ids = toObjectIds(contactIds);
      if (ids.length === 0) return [];
      const links = await this.links.find({ firmId, contactId: { $in: ids } }, { projection: { _id: 0, clientFileId: 1 } }).toArray();
      return [...new Set(links.map((link) => link.clientFileId.toHexString()))];
    });
  }

  filesWithStaleSummary(version: number, limit: number): Promise<{ firmId: string; id: string }[]> {
    return guarded(async () => {
      const documents = await this.files
        .find({ $or: [{ 'portfolio.version': null }, { 'portfolio.version': { $lt: version } }] }, { projection: { _id: 1, firmId: 1 } })
        .limit(limit)
        .toArray();
      return documents.map((document) => ({ firmId: document.firmId, id: document._id.toHexString() }));
    });
  }
}
