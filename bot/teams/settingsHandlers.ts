import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { accessRefusedCard } from '../cards/accessViews.js';
import { defaultChannelChoice, firmSettingsCard, offerSettingsCard } from '../cards/settingsViews.js';
import { requirements } from '../domain/access/policy.js';
import { findOffer } from '../domain/offers/catalogue.js';
import type { FirmSettingsAdministration, SettingsOutcome } from '../domain/settings/firmSettingsAdministration.js';
import { format } from '../i18n/index.js';
import { parseCardData } from './actions/cardData.js';
import { keywordMatcher, type Access, type BotCommand, type CardActionHandler, type CardActionResult } from './handlers.js';
import { replyWithCard } from './reply.js';
import type { TurnSession } from './session.js';
import { staffActorOf } from './staffActor.js';

/**
 * « paramètres » and its card verbs: the firm's settings for administrators. Each handler parses the
 * card, calls the settings' administration and shows its outcome; the rules are the use case's.
 */
const administer: Access = requirements.change('organisation');
const text = z.string().max(5_000).optional();
const version = z.coerce.number().int().min(0);
const offerId = z.string().regex(/^[a-z0-9-]{1,40}$/);

const saveData = z.object({
  version,
  name: text,
  reminderAfterDays: text,
  maxReminders: text,
  guestFateAtEnd: text,
  reviewAfterDays: text,
  channelTeamId: text,
  firstAnswerWithinWorkingDays: text,
  autoCloseAfterDays: text,
  shinePurchases: text,
  shineSales: text,
  shineBillingMode: text,
  shinePlan: text,
});
const openOfferData = z.object({ offerId: z.union([offerId, z.literal('')]).optional() });
const saveOfferData = z.object({
  version,
  offerId: z.union([offerId, z.literal('')]).optional(),
  name: text,
  description: text,
  paid: text,
  priceNote: text,
  steps: text,
  clientLink: text,
  clientNextStep: text,
});
const statusData = z.object({ version, offerId, status: z.enum(['retired', 'proposed', 'removed']) });

function refused(session: TurnSession, outcome: Extract<SettingsOutcome, { status: 'refused' }>): CardActionResult {
  return { card: accessRefusedCard(session.language, 'missingProfile', outcome.missing) };
}

export class SettingsCommand implements BotCommand {
  readonly name = 'settings';
  readonly requires = administer;
  readonly match = keywordMatcher([/param[eè]tres(?:\s+du\s+cabinet)?/, /settings/], { takesArguments: false });
  constructor(private readonly administration: FirmSettingsAdministration) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const outcome = await this.administration.view(staffActorOf(session));
    if (outcome.status === 'refused') return replyWithCard(context, accessRefusedCard(session.language, 'missingProfile', outcome.missing));
    await replyWithCard(context, firmSettingsCard(session.language, outcome.view));
  }
}

export class ShowSettingsAction implements CardActionHandler {
  readonly verb = 'settings.show';
  readonly requires = administer;
  constructor(private readonly administration: FirmSettingsAdministration) {}

  async handle(_context: TurnContext, session: TurnSession): Promise<CardActionResult> {
    const outcome = await this.administration.view(staffActorOf(session));
    return outcome.status === 'refused' ? refused(session, outcome) : { card: firmSettingsCard(session.language, outcome.view) };
  }
}

export class SaveSettingsAction implements CardActionHandler {
  readonly verb = 'settings.save';
  readonly requires = administer;
  constructor(private readonly administration: FirmSettingsAdministration) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { version: expected, ...values } = parseCardData(this.verb, saveData, data);
    const outcome = await this.administration.update(staffActorOf(session), expected, {
      name: values.name ?? '',
      guestPolicy: { reminderAfterDays: values.reminderAfterDays, maxReminders: values.maxReminders },
      engagementPolicy: { guestFateAtEnd: values.guestFateAtEnd, reviewAfterDays: values.reviewAfterDays },
      supportPolicy: { channelTeamId: values.channelTeamId === defaultChannelChoice ? null : values.channelTeamId, firstAnswerWithinWorkingDays: values.firstAnswerWithinWorkingDays, autoCloseAfterDays: values.autoCloseAfterDays },
      partnerDefaults: { shine: { purchases: values.shinePurchases, sales: values.shineSales, billingMode: values.shineBillingMode, plan: values.shinePlan } },
    });
    const t = session.t.settings;
    switch (outcome.status) {
      case 'refused':
        return refused(session, outcome);
      case 'invalid':
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: t.invalid, good: false }, values, errors: outcome.errors }) };
      case 'changedMeanwhile':
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: t.changedMeanwhile, good: false } }) };
      case 'offerNotFound':
      case 'saved':
      case 'unchanged':
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: outcome.status === 'saved' ? t.saved : t.unchanged, good: true } }) };
    }
  }
}

export class OpenOfferSettingsAction implements CardActionHandler {
  readonly verb = 'settings.openOffer';
  readonly requires = administer;
  constructor(private readonly administration: FirmSettingsAdministration) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { offerId: id } = parseCardData(this.verb, openOfferData, data);
    const outcome = await this.administration.view(staffActorOf(session));
    if (outcome.status === 'refused') return refused(session, outcome);
    const offer = id ? findOffer(outcome.view.settings.offerCatalogue, id) : undefined;
    if (id && !offer) return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: session.t.settings.offerNotFound, good: false } }) };
    return { card: offerSettingsCard(session.language, outcome.view.settings.version, offer) };
  }
}

export class SaveOfferSettingsAction implements CardActionHandler {
  readonly verb = 'settings.saveOffer';
  readonly requires = administer;
  constructor(private readonly administration: FirmSettingsAdministration) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { version: expected, offerId: id, ...values } = parseCardData(this.verb, saveOfferData, data);
    const outcome = await this.administration.saveOffer(staffActorOf(session), expected, id || undefined, {
      ...values,
      paid: values.paid ?? 'false',
      // A multi-select sends its choices comma-separated, or nothing when none is ticked.
      steps: values.steps ?? '',
    });
    const t = session.t.settings;
    switch (outcome.status) {
      case 'refused':
        return refused(session, outcome);
      case 'invalid': {
        const current = id ? findOffer(outcome.view.settings.offerCatalogue, id) : undefined;
        return { card: offerSettingsCard(session.language, outcome.view.settings.version, current, { values, errors: outcome.errors }) };
      }
      case 'changedMeanwhile':
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: t.changedMeanwhile, good: false } }) };
      case 'offerNotFound':
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: t.offerNotFound, good: false } }) };
      case 'saved':
      case 'unchanged':
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: format(t.offerSaved, { name: outcome.offer?.name ?? '' }), good: true } }) };
    }
  }
}

export class OfferStatusSettingsAction implements CardActionHandler {
  readonly verb = 'settings.offerStatus';
  readonly requires = administer;
  constructor(private readonly administration: FirmSettingsAdministration) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { version: expected, offerId: id, status } = parseCardData(this.verb, statusData, data);
    const outcome = await this.administration.setOfferStatus(staffActorOf(session), expected, id, status);
    const t = session.t.settings;
    switch (outcome.status) {
      case 'refused':
        return refused(session, outcome);
      case 'invalid':
        return { card: firmSettingsCard(session.language, outcome.view, { errors: outcome.errors, banner: { text: t.invalid, good: false } }) };
      case 'changedMeanwhile':
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: t.changedMeanwhile, good: false } }) };
      case 'offerNotFound':
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: t.offerNotFound, good: false } }) };
      case 'saved':
      case 'unchanged': {
        const name = outcome.offer?.name ?? id;
        const done = status === 'retired' ? t.offerRetiredDone : status === 'proposed' ? t.offerReinstatedDone : t.offerRemovedDone;
        return { card: firmSettingsCard(session.language, outcome.view, { banner: { text: format(done, { name }), good: true } }) };
      }
    }
  }
}

/** The settings' command and verbs, for the bot's lists. */
export function settingsHandlers(administration: FirmSettingsAdministration): { commands: BotCommand[]; actions: CardActionHandler[] } {
  return {
    commands: [new SettingsCommand(administration)],
    actions: [
      new ShowSettingsAction(administration),
      new SaveSettingsAction(administration),
      new OpenOfferSettingsAction(administration),
      new SaveOfferSettingsAction(administration),
      new OfferStatusSettingsAction(administration),
    ],
  };
}
