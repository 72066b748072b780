import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { articleFormValues, helpArticleCard, helpArticleFormCard, helpArticlesCard, helpResultsCard, type SearchEcho } from '../../cards/helpViews.js';
import type { Actor } from '../../domain/actor.js';
import { articleDomains, articleProducts, type Article } from '../../domain/help/article.js';
import { editArticles, type KnowledgeBase, type KnowledgeBaseOutcome } from '../../domain/help/knowledgeBase.js';
import { messagesFor, type Language } from '../../i18n/index.js';
import type { Access, BotCommand, CardActionHandler, CardActionResult } from '../handlers.js';
import { keywordMatcher } from '../handlers.js';
import { HelpReaders } from '../helpReaders.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TurnSession } from '../session.js';
import { staffActorOf } from '../staffActor.js';
import { parseCardData } from './cardData.js';
import type { ClientCardAction } from './clientActions.js';

/**
 * The knowledge base's card verbs. Searching, opening and « Cet article vous a-t-il aidé ? » are for
 * staff and clients alike (client verbs: no staff session needed, the use case decides what the
 * reader sees); writing, publishing and archiving need « Base de connaissances – modification ».
 */
const objectId = z.string().regex(/^[0-9a-f]{24}$/i);
const optionalChoice = <T extends string>(values: readonly T[]) =>
  z
    .union([z.enum(values as unknown as [T, ...T[]]), z.literal('')])
    .optional()
    .transform((value) => value || undefined);
const echoData = z.object({
  query: z.string().max(2_000).optional().default(''),
  product: optionalChoice(articleProducts),
  domain: optionalChoice(articleDomains),
});
const openData = echoData.extend({ articleId: objectId });
const feedbackData = z.object({ articleId: objectId, helpful: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]) });
const editorData = z.object({ articleId: z.union([objectId, z.literal('')]).optional().transform((value) => value || undefined) });
const rawText = z.string().max(25_000).optional();
const saveData = editorData.extend({
  version: z.coerce.number().int().min(0),
  title: rawText,
  body: rawText,
  product: rawText,
  domain: rawText,
  audience: rawText,
  language: rawText,
  keywords: rawText,
});
const lifeData = z.object({ articleId: objectId, version: z.coerce.number().int().positive() });

export interface HelpTeamsServices {
  knowledgeBase: KnowledgeBase;
  readers: HelpReaders;
}

export class SearchHelpAction implements ClientCardAction {
  readonly verb = 'help.search';
  constructor(private readonly help: HelpTeamsServices) {}

  async handle(context: TurnContext, _who: Actor, data: Record<string, unknown>): Promise<CardActionResult> {
    const echo: SearchEcho = parseCardData(this.verb, echoData, data);
    const { reader } = await this.help.readers.of(context);
    const answer = await this.help.knowledgeBase.search(reader, { text: echo.query, product: echo.product, domain: echo.domain });
    return { card: helpResultsCard(reader.language, echo, answer) };
  }
}

export class OpenArticleAction implements ClientCardAction {
  readonly verb = 'help.open';
  constructor(private readonly help: HelpTeamsServices) {}

  async handle(context: TurnContext, _who: Actor, data: Record<string, unknown>): Promise<CardActionResult> {
    const { articleId, ...echo } = parseCardData(this.verb, openData, data);
    const { reader } = await this.help.readers.of(context);
    const view = await this.help.knowledgeBase.open(reader, articleId);
    if (!view) return { message: messagesFor(reader.language).knowledgeBase.refusals.notFound };
    return { card: helpArticleCard(reader.language, view, { echo }) };
  }
}

export class ArticleFeedbackAction implements ClientCardAction {
  readonly verb = 'help.feedback';
  constructor(private readonly help: HelpTeamsServices) {}

  async handle(context: TurnContext, _who: Actor, data: Record<string, unknown>): Promise<CardActionResult> {
    const { articleId, helpful } = parseCardData(this.verb, feedbackData, data);
    const { reader } = await this.help.readers.of(context);
    const t = messagesFor(reader.language).knowledgeBase;
    const outcome = await this.help.knowledgeBase.recordFeedback(reader, articleId, helpful);
    if (!outcome.ok) return { message: t.refusals.notFound };
    const view = await this.help.knowledgeBase.open(reader, articleId);
    const text = outcome.value === 'recorded' ? t.feedbackRecorded : outcome.value === 'changed' ? t.feedbackChanged : t.feedbackUnchanged;
    return view ? { card: helpArticleCard(reader.language, view, { banner: { text, good: true } }) } : { message: text };
  }
}

/** « articles »: the editor's list, every state, with « Nouvel article ». */
export class ArticlesCommand implements BotCommand {
  readonly name = 'articles';
  readonly requires: Access = editArticles;
  readonly match = keywordMatcher([/articles/, /articles d['’]aide/, /help articles/], { takesArguments: false });
  constructor(private readonly help: HelpTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const outcome = await this.help.knowledgeBase.listForEditors(staffActorOf(session), { language: session.language }, 30);
    if (!outcome.ok) return replyWithText(context, refusalMessage(session.language, outcome));
    await replyWithCard(context, helpArticlesCard(session.language, outcome.value));
  }
}

function refusalMessage(language: Language, outcome: Exclude<KnowledgeBaseOutcome<unknown>, { ok: true }>): string {
  return messagesFor(language).knowledgeBase.refusals[outcome.refusal];
}

export class OpenArticleEditorAction implements CardActionHandler {
  readonly verb = 'help.openEditor';
  readonly requires: Access = editArticles;
  constructor(private readonly help: HelpTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { articleId } = parseCardData(this.verb, editorData, data);
    if (!articleId) return { card: helpArticleFormCard(session.language, { values: { language: session.language } }) };
    const view = await this.help.knowledgeBase.open(HelpReaders.ofSession(session), articleId);
    if (!view?.canEdit) return { message: session.t.knowledgeBase.refusals[view ? 'notPermitted' : 'notFound'] };
    return { card: helpArticleFormCard(session.language, { article: view.article, values: articleFormValues(view.article) }) };
  }
}

export class SaveArticleAction implements CardActionHandler {
  readonly verb = 'help.save';
  readonly requires: Access = editArticles;
  constructor(private readonly help: HelpTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { articleId, version, ...typed } = parseCardData(this.verb, saveData, data);
    const actor = staffActorOf(session);
    const outcome = articleId ? await this.help.knowledgeBase.edit(actor, articleId, version, typed) : await this.help.knowledgeBase.create(actor, typed);
    const article = articleId ? { id: articleId, version } : undefined;
    if (!outcome.ok && outcome.refusal === 'invalid') return { card: helpArticleFormCard(session.language, { article, values: typed, errors: outcome.errors }) };
    if (!outcome.ok && outcome.refusal === 'changedMeanwhile') {
      return { card: helpArticleFormCard(session.language, { article, values: typed, banner: refusalMessage(session.language, outcome) }) };
    }
    if (!outcome.ok) return { message: refusalMessage(session.language, outcome) };
    return this.show(session, outcome.value, articleId ? session.t.knowledgeBase.edited : session.t.knowledgeBase.created);
  }

  private async show(session: TurnSession, article: Article, text: string): Promise<CardActionResult> {
    const view = (await this.help.knowledgeBase.open(HelpReaders.ofSession(session), article.id)) ?? { article, canEdit: true };
    return { card: helpArticleCard(session.language, view, { banner: { text, good: true } }) };
  }
}

abstract class ArticleLifeAction implements CardActionHandler {
  abstract readonly verb: string;
  readonly requires: Access = editArticles;
  constructor(protected readonly help: HelpTeamsServices) {}

  protected abstract move(session: TurnSession, articleId: string, version: number): Promise<KnowledgeBaseOutcome<Article>>;
  protected abstract doneText(session: TurnSession): string;

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { articleId, version } = parseCardData(this.verb, lifeData, data);
    const outcome = await this.move(session, articleId, version);
    const banner = outcome.ok ? { text: this.doneText(session), good: true } : { text: refusalMessage(session.language, outcome), good: false };
    const view = await this.help.knowledgeBase.open(HelpReaders.ofSession(session), articleId);
    return view ? { card: helpArticleCard(session.language, view, { banner }) } : { message: banner.text };
  }
}

export class PublishArticleAction extends ArticleLifeAction {
  readonly verb = 'help.publish';
  protected move(session: TurnSession, articleId: string, version: number) {
    return this.help.knowledgeBase.publish(staffActorOf(session), articleId, version);
  }
  protected doneText(session: TurnSession) {
    return session.t.knowledgeBase.published;
  }
}

export class ArchiveArticleAction extends ArticleLifeAction {
  readonly verb = 'help.archive';
  protected move(session: TurnSession, articleId: string, version: number) {
    return this.help.knowledgeBase.archive(staffActorOf(session), articleId, version);
  }
  protected doneText(session: TurnSession) {
    return session.t.knowledgeBase.archived;
  }
}
