import type { ActorStamp } from '../actor.js';
import type { FieldErrors } from '../errors.js';
import { checkMultilineText, checkText } from '../fieldRules.js';
import { FormChecker, type Validation } from '../form.js';
import type { ArticleLanguage } from './knowledgeBaseLink.js';
import { analyseArticle, type ArticleTerms } from './textAnalysis.js';

/** What an article is about: the product (the apps the firm uses) and the functional domain. */
export const articleProducts = ['loop', 'flow', 'shine', 'microsoft365', 'passerelle'] as const;
export type ArticleProduct = (typeof articleProducts)[number];

export const articleDomains = ['offers', 'accounts', 'activation', 'organisation', 'support'] as const;
export type ArticleDomain = (typeof articleDomains)[number];

/** Who an article is written for: staff, clients (guests), or both. */
export const articleAudiences = ['staff', 'clients', 'both'] as const;
export type ArticleAudience = (typeof articleAudiences)[number];

export const articleLanguages = ['fr', 'en'] as const satisfies readonly ArticleLanguage[];

export const articleStates = ['draft', 'published', 'archived'] as const;
export type ArticleState = (typeof articleStates)[number];

/** What an editor writes; everything else an article carries is Passerelle's. */
export interface ArticleContent {
  title: string;
  /** Markdown, as Adaptive Cards render it (bold, italics, lists, links). */
  body: string;
  product: ArticleProduct;
  domain: ArticleDomain;
  keywords: string[];
  audience: ArticleAudience;
  language: ArticleLanguage;
}

export const articleFields = ['title', 'body', 'product', 'domain', 'keywords', 'audience', 'language'] as const;
export type ArticleField = (typeof articleFields)[number];

/** One step of an article's life: who did what, when, and which fields an edit changed. */
export interface ArticleHistoryEntry {
  version: number;
  action: 'created' | 'edited' | 'published' | 'archived';
  by: ActorStamp;
  changed?: ArticleField[];
}

export interface Article extends ArticleContent {
  id: string;
  firmId: string;
  state: ArticleState;
  /** Passerelle's starting articles carry a stable key: seeding twice, or from two servers, writes once. */
  starterKey?: string;
  /** The support request whose solution this article was drafted from. */
  fromRequestId?: string;
  author: ActorStamp;
  updated: ActorStamp;
  /** Grows with every change; an edit names the version it was made on. */
  version: number;
  history: ArticleHistoryEntry[];
}

/**
 * What the search reads of an article, kept with it so that a search is one query: the terms it filters
 * and ranks on, and the excerpt a result shows.
 */
export interface ArticleSearchFields {
  analysis: ArticleTerms;
  excerpt: string;
}

export type StoredArticle = Article & ArticleSearchFields;

/** A line or two of the body, Markdown marks removed, for a result list. */
export function excerptOf(body: string, max = 160): string {
  const plain = body
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`>#]/g, '')
    .replace(/^\s*(?:[-+]|\d+\.)\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length <= max ? plain : `${plain.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

export function searchFieldsOf(content: ArticleContent): ArticleSearchFields {
  return { analysis: analyseArticle(content), excerpt: excerptOf(content.body) };
}

export const articleLimits = { title: 160, body: 20_000, keywords: 20, keyword: 40 } as const;

/** Untrusted input of a form, a card or the API: any field may be missing or of the wrong type. */
export type ArticleInput = Partial<Record<ArticleField, unknown>>;

function asText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value);
}

/** Keywords come as a list (API) or as one text separated by commas or semicolons (a card's input). */
function keywordList(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return [];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;\n]/) : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) return undefined;
  return (items as string[]).map((item) => item.trim().replace(/\s+/g, ' ')).filter(Boolean);
}

function choice<T extends string>(errors: FieldErrors<ArticleField>, field: ArticleField, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null || value === '') {
    errors[field] = { code: 'required' };
    return undefined;
  }
  if (!allowed.includes(value as T)) {
    errors[field] = { code: 'article.unknownChoice' };
    return undefined;
  }
  return value as T;
}

/** Checks every field as typed input: all the problems at once, each on its field; nothing to write until none is left. */
export function checkArticleContent(input: ArticleInput): Validation<ArticleContent, ArticleField> {
  const form = new FormChecker<ArticleField>();
  const title = form.text('title', asText(input.title), { required: true, max: articleLimits.title });
  const body = form.take('body', checkMultilineText(asText(input.body), { required: true, max: articleLimits.body }), { max: articleLimits.body });
  const product = choice(form.errors, 'product', input.product, articleProducts);
  const domain = choice(form.errors, 'domain', input.domain, articleDomains);
  const audience = choice(form.errors, 'audience', input.audience, articleAudiences);
  const language = choice(form.errors, 'language', input.language, articleLanguages);
  const keywords = keywordList(input.keywords);
  if (!keywords) form.errors.keywords = { code: 'article.keywordsInvalid' };
  else if (keywords.length > articleLimits.keywords) form.errors.keywords = { code: 'article.tooManyKeywords', params: { max: articleLimits.keywords } };
  else if (keywords.some((keyword) => !checkText(keyword, { required: true, max: articleLimits.keyword }).ok)) {
    form.errors.keywords = { code: 'article.keywordTooLong', params: { max: articleLimits.keyword } };
  }
  if (form.hasErrors) return { ok: false, errors: form.errors };
  return {
    ok: true,
    value: { title: title!, body: body!, product: product!, domain: domain!, audience: audience!, language: language!, keywords: [...new Set(keywords!)] },
  };
}

/** The fields an edit changes, in the form's order: what the history and the audit entry name. */
export function changedFields(before: ArticleContent, after: ArticleContent): ArticleField[] {
  return articleFields.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/** Who reads an article: staff read everything, clients (guests) what is meant for them. */
export function audiencesFor(reader: 'staff' | 'client'): ArticleAudience[] {
  return reader === 'staff' ? [...articleAudiences] : ['clients', 'both'];
}
