import type { TurnContext } from 'botbuilder';
import { clientOnboardingCard } from '../cards/offerViews.js';
import type { FirmSettingsService } from '../domain/firmSettingsService.js';
import type { ClientOnboardingQuery } from '../domain/offers/clientOnboarding.js';
import { messagesFor, type Language } from '../i18n/index.js';
import type { ClientCommand } from './handlers.js';
import { replyWithCard, replyWithText } from './reply.js';
import type { ClientTurn } from './session.js';

/** « mon accompagnement » / « my onboarding »: the client's offers, steps and what is expected of them next. */
export class MyOnboardingCommand implements ClientCommand {
  readonly name = 'myOnboarding';

  constructor(private readonly deps: { onboarding: ClientOnboardingQuery; firmSettings: Pick<FirmSettingsService, 'firmName'> }) {}

  /** The language the words asked in (« mon accompagnement » or « my onboarding »), which the answer follows. */
  match(text: string): Language | undefined {
    const words = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[?!.]+$/, '').trim();
    if (/^(?:mon )?accompagnement$/.test(words)) return 'fr';
    if (/^my onboarding$/.test(words)) return 'en';
    return undefined;
  }

  async handle(context: TurnContext, client: ClientTurn, asked: string): Promise<void> {
    const who = client.actor;
    const language: Language = asked === 'en' || asked === 'fr' ? asked : client.language;
    const outcome = await this.deps.onboarding.forGuest(who.firmId, who.userId);
    if (outcome.status === 'stranger') return replyWithText(context, messagesFor(language).clientOnboarding.stranger);
    const firmName = (await this.deps.firmSettings.firmName(who.firmId)) ?? messagesFor(language).guest.firmFallback;
    await replyWithCard(context, clientOnboardingCard(language, firmName, outcome.contact, outcome.offers));
  }
}
