import type { TurnContext } from 'botbuilder';
import type { Actor } from '../domain/actor.js';
import type { Language } from '../i18n/index.js';
import type { AdaptiveCard } from '../cards/render.js';
import type { TurnSession } from './session.js';
import type { Requirement } from '../domain/access/profiles.js';

/**
 * What a command or card verb needs: a profile, just being attached to the structure, a profile in
 * the structure the verb names (`inStructure`), or nothing (help, language, asking for access).
 */
export type Access = Requirement | 'attached' | 'anyone' | StructureRequirement;

/**
 * A profile held in the structure the command or card names, which the use case decides: the first
 * filter lets everyone through, since a structure's own administrators may hold no profile in the
 * default structure the session knows. Declared all the same, so that a test can hold it to the use case.
 */
export interface StructureRequirement {
  /** `attached`: to at least one structure of the firm; `mainManager`: of the structures concerned. */
  inStructure: Requirement | 'attached' | 'mainManager';
}

export const inStructure = (requirement: StructureRequirement['inStructure']): StructureRequirement => ({ inStructure: requirement });

/** A typed command, e.g. "dossier 000001". One class per command. */
export interface BotCommand {
  readonly name: string;
  readonly requires: Access;
  /** The argument text when `text` is this command, otherwise undefined. */
  match(text: string): string | undefined;
  handle(context: TurnContext, session: TurnSession, args: string): Promise<void>;
}

/**
 * A command a client (a guest) may type: guests have no staff session, so it gets who they are and
 * their language, and decides itself what they may see. Anything else a guest types is refused.
 */
export interface GuestCommand {
  readonly name: string;
  match(text: string): string | undefined;
  handle(context: TurnContext, guest: { actor: Actor; language: Language }, args: string): Promise<void>;
}

/** What a card action answers: a card that replaces the one the user acted on, or a short message. */
export type CardActionResult = { card: AdaptiveCard } | { message: string };

/** One class per card verb; `verb` matches the `verb` of the Action.Execute in the card JSON. */
export interface CardActionHandler {
  readonly verb: string;
  readonly requires: Access;
  handle(context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult>;
}

/** Builds a matcher for "<keyword>" or "<keyword> <args>", keywords tried in order, case-insensitive. */
export function keywordMatcher(keywords: RegExp[], options: { takesArguments: boolean }): (text: string) => string | undefined {
  return (text) => {
    for (const keyword of keywords) {
      const pattern = new RegExp(`^(?:${keyword.source})(?:\\s+(.*))?$`, 'is');
      const match = pattern.exec(text.trim());
      if (!match) continue;
      const args = (match[1] ?? '').trim();
      if (!options.takesArguments && args) continue;
      return args;
    }
    return undefined;
  };
}
