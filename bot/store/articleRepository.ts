import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
import type { Article } from '../domain/help/article.js';
import type { ArticleCandidate, ArticleChange, ArticleScope, ArticleStore, FeedbackOutcome, NewArticle } from '../domain/help/articleStore.js';
import type { AuditEntry, AuditOfCreation } from '../domain/ports.js';
import { AuditRelay, pendingOnInsert, withAudit, withoutPending, type PendingAudit } from './auditRelay.js';
import { collections, guarded, insertUnlessExists, toObjectId, toObjectIds } from './mongo.js';

type ArticleDocument = Omit<NewArticle, 'id'> & { _id: ObjectId; pendingAudit?: PendingAudit[] };

interface FeedbackDocument {
  _id?: ObjectId;
  firmId: string;
  articleId: string;
  readerId: string;
  helpful: boolean;
  at: Date;
}

/** What a search reads of each candidate besides the frequencies: what a result shows. */
export const candidateFields = { title: 1, product: 1, domain: 1, language: 1, excerpt: 1 } as const;

/** What a read for the domain leaves out: the analysed terms only the search needs. */
const withoutAnalysis = { projection: { analysis: 0, excerpt: 0, pendingAudit: 0 } } as const;

function fromDocument(document: Omit<ArticleDocument, 'analysis' | 'excerpt'> & { analysis?: unknown; excerpt?: unknown }): Article {
  const { _id, analysis, excerpt, ...rest } = withoutPending(document as ArticleDocument);
  void analysis;
  void excerpt;
  return { ...rest, id: _id.toHexString() };
}

/**
 * The knowledge base's articles. The search filters on `analysis.terms` (a multikey index scoped by
 * firm, language and state) and reads back only the frequencies of the question's terms: ranking
 * happens in the domain, the same on any MongoDB (no $text, which servers differ on or lack).
 */
export class MongoArticleStore implements ArticleStore {
  private readonly articles: Collection<ArticleDocument>;
  private readonly feedback: Collection<FeedbackDocument>;
  private readonly relay: AuditRelay;

  constructor(db: Db, relay: AuditRelay) {
    this.articles = db.collection<ArticleDocument>(collections.articles);
    this.feedback = db.collection<FeedbackDocument>(collections.articleFeedback);
    this.relay = relay;
  }

  /** The query of a scope; the search and its benchmark's direct equivalent share it. */
  static scopeFilter(scope: ArticleScope): Filter<ArticleDocument> {
    return {
      firmId: scope.firmId,
      language: scope.language,
      state: { $in: [...scope.states] },
      audience: { $in: [...scope.audiences] },
      ...(scope.product ? { product: scope.product } : {}),
      ...(scope.domain ? { domain: scope.domain } : {}),
    };
  }

  insertStarter(article: NewArticle & { starterKey: string }): Promise<boolean> {
    return guarded(async () => {
      const outcome = await insertUnlessExists(this.articles, { firmId: article.firmId, starterKey: article.starterKey }, { ...article, _id: new ObjectId() });
      return outcome.inserted;
    });
  }

  insert(article: NewArticle, audit?: AuditOfCreation): Promise<{ inserted: boolean; article: Article }> {
    return guarded(async () => {
      const _id = new ObjectId();
      const document: ArticleDocument = { ...article, _id, ...pendingOnInsert(audit?.(_id.toHexString())) };
      if (!article.fromRequestId) {
        await this.articles.insertOne(document);
        if (audit) await this.relay.flush(collections.articles, _id);
        return { inserted: true, article: fromDocument(document) };
      }
      const outcome = await insertUnlessExists(this.articles, { firmId: article.firmId, fromRequestId: article.fromRequestId }, document);
      if (outcome.inserted && audit) await this.relay.flush(collections.articles, _id);
      return { inserted: outcome.inserted, article: fromDocument(outcome.inserted ? outcome.document : outcome.existing) };
    });
  }

  findById(firmId: string, id: string): Promise<Article | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const document = await this.articles.findOne({ firmId, _id }, withoutAnalysis);
      return document ? fromDocument(document) : null;
    });
  }

  findByIds(firmId: string, ids: readonly string[]): Promise<Article[]> {
    return guarded(async () => {
      if (ids.length === 0) return [];
      const documents = await this.articles.find({ firmId, _id: { $in: toObjectIds([...ids]) } }, withoutAnalysis).toArray();
      return documents.map(fromDocument);
    });
  }

  update(firmId: string, id: string, expectedVersion: number, change: ArticleChange, audit?: AuditEntry): Promise<Article | null> {
    return guarded(async () => {
      const _id = toObjectId(id);
      if (!_id) return null;
      const set = { ...(change.content ?? {}), ...(change.state ? { state: change.state } : {}), updated: change.updated, version: expectedVersion + 1 };
      const document = await this.articles.findOneAndUpdate(
        { firmId, _id, version: expectedVersion },
        withAudit({ $set: set, $push: { history: change.history } }, audit),
        { returnDocument: 'after', projection: { analysis: 0, excerpt: 0 } },
      );
      if (document && audit) await this.relay.flush(collections.articles, _id);
      return document ? fromDocument(document) : null;
    });
  }

  countInScope(scope: ArticleScope): Promise<number> {
    return guarded(() => this.articles.countDocuments(MongoArticleStore.scopeFilter(scope)));
  }

  findCandidates(scope: ArticleScope, terms: readonly string[], limit: number): Promise<ArticleCandidate[]> {
    return guarded(async () => {
      const projection: Record<string, 1> = { 'analysis.length': 1, ...candidateFields };
      for (const term of terms) projection[`analysis.frequencies.${term}`] = 1;
      const documents = await this.articles
        .find({ ...MongoArticleStore.scopeFilter(scope), 'analysis.terms': { $in: [...terms] } }, { projection })
        .limit(limit)
        .toArray();
      return documents.map((document) => ({
        id: document._id.toHexString(),
        frequencies: document.analysis?.frequencies ?? {},
        length: document.analysis?.length ?? 0,
        summary: { title: document.title, product: document.product, domain: document.domain, language: document.language, excerpt: document.excerpt ?? '' },
      }));
    });
  }

  list(scope: ArticleScope, limit: number): Promise<Article[]> {
    return guarded(async () => {
      const documents = await this.articles.find(MongoArticleStore.scopeFilter(scope), withoutAnalysis).sort({ 'updated.at': -1, _id: -1 }).limit(limit).toArray();
      return documents.map(fromDocument);
    });
  }

  recordFeedback(firmId: string, articleId: string, readerId: string, helpful: boolean, at: Date): Promise<FeedbackOutcome> {
    return guarded(async () => {
      const outcome = await insertUnlessExists(this.feedback, { firmId, articleId, readerId }, { firmId, articleId, readerId, helpful, at });
      if (outcome.inserted) return 'recorded';
      if (outcome.existing.helpful === helpful) return 'unchanged';
      // Only from the answer read: two submissions racing change it once.
      const changed = await this.feedback.updateOne({ _id: outcome.existing._id, helpful: outcome.existing.helpful }, { $set: { helpful, at } });
      return changed.modifiedCount === 1 ? 'changed' : 'unchanged';
    });
  }

  feedbackCounts(firmId: string, articleId: string): Promise<{ helpful: number; notHelpful: number }> {
    return guarded(async () => {
      const [helpful, notHelpful] = await Promise.all([
        this.feedback.countDocuments({ firmId, articleId, helpful: true }),
        this.feedback.countDocuments({ firmId, articleId, helpful: false }),
      ]);
      return { helpful, notHelpful };
    });
  }
}
