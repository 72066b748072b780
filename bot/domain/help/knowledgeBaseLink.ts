import type { StaffActor } from '../staffActor.js';

/** The languages articles are written in. */
export type ArticleLanguage = 'fr' | 'en';

/** Who reads Passerelle's help: the firm's staff see every published article, its clients (guests) those meant for them. */
export type HelpReader = 'staff' | 'client';

export interface ArticleSuggestion {
  id: string;
  title: string;
  product: string;
  domain: string;
}

/**
 * The knowledge base as the support requests see it: the articles matching a request's subject are
 * shown before it is sent, and a solved request can become a draft article in one step.
 */
export interface KnowledgeBaseLink {
  suggest(firmId: string, reader: HelpReader, language: ArticleLanguage, text: string, limit: number): Promise<ArticleSuggestion[]>;
  draftFromSolution(
    actor: StaffActor,
    draft: { title: string; body: string; language: ArticleLanguage; product?: string; keywords: string[]; fromRequestId: string },
  ): Promise<{ id: string }>;
}
