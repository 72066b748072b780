import type { Server } from 'restify';
import { z } from 'zod';
import { articleDomains, articleLanguages, articleProducts, articleStates, type Article, type ArticleField } from '../domain/help/article.js';
import { editArticles, type HelpReaderIdentity, type KnowledgeBase, type KnowledgeBaseOutcome } from '../domain/help/knowledgeBase.js';
import type { FieldErrors } from '../domain/errors.js';
import type { AccessContext } from '../domain/access/policy.js';
import type { TabUser } from './tabAuth.js';
import { fieldErrorMessage, messagesFor, type Language } from '../i18n/index.js';
import { apiMessagesFor } from '../i18n/apiMessages.js';
import { problem, refusal, type Problem } from './http/problems.js';
import { json, tabRoute, type Answer, type TabEdge } from './http/route.js';

/**
 * The knowledge base for the tab: search and read (any member of staff), write, publish and archive
 * (« Base de connaissances – modification », which the use case checks). The same KnowledgeBase as
 * the bot's « aide <mots> »; the tab's language is the articles' language.
 */
const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i) });
const product = z.enum(articleProducts).optional();
const domain = z.enum(articleDomains).optional();
const listQuery = z
  .object({
    q: z.string().max(200).optional(),
    product,
    domain,
    state: z.enum(articleStates).optional(),
    language: z.enum(articleLanguages).optional(),
    limit: z.coerce.number().int().min(1).max(50).optional(),
  })
  .strict();
/** Fields are checked by the domain, each on its field: here only their presence as JSON values. */
const articleBody = z
  .object({
    title: z.unknown(),
    body: z.unknown(),
    product: z.unknown(),
    domain: z.unknown(),
    keywords: z.unknown(),
    audience: z.unknown(),
    language: z.unknown(),
  })
  .partial()
  .strict();
const editBody = articleBody.extend({ version: z.number().int().positive() }).strict();
const versionBody = z.object({ version: z.number().int().positive() }).strict();
const feedbackBody = z.object({ helpful: z.boolean() }).strict();

function readerOf(actor: TabUser, access: AccessContext, language: Language): HelpReaderIdentity {
  return { firmId: actor.firmId, userId: actor.userId, displayName: actor.displayName, kind: 'staff', language, access };
}

function presentArticle(article: Article, extra: { canEdit: boolean; feedback?: { helpful: number; notHelpful: number } }) {
  return {
    id: article.id,
    title: article.title,
    body: article.body,
    product: article.product,
    domain: article.domain,
    keywords: article.keywords,
    audience: article.audience,
    language: article.language,
    state: article.state,
    version: article.version,
    author: { name: article.author.displayName, at: article.author.at.toISOString() },
    updated: { name: article.updated.displayName, at: article.updated.at.toISOString() },
    ...(extra.canEdit
      ? {
          history: article.history.map((entry) => ({ version: entry.version, action: entry.action, by: entry.by.displayName, at: entry.by.at.toISOString(), changed: entry.changed ?? [] })),
          feedback: extra.feedback ?? { helpful: 0, notHelpful: 0 },
        }
      : {}),
    canEdit: extra.canEdit,
  };
}

function invalidArticle(language: Language, errors: FieldErrors<ArticleField>): Problem {
  const labels = messagesFor(language).knowledgeBase.fields;
  const problems = Object.entries(errors).flatMap(([field, error]) => (error ? [{ field, code: error.code, message: fieldErrorMessage(language, error) }] : []));
  return problem(language, 'article.invalid', { fields: problems.map((entry) => labels[entry.field as ArticleField]).join(apiMessagesFor(language).layout.list) }, problems);
}

function answerOutcome(language: Language, outcome: KnowledgeBaseOutcome<Article>, status = 200): Answer {
  if (outcome.ok) return json(presentArticle(outcome.value, { canEdit: true }), status);
  switch (outcome.refusal) {
    case 'notPermitted':
      return refusal(language, { allowed: false, reason: 'missingProfile', missing: editArticles });
    case 'invalid':
      return invalidArticle(language, outcome.errors ?? {});
    case 'notFound':
      return problem(language, 'article.notFound');
    case 'changedMeanwhile':
      return problem(language, 'article.changedMeanwhile');
    case 'alreadyInState':
      return problem(language, 'article.alreadyInState');
  }
}

export function registerHelpArticleRoutes(server: Server, api: TabEdge, knowledgeBase: KnowledgeBase): void {

  /** `q`: the best answers to a question; `state`: the editors' list; neither: the published articles. */
  server.get(
    '/api/help/articles',
    tabRoute(api, {
      requirement: 'attached',
      query: listQuery,
      async handle({ actor, access, language, query }) {
        const reader = readerOf(actor, access, query.language ?? language);
        if (query.state) {
          const outcome = await knowledgeBase.listForEditors({ ...actor, access }, { state: query.state, language: reader.language, product: query.product, domain: query.domain }, query.limit);
          if (!outcome.ok) return refusal(language, { allowed: false, reason: 'missingProfile', missing: editArticles });
          return json({ articles: outcome.value.map((article) => ({ ...presentArticle(article, { canEdit: true }), history: undefined })) });
        }
        if (query.q !== undefined && query.q.trim()) {
          const answer = await knowledgeBase.search(reader, { text: query.q, product: query.product, domain: query.domain, limit: query.limit });
          return json({ results: answer.results, language: answer.language, emptyQuestion: answer.emptyQuestion });
        }
        return json({ results: await knowledgeBase.browse(reader, { product: query.product, domain: query.domain }, query.limit), language: reader.language, emptyQuestion: false });
      },
    }),
  );

  server.get(
    '/api/help/articles/:id',
    tabRoute(api, {
      requirement: 'attached',
      params: idParams,
      invalidParams: 'article.notFound',
      async handle({ actor, access, language, params }) {
        const view = await knowledgeBase.open(readerOf(actor, access, language), params.id);
        return view ? json(presentArticle(view.article, view)) : problem(language, 'article.notFound');
      },
    }),
  );

  server.post(
    '/api/help/articles',
    tabRoute(api, {
      requirement: editArticles,
      body: articleBody,
      async handle({ actor, access, language, body }) {
        return answerOutcome(language, await knowledgeBase.create({ ...actor, access }, body), 201);
      },
    }),
  );

  server.patch(
    '/api/help/articles/:id',
    tabRoute(api, {
      requirement: editArticles,
      params: idParams,
      invalidParams: 'article.notFound',
      body: editBody,
      async handle({ actor, access, language, params, body: { version, ...fields } }) {
        return answerOutcome(language, await knowledgeBase.edit({ ...actor, access }, params.id, version, fields));
      },
    }),
  );

  for (const [path, move] of [
    ['publish', (actor: Parameters<KnowledgeBase['publish']>[0], id: string, version: number) => knowledgeBase.publish(actor, id, version)],
    ['archive', (actor: Parameters<KnowledgeBase['archive']>[0], id: string, version: number) => knowledgeBase.archive(actor, id, version)],
  ] as const) {
    server.post(
      `/api/help/articles/:id/${path}`,
      tabRoute(api, {
        requirement: editArticles,
        params: idParams,
        invalidParams: 'article.notFound',
        body: versionBody,
        async handle({ actor, access, language, params, body }) {
          return answerOutcome(language, await move({ ...actor, access }, params.id, body.version));
        },
      }),
    );
  }

  server.post(
    '/api/help/articles/:id/feedback',
    tabRoute(api, {
      requirement: 'attached',
      params: idParams,
      invalidParams: 'article.notFound',
      body: feedbackBody,
      async handle({ actor, access, language, params, body }) {
        const outcome = await knowledgeBase.recordFeedback(readerOf(actor, access, language), params.id, body.helpful);
        return outcome.ok ? json({ outcome: outcome.value }) : problem(language, 'article.notFound');
      },
    }),
  );
}
