import type { Server } from 'restify';
import { z } from 'zod';
import { requirements } from '../domain/access/policy.js';
import type { OfferCommands } from '../domain/offers/offerCommands.js';
import { authenticatedRoute, refusalSentence, type PortfolioApi } from './portfolio.js';

const idSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'identifiant d’offre invalide');
const endBody = z.object({ expectedVersion: z.number({ invalid_type_error: 'version attendue' }).int().min(1) }).strict();

/**
 * POST /api/offers/subscriptions/:id/end: a contact's offer ended from the client's page, after a
 * confirmation in the tab; the same rules as the Teams card (a paid offer needs « Offres –
 * modification »), the client's card is updated, and a page out of date is told so (409).
 */
export function registerOfferEndRoute(server: Server, api: Pick<PortfolioApi, 'auth' | 'access' | 'logger'>, deps: { offers: OfferCommands }): void {
  server.post(
    '/api/offers/subscriptions/:id/end',
    authenticatedRoute(api, requirements.read('offers'), async (actor, req, res, access) => {
      const id = idSchema.safeParse(req.params?.id);
      const body = endBody.safeParse(req.body ?? {});
      if (!id.success || !body.success) return void res.send(400, { error: 'Requête invalide : identifiant et version de l’offre attendus.' });
      // The use case checks the file's service (another's throws OtherServiceError, answered 403) and the paid-offer rule.
      const outcome = await deps.offers.end({ ...actor, access }, { subscriptionId: id.data, expectedVersion: body.data.expectedVersion }, 'refuse');
      if (outcome.status === 'refused' || outcome.status === 'needsApproval') {
        const missing = outcome.status === 'refused' ? outcome.missing : requirements.change('offers');
        return void res.send(403, { error: refusalSentence({ allowed: false, reason: 'missingProfile', missing }) });
      }
      if (outcome.status === 'done') return void res.send(200, { state: 'ended' });
      if (outcome.status === 'stale') return void res.send(409, { error: 'Cette offre a changé entre-temps : les dernières informations sont affichées.' });
      if (outcome.status === 'ended') return void res.send(409, { error: 'Cette offre est déjà terminée.' });
      res.send(404, { error: 'Offre introuvable.' });
    }),
  );
}
