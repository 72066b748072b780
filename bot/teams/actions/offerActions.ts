import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { legacyAccessesCard, offerProposalCard } from '../../cards/offerViews.js';
import { stampOf } from '../../domain/actor.js';
import { requirements } from '../../domain/access/policy.js';
import { describeRequest } from '../../cards/accessViews.js';
import type { AccessUseCases } from '../../domain/access/accessUseCases.js';
import { contactDisplayName } from '../../domain/contact.js';
import type { LegacyAccessService } from '../../domain/offers/legacy.js';
import type { GuestFate } from '../../domain/ports.js';
import type { OfferCommands, OfferGateOutcome } from '../../domain/offers/offerCommands.js';
import type { ChangeOutcome, OfferService } from '../../domain/offers/offerService.js';
import { fieldErrorMessage, format } from '../../i18n/index.js';
import { refusalText } from '../accessText.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import type { OfferCards } from '../offerCards.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { assertVisible, contactFor } from '../visibility.js';
import { staffActorOf } from '../staffActor.js';
import { parseCardData } from './cardData.js';
import { offerEndGuestCard } from '../../cards/journeyViews.js';
import type { GuestEngagement } from '../../domain/guestEngagement.js';
import { guestFates } from '../../domain/ports.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i);
const proposeData = z.object({ contactId: objectId, clientFileId: objectId.optional(), offerId: z.string().min(1).max(40).optional() });
const versioned = z.object({ subscriptionId: objectId, version: z.coerce.number().int().positive() });
const endData = versioned.extend({ guestFate: z.enum(guestFates as [string, ...string[]]).optional() });
const changeData = versioned.extend({ offerId: z.string().min(1).max(40).optional() });
const stepData = versioned.extend({ stepId: z.string().min(1).max(60) });
const showData = z.object({ subscriptionId: objectId });
const migrateData = z.object({ contactId: objectId, index: z.coerce.number().int().min(0) }).passthrough();

export interface OfferTeamsServices {
  offers: OfferService;
  /** The guest's fate when their last offer ends (asked before ending it). */
  engagement?: Pick<GuestEngagement, 'endingPlan'>;
  /** Propose, change, end: the offers profile, the file's service and the paid-offer rule are checked there. */
  commands: OfferCommands;
  cards: OfferCards;
  access: AccessUseCases;
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

/** What the user reads when the paid-offer rule stopped them: the request filed in their name, or why not. */
function gateMessage(session: TurnSession, outcome: OfferGateOutcome): CardActionResult {
  const t = session.t;
  if (outcome.status === 'needsApproval') return { message: format(t.offers.refused, { number: outcome.request.number, what: describeRequest(session.language, outcome.request) }) };
  if (outcome.requestRefusal === 'noEmail') return { message: t.errors.accessCheckFailed };
  if (outcome.requestRefusal) return { message: refusalText(t, outcome.requestRefusal) };
  return { message: format(t.access.refusedMissingProfile, { application: t.access.applications[outcome.missing.application], level: t.access.levels[outcome.missing.level] }) };
}

const stoppedByGate = (outcome: { status: string }): outcome is OfferGateOutcome => outcome.status === 'refused' || outcome.status === 'needsApproval';

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
    // Without « Offres – modification » a paid offer becomes a request to approve, filed by the use case.
    const outcome = await this.offerServices.commands.propose(staffActorOf(session), { clientFileId, contactId, offerId }, 'askApproval');
    if (stoppedByGate(outcome)) return gateMessage(session, outcome);
    if (!('subscription' in outcome)) {
      const sentence = outcome.status === 'offerUnknown' ? t.offers.offerUnknown : outcome.status === 'notLinked' ? t.offers.notLinked : t.contact.gone;
      const card = await proposalFor(this.services, this.offerServices, session, contactId, sentence);
      return card ? { card } : { message: sentence };
    }
    const context = await this.offerServices.cards.context(actor.firmId, outcome.subscription.id);
    if (!context) return { message: t.contact.gone };
    const params = { offer: outcome.offer.name, name: contactDisplayName(context.contact), code: context.clientFile.code };
    const sent = outcome.status === 'activated' && context.contact.guest?.state === 'member';
    const sentence = {
      activated: sent ? t.offers.activated : t.offers.activatedNoCard,
      waitingForGuest: t.offers.waiting,
      invitationStarted: t.offers.invitationStarted,
      unchanged: t.offers.unchanged,
      alreadyHasOffer: t.offers.alreadyHasOffer,
    }[outcome.status];
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
    // No offer chosen is an unknown offer, answered on the offer's card once the use case has checked its service.
    const outcome = await this.offerServices.commands.change(staffActorOf(session), { subscriptionId, expectedVersion: version, offerId: offerId ?? '' }, 'askApproval');
    if (stoppedByGate(outcome)) return gateMessage(session, outcome);
    const target = offerId ? await this.offerServices.offers.offerOf(session.actor.firmId, offerId) : undefined;
    return staffCardAfter(this.offerServices, session, subscriptionId, outcome, format(session.t.offers.changed, { offer: target?.name ?? offerId ?? '' }));
  }
}

export class EndOfferAction implements CardActionHandler {
  readonly verb = 'offer.end';
  readonly requires: Access = requirements.read('offers');
  constructor(private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { subscriptionId, version, guestFate } = parseCardData(this.verb, endData, data);
    const actor = staffActorOf(session);
    if (!guestFate) {
      // The contact's last offer: ask what becomes of their guest access before ending anything.
      const asked = await this.guestFateQuestion(session, subscriptionId, version);
      if (asked) return asked;
    }
    const outcome = await this.offerServices.commands.end(actor, { subscriptionId, expectedVersion: version, guestFate: guestFate as GuestFate | undefined }, 'askApproval');
    if (stoppedByGate(outcome)) return gateMessage(session, outcome);
    const fate = 'guest' in outcome && outcome.guest.outcome === 'done' ? ` ${session.t.engagement.fateDone[outcome.guest.fate]}` : '';
    return staffCardAfter(this.offerServices, session, subscriptionId, outcome, `${session.t.offers.ended}${fate}`);
  }

  private async guestFateQuestion(session: TurnSession, subscriptionId: string, version: number): Promise<CardActionResult | null> {
    const engagement = this.offerServices.engagement;
    const context = engagement && (await offerContextFor(this.offerServices, session, subscriptionId));
    if (!engagement || !context) return null;
    const { subscription, contact, clientFile, offer } = context;
    // Out of date, already ended, or a paid offer this user may only ask for: the use case answers as before.
    if (subscription.version !== version || subscription.state === 'ended' || (offer.paid && !this.offerServices.commands.mayChangeOffers(staffActorOf(session)))) return null;
    const plan = await engagement.endingPlan(session.actor.firmId, subscription, contact);
    if (!plan.asksGuestFate) return null;
    return { card: offerEndGuestCard(session.language, { contact, offerName: offer.name, clientFileCode: clientFile.code, subscriptionId, version, defaultFate: plan.defaultFate }) };
  }
}

export class CompleteOfferStepAction implements CardActionHandler {
  readonly verb = 'offer.step';
  readonly requires: Access = requirements.read('offers');
  constructor(private readonly offerServices: OfferTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { subscriptionId, version, stepId } = parseCardData(this.verb, stepData, data);
    const outcome = await this.offerServices.commands.completeStep(staffActorOf(session), { subscriptionId, expectedVersion: version, stepId });
    if (stoppedByGate(outcome)) return gateMessage(session, outcome);
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
      : { text: outcome.reason === 'legacy.keptCoproduction' ? session.t.offers.legacyKept : outcome.reason === 'email.legacy' ? session.t.offers.legacyIntro : fieldErrorMessage(session.language, { code: outcome.reason === 'email.taken' ? 'email.taken' : outcome.reason === 'contact.notFound' ? 'contact.notFound' : 'email.invalid', params: { name: '' } }), good: false };
    return { card: legacyAccessesCard(session.language, await this.offerServices.legacy.list(session.actor.firmId), banner) };
  }
}
