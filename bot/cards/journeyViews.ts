import type { ClientFile } from '../domain/clientFile.js';
import { contactDisplayName, type Contact } from '../domain/contact.js';
import type { IdentityChangePlan } from '../domain/contactChanges.js';
import type { ReviewEntry } from '../domain/guestEngagement.js';
import { guestFates, type GuestFate } from '../domain/ports.js';
import { format, messagesFor, type Language } from '../i18n/index.js';
import { describeGuest, formatDate } from './guestViews.js';
import { renderCard, type AdaptiveCard } from './render.js';

/** Cards of a contact's changes and of the end of an engagement: each states what will happen before anything is done. */

/** Guest fates in the order offered, the firm's default first among equals (preselected). */
function fateChoices(language: Language, allowed: readonly GuestFate[] = guestFates) {
  const fates = messagesFor(language).engagement.fates;
  return allowed.map((value) => ({ title: fates[value], value }));
}

function common(language: Language) {
  const messages = messagesFor(language);
  return { requiredMessage: messages.errors.requiredField, cancelLabel: messages.actions.cancel, fateLabel: messages.engagement.guestFateChoice };
}

/** The confirmation of a change of an invited contact's e-mail; the form's values travel with it. */
export function identityChangeCard(language: Language, plan: IdentityChangePlan, values: Record<string, string>): AdaptiveCard {
  const t = messagesFor(language).engagement;
  const params = { from: plan.from, to: plan.to, count: String(plan.openOffers) };
  return renderCard('identityChange', {
    ...common(language),
    title: format(t.identityTitle, { name: contactDisplayName(plan.contact) }),
    intro: format(t.identityIntro, params),
    lines: [
      { line: format(t.identityOldGuest, { state: describeGuest(language, plan.contact.guest).text }) },
      { line: format(t.identityInvite, params) },
      { line: plan.openOffers > 0 ? format(t.identityOffers, params) : t.identityNoOffers },
    ],
    fates: fateChoices(language),
    defaultFate: plan.defaultOldGuestFate,
    defaultHint: t.endDefault,
    confirmLabel: t.identityConfirm,
    submitted: { ...values, contactId: plan.contact.id, expectedEmail: plan.from },
  });
}

/** Ending a guest's last offer: what becomes of the guest, the firm's default preselected. */
export function offerEndGuestCard(language: Language, input: { contact: Contact; offerName: string; clientFileCode: string; subscriptionId: string; version: number; defaultFate: GuestFate }): AdaptiveCard {
  const t = messagesFor(language).engagement;
  const name = contactDisplayName(input.contact);
  return renderCard('offerEndGuest', {
    ...common(language),
    title: format(t.endTitle, { name }),
    intro: format(t.endIntro, { name, offer: input.offerName, code: input.clientFileCode }),
    fates: fateChoices(language),
    defaultFate: input.defaultFate,
    defaultHint: t.endDefault,
    confirmLabel: t.endConfirm,
    subscriptionId: input.subscriptionId,
    version: input.version,
  });
}

/** Choose the file to leave (several), or confirm leaving one, with what ends. */
export function unlinkCard(
  language: Language,
  input: { contact: Contact; files?: ClientFile[]; confirm?: { file: ClientFile; openOffers: number; primary: boolean } },
): AdaptiveCard {
  const t = messagesFor(language).engagement;
  const name = contactDisplayName(input.contact);
  const confirm = input.confirm;
  const lines = confirm
    ? [
        format(t.unlinkIntro, { name, code: confirm.file.code, company: confirm.file.companyName }),
        ...(confirm.openOffers > 0 ? [format(t.unlinkOffers, { count: String(confirm.openOffers) })] : []),
        ...(confirm.primary ? [t.unlinkPrimary] : []),
      ]
    : [];
  return renderCard('contactUnlink', {
    ...common(language),
    title: confirm ? format(t.unlinkTitle, { name, code: confirm.file.code }) : format(t.unlinkChooseTitle, { name }),
    lines: lines.map((line) => ({ line })),
    choosing: !confirm,
    chooseLabel: t.unlinkChoose,
    files: (input.files ?? []).map((file) => ({ title: `${file.code} – ${file.companyName}`, value: file.id })),
    nextLabel: t.unlinkNext,
    confirmLabel: t.unlinkConfirm,
    contactId: input.contact.id,
    clientFileId: confirm?.file.id ?? '',
  });
}

export function deleteContactCard(language: Language, input: { contact: Contact; files: number; openOffers: number; isGuest: boolean; defaultFate: GuestFate }): AdaptiveCard {
  const t = messagesFor(language).engagement;
  const name = contactDisplayName(input.contact);
  const lines = [
    format(t.deleteIntro, { name, files: String(input.files) }),
    ...(input.openOffers > 0 ? [format(t.deleteOffers, { count: String(input.openOffers) })] : []),
    ...(input.isGuest ? [format(t.deleteGuest, { state: describeGuest(language, input.contact.guest).text })] : []),
  ];
  return renderCard('contactDelete', {
    ...common(language),
    title: format(t.deleteTitle, { name }),
    lines: lines.map((line) => ({ line })),
    isGuest: input.isGuest,
    fates: fateChoices(language),
    defaultFate: input.defaultFate,
    confirmLabel: t.deleteConfirm,
    contactId: input.contact.id,
  });
}

/** Shown at most this many guests at once: decisions are made a few at a time. */
export const reviewPageSize = 15;

export function guestReviewCard(language: Language, input: { entries: ReviewEntry[]; afterDays: number; banner?: string }): AdaptiveCard {
  const t = messagesFor(language).engagement;
  const days = String(input.afterDays);
  const shown = input.entries.slice(0, reviewPageSize);
  return renderCard('guestReview', {
    title: t.reviewTitle,
    banner: input.banner ?? '',
    intro: input.entries.length === 0 ? format(t.reviewNone, { days }) : format(t.reviewIntro, { days }),
    decideLabel: t.reviewDecide,
    entries: shown.map((entry) => ({ contactId: entry.contact.id, line: reviewLine(language, entry) })),
    more: input.entries.length > shown.length ? format(t.reviewMore, { count: String(input.entries.length - shown.length) }) : '',
  });
}

export function reviewDecisionCard(language: Language, entry: ReviewEntry, defaultFate: GuestFate): AdaptiveCard {
  const t = messagesFor(language).engagement;
  return renderCard('reviewDecision', {
    ...common(language),
    title: t.reviewTitle,
    line: reviewLine(language, entry),
    fates: fateChoices(language),
    defaultFate,
    confirmLabel: t.reviewDecide,
    contactId: entry.contact.id,
    cancelLabel: t.reviewTitle,
  });
}

function reviewLine(language: Language, entry: ReviewEntry): string {
  const t = messagesFor(language).engagement;
  return format(t.reviewLine, { name: contactDisplayName(entry.contact), email: entry.contact.email, date: formatDate(language, entry.idleSince), days: String(entry.idleDays) });
}
