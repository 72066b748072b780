import type { Collection, Db, Document, Filter, ObjectId, Sort } from 'mongodb';
import type { ClientFile } from '../domain/clientFile.js';
import type { OnboardingState, PortfolioContactRow, PortfolioCriteria, PortfolioStore } from '../domain/portfolio.js';
import { clientFileFromDocument, type ClientFileDocument } from './clientFileRepository.js';
import type { ContactDocument } from './contactRepository.js';
import { collections, escapeRegex, guarded, toObjectIds, wordsFilter } from './mongo.js';

interface LinkDocument {
  firmId: string;
  clientFileId: ObjectId;
  contactId: ObjectId;
}

/** Contacts found by a search are capped: the console shows pages, and a search that broad is refined by typing more. */
export const searchedContactsCap = 1_000;

/**
 * The portfolio's reads. Every query starts with the firm and is served by an index (see ensureIndexes):
 * files by (firmId, searchTokens), (firmId, siret), (firmId, primaryContactId), sorted on (firmId, companyName, code)
 * or (firmId, code); contacts by (firmId, searchTokens), (firmId, email), (firmId, guest.state); links by
 * (firmId, contactId) and (firmId, clientFileId, contactId).
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

  listPage(firmId: string, criteria: PortfolioCriteria): Promise<{ files: ClientFile[]; total: number }> {
    return guarded(async () => {
      const filter = await this.fileFilter(firmId, criteria);
      if (!filter) return { files: [], total: 0 };
      const direction = criteria.direction === 'desc' ? -1 : 1;
      const sort: Sort = criteria.sort === 'code' ? { code: direction } : { companyName: direction, code: direction };
      const [documents, total] = await Promise.all([
        this.files.find(filter).sort(sort).skip(criteria.skip).limit(criteria.limit).toArray(),
        this.files.countDocuments(filter),
      ]);
      return { files: documents.map(clientFileFromDocument), total };
    });
  }

  contactsOfFiles(firmId: string, clientFileIds: string[]): Promise<PortfolioContactRow[]> {
    return guarded(async () => {
      const ids = toObjectIds(clientFileIds);
      if (ids.length === 0) return [];
      const rows = await this.links
        .aggregate<{ clientFileId: ObjectId; contactId: ObjectId; contact: ContactDocument }>([
          { $match: { firmId, clientFileId: { $in: ids } } },
          { $limit: 10_000 },
          { $lookup: { from: collections.contacts, localField: 'contactId', foreignField: '_id', as: 'contact' } },
          { $unwind: '$contact' },
          // The link and the contact must belong to the same firm; ids are unique anyway, this is belt and braces.
          { $match: { 'contact.firmId': firmId } },
          {
            $project: {
              _id: 0,
              clientFileId: 1,
              contactId: 1,
              'contact.firstName': 1,
              'contact.lastName': 1,
              'contact.email': 1,
              'contact.guest.state': 1,
            },
          },
        ])
        .toArray();
      return rows.map((row) => ({
        clientFileId: row.clientFileId.toHexString(),
        contactId: row.contactId.toHexString(),
        firstName: row.contact.firstName,
        lastName: row.contact.lastName,
        email: row.contact.email,
        state: (row.contact.guest?.state ?? 'notInvited') as OnboardingState,
      }));
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
    if (criteria.states) {
      const wanted = criteria.states.map((state) => (state === 'notInvited' ? null : state));
      const fileIds = await this.fileIdsOfContacts(firmId, { 'guest.state': { $in: wanted } }, 0);
      if (fileIds.length === 0) return null;
      clauses.push({ _id: { $in: fileIds } });
    }
    if (criteria.missingSiret) clauses.push({ siret: null });
    if (criteria.missingPrimaryContact) clauses.push({ primaryContactId: null });
    return (clauses.length === 0 ? { firmId } : { firmId, $and: clauses }) as Filter<ClientFileDocument>;
  }

  /** Files linked to the firm's contacts matching `filter` (limit 0: all of them). */
  private async fileIdsOfContacts(firmId: string, filter: Document, limit: number): Promise<ObjectId[]> {
    let cursor = this.contacts.find({ firmId, ...filter } as Filter<ContactDocument>, { projection: { _id: 1 } });
    if (limit > 0) cursor = cursor.limit(limit);
    const contactIds = (await cursor.toArray()).map((contact) => contact._id);
    if (contactIds.length === 0) return [];
    const links = await this.links.find({ firmId, contactId: { $in: contactIds } }, { projection: { _id: 0, clientFileId: 1 } }).toArray();
    const unique = new Map(links.map((link) => [link.clientFileId.toHexString(), link.clientFileId]));
    return [...unique.values()];
  }
}
