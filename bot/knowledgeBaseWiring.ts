import type { Db } from 'mongodb';
import type { Server } from 'restify';
import { registerHelpArticleRoutes } from './api/helpArticles.js';
import type { TabEdge } from './api/http/route.js';
import { KnowledgeBase } from './domain/help/knowledgeBase.js';
import { MongoArticleStore } from './store/articleRepository.js';
import {
  ArchiveArticleAction,
  ArticleFeedbackAction,
  ArticlesCommand,
  OpenArticleAction,
  OpenArticleEditorAction,
  PublishArticleAction,
  SaveArticleAction,
  SearchHelpAction,
} from './teams/actions/helpActions.js';
import { GuestHelpCommand, HelpCommand } from './teams/commands/helpCommand.js';
import { HelpReaders } from './teams/helpReaders.js';
import type { SessionResolver } from './teams/session.js';

/**
 * The knowledge base, built in one place: its store and use case, its Teams commands and card verbs
 * (for staff, for editors, and the ones clients reach too), and its tab routes. The KnowledgeBase is
 * also what the support requests call (bot/domain/help/knowledgeBaseLink.ts).
 */
export function createKnowledgeBase(deps: { db: Db; sessions: SessionResolver; now: () => Date }) {
  const knowledgeBase = new KnowledgeBase({ articles: new MongoArticleStore(deps.db), now: deps.now });
  const help = { knowledgeBase, readers: new HelpReaders(deps.sessions) };
  return {
    knowledgeBase,
    /** Replaces the plain help command: « aide » lists the commands, « aide <mots> » searches. */
    helpCommand: new HelpCommand(knowledgeBase),
    commands: [new ArticlesCommand(help)],
    actions: [new OpenArticleEditorAction(help), new SaveArticleAction(help), new PublishArticleAction(help), new ArchiveArticleAction(help)],
    clientActions: [new SearchHelpAction(help), new OpenArticleAction(help), new ArticleFeedbackAction(help)],
    guestCommands: [new GuestHelpCommand(knowledgeBase)],
    registerRoutes: (server: Server, edge: TabEdge) => registerHelpArticleRoutes(server, edge, knowledgeBase),
  };
}
