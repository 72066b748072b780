import type { TurnContext } from 'botbuilder';
import { commandsCard } from '../../cards/views.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard } from '../reply.js';
import type { TurnSession } from '../session.js';

export class HelpCommand implements BotCommand {
  readonly name = 'help';
  readonly requires: Access = 'anyone';
  readonly match = keywordMatcher([/aide/, /help/, /\?/, /commandes/, /commands/], { takesArguments: false });

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    await replyWithCard(context, commandsCard(session.language, 'help'));
  }
}
