import type { Server } from 'restify';
import { z } from 'zod';
import { decide, requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import type { OfferService } from '../domain/offers/offerService.js';
import type { SubscriptionStore } from '../domain/offers/subscription.js';
import { issueKey } from '../i18n/apiMessages.js';
import { problem, refusal } from './http/problems.js';
import { json, tabRoute, type TabEdge } from './http/route.js';

const subscriptionParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i, issueKey('offerId')) });
const endBody = z.object({ expectedVersion: z.number({ invalid_type_error: issueKey('offerVersion') }).int().min(1) }).strict();

/**
 * POST /api/offers/subscriptions/:id/end: a contact's offer ended from the client's page, after a
 * confirmation in the tab; the same rules as the Teams card (a paid offer needs « Offres –
 * modification »), the client's card is updated, and a page out of date is told so (409).
 */
export function registerOfferEndRoute(server: Server, api: TabEdge, deps: { offers: OfferService; subscriptions: Pick<SubscriptionStore, 'findById'>; clientFiles: ClientFileService }): void {
  server.post(
    '/api/offers/subscriptions/:id/end',
    tabRoute(api, {
      requirement: requirements.read('offers'),
      params: subscriptionParams,
      body: endBody,
      async handle({ actor, access, language, params: { id }, body }) {
        const subscription = await deps.subscriptions.findById(actor.firmId, id);
        // Another service's file throws OtherServiceError, answered 403 with its reason.
        if (!subscription || !(await deps.clientFiles.details(actor.firmId, subscription.clientFileId, visibleServiceIds(access)))) {
          return problem(language, 'offer.notFound');
        }
        const offer = await deps.offers.offerOf(actor.firmId, subscription.offerId);
        const decision = decide(access, requirements.change('offers'));
        if (offer?.paid && !decision.allowed) return refusal(language, decision);
        const outcome = await deps.offers.end(actor.firmId, { userId: actor.userId, displayName: actor.displayName, at: new Date() }, id, body.expectedVersion);
        if (outcome.status === 'done') return json({ state: 'ended' });
        if (outcome.status === 'stale') return problem(language, 'offer.changedMeanwhile');
        if (outcome.status === 'ended') return problem(language, 'offer.alreadyEnded');
        return problem(language, 'offer.notFound');
      },
    }),
  );
}
