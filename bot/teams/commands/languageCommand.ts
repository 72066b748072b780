import type { TurnContext } from 'botbuilder';
import { messagesFor, type Language } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand, type ClientCommand } from '../handlers.js';
import type { UserPreferenceStore } from '../../domain/ports.js';
import { replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { ClientTurn, TurnSession } from '../session.js';

const matchLanguageCommand = keywordMatcher([/langue/, /language/], { takesArguments: true });

const languageWords: [RegExp, Language][] = [
  [/^(fr|fran[cç]ais|french)$/i, 'fr'],
  [/^(en|english|anglais)$/i, 'en'],
];

/** The user's own choice, stored per user, wins over the locale the client sends. */
export class LanguageCommand implements BotCommand {
  readonly name = 'language';
  readonly requires: Access = 'anyone';
  readonly match = matchLanguageCommand;

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    await chooseLanguage(context, this.services.preferences, session, args);
  }
}

/**
 * The same for a client (a guest): their choice is kept under their Entra id, where the cards sent
 * to them (welcome, offers) look for it.
 */
export class ClientLanguageCommand implements ClientCommand {
  readonly name = 'language';
  readonly match = matchLanguageCommand;

  constructor(private readonly preferences: UserPreferenceStore) {}

  handle(context: TurnContext, client: ClientTurn, args: string): Promise<void> {
    return chooseLanguage(context, this.preferences, client, args);
  }
}

async function chooseLanguage(context: TurnContext, preferences: UserPreferenceStore, who: Pick<TurnSession, 'actor' | 't'>, args: string): Promise<void> {
  const chosen = languageWords.find(([pattern]) => pattern.test(args.trim()))?.[1];
  if (!chosen) return replyWithText(context, who.t.language.usage);
  await preferences.setLocale(who.actor.firmId, who.actor.userId, messagesFor(chosen).locale);
  await replyWithText(context, messagesFor(chosen).language.changed);
}
