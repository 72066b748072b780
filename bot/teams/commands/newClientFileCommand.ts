import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { clientFileFormCard } from '../../cards/views.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';

export class NewClientFileCommand implements BotCommand {
  readonly name = 'newClientFile';
  readonly requires: Access = requirements.change('clientFiles');
  readonly match = keywordMatcher([/nouveau\s+dossier/, /cr[ée]er\s+(?:un\s+)?dossier/, /new\s+client\s+file/, /new\s+file/], { takesArguments: false });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    await replyWithCard(context, clientFileFormCard(session.language, { requestId: this.services.newRequestId() }));
  }
}
