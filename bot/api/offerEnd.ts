import type { Server } from 'restify';
import { z } from 'zod';
import { decide, requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import type { OfferService } from '../domain/offers/offerService.js';
import type { SubscriptionStore } from '../domain/offers/subscription.js';
import { authenticatedRoute, refusalSentence, type PortfolioApi } from './portfolio.js';

const idSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'identifiant d’offre invalide');
const endBody = z.object({ expectedVersion: z.number({ invalid_type_error: 'version attendue' }).int().min(1) }).strict();

/**
 * POST /api/offers/subscriptions/:id/end: a contact's offer ended from the client's page, after a
 * confirmation in the tab; the same rules as the Teams card (a paid offer needs « Offres –
 * modification »), the client's card is updated, and a page out of date is told so (409).
 */
export function registerOfferEndRoute(server: Server, api: Pick<PortfolioApi, 'auth' | 'access' | 'logger'>, deps: { offers: OfferService; subscriptions: Pick<SubscriptionStore, 'findById'>; clientFiles: ClientFileService }): void {
  server.post(
    '/api/offers/subscriptions/:id/end',
    authenticatedRoute(api, requirements.read('offers'), async (actor, req, res, access) => {
      const id = idSchema.safeParse(req.params?.id);
      const body = endBody.safeParse(req.body ?? {});
      if (!id.success || !body.success) return void res.send(400, { error: 'Requête invalide : identifiant et version de l’offre attendus.' });
      const subscription = await deps.subscriptions.findById(actor.firmId, id.data);
      // Another service's file throws OtherServiceError, answered 403 with its reason.
      if (!subscription || !(await deps.clientFiles.details(actor.firmId, subscription.clientFileId, visibleServiceIds(access)))) {
        return void res.send(404, { error: 'Offre introuvable.' });
      }
      const offer = await deps.offers.offerOf(actor.firmId, subscription.offerId);
      const decision = decide(access, requirements.change('offers'));
      if (offer?.paid && !decision.allowed) return void res.send(403, { error: refusalSentence(decision) });
      const outcome = await deps.offers.end(actor.firmId, { userId: actor.userId, displayName: actor.displayName, at: new Date() }, id.data, body.data.expectedVersion);
      if (outcome.status === 'done') return void res.send(200, { state: 'ended' });
      if (outcome.status === 'stale') return void res.send(409, { error: 'Cette offre a changé entre-temps : les dernières informations sont affichées.' });
      if (outcome.status === 'ended') return void res.send(409, { error: 'Cette offre est déjà terminée.' });
      res.send(404, { error: 'Offre introuvable.' });
    }),
  );
}
