import type { TurnContext } from 'botbuilder';
import { accessRefusedCard } from '../../cards/accessViews.js';
import { requirements } from '../../domain/access/policy.js';
import type { FirmSettingsAdministration } from '../../domain/settings/firmSettingsAdministration.js';
import { fieldErrorMessage, format } from '../../i18n/index.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { staffActorOf } from '../staffActor.js';

/** "nom du cabinet": the name clients read on their cards; "nom du cabinet <nom>" sets it (the settings' administration decides). */
export class FirmNameCommand implements BotCommand {
  readonly name = 'firmName';
  readonly requires: Access = requirements.change('organisation');
  readonly match = keywordMatcher([/nom\s+du\s+cabinet/, /firm\s+name/], { takesArguments: true });

  constructor(
    private readonly services: TeamsServices,
    private readonly administration: FirmSettingsAdministration,
  ) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    if (!args.trim()) {
      const name = await this.services.firmSettings.firmName(actor.firmId);
      return replyWithText(context, name ? format(t.firmName.current, { name }) : t.firmName.none);
    }
    const outcome = await this.administration.rename(staffActorOf(session), args);
    if (outcome.status === 'refused') return replyWithCard(context, accessRefusedCard(language, 'missingProfile', outcome.missing));
    if (outcome.status === 'invalid') return replyWithText(context, fieldErrorMessage(language, outcome.errors.name ?? { code: 'required' }));
    if (outcome.status === 'changedMeanwhile') return replyWithText(context, t.settings.changedMeanwhile);
    const name = outcome.status === 'offerNotFound' ? undefined : outcome.view.settings.name;
    await replyWithText(context, format(t.firmName.saved, { name: name ?? args.trim() }));
  }
}
