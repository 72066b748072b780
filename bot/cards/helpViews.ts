import {
  articleAudiences,
  articleDomains,
  articleFields,
  articleLanguages,
  articleProducts,
  type Article,
  type ArticleDomain,
  type ArticleField,
  type ArticleProduct,
} from '../domain/help/article.js';
import type { FieldErrors } from '../domain/errors.js';
import type { SearchAnswer } from '../domain/help/knowledgeBase.js';
import { fieldErrorMessage, format, messagesFor, type Language } from '../i18n/index.js';
import { formatDate } from './guestViews.js';
import { renderCard, type AdaptiveCard } from './render.js';

/**
 * The knowledge base in Teams: the search's results with their filters, an article with « Cet article
 * vous a-t-il aidé ? » (and, for editors, its history and the buttons of its life), the editor's form
 * and list. Staff and clients read the same cards; only editors get the editing parts.
 */
type Kb = ReturnType<typeof messagesFor>['knowledgeBase'];

function choices<T extends string>(values: readonly T[], labels: Record<T, string>) {
  return values.map((value) => ({ title: labels[value], value }));
}

/** What a search was: kept on the cards so that « back to the results » runs it again. */
export interface SearchEcho {
  query: string;
  product?: ArticleProduct;
  domain?: ArticleDomain;
}

export function helpResultsCard(language: Language, echo: SearchEcho, answer: SearchAnswer): AdaptiveCard {
  const t = messagesFor(language).knowledgeBase;
  const intro = answer.emptyQuestion
    ? t.emptyQuestion
    : answer.results.length === 0
      ? format(t.noResults, { query: echo.query })
      : [answer.language !== language ? t.otherLanguage : '', format(t.resultsCount, { count: answer.results.length })].filter(Boolean).join(' ');
  return renderCard('helpResults', {
    t,
    title: format(t.resultsTitle, { query: echo.query }),
    intro,
    query: echo.query,
    product: echo.product ?? '',
    domain: echo.domain ?? '',
    products: choices(articleProducts, t.products),
    domains: choices(articleDomains, t.domains),
    results: answer.results.map((result) => ({
      id: result.id,
      title: result.title,
      meta: format(t.meta, { product: t.products[result.product], domain: t.domains[result.domain] }),
      excerpt: result.excerpt,
    })),
  });
}

/** The body as cards show it: one TextBlock per line (lists and paragraphs render the same everywhere). */
function bodyLines(body: string): { text: string; spacing: string }[] {
  const lines: { text: string; spacing: string }[] = [];
  let afterBlank = false;
  for (const line of body.split('\n')) {
    if (!line.trim()) {
      afterBlank = true;
      continue;
    }
    lines.push({ text: line, spacing: lines.length === 0 || afterBlank ? 'Medium' : 'Small' });
    afterBlank = false;
  }
  return lines;
}

function historyLines(language: Language, t: Kb, article: Article): { line: string }[] {
  return article.history
    .slice(-5)
    .reverse()
    .map((entry) => ({
      line: format(t.historyLine, {
        version: entry.version,
        action: t.historyActions[entry.action],
        date: formatDate(language, entry.by.at),
        who: entry.by.displayName,
        changed: entry.changed && entry.changed.length > 0 ? ` (${entry.changed.map((field) => t.fields[field]).join(', ')})` : '',
      }),
    }));
}

export interface ArticleView {
  article: Article;
  canEdit: boolean;
  feedback?: { helpful: number; notHelpful: number };
}

export function helpArticleCard(language: Language, view: ArticleView, options: { echo?: SearchEcho; banner?: { text: string; good: boolean } } = {}): AdaptiveCard {
  const t = messagesFor(language).knowledgeBase;
  const { article, canEdit } = view;
  return renderCard('helpArticle', {
    t,
    id: article.id,
    version: article.version,
    banner: options.banner?.text ?? '',
    bannerColor: options.banner?.good === false ? 'Attention' : 'Good',
    title: article.title,
    meta: format(t.meta, { product: t.products[article.product], domain: t.domains[article.domain] }),
    editorMeta: canEdit
      ? format(t.editorMeta, {
          state: t.states[article.state],
          audience: t.audiences[article.audience],
          version: article.version,
          date: formatDate(language, article.updated.at),
          who: article.updated.displayName,
        })
      : '',
    lines: bodyLines(article.body),
    showFeedback: article.state === 'published',
    canEdit,
    canPublish: article.state !== 'published',
    canArchive: article.state !== 'archived',
    feedbackCounts: format(t.feedbackCounts, { helpful: view.feedback?.helpful ?? 0, notHelpful: view.feedback?.notHelpful ?? 0 }),
    history: canEdit ? historyLines(language, t, article) : [],
    query: options.echo?.query ?? '',
    product: options.echo?.product ?? '',
    domain: options.echo?.domain ?? '',
    backLabel: t.search,
  });
}

export type ArticleFormValues = Partial<Record<ArticleField, string>>;

export function articleFormValues(article: Article): ArticleFormValues {
  return {
    title: article.title,
    body: article.body,
    product: article.product,
    domain: article.domain,
    audience: article.audience,
    language: article.language,
    keywords: article.keywords.join(', '),
  };
}

export function helpArticleFormCard(
  language: Language,
  form: { article?: Pick<Article, 'id' | 'version'>; values: ArticleFormValues; errors?: FieldErrors<ArticleField>; banner?: string },
): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.knowledgeBase;
  const errors = form.errors ?? {};
  return renderCard('helpArticleForm', {
    t,
    formTitle: form.article ? t.formTitleEdit : t.formTitleNew,
    banner: form.banner ?? (Object.keys(errors).length > 0 ? t.refusals.invalid : ''),
    values: Object.fromEntries(articleFields.map((field) => [field, form.values[field] ?? ''])),
    errors: Object.fromEntries(articleFields.map((field) => [field, errors[field] ? fieldErrorMessage(language, errors[field]!) : ''])),
    products: choices(articleProducts, t.products),
    domains: choices(articleDomains, t.domains),
    audiences: choices(articleAudiences, t.audiences),
    languages: choices(articleLanguages, t.languages),
    articleId: form.article?.id ?? '',
    version: form.article?.version ?? 0,
    requiredMessage: messages.errors.requiredField,
  });
}

export function helpArticlesCard(language: Language, articles: readonly Article[]): AdaptiveCard {
  const t = messagesFor(language).knowledgeBase;
  return renderCard('helpArticles', {
    t,
    articles: articles.map((article) => ({
      id: article.id,
      title: article.title,
      meta: `${t.states[article.state]} · ${format(t.meta, { product: t.products[article.product], domain: t.domains[article.domain] })} · ${t.audiences[article.audience]}`,
    })),
  });
}
