import type { ActorStamp } from '../actor.js';
import type { AuditEntry, AuditOfCreation } from '../ports.js';
import type { Article, ArticleAudience, ArticleContent, ArticleDomain, ArticleHistoryEntry, ArticleProduct, ArticleSearchFields, ArticleState, StoredArticle } from './article.js';
import type { ArticleLanguage } from './knowledgeBaseLink.js';
import type { RankedCandidate } from './ranking.js';

/** Which articles a search or a list may return: always one firm, one language. */
export interface ArticleScope {
  firmId: string;
  language: ArticleLanguage;
  states: readonly ArticleState[];
  audiences: readonly ArticleAudience[];
  product?: ArticleProduct;
  domain?: ArticleDomain;
}

export type NewArticle = Omit<StoredArticle, 'id'>;

/** A change of an article, written only on the version it was made on. */
export interface ArticleChange {
  content?: ArticleContent & ArticleSearchFields;
  state?: ArticleState;
  updated: ActorStamp;
  history: ArticleHistoryEntry;
}

export type ArticleCandidate = RankedCandidate & { summary: Pick<Article, 'title' | 'product' | 'domain' | 'language'> & { excerpt: string } };

export type FeedbackOutcome = 'recorded' | 'changed' | 'unchanged';

/** What the knowledge base needs from storage; implementations turn an outage into StorageUnavailableError. */
export interface ArticleStore {
  /** Inserts a starting article unless the firm has one of this key: safe to run twice, or on two servers at once. */
  insertStarter(article: NewArticle & { starterKey: string }): Promise<boolean>;
  /** Inserts unless the firm already has an article drafted from this request; the existing one otherwise. */
  insert(article: NewArticle, audit?: AuditOfCreation): Promise<{ inserted: boolean; article: Article }>;
  findById(firmId: string, id: string): Promise<Article | null>;
  findByIds(firmId: string, ids: readonly string[]): Promise<Article[]>;
  /** Null when the article is not at `expectedVersion` any more (or does not exist). */
  update(firmId: string, id: string, expectedVersion: number, change: ArticleChange, audit?: AuditEntry): Promise<Article | null>;
  /** How many articles the scope holds: the collection a search's ranking is measured against. */
  countInScope(scope: ArticleScope): Promise<number>;
  /** Articles of the scope holding at least one of the terms: those terms' frequencies and what a result shows. */
  findCandidates(scope: ArticleScope, terms: readonly string[], limit: number): Promise<ArticleCandidate[]>;
  /** Articles of the scope, most recently changed first. */
  list(scope: ArticleScope, limit: number): Promise<Article[]>;
  /** One answer per reader and article: the same answer again changes nothing, another one replaces it. */
  recordFeedback(firmId: string, articleId: string, readerId: string, helpful: boolean, at: Date): Promise<FeedbackOutcome>;
  feedbackCounts(firmId: string, articleId: string): Promise<{ helpful: number; notHelpful: number }>;
}
