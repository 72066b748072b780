import type { TurnContext } from 'botbuilder';
import { commandsCard } from '../../cards/views.js';
import { helpResultsCard, type SearchEcho } from '../../cards/helpViews.js';
import type { HelpReaderIdentity, KnowledgeBase } from '../../domain/help/knowledgeBase.js';
import { messagesFor } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand, type ClientCommand } from '../handlers.js';
import { HelpReaders } from '../helpReaders.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TurnSession } from '../session.js';

const listCommands = keywordMatcher([/aide/, /help/, /\?/, /commandes/, /commands/], { takesArguments: false });
const searchHelp = keywordMatcher([/aide/, /help/], { takesArguments: true });

/** « aide » alone: the commands; « aide <mots> »: the best articles of the knowledge base. */
const matchHelp = (text: string) => listCommands(text) ?? searchHelp(text);

async function answerSearch(context: TurnContext, knowledgeBase: KnowledgeBase, reader: HelpReaderIdentity, query: string): Promise<void> {
  const echo: SearchEcho = { query };
  await replyWithCard(context, helpResultsCard(reader.language, echo, await knowledgeBase.search(reader, { text: query })));
}

export class HelpCommand implements BotCommand {
  readonly name = 'help';
  readonly requires: Access = 'anyone';
  readonly match = matchHelp;

  constructor(private readonly knowledgeBase: KnowledgeBase) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    if (!args) return replyWithCard(context, commandsCard(session.language, 'help'));
    await answerSearch(context, this.knowledgeBase, HelpReaders.ofSession(session), args);
  }
}

/** A client's « aide <mots> »: the articles meant for clients; « aide » alone says how to ask. */
export class GuestHelpCommand implements ClientCommand {
  readonly name = 'help';
  readonly match = matchHelp;

  constructor(private readonly knowledgeBase: KnowledgeBase) {}

  async handle(context: TurnContext, guest: Parameters<ClientCommand['handle']>[1], args: string): Promise<void> {
    if (!args) return replyWithText(context, messagesFor(guest.language).knowledgeBase.guestHint);
    await answerSearch(context, this.knowledgeBase, HelpReaders.ofGuest(guest.actor, guest.language), args);
  }
}
