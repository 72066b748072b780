import type { TurnContext } from 'botbuilder';
import { messagesFor, type Language } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';

const languageWords: [RegExp, Language][] = [
  [/^(fr|fran[cç]ais|french)$/i, 'fr'],
  [/^(en|english|anglais)$/i, 'en'],
];

/** The user's own choice, stored per user, wins over the locale the client sends. */
export class LanguageCommand implements BotCommand {
  readonly name = 'language';
  readonly requires: Access = 'anyone';
  readonly match = keywordMatcher([/langue/, /language/], { takesArguments: true });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const chosen = languageWords.find(([pattern]) => pattern.test(args.trim()))?.[1];
    if (!chosen) return replyWithText(context, session.t.language.usage);
    await this.services.preferences.setLocale(session.actor.firmId, session.actor.userId, messagesFor(chosen).locale);
    await replyWithText(context, messagesFor(chosen).language.changed);
  }
}
