import type { TurnContext } from 'botbuilder';
import type { Actor } from '../domain/actor.js';
import type { HelpReaderIdentity } from '../domain/help/knowledgeBase.js';
import type { Language } from '../i18n/index.js';
import { actorOf, NotStaffError, type SessionResolver, type TurnSession } from './session.js';

/**
 * Who reads the help in this turn: the help is open to staff and to clients (guests) alike, so its
 * cards cannot start from a staff session. A guest is a client reader, in the language they chose.
 */
export class HelpReaders {
  constructor(private readonly sessions: SessionResolver) {}

  static ofSession(session: TurnSession): HelpReaderIdentity {
    return { ...session.actor, kind: 'staff', language: session.language, access: session.access };
  }

  static ofGuest(actor: Actor, language: Language): HelpReaderIdentity {
    return { ...actor, kind: 'client', language };
  }

  async of(context: TurnContext): Promise<{ reader: HelpReaderIdentity; session?: TurnSession }> {
    try {
      const session = await this.sessions.resolve(context);
      return { reader: HelpReaders.ofSession(session), session };
    } catch (error) {
      if (error instanceof NotStaffError) return { reader: HelpReaders.ofGuest(actorOf(context), error.language) };
      throw error;
    }
  }
}
