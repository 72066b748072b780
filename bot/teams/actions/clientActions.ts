import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { renderCard } from '../../cards/render.js';
import type { Actor } from '../../domain/actor.js';
import { canSeeService, decide, requirements, visibleServiceIds } from '../../domain/access/policy.js';
import { messagesFor } from '../../i18n/index.js';
import type { CardActionResult } from '../handlers.js';
import type { OfferCards } from '../offerCards.js';
import type { SessionResolver } from '../session.js';
import type { OfferService } from '../../domain/offers/offerService.js';
import { parseCardData } from './cardData.js';

/**
 * Verbs a client (guest) may trigger on a card addressed to them. They bypass the staff session:
 * the invoking user is checked against the contact the card is about, and anyone else gets either
 * the staff view (staff with the offers profile) or a neutral card.
 */
export interface ClientCardAction {
  readonly verb: string;
  handle(context: TurnContext, who: Actor, data: Record<string, unknown>): Promise<CardActionResult>;
}

const refreshData = z.object({ subscriptionId: z.string().regex(/^[0-9a-f]{24}$/i) });
const acknowledgeData = refreshData.extend({ version: z.coerce.number().int().positive() });

function neutralCard(): CardActionResult {
  const t = messagesFor('fr').offers;
  return { card: renderCard('myRights', { title: t.propose, role: t.neutral, profilesTitle: '', noProfile: '', profiles: [], pending: '' }) };
}

export class RefreshOfferCardAction implements ClientCardAction {
  readonly verb = 'client.offerRefresh';
  constructor(private readonly deps: { cards: OfferCards; sessions: SessionResolver }) {}

  async handle(context: TurnContext, who: Actor, data: Record<string, unknown>): Promise<CardActionResult> {
    const { subscriptionId } = parseCardData(this.verb, refreshData, data);
    const card = await this.deps.cards.context(who.firmId, subscriptionId);
    if (!card) return neutralCard();
    if (card.contact.guest?.directoryUserId === who.userId) return { card: this.deps.cards.clientView(card) };
    const session = await this.deps.sessions.resolve(context).catch(() => null);
    // Staff of another service than the file's get the neutral card, as anyone else would.
    if (session && decide(session.access, requirements.read('offers')).allowed && canSeeService(visibleServiceIds(session.access), card.clientFile.serviceId)) {
      return { card: this.deps.cards.staffView(session.language, card) };
    }
    return neutralCard();
  }
}

export class AcknowledgeOfferAction implements ClientCardAction {
  readonly verb = 'client.offerAcknowledge';
  constructor(private readonly deps: { cards: OfferCards; offers: OfferService }) {}

  async handle(_context: TurnContext, who: Actor, data: Record<string, unknown>): Promise<CardActionResult> {
    const { subscriptionId, version } = parseCardData(this.verb, acknowledgeData, data);
    const card = await this.deps.cards.context(who.firmId, subscriptionId);
    if (!card || card.contact.guest?.directoryUserId !== who.userId) return neutralCard();
    const outcome = await this.deps.offers.acknowledge(who.firmId, subscriptionId, version, { userId: who.userId, displayName: who.displayName, at: new Date() });
    const refreshed = (await this.deps.cards.context(who.firmId, subscriptionId)) ?? card;
    const t = messagesFor(refreshed.clientLanguage).offers;
    return { card: this.deps.cards.clientView(refreshed, outcome.status === 'done' ? t.clientAcknowledged : undefined) };
  }
}
