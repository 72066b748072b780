import type { ClientFile } from '../domain/clientFile.js';
import { contactDisplayName, type Contact } from '../domain/contact.js';
import { proposableOffers, type OfferDefinition } from '../domain/offers/catalogue.js';
import type { ClientOfferProgress } from '../domain/offers/clientOnboarding.js';
import type { OfferSubscription } from '../domain/offers/subscription.js';
import { format, messagesFor, type Language } from '../i18n/index.js';
import { formatDate } from './guestViews.js';
import { renderCard, type AdaptiveCard } from './render.js';

/** « gratuite » or « payante (abonnement) », with the firm's price indication when it gave one. */
function priceOf(language: Language, offer: OfferDefinition): string {
  const t = messagesFor(language).offers;
  const kind = offer.paid ? t.paid : t.free;
  return offer.priceNote ? `${kind}, ${offer.priceNote}` : kind;
}

/** What an offer gives, for staff: the firm's description when it wrote one, else its grants and limits. */
function offerLine(language: Language, offer: OfferDefinition): string {
  const t = messagesFor(language).offers;
  const name = `**${offer.name}**`;
  if (offer.description) return format(t.describedLine, { name, price: priceOf(language, offer), description: offer.description });
  return format(t.grantsLine, { name, price: priceOf(language, offer), grants: offer.grants.join(', '), excludes: offer.excludes.join(', ') });
}

export function offerProposalCard(
  language: Language,
  contact: Contact,
  clientFiles: ClientFile[],
  catalogue: OfferDefinition[],
  options: { clientFileId?: string; banner?: string } = {},
): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.offers;
  // A retired offer is kept for the clients who have it, never proposed again.
  const offers = proposableOffers(catalogue);
  return renderCard('offerProposal', {
    title: format(t.proposalTitle, { name: contactDisplayName(contact) }),
    intro: clientFiles.length ? t.proposalIntro : t.noClientFile,
    banner: options.banner ?? '',
    offers: offers.map((offer) => ({ line: offerLine(language, offer) })),
    clientFileLabel: t.clientFileLabel,
    offerLabel: t.offerLabel,
    clientFileId: options.clientFileId ?? clientFiles[0]?.id ?? '',
    clientFiles: clientFiles.map((file) => ({ title: `${file.code} – ${file.companyName}`, value: file.id })),
    choices: offers.map((offer) => ({ title: format(t.offerChoice, { name: offer.name, price: priceOf(language, offer) }), value: offer.id })),
    contactId: contact.id,
    requiredMessage: messages.errors.requiredField,
    submitLabel: t.propose,
  });
}

export interface OfferCardContext {
  subscription: OfferSubscription;
  offer: OfferDefinition;
  catalogue: OfferDefinition[];
  contact: Contact;
  clientFile: ClientFile;
  /** Who gets their own view when they open the card (Teams user ids, at most 60). */
  refreshUserIds: string[];
  banner?: { text: string; good: boolean };
}

/** The staff's view of an offer: state, steps with who did them, change and end. */
export function offerStaffCard(language: Language, card: OfferCardContext): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.offers;
  const { subscription, offer } = card;
  const next = subscription.state === 'active' ? offer.steps[subscription.steps.length] : undefined;
  return renderCard('offerStaff', {
    subscriptionId: subscription.id,
    version: subscription.version,
    refreshUserIds: card.refreshUserIds,
    banner: card.banner?.text ?? '',
    bannerColor: card.banner?.good === false ? 'Attention' : 'Good',
    title: format(t.staffTitle, { offer: offer.name, name: contactDisplayName(card.contact) }),
    file: format(t.staffFile, { code: card.clientFile.code, company: card.clientFile.companyName }),
    state: format(t.stateLine, { state: t.states[subscription.state] }),
    stepsTitle: t.stepsTitle,
    steps: offer.steps.map((step, index) => {
      const done = subscription.steps.find((entry) => entry.id === step.id);
      return {
        line: format(t.stepLine, {
          mark: done ? '✔' : index === subscription.steps.length ? '➜' : '○',
          label: step.label,
          done: done ? format(t.stepDoneBy, { who: done.done.displayName, date: formatDate(language, done.done.at) }) : '',
        }),
      };
    }),
    nextStepId: next?.id ?? '',
    nextStepLabel: next ? format(t.markDone, { label: next.label }) : '',
    canChange: subscription.state !== 'ended',
    changeLabel: t.changeTo,
    changeConfirmLabel: t.changeConfirm,
    offerLabel: t.offerLabel,
    otherOffers: proposableOffers(card.catalogue).filter((candidate) => candidate.id !== offer.id).map((candidate) => ({ title: format(t.offerChoice, { name: candidate.name, price: priceOf(language, candidate) }), value: candidate.id })),
    endLabel: t.end,
    endConfirmLabel: format(t.endConfirm, { name: contactDisplayName(card.contact) }),
    requiredMessage: messages.errors.requiredField,
  });
}

interface ClientOfferText {
  canDo: string[];
  cannot: string[];
  next: string;
}

/**
 * What the client reads about their offer, in their language: the catalogue's words for the offers of
 * the procedure (Start, Consultation, Co-production), else the offer's own grants; the firm's next
 * step wins when it wrote one.
 */
export function clientOfferText(language: Language, offer: OfferDefinition): ClientOfferText {
  const t = messagesFor(language).offers;
  const known = (t.clientOffers as Record<string, ClientOfferText | undefined>)[offer.id];
  return {
    canDo: known?.canDo ?? offer.grants,
    cannot: known?.cannot ?? offer.excludes,
    next: offer.clientNextStep ? format(t.clientNextOwn, { next: offer.clientNextStep }) : (known?.next ?? t.clientNext),
  };
}

/** The client's view: what they have, how to sign in, their workspace's link and the next step. */
export function offerClientCard(language: Language, card: OfferCardContext & { firmName: string; link: string; acknowledged: boolean }): AdaptiveCard {
  const t = messagesFor(language).offers;
  const { subscription, offer } = card;
  const text = clientOfferText(language, offer);
  return renderCard('offerClient', {
    subscriptionId: subscription.id,
    version: subscription.version,
    refreshUserIds: card.refreshUserIds,
    banner: card.banner?.text ?? '',
    title: format(t.clientTitle, { offer: offer.name }),
    intro: format(t.clientIntro, { name: contactDisplayName(card.contact), firm: card.firmName, offer: offer.name, company: card.clientFile.companyName }),
    description: offer.description ? format(t.clientDescription, { description: offer.description }) : '',
    canDo: t.clientCanDo,
    cannot: t.clientCannot,
    grants: text.canDo.map((line) => ({ line })),
    excludes: text.cannot.map((line) => ({ line })),
    signIn: format(t.clientSignIn, { email: card.contact.email }),
    next: text.next,
    ended: subscription.state === 'ended',
    endedText: t.clientEnded,
    openLabel: t.clientOpen,
    // The offer's own workspace when the firm set one; else the invitation's redirect address.
    link: offer.clientLink ?? card.link,
    acknowledged: card.acknowledged,
    acknowledgeLabel: t.clientAcknowledge,
  });
}

export type LegacyKind = 'legacyStart' | 'legacyCoproduction';

export function legacyAccessesCard(language: Language, contacts: { contact: Contact; kind: LegacyKind }[], banner?: { text: string; good: boolean }): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.offers;
  return renderCard('legacyAccesses', {
    title: t.legacyTitle,
    intro: t.legacyIntro,
    none: t.legacyNone,
    banner: banner?.text ?? '',
    bannerColor: banner?.good ? 'Good' : 'Attention',
    migrateLabel: t.legacyMigrate,
    emailLabel: t.legacyNewEmail,
    requiredMessage: messages.errors.requiredField,
    // Only old Start identifiers move to the contact's e-mail; a paid Co-production access is kept.
    contacts: contacts.map(({ contact, kind }, index) => {
      const kept = Boolean(contact.legacyCoproductionLicence);
      return { index, id: contact.id, name: contactDisplayName(contact), email: contact.email, kind: kept ? `${t.legacyCoproduction} – ${t.legacyKeptLine}` : t[kind], canMigrate: !kept };
    }),
  });
}

/** « mon accompagnement »: the client's offers, the firm's set-up, and what is expected of them, first what to do now. */
export function clientOnboardingCard(language: Language, firmName: string, contact: Contact, offers: ClientOfferProgress[]): AdaptiveCard {
  const t = messagesFor(language).clientOnboarding;
  const expectedText = (progress: ClientOfferProgress) =>
    progress.expected === 'offerNextStep' ? clientOfferText(language, progress.offer).next : format(t.expectedLabel, { what: t.expected[progress.expected] });
  const first = offers.find((progress) => progress.expected !== 'nothing');
  return renderCard('clientOnboarding', {
    title: format(t.title, { firm: firmName }),
    intro: format(t.intro, { name: contactDisplayName(contact) }),
    // The offer's next step already says « Prochaine étape : … ».
    now: !first ? '' : first.expected === 'offerNextStep' ? clientOfferText(language, first.offer).next : format(t.now, { what: t.expected[first.expected] }),
    none: t.none,
    offers: offers.map((progress) => ({
      line: format(t.offerLine, { offer: progress.offer.name, company: progress.clientFile.companyName, state: t.states[progress.state] }),
      firmSteps: progress.firmSteps.total > 0 && progress.state === 'active' ? format(t.firmSteps, progress.firmSteps) : '',
      expected: expectedText(progress),
    })),
  });
}
