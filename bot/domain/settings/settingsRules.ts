import { fieldLimits } from '../catalogues.js';
import type { FieldError, FieldErrors } from '../errors.js';
import { checkMultilineText, checkText } from '../fieldRules.js';
import { startStepChoices, type OfferDefinition } from '../offers/catalogue.js';
import { shineBillingModes, shinePlans } from '../partners/shineService.js';
import { guestFates, type EngagementPolicy, type GuestFate, type GuestPolicy, type PartnerDefaults, type SupportPolicy } from '../ports.js';

/**
 * The rules of every firm setting: each field is checked on its own and refused with its own error,
 * so a form shows each problem next to its input. Values come from cards (text) or the tab (JSON).
 */
export const settingsLimits = {
  reminderAfterDays: { min: 1, max: 60 },
  maxReminders: { min: 0, max: 10 },
  reviewAfterDays: { min: 1, max: 365 },
  firstAnswerWithinWorkingDays: { min: 1, max: 20 },
  autoCloseAfterDays: { min: 1, max: 90 },
  offerName: 60,
  offerDescription: 500,
  priceNote: 80,
  clientLink: 500,
  clientNextStep: 300,
} as const;

export interface GuestPolicyInput { reminderAfterDays?: unknown; maxReminders?: unknown; allowSharedGuestTeams?: unknown }
export interface EngagementPolicyInput { guestFateAtEnd?: unknown; reviewAfterDays?: unknown }
/** `channelTeamId`: a team of the firm whose General channel receives support requests; empty: the default. */
export interface SupportPolicyInput { channelTeamId?: unknown; firstAnswerWithinWorkingDays?: unknown; autoCloseAfterDays?: unknown }
export interface ShineDefaultsInput { purchases?: unknown; sales?: unknown; billingMode?: unknown; plan?: unknown }

export interface OfferInput {
  name?: unknown;
  description?: unknown;
  priceNote?: unknown;
  paid?: unknown;
  /** Ids among Start's steps, in any order; kept in the procedure's order. */
  steps?: unknown;
  clientLink?: unknown;
  clientNextStep?: unknown;
}

/** Collects per-field errors while reading a form; `value` is trusted only when no error was added. */
export class SettingsChecker {
  readonly errors: FieldErrors = {};

  get hasErrors(): boolean {
    return Object.keys(this.errors).length > 0;
  }

  fail(field: string, error: FieldError): undefined {
    this.errors[field] ??= error;
    return undefined;
  }

  wholeNumber(field: string, raw: unknown, range: { min: number; max: number }, current: number): number | undefined {
    if (raw === undefined) return current;
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    if (!/^\d{1,6}$/.test(text)) return this.fail(field, { code: 'number.range', params: range });
    const value = Number(text);
    return value < range.min || value > range.max ? this.fail(field, { code: 'number.range', params: range }) : value;
  }

  flag(field: string, raw: unknown, current: boolean): boolean | undefined {
    if (raw === undefined) return current;
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    return this.fail(field, { code: 'choice.unknown' });
  }

  choice<T extends string>(field: string, raw: unknown, allowed: readonly T[], current: T): T | undefined {
    if (raw === undefined) return current;
    return allowed.includes(raw as T) ? (raw as T) : this.fail(field, { code: 'choice.unknown' });
  }

  text(field: string, raw: unknown, options: { required: boolean; max: number; multiline?: boolean }): string | undefined {
    if (raw !== undefined && raw !== null && typeof raw !== 'string') return this.fail(field, { code: 'choice.unknown' });
    const checked = (options.multiline ? checkMultilineText : checkText)((raw as string | null | undefined) ?? undefined, options);
    return checked.ok ? checked.value : this.fail(field, { code: checked.error, params: { max: options.max } });
  }
}

export function checkFirmName(checker: SettingsChecker, raw: unknown): string | undefined {
  return checker.text('name', raw, { required: true, max: fieldLimits.firmName });
}

export function checkGuestPolicy(checker: SettingsChecker, input: GuestPolicyInput, current: GuestPolicy): GuestPolicy | undefined {
  const reminderAfterDays = checker.wholeNumber('guestPolicy.reminderAfterDays', input.reminderAfterDays, settingsLimits.reminderAfterDays, current.reminderAfterDays);
  const maxReminders = checker.wholeNumber('guestPolicy.maxReminders', input.maxReminders, settingsLimits.maxReminders, current.maxReminders);
  const allowSharedGuestTeams = checker.flag('guestPolicy.allowSharedGuestTeams', input.allowSharedGuestTeams, current.allowSharedGuestTeams);
  if (reminderAfterDays === undefined || maxReminders === undefined || allowSharedGuestTeams === undefined) return undefined;
  return { reminderAfterDays, maxReminders, allowSharedGuestTeams };
}

export function checkEngagementPolicy(checker: SettingsChecker, input: EngagementPolicyInput, current: EngagementPolicy): EngagementPolicy | undefined {
  const guestFateAtEnd = checker.choice<GuestFate>('engagementPolicy.guestFateAtEnd', input.guestFateAtEnd, guestFates, current.guestFateAtEnd);
  const reviewAfterDays = checker.wholeNumber('engagementPolicy.reviewAfterDays', input.reviewAfterDays, settingsLimits.reviewAfterDays, current.reviewAfterDays);
  if (guestFateAtEnd === undefined || reviewAfterDays === undefined) return undefined;
  return { guestFateAtEnd, reviewAfterDays };
}

/** The channel is a known team's General channel (its conversation), so support requests land where the app is. */
export function checkSupportPolicy(
  checker: SettingsChecker,
  input: SupportPolicyInput,
  current: SupportPolicy,
  teams: readonly { teamId: string; conversationId?: string }[],
): SupportPolicy | undefined {
  const firstAnswerWithinWorkingDays = checker.wholeNumber('supportPolicy.firstAnswerWithinWorkingDays', input.firstAnswerWithinWorkingDays, settingsLimits.firstAnswerWithinWorkingDays, current.firstAnswerWithinWorkingDays);
  const autoCloseAfterDays = checker.wholeNumber('supportPolicy.autoCloseAfterDays', input.autoCloseAfterDays, settingsLimits.autoCloseAfterDays, current.autoCloseAfterDays);
  let channel = current.channel;
  if (input.channelTeamId !== undefined) {
    if (input.channelTeamId === null || input.channelTeamId === '') channel = undefined;
    else {
      const team = teams.find((candidate) => candidate.teamId === input.channelTeamId);
      if (!team) checker.fail('supportPolicy.channelTeamId', { code: 'team.unknown' });
      else channel = { teamId: team.teamId, channelId: team.conversationId ?? team.teamId };
    }
  }
  if (firstAnswerWithinWorkingDays === undefined || autoCloseAfterDays === undefined || checker.errors['supportPolicy.channelTeamId']) return undefined;
  return { ...(channel ? { channel } : {}), firstAnswerWithinWorkingDays, autoCloseAfterDays };
}

export function checkShineDefaults(checker: SettingsChecker, input: ShineDefaultsInput, current: PartnerDefaults['shine']): PartnerDefaults['shine'] | undefined {
  const purchases = checker.flag('partnerDefaults.shine.purchases', input.purchases, current.purchases);
  const sales = checker.flag('partnerDefaults.shine.sales', input.sales, current.sales);
  const billingMode = checker.choice('partnerDefaults.shine.billingMode', input.billingMode, shineBillingModes, current.billingMode);
  const plan = checker.choice('partnerDefaults.shine.plan', input.plan, shinePlans, current.plan);
  if (purchases === false && sales === false) checker.fail('partnerDefaults.shine.purchases', { code: 'shine.noFlow' });
  if (purchases === undefined || sales === undefined || billingMode === undefined || plan === undefined || checker.hasErrors) return undefined;
  return { purchases, sales, billingMode, plan };
}

/** An address a client can open: https only, so a card never sends them to an unsafe page. */
function checkLink(checker: SettingsChecker, field: string, raw: unknown): string | undefined {
  const text = checker.text(field, raw, { required: false, max: settingsLimits.clientLink });
  if (!text) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' && url.hostname.includes('.')) return url.toString();
  } catch {
    // refused below
  }
  return checker.fail(field, { code: 'url.invalid' });
}

/** What an offer form holds, checked against the rest of the catalogue (names are unique, case and accents aside). */
export function checkOffer(
  checker: SettingsChecker,
  input: OfferInput,
  current: OfferDefinition | undefined,
  others: readonly OfferDefinition[],
): Omit<OfferDefinition, 'id' | 'grants' | 'excludes' | 'retired'> | undefined {
  const name = checker.text('offer.name', input.name ?? current?.name, { required: true, max: settingsLimits.offerName });
  if (name && others.some((offer) => offer.name.localeCompare(name, 'fr', { sensitivity: 'base' }) === 0)) checker.fail('offer.name', { code: 'offer.nameTaken', params: { name } });
  const description = checker.text('offer.description', input.description === undefined ? current?.description : input.description, { required: false, max: settingsLimits.offerDescription, multiline: true });
  const priceNote = checker.text('offer.priceNote', input.priceNote === undefined ? current?.priceNote : input.priceNote, { required: false, max: settingsLimits.priceNote });
  const paid = checker.flag('offer.paid', input.paid, current?.paid ?? false);
  const clientLink = input.clientLink === undefined ? current?.clientLink : checkLink(checker, 'offer.clientLink', input.clientLink);
  const clientNextStep = checker.text('offer.clientNextStep', input.clientNextStep === undefined ? current?.clientNextStep : input.clientNextStep, { required: false, max: settingsLimits.clientNextStep, multiline: true });
  let steps = current?.steps ?? [];
  if (input.steps !== undefined) {
    const ids = Array.isArray(input.steps) ? input.steps : typeof input.steps === 'string' ? input.steps.split(',').filter(Boolean) : null;
    if (!ids || ids.some((id) => !startStepChoices.some((step) => step.id === id))) checker.fail('offer.steps', { code: 'choice.unknown' });
    else steps = startStepChoices.filter((step) => ids.includes(step.id)).map((step) => ({ ...step }));
  }
  if (checker.hasErrors || !name || paid === undefined) return undefined;
  return {
    name,
    paid,
    steps,
    ...(description ? { description } : {}),
    ...(priceNote ? { priceNote } : {}),
    ...(clientLink ? { clientLink } : {}),
    ...(clientNextStep ? { clientNextStep } : {}),
  };
}

/** A readable, stable id for a new offer (« Paie – Essentiel » → paie-essentiel), unique in the catalogue. */
export function newOfferId(name: string, catalogue: readonly OfferDefinition[]): string {
  const base = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32) || 'offre';
  // « none » is how the portfolio's filter asks for files without an offer.
  let id = base === 'none' ? 'offre-none' : base;
  for (let suffix = 2; catalogue.some((offer) => offer.id === id); suffix++) id = `${base === 'none' ? 'offre-none' : base}-${suffix}`;
  return id;
}
