import type { TurnContext } from 'botbuilder';
import { clientOnboardingCard } from '../cards/offerViews.js';
import type { Actor } from '../domain/actor.js';
import type { FirmSettingsService } from '../domain/firmSettingsService.js';
import type { ClientOnboardingQuery } from '../domain/offers/clientOnboarding.js';
import { messagesFor, type Language } from '../i18n/index.js';
import { replyWithCard, replyWithText } from './reply.js';

/**
 * What a client (a guest) may ask Passerelle, in their team's channel or their personal chat. These
 * run before the staff session, which refuses guests: the use case recognises the person by their
 * guest account, and anyone it does not know is told so politely and learns nothing.
 */
export interface ClientCommand {
  readonly name: string;
  /** The language the words asked in, when the text is this command; otherwise undefined. */
  match(text: string): Language | undefined;
  handle(context: TurnContext, who: Actor, language: Language): Promise<void>;
}

/** « mon accompagnement » / « my onboarding »: the client's offers, steps and what is expected of them next. */
export class MyOnboardingCommand implements ClientCommand {
  readonly name = 'myOnboarding';

  constructor(private readonly deps: { onboarding: ClientOnboardingQuery; firmSettings: Pick<FirmSettingsService, 'firmName'> }) {}

  match(text: string): Language | undefined {
    const words = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[?!.]+$/, '').trim();
    if (/^(?:mon )?accompagnement$/.test(words)) return 'fr';
    if (/^my onboarding$/.test(words)) return 'en';
    return undefined;
  }

  async handle(context: TurnContext, who: Actor, language: Language): Promise<void> {
    const outcome = await this.deps.onboarding.forGuest(who.firmId, who.userId);
    if (outcome.status === 'stranger') return replyWithText(context, messagesFor(language).clientOnboarding.stranger);
    const firmName = (await this.deps.firmSettings.firmName(who.firmId)) ?? messagesFor(language).guest.firmFallback;
    await replyWithCard(context, clientOnboardingCard(language, firmName, outcome.contact, outcome.offers));
  }
}
