import type { TurnContext } from 'botbuilder';
import { requirements } from '../../domain/access/policy.js';
import { fieldErrorMessage, format } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';

/** "nom du cabinet": the name clients read on their cards; "nom du cabinet <nom>" sets it. */
export class FirmNameCommand implements BotCommand {
  readonly name = 'firmName';
  readonly requires: Access = requirements.change('organisation');
  readonly match = keywordMatcher([/nom\s+du\s+cabinet/, /firm\s+name/], { takesArguments: true });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    if (!args.trim()) {
      const name = await this.services.firmSettings.firmName(actor.firmId);
      return replyWithText(context, name ? format(t.firmName.current, { name }) : t.firmName.none);
    }
    const saved = await this.services.firmSettings.setFirmName(actor.firmId, args);
    await replyWithText(context, saved.ok ? format(t.firmName.saved, { name: saved.name }) : fieldErrorMessage(language, saved.error));
  }
}
