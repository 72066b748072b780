import type { FieldErrors } from '../domain/errors.js';
import { startStepChoices, type OfferDefinition } from '../domain/offers/catalogue.js';
import { shineBillingModes, shinePlans } from '../domain/partners/shineService.js';
import { guestFates } from '../domain/ports.js';
import type { FirmSettingsView } from '../domain/settings/firmSettingsAdministration.js';
import { fieldErrorMessage, format, messagesFor, type Language } from '../i18n/index.js';
import { formatDate } from './guestViews.js';
import { renderCard, type AdaptiveCard } from './render.js';

/** The card's inputs, named flat (cards have no nesting), and the domain's field each one is. */
export const settingsCardFields = {
  name: 'name',
  reminderAfterDays: 'guestPolicy.reminderAfterDays',
  maxReminders: 'guestPolicy.maxReminders',
  guestFateAtEnd: 'engagementPolicy.guestFateAtEnd',
  reviewAfterDays: 'engagementPolicy.reviewAfterDays',
  channelTeamId: 'supportPolicy.channelTeamId',
  firstAnswerWithinWorkingDays: 'supportPolicy.firstAnswerWithinWorkingDays',
  autoCloseAfterDays: 'supportPolicy.autoCloseAfterDays',
  shinePurchases: 'partnerDefaults.shine.purchases',
  shineSales: 'partnerDefaults.shine.sales',
  shineBillingMode: 'partnerDefaults.shine.billingMode',
  shinePlan: 'partnerDefaults.shine.plan',
} as const;
export type SettingsCardField = keyof typeof settingsCardFields;

/** The card's choice for « the firm's internal team » (a choice cannot have an empty value). */
export const defaultChannelChoice = 'firm-internal-team';

export const offerCardFields = ['name', 'description', 'paid', 'priceNote', 'steps', 'clientLink', 'clientNextStep'] as const;

function errorsByInput(language: Language, errors: FieldErrors, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([input, field]) => [input, errors[field] ? fieldErrorMessage(language, errors[field]!) : '']));
}

export function offerPrice(language: Language, offer: Pick<OfferDefinition, 'paid' | 'priceNote'>): string {
  const t = messagesFor(language).offers;
  return offer.priceNote ? `${offer.paid ? t.paid : t.free}, ${offer.priceNote}` : offer.paid ? t.paid : t.free;
}

/** « paramètres »: the whole settings form, the offer catalogue with its actions, and a banner after a save. */
export function firmSettingsCard(
  language: Language,
  view: FirmSettingsView,
  form: { banner?: { text: string; good: boolean }; values?: Partial<Record<SettingsCardField, string>>; errors?: FieldErrors } = {},
): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.settings;
  const { settings } = view;
  const errors = form.errors ?? {};
  const stored: Record<SettingsCardField, string> = {
    name: settings.name ?? view.displayName ?? '',
    reminderAfterDays: String(settings.guestPolicy.reminderAfterDays),
    maxReminders: String(settings.guestPolicy.maxReminders),
    guestFateAtEnd: settings.engagementPolicy.guestFateAtEnd,
    reviewAfterDays: String(settings.engagementPolicy.reviewAfterDays),
    channelTeamId: settings.supportPolicy.channel?.teamId ?? defaultChannelChoice,
    firstAnswerWithinWorkingDays: String(settings.supportPolicy.firstAnswerWithinWorkingDays),
    autoCloseAfterDays: String(settings.supportPolicy.autoCloseAfterDays),
    shinePurchases: String(settings.partnerDefaults.shine.purchases),
    shineSales: String(settings.partnerDefaults.shine.sales),
    shineBillingMode: settings.partnerDefaults.shine.billingMode,
    shinePlan: settings.partnerDefaults.shine.plan,
  };
  const authorised = settings.flowAppAuthorised;
  return renderCard('firmSettings', {
    t,
    version: settings.version,
    banner: form.banner?.text ?? '',
    bannerColor: form.banner?.good ? 'Good' : 'Attention',
    values: { ...stored, ...form.values },
    errors: errorsByInput(language, errors, settingsCardFields),
    offersError: errors.offer ? fieldErrorMessage(language, errors.offer) : '',
    offers: settings.offerCatalogue.map((offer) => {
      const inUse = view.offersInUse.includes(offer.id);
      return {
        id: offer.id,
        line: format(t.offerLine, { name: offer.name, price: offerPrice(language, offer), note: '', state: `${offer.retired ? t.offerRetired : ''}${inUse ? t.offerInUse : ''}` }),
        description: offer.description ?? '',
        retired: Boolean(offer.retired),
        inUse,
        confirmRetire: format(t.confirmRetire, { name: offer.name }),
        confirmRemove: format(t.confirmRemove, { name: offer.name }),
      };
    }),
    fates: guestFates.map((fate) => ({ title: t.fates[fate], value: fate })),
    teams: [{ title: t.defaultChannel, value: defaultChannelChoice }, ...view.teams.map((team) => ({ title: team.displayName, value: team.teamId }))],
    billingModes: shineBillingModes.map((mode) => ({ title: messages.partners.billingModes[mode], value: mode })),
    plans: shinePlans.map((plan) => ({ title: messages.partners.plans[plan], value: plan })),
    flowLine: authorised ? format(t.flowAuthorised, { who: authorised.displayName, date: formatDate(language, authorised.at) }) : t.flowNotAuthorised,
  });
}

/** One offer's form: a new one (no offer) or an existing one, with what was typed and its errors after a refusal. */
export function offerSettingsCard(
  language: Language,
  version: number,
  offer: OfferDefinition | undefined,
  form: { values?: Partial<Record<(typeof offerCardFields)[number], string>>; errors?: FieldErrors } = {},
): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.settings;
  const errors = form.errors ?? {};
  const stored = {
    name: offer?.name ?? '',
    description: offer?.description ?? '',
    paid: String(offer?.paid ?? false),
    priceNote: offer?.priceNote ?? '',
    steps: (offer?.steps ?? []).map((step) => step.id).join(','),
    clientLink: offer?.clientLink ?? '',
    clientNextStep: offer?.clientNextStep ?? '',
  };
  return renderCard('offerSettings', {
    t,
    title: offer ? format(t.offerTitle, { name: offer.name }) : t.newOfferTitle,
    offerId: offer?.id ?? '',
    version,
    banner: Object.keys(errors).length > 0 ? t.invalid : '',
    values: { ...stored, ...form.values },
    errors: errorsByInput(language, errors, Object.fromEntries(offerCardFields.map((field) => [field, `offer.${field}`]))),
    requiredMessage: messages.errors.requiredField,
    startSteps: startStepChoices.map((step) => ({ title: step.label, value: step.id })),
  });
}
