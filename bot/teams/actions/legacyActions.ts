import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { accessRefusedCard } from '../../cards/accessViews.js';
import { contactDetailsCard } from '../../cards/views.js';
import { requirements } from '../../domain/access/policy.js';
import type { LegacyAccessService } from '../../domain/offers/legacy.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { staffActorOf } from '../staffActor.js';
import { contactFor } from '../visibility.js';
import { parseCardData } from './cardData.js';

const flagData = z.object({ contactId: z.string().regex(/^[0-9a-f]{24}$/i), flagged: z.enum(['true', 'false']) });

/** Flags a contact's old paid Co-production access from their card (seed 000: kept, listed, never replaced), or clears it. */
export class FlagLegacyAccessAction implements CardActionHandler {
  readonly verb = 'contact.flagLegacy';
  readonly requires: Access = requirements.change('contacts');
  constructor(
    private readonly services: TeamsServices,
    private readonly legacy: LegacyAccessService,
  ) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId, flagged } = parseCardData(this.verb, flagData, data);
    // A contact of other services only is refused (« autre service ») before anything is written.
    if (!(await contactFor(this.services, session, contactId))) return { message: session.t.contact.gone };
    const outcome = await this.legacy.setCoproductionFlag(staffActorOf(session), contactId, flagged === 'true');
    if (outcome.status === 'refused') return { card: accessRefusedCard(session.language, 'missingProfile', outcome.missing) };
    const details = await contactFor(this.services, session, contactId);
    if (outcome.status === 'contactNotFound' || !details) return { message: session.t.contact.gone };
    return { card: contactDetailsCard(session.language, details, flagged === 'true' ? session.t.offers.legacyFlagged : session.t.offers.legacyUnflagged) };
  }
}
