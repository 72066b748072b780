import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { firmTeamsOverview } from '../actions/guestActions.js';
import type { GuestTeamsServices } from '../guestServices.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';

export class TeamsCommand implements BotCommand {
  readonly name = 'teams';
  readonly requires: Access = requirements.read('invitations');
  readonly match = keywordMatcher([/[ée]quipes/, /teams/], { takesArguments: false });

  constructor(private readonly services: TeamsServices, private readonly guest: GuestTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    await replyWithCard(context, await firmTeamsOverview(this.services, this.guest, session));
  }
}
