import type { TurnContext } from 'botbuilder';
import { orgRolesCard } from '../../cards/views.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';

export class OrgRolesCommand implements BotCommand {
  readonly name = 'orgRoles';
  readonly requires: Access = 'attached';
  readonly match = keywordMatcher([/r[ôo]les(?:\s+organisationnels)?/, /roles/], { takesArguments: false });

  constructor(private readonly services: TeamsServices) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const settings = await this.services.firmSettings.settings(session.actor.firmId);
    await replyWithCard(context, orgRolesCard(session.language, settings.orgRoles));
  }
}
