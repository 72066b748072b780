import type { Server } from 'restify';
import { z } from 'zod';
import { requirements } from '../domain/access/policy.js';
import type { OfferCommands } from '../domain/offers/offerCommands.js';
import { issueKey } from '../i18n/apiMessages.js';
import { guestFates, type GuestFate } from '../domain/ports.js';
import { problem, refusal } from './http/problems.js';
import { json, tabRoute, type TabEdge } from './http/route.js';

const subscriptionParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i, issueKey('offerId')) });
/** `guestFate`: what becomes of the guest when this is their last offer (GET …/ending says whether it is); absent: the firm's default. */
const endBody = z
  .object({
    expectedVersion: z.number({ invalid_type_error: issueKey('offerVersion') }).int().min(1),
    guestFate: z.enum(guestFates as [GuestFate, ...GuestFate[]], { errorMap: () => ({ message: issueKey('invalid') }) }).optional(),
  })
  .strict();

/**
 * POST /api/offers/subscriptions/:id/end: a contact's offer ended from the client's page, after a
 * confirmation in the tab; the same rules as the Teams card (a paid offer needs « Offres –
 * modification »), the client's card is updated, and a page out of date is told so (409).
 */
export function registerOfferEndRoute(server: Server, api: TabEdge, deps: { offers: OfferCommands }): void {
  server.post(
    '/api/offers/subscriptions/:id/end',
    tabRoute(api, {
      requirement: requirements.read('offers'),
      params: subscriptionParams,
      body: endBody,
      async handle({ actor, access, language, params: { id }, body }) {
        // The use case checks the file's service (another's throws OtherServiceError, answered 403) and the paid-offer rule.
        const outcome = await deps.offers.end({ ...actor, access }, { subscriptionId: id, expectedVersion: body.expectedVersion, guestFate: body.guestFate }, 'refuse');
        if (outcome.status === 'done') return json({ state: 'ended', guest: 'guest' in outcome ? outcome.guest : null });
        // From the tab a paid offer is never turned into a request: without the profile it is refused.
        if (outcome.status === 'refused') return refusal(language, { allowed: false, reason: 'missingProfile', missing: outcome.missing });
        if (outcome.status === 'needsApproval') return refusal(language, { allowed: false, reason: 'missingProfile', missing: requirements.change('offers') });
        if (outcome.status === 'stale') return problem(language, 'offer.changedMeanwhile');
        if (outcome.status === 'ended') return problem(language, 'offer.alreadyEnded');
        return problem(language, 'offer.notFound');
      },
    }),
  );
}
