import { decide, requirements, type AccessContext } from '../access/policy.js';
import { stampOf, type ActorStamp } from '../actor.js';
import { newAuditEntry, type AuditAction } from '../audit.js';
import type { FieldErrors } from '../errors.js';
import type { StaffActor } from '../staffActor.js';
import {
  audiencesFor,
  changedFields,
  checkArticleContent,
  excerptOf,
  searchFieldsOf,
  type Article,
  type ArticleDomain,
  type ArticleField,
  type ArticleHistoryEntry,
  type ArticleInput,
  type ArticleProduct,
  type ArticleState,
} from './article.js';
import type { ArticleScope, ArticleStore } from './articleStore.js';
import type { ArticleLanguage, ArticleSuggestion, HelpReader, KnowledgeBaseLink } from './knowledgeBaseLink.js';
import { rankByRelevance } from './ranking.js';
import { starterArticles } from './starterArticles.js';
import { analyseQuery } from './textAnalysis.js';

/** Who reads the help: a member of staff (with their access, to tell editors) or a client (a guest). */
export interface HelpReaderIdentity {
  firmId: string;
  userId: string;
  displayName: string;
  kind: HelpReader;
  language: ArticleLanguage;
  /** Staff only: what the policy decides on. */
  access?: AccessContext;
}

export interface SearchRequest {
  text: string;
  product?: ArticleProduct;
  domain?: ArticleDomain;
  limit?: number;
}

export interface ArticleSummary {
  id: string;
  title: string;
  product: ArticleProduct;
  domain: ArticleDomain;
  language: ArticleLanguage;
  excerpt: string;
}

export interface SearchAnswer {
  results: ArticleSummary[];
  /** The language the results are in: the reader's, or the other one when only it had answers. */
  language: ArticleLanguage;
  /** No meaningful word in the question (only stopwords, or nothing). */
  emptyQuestion: boolean;
}

export type KnowledgeBaseRefusal = 'notPermitted' | 'invalid' | 'notFound' | 'changedMeanwhile' | 'alreadyInState';

export type KnowledgeBaseOutcome<T> = { ok: true; value: T } | { ok: false; refusal: KnowledgeBaseRefusal; errors?: FieldErrors<ArticleField> };

/** Thrown where the contract with the support requests has no room for a refusal (draftFromSolution). */
export class KnowledgeBaseRefusedError extends Error {
  constructor(readonly refusal: KnowledgeBaseRefusal, readonly errors?: FieldErrors<ArticleField>) {
    super(`knowledge base refused: ${refusal}`);
    this.name = 'KnowledgeBaseRefusedError';
  }
}

/** « Base de connaissances – modification »: create, edit, publish and archive. */
export const editArticles = requirements.change('knowledgeBase');

export const searchLimits = { defaultResults: 5, maxResults: 20, candidates: 2_000 } as const;

const passerelleStamp = (at: Date): ActorStamp => ({ userId: 'passerelle', displayName: 'Passerelle', at });

function refuse<T>(refusal: KnowledgeBaseRefusal, errors?: FieldErrors<ArticleField>): KnowledgeBaseOutcome<T> {
  return errors ? { ok: false, refusal, errors } : { ok: false, refusal };
}

function summaryOf(article: Article): ArticleSummary {
  return { id: article.id, title: article.title, product: article.product, domain: article.domain, language: article.language, excerpt: excerptOf(article.body) };
}

/**
 * The knowledge base of a firm (seeds 003 and 004): articles by product and functional domain, a
 * search on several words that ignores case, accents and word forms, and the articles' life
 * (draft, published, archived) in the hands of the profile « Base de connaissances – modification ».
 * Every firm starts with Passerelle's own articles, in French and English.
 */
export class KnowledgeBase implements KnowledgeBaseLink {
  /** Firms whose starting articles this process already made sure of: one round of upserts per firm and start. */
  private readonly seededFirms = new Set<string>();

  constructor(private readonly deps: { articles: ArticleStore; now: () => Date }) {}

  static canEdit(access: AccessContext | undefined): boolean {
    return Boolean(access && decide(access, editArticles).allowed);
  }

  /** Writes the starting articles the firm does not have yet (by their stable key); an archived or edited one stays as it is. */
  async ensureStarterArticles(firmId: string): Promise<void> {
    if (this.seededFirms.has(firmId)) return;
    const at = this.deps.now();
    for (const starter of starterArticles) {
      const checked = checkArticleContent(starter.content);
      if (!checked.ok) throw new Error(`starting article ${starter.key} is invalid: ${Object.keys(checked.errors).join(', ')}`);
      const stamp = passerelleStamp(at);
      await this.deps.articles.insertStarter({
        ...checked.value,
        firmId,
        starterKey: starter.key,
        state: 'published',
        author: stamp,
        updated: stamp,
        version: 1,
        history: [{ version: 1, action: 'created', by: stamp }],
        ...searchFieldsOf(checked.value),
      });
    }
    this.seededFirms.add(firmId);
  }

  /** The best published articles for a question, among those the reader may read; ranked, best first. */
  async search(reader: HelpReaderIdentity, request: SearchRequest): Promise<SearchAnswer> {
    await this.ensureStarterArticles(reader.firmId);
    const limit = Math.min(Math.max(request.limit ?? searchLimits.defaultResults, 1), searchLimits.maxResults);
    const first = await this.searchIn(reader, request, reader.language, limit);
    if (first.results.length > 0 || first.emptyQuestion) return first;
    // Nothing in the reader's language: the other language may have the answer.
    const other = reader.language === 'fr' ? 'en' : 'fr';
    const second = await this.searchIn(reader, request, other, limit);
    return second.results.length > 0 ? second : first;
  }

  private async searchIn(reader: HelpReaderIdentity, request: SearchRequest, language: ArticleLanguage, limit: number): Promise<SearchAnswer> {
    const groups = analyseQuery(request.text, language);
    if (groups.length === 0) return { results: [], language, emptyQuestion: true };
    const scope: ArticleScope = {
      firmId: reader.firmId,
      language,
      states: ['published'],
      audiences: audiencesFor(reader.kind),
      product: request.product,
      domain: request.domain,
    };
    const terms = [...new Set(groups.flat())];
    const [candidates, total] = await Promise.all([this.deps.articles.findCandidates(scope, terms, searchLimits.candidates), this.deps.articles.countInScope(scope)]);
    const results = rankByRelevance(groups, candidates, total)
      .slice(0, limit)
      .map(({ candidate }) => ({ id: candidate.id, ...candidate.summary }));
    return { results, language, emptyQuestion: false };
  }

  /**
   * One article as the reader may see it: published and meant for them; editors also open drafts and
   * archived ones. Null for anything else, so a client cannot tell a staff article exists.
   */
  async open(reader: HelpReaderIdentity, id: string): Promise<{ article: Article; canEdit: boolean; feedback?: { helpful: number; notHelpful: number } } | null> {
    await this.ensureStarterArticles(reader.firmId);
    const article = await this.deps.articles.findById(reader.firmId, id);
    if (!article) return null;
    const canEdit = reader.kind === 'staff' && KnowledgeBase.canEdit(reader.access);
    if (!audiencesFor(reader.kind).includes(article.audience)) return null;
    if (article.state !== 'published' && !canEdit) return null;
    // Editors see how useful readers found it.
    const feedback = canEdit ? await this.deps.articles.feedbackCounts(reader.firmId, id) : undefined;
    return { article, canEdit, ...(feedback ? { feedback } : {}) };
  }

  /** « Cet article vous a-t-il aidé ? »: one answer per reader and article, a second click changes nothing. */
  async recordFeedback(reader: HelpReaderIdentity, id: string, helpful: boolean): Promise<KnowledgeBaseOutcome<'recorded' | 'changed' | 'unchanged'>> {
    if (!(await this.open(reader, id))) return refuse('notFound');
    return { ok: true, value: await this.deps.articles.recordFeedback(reader.firmId, id, reader.userId, helpful, this.deps.now()) };
  }

  /** Published articles the reader may read, without a question (the tab's list before one is typed). */
  async browse(reader: HelpReaderIdentity, filter: { product?: ArticleProduct; domain?: ArticleDomain }, limit = 50): Promise<ArticleSummary[]> {
    await this.ensureStarterArticles(reader.firmId);
    const scope: ArticleScope = { firmId: reader.firmId, language: reader.language, states: ['published'], audiences: audiencesFor(reader.kind), ...filter };
    return (await this.deps.articles.list(scope, Math.min(Math.max(limit, 1), 200))).map(summaryOf);
  }

  /** The articles editors work on: every state, or one; newest change first. */
  async listForEditors(actor: StaffActor, filter: { state?: ArticleState; language: ArticleLanguage; product?: ArticleProduct; domain?: ArticleDomain }, limit = 50): Promise<KnowledgeBaseOutcome<Article[]>> {
    if (!KnowledgeBase.canEdit(actor.access)) return refuse('notPermitted');
    await this.ensureStarterArticles(actor.firmId);
    const scope: ArticleScope = {
      firmId: actor.firmId,
      language: filter.language,
      states: filter.state ? [filter.state] : ['draft', 'published', 'archived'],
      audiences: audiencesFor('staff'),
      product: filter.product,
      domain: filter.domain,
    };
    return { ok: true, value: await this.deps.articles.list(scope, Math.min(Math.max(limit, 1), 200)) };
  }

  /** A new article, as a draft: it is read once published. */
  async create(actor: StaffActor, input: ArticleInput, origin: { fromRequestId?: string } = {}): Promise<KnowledgeBaseOutcome<Article>> {
    if (!KnowledgeBase.canEdit(actor.access)) return refuse('notPermitted');
    const checked = checkArticleContent(input);
    if (!checked.ok) return refuse('invalid', checked.errors);
    const at = this.deps.now();
    const stamp = stampOf(actor, at);
    // A draft already made from the same support request is given back rather than made twice.
    const { article } = await this.deps.articles.insert(
      {
        ...checked.value,
        firmId: actor.firmId,
        state: 'draft',
        ...(origin.fromRequestId ? { fromRequestId: origin.fromRequestId } : {}),
        author: stamp,
        updated: stamp,
        version: 1,
        history: [{ version: 1, action: 'created', by: stamp }],
        ...searchFieldsOf(checked.value),
      },
      (id) => this.auditOf(actor, stamp, 'article.created', id, checked.value.title),
    );
    return { ok: true, value: article };
  }

  /** Replaces what the editor wrote, on the version they saw; the history names the fields changed. */
  async edit(actor: StaffActor, id: string, expectedVersion: number, input: ArticleInput): Promise<KnowledgeBaseOutcome<Article>> {
    if (!KnowledgeBase.canEdit(actor.access)) return refuse('notPermitted');
    const checked = checkArticleContent(input);
    if (!checked.ok) return refuse('invalid', checked.errors);
    const current = await this.deps.articles.findById(actor.firmId, id);
    if (!current) return refuse('notFound');
    if (current.version !== expectedVersion) return refuse('changedMeanwhile');
    const changed = changedFields(current, checked.value);
    if (changed.length === 0) return { ok: true, value: current };
    const stamp = stampOf(actor, this.deps.now());
    const history: ArticleHistoryEntry = { version: current.version + 1, action: 'edited', by: stamp, changed };
    const updated = await this.deps.articles.update(
      actor.firmId,
      id,
      expectedVersion,
      { content: { ...checked.value, ...searchFieldsOf(checked.value) }, updated: stamp, history },
      this.auditOf(actor, stamp, 'article.edited', id, checked.value.title, { changed }),
    );
    return updated ? { ok: true, value: updated } : refuse('changedMeanwhile');
  }

  publish(actor: StaffActor, id: string, expectedVersion: number): Promise<KnowledgeBaseOutcome<Article>> {
    return this.moveTo(actor, id, expectedVersion, 'published');
  }

  archive(actor: StaffActor, id: string, expectedVersion: number): Promise<KnowledgeBaseOutcome<Article>> {
    return this.moveTo(actor, id, expectedVersion, 'archived');
  }

  private async moveTo(actor: StaffActor, id: string, expectedVersion: number, state: 'published' | 'archived'): Promise<KnowledgeBaseOutcome<Article>> {
    if (!KnowledgeBase.canEdit(actor.access)) return refuse('notPermitted');
    const current = await this.deps.articles.findById(actor.firmId, id);
    if (!current) return refuse('notFound');
    if (current.state === state) return refuse('alreadyInState');
    if (current.version !== expectedVersion) return refuse('changedMeanwhile');
    const stamp = stampOf(actor, this.deps.now());
    const action = state === 'published' ? 'published' : 'archived';
    const updated = await this.deps.articles.update(
      actor.firmId,
      id,
      expectedVersion,
      { state, updated: stamp, history: { version: current.version + 1, action, by: stamp } },
      this.auditOf(actor, stamp, state === 'published' ? 'article.published' : 'article.archived', id, current.title),
    );
    return updated ? { ok: true, value: updated } : refuse('changedMeanwhile');
  }

  private auditOf(actor: StaffActor, stamp: ActorStamp, action: AuditAction, articleId: string, title: string, extra: Record<string, unknown> = {}) {
    return newAuditEntry({ firmId: actor.firmId, actor: stamp, action, details: { articleId, articleTitle: title, ...extra } });
  }

  // The support requests' side of the contract (bot/domain/help/knowledgeBaseLink.ts).

  async suggest(firmId: string, reader: HelpReader, language: ArticleLanguage, text: string, limit: number): Promise<ArticleSuggestion[]> {
    const answer = await this.search({ firmId, userId: '', displayName: '', kind: reader, language }, { text, limit });
    return answer.results.map(({ id, title, product, domain }) => ({ id, title, product, domain }));
  }

  /**
   * A solved request as a draft article, for an editor to review and publish. Asked twice for one
   * request, it gives the same draft. Refusals (no profile, bad content) are thrown: the contract has
   * no room for them.
   */
  async draftFromSolution(
    actor: StaffActor,
    draft: { title: string; body: string; language: ArticleLanguage; product?: string; keywords: string[]; fromRequestId: string },
  ): Promise<{ id: string }> {
    const content: ArticleInput = {
      title: draft.title,
      body: draft.body,
      language: draft.language,
      product: draft.product ?? 'passerelle',
      domain: 'support',
      audience: 'staff',
      keywords: draft.keywords,
    };
    const outcome = await this.create(actor, content, { fromRequestId: draft.fromRequestId });
    if (!outcome.ok) throw new KnowledgeBaseRefusedError(outcome.refusal, outcome.errors);
    return { id: outcome.value.id };
  }
}

