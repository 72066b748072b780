import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { linkFormCard } from '../../cards/views.js';
import { fieldErrorMessage } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { describeLink } from '../linkText.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { visibilityOf } from '../visibility.js';

/** "lier <e-mail> <code> [principal]" links at once; "lier" alone opens the form. */
export class LinkCommand implements BotCommand {
  readonly name = 'link';
  readonly requires: Access = requirements.change('contacts');
  readonly match = keywordMatcher([/lier/, /link/], { takesArguments: true });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    if (!args) return replyWithCard(context, linkFormCard(language, {}));
    const words = args.split(/\s+/);
    const primary = /^(principal|primary)$/i.test(words[words.length - 1] ?? '');
    if (primary) words.pop();
    if (words.length !== 2) return replyWithText(context, t.link.usage);
    const [contactEmail, clientFileCode] = words as [string, string];
    const outcome = await this.services.contacts.link(actor, { contactEmail, clientFileCode, primary }, visibilityOf(session));
    if (outcome.status === 'invalid') {
      const problems = Object.values(outcome.errors).map((error) => fieldErrorMessage(language, error!));
      return replyWithText(context, `${problems.join(' ')} ${t.link.usage}`);
    }
    await replyWithText(context, describeLink(t, outcome));
  }
}
