import { requirements, visibleServiceIds } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { clientFileDetailsCard, clientFileResultsCard } from '../../cards/views.js';
import { format } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';

/** "dossier 000001" opens the file; "dossier boul" lists the files whose name starts so. */
export class ShowClientFileCommand implements BotCommand {
  readonly name = 'showClientFile';
  readonly requires: Access = requirements.read('clientFiles');
  readonly match = keywordMatcher([/dossier/, /client\s+file/, /file/], { takesArguments: true });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession, query: string): Promise<void> {
    const { t, actor, language } = session;
    if (!query) return replyWithText(context, t.clientFile.missingQuery);
    // A user attached to services finds only their services' files and those of no service.
    const visibility = visibleServiceIds(session.access);
    const found = await this.services.clientFiles.find(actor.firmId, query, visibility);
    if (found.kind === 'none') {
      return replyWithText(context, `${format(t.clientFile.notFound, { query })} ${t.clientFile.notFoundHint}`);
    }
    if (found.kind === 'many') return replyWithCard(context, clientFileResultsCard(language, query, found.records, found.more));
    // The file just found is not read again: its contacts are all that is left to read.
    await replyWithCard(context, clientFileDetailsCard(language, await this.services.clientFiles.detailsOf(found.record, visibility)));
  }
}
