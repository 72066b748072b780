import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { legacyAccessesCard, offerProposalCard } from '../../cards/offerViews.js';
import { stampOf } from '../../domain/actor.js';
import { decide, requirements } from '../../domain/access/policy.js';
import type { AccessService } from '../../domain/access/accessService.js';
import { contactDisplayName } from '../../domain/contact.js';
import type { LegacyAccessService } from '../../domain/offers/legacy.js';
import type { ChangeOutcome, OfferService } from '../../domain/offers/offerService.js';
import { fieldErrorMessage, format } from '../../i18n/index.js';
import { refusalText } from '../accessText.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import type { OfferCards } from '../offerCards.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { assertVisible, clientFileFor, contactFor } from '../visibility.js';
import { parseCardData } from './cardData.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i);
const proposeData = z.object({ contactId: objectId, clientFileId: objectId.optional(), offerId: z.string().min(1).max(40).optional() });
const versioned = z.object({ subscriptionId: objectId, version: z.coerce.number().int().positive() });
const changeData = versioned.extend({ offerId: z.string().min(1).max(40).optional() });
const stepData = versioned.extend({ stepId: z.string().min(1).max(60) });
const showData = z.object({ subscriptionId: objectId });
const migrateData = z.object({ contactId: objectId, index: z.coerce.number().int().min(0) }).passthrough();

export interface OfferTeamsServices {
  offers: OfferService;
  cards: OfferCards;
  access: AccessService;
  legacy: LegacyAccessService;
}

/** The proposal form for a contact: their client files and the firm's catalogue. */
export async function proposalFor(services: TeamsServices, offerServices: OfferTeamsServices, session: TurnSession, contactId: string, banner?: string) {
  // Only the contact's files the user may see are offered; a contact of other services only is refused.
  const details = await contactFor(services, session, contactId);
  if (!details) return null;
  const catalogue = await offerServices.offers.catalogue(session.actor.firmId);
  return offerProposalCard(session.language, details.contact, details.clientFiles.map((entry) => entry.file), catalogue, { banner });
}

export class OpenProposalAction implements CardActionHandler {
  readonly verb = 'offer.openProposal';
  readonly requires: Access = requirements.read('offers');
  constructor(private readonly services: TeamsServices, private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId } = parseCardData(this.verb, proposeData, data);
    const card = await proposalFor(this.services, this.offerServices, session, contactId);
    return card ? { card } : { message: session.t.contact.gone };
  }
}

/** Paid offers commit the firm: without "Offres – modification" the wish becomes a request to approve. */
async function paidOfferGate(offerServices: OfferTeamsServices, session: TurnSession, offerId: string, request: { clientFileId: string; contactId: string; summary: string }): Promise<CardActionResult | null> {
  const offer = await offerServices.offers.offerOf(session.actor.firmId, offerId);
  if (!offer?.paid || decide(session.access, requirements.change('offers')).allowed) return null;
  if (!session.access.email) return { message: session.t.errors.accessCheckFailed };
  const outcome = await offerServices.access.request({ ...session.actor, email: session.access.email }, { kind: 'paidOffer', offer: { ...request, offerId } });
  return { message: outcome.ok ? format(session.t.offers.refused, { number: outcome.value.number }) : refusalText(session.t, outcome.refusal) };
}

export class ProposeOfferAction implements CardActionHandler {
  readonly verb = 'offer.propose';
  readonly requires: Access = requirements.read('offers');
  constructor(private readonly services: TeamsServices, private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { t, actor, language } = session;
    const { contactId, clientFileId, offerId } = parseCardData(this.verb, proposeData, data);
    if (!clientFileId || !offerId) {
      const card = await proposalFor(this.services, this.offerServices, session, contactId, t.errors.formHasErrors);
      return card ? { card } : { message: t.contact.gone };
    }
    const [contact, file] = await Promise.all([contactFor(this.services, session, contactId), clientFileFor(this.services, session, clientFileId)]);
    if (!contact || !file) return { message: t.contact.gone };
    const offerName = (await this.offerServices.offers.offerOf(actor.firmId, offerId))?.name ?? offerId;
    const gate = await paidOfferGate(this.offerServices, session, offerId, { clientFileId, contactId, summary: `${offerName} – ${contactDisplayName(contact.contact)} (dossier ${file.file.code})` });
    if (gate) return gate;
    const outcome = await this.offerServices.offers.propose(actor.firmId, stampOf(actor, new Date()), { clientFileId, contactId, offerId });
    if (!('subscription' in outcome)) {
      const sentence = outcome.status === 'offerUnknown' ? t.offers.offerUnknown : outcome.status === 'notLinked' ? t.offers.notLinked : t.contact.gone;
      const card = await proposalFor(this.services, this.offerServices, session, contactId, sentence);
      return card ? { card } : { message: sentence };
    }
    const params = { offer: outcome.offer.name, name: contactDisplayName(contact.contact), code: file.file.code };
    const sent = outcome.status === 'activated' && contact.contact.guest?.state === 'member';
    const sentence = {
      activated: sent ? t.offers.activated : t.offers.activatedNoCard,
      waitingForGuest: t.offers.waiting,
      invitationStarted: t.offers.invitationStarted,
      unchanged: t.offers.unchanged,
      alreadyHasOffer: t.offers.alreadyHasOffer,
    }[outcome.status];
    const context = await this.offerServices.cards.context(actor.firmId, outcome.subscription.id);
    if (!context) return { message: format(sentence, params) };
    return { card: this.offerServices.cards.staffView(language, context, { text: format(sentence, params), good: outcome.status !== 'alreadyHasOffer' }) };
  }
}

/** The offer card's data for staff; an offer on another service's file is refused (OtherServiceError). */
async function offerContextFor(offerServices: OfferTeamsServices, session: TurnSession, subscriptionId: string) {
  const context = await offerServices.cards.context(session.actor.firmId, subscriptionId);
  if (context) assertVisible(session, context.clientFile);
  return context;
}

async function staffCardAfter(offerServices: OfferTeamsServices, session: TurnSession, subscriptionId: string, outcome: ChangeOutcome, doneText: string): Promise<CardActionResult> {
  const t = session.t.offers;
  const banner =
    outcome.status === 'done'
      ? { text: doneText, good: true }
      : outcome.status === 'stale'
        ? { text: t.stale, good: false }
        : { text: { notFound: session.t.errors.staleCard, offerUnknown: t.offerUnknown, ended: t.alreadyEnded, stepOutOfOrder: t.stepOutOfOrder, notActive: t.notActive }[outcome.status], good: false };
  const context = await offerServices.cards.context(session.actor.firmId, subscriptionId);
  return context ? { card: offerServices.cards.staffView(session.language, context, banner) } : { message: banner.text };
}

export class ChangeOfferAction implements CardActionHandler {
  readonly verb = 'offer.change';
  readonly requires: Access = requirements.read('offers');
  constructor(private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { subscriptionId, version, offerId } = parseCardData(this.verb, changeData, data);
    const context = await offerContextFor(this.offerServices, session, subscriptionId);
    if (!context) return { message: session.t.errors.staleCard };
    if (!offerId) return staffCardAfter(this.offerServices, session, subscriptionId, { status: 'offerUnknown' }, '');
    const target = await this.offerServices.offers.offerOf(session.actor.firmId, offerId);
    // Moving to a paid offer commits the firm: without the profile it becomes a request to approve.
    const summary = `${target?.name ?? offerId} – ${contactDisplayName(context.contact)} (dossier ${context.clientFile.code})`;
    const gate = await paidOfferGate(this.offerServices, session, offerId, { clientFileId: context.clientFile.id, contactId: context.contact.id, summary });
    if (gate) return gate;
    // Moving away from a paid offer needs the same profile as ending it.
    if (context.offer.paid && !decide(session.access, requirements.change('offers')).allowed) {
      return { message: format(session.t.access.refusedMissingProfile, { application: session.t.access.applications.offers, level: session.t.access.levels.modification }) };
    }
    const outcome = await this.offerServices.offers.change(session.actor.firmId, stampOf(session.actor, new Date()), subscriptionId, version, offerId);
    return staffCardAfter(this.offerServices, session, subscriptionId, outcome, format(session.t.offers.changed, { offer: target?.name ?? offerId }));
  }
}

export class EndOfferAction implements CardActionHandler {
  readonly verb = 'offer.end';
  readonly requires: Access = requirements.read('offers');
  constructor(private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { subscriptionId, version } = parseCardData(this.verb, versioned, data);
    const context = await offerContextFor(this.offerServices, session, subscriptionId);
    if (!context) return { message: session.t.errors.staleCard };
    if (context.offer.paid && !decide(session.access, requirements.change('offers')).allowed) {
      return { message: format(session.t.access.refusedMissingProfile, { application: session.t.access.applications.offers, level: session.t.access.levels.modification }) };
    }
    const outcome = await this.offerServices.offers.end(session.actor.firmId, stampOf(session.actor, new Date()), subscriptionId, version);
    return staffCardAfter(this.offerServices, session, subscriptionId, outcome, session.t.offers.ended);
  }
}

export class CompleteOfferStepAction implements CardActionHandler {
  readonly verb = 'offer.step';
  readonly requires: Access = requirements.read('offers');
  constructor(private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { subscriptionId, version, stepId } = parseCardData(this.verb, stepData, data);
    await offerContextFor(this.offerServices, session, subscriptionId);
    const outcome = await this.offerServices.offers.completeStep(session.actor.firmId, stampOf(session.actor, new Date()), subscriptionId, version, stepId);
    const context = await this.offerServices.cards.context(session.actor.firmId, subscriptionId);
    const label = context?.offer.steps.find((step) => step.id === stepId)?.label ?? stepId;
    return staffCardAfter(this.offerServices, session, subscriptionId, outcome, format(session.t.offers.stepDone, { step: label }));
  }
}

export class ShowOfferAction implements CardActionHandler {
  readonly verb = 'offer.show';
  readonly requires: Access = requirements.read('offers');
  constructor(private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { subscriptionId } = parseCardData(this.verb, showData, data);
    const context = await offerContextFor(this.offerServices, session, subscriptionId);
    return context ? { card: this.offerServices.cards.staffView(session.language, context) } : { message: session.t.errors.staleCard };
  }
}

export class MigrateLegacyAction implements CardActionHandler {
  readonly verb = 'legacy.migrate';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, index } = parseCardData(this.verb, migrateData, data);
    const raw = data[`email${index}`];
    const outcome = await this.offerServices.legacy.migrate(session.actor.firmId, contactId, typeof raw === 'string' ? raw : undefined, stampOf(session.actor, new Date()));
    const banner = outcome.ok
      ? { text: format(session.t.offers.legacyMigrated, { name: contactDisplayName(outcome.contact), email: outcome.contact.email }), good: true }
      : { text: outcome.reason === 'email.legacy' ? session.t.offers.legacyIntro : fieldErrorMessage(session.language, { code: outcome.reason === 'email.taken' ? 'email.taken' : outcome.reason === 'contact.notFound' ? 'contact.notFound' : 'email.invalid', params: { name: '' } }), good: false };
    return { card: legacyAccessesCard(session.language, await this.offerServices.legacy.list(session.actor.firmId), banner) };
  }
}
