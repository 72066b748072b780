import type { Server } from 'restify';
import { z } from 'zod';
import { requirements } from '../domain/access/policy.js';
import type { GuestOnboardingService } from '../domain/guestOnboardingService.js';
import type { InvitationJob, InvitationJobStore } from '../jobs/invitationJobs.js';
import { authenticatedRoute, portfolioQuerySchema, serviceFilter, type PortfolioApi } from './portfolio.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'identifiant invalide');
/** The selected files: ticked ids (a page or a few), or « all matching the view » with the view's own parameters. */
export const bulkInvitationSchema = z
  .object({
    requestId: z.string().uuid('identifiant de demande invalide'),
    clientFileIds: z.array(objectId).min(1, 'sélectionnez au moins un dossier').max(500, '500 dossiers au plus à la fois').optional(),
    allMatching: portfolioQuerySchema.omit({ page: true, pageSize: true }).optional(),
  })
  .strict()
  .refine((body) => (body.clientFileIds === undefined) !== (body.allMatching === undefined), { message: 'sélectionnez des dossiers ou toute la vue, pas les deux' });

function presentJob(job: InvitationJob) {
  const processed = job.counts.done + job.counts.failed + job.counts.skipped;
  return { id: job.id, kind: job.kind ?? 'invite', status: job.status, total: job.total, ...job.counts, remaining: job.total - processed, createdAt: job.createdAt.toISOString(), finishedAt: job.finishedAt?.toISOString() ?? null };
}

/**
 * POST /api/invitations: invites the contacts of the selected client files as one durable job (the
 * same as the bot's); POST /api/reminders: reminds those still waiting; re-sending the same requestId
 * finds the same job. GET /api/jobs/:id: its progress.
 */
export function registerInvitationRoutes(
  server: Server,
  api: Pick<PortfolioApi, 'auth' | 'access' | 'logger' | 'portfolio'>,
  deps: { onboarding: GuestOnboardingService; jobs: InvitationJobStore; nudge: () => void },
): void {
  /** One durable job for the selected files' contacts; the same requestId finds the same job again. */
  const bulkJobRoute = (kind: 'invite' | 'remind', contactsOf: (firmId: string, clientFileIds: string[]) => Promise<{ id: string }[]>) =>
    authenticatedRoute(api, requirements.change('invitations'), async (actor, req, res, access) => {
      const parsed = bulkInvitationSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        res.send(400, { error: `Requête invalide : ${parsed.error.issues.map((issue) => issue.message).join(' ; ')}.` });
        return;
      }
      const existing = await deps.jobs.findByRequestId(actor.firmId, parsed.data.requestId);
      if (existing) {
        res.send(200, presentJob(existing));
        return;
      }
      const { allMatching, clientFileIds } = parsed.data;
      // Ticked ids go through the same query as the view: another firm's or another service's file is dropped.
      const view = allMatching ? { ...allMatching, states: allMatching.state, offers: allMatching.offer } : { sort: 'code' as const, direction: 'asc' as const, clientFileIds };
      const fileIds = await api.portfolio.matchingIds(actor.firmId, { ...view, visibleServiceIds: serviceFilter(access) });
      const contacts = await contactsOf(actor.firmId, fileIds);
      const { job } = await deps.jobs.create({
        firmId: actor.firmId,
        requestId: parsed.data.requestId,
        createdBy: { userId: actor.userId, displayName: actor.displayName, at: new Date() },
        contactIds: contacts.map((contact) => contact.id),
        kind,
      });
      deps.nudge();
      res.send(202, presentJob(job));
    });

  server.post('/api/invitations', bulkJobRoute('invite', (firmId, ids) => deps.onboarding.contactsToInvite(firmId, { kind: 'clientFiles', ids })));
  /** « Relancer » : the invitation again for the selected files' contacts still waiting for acceptance. */
  server.post('/api/reminders', bulkJobRoute('remind', (firmId, ids) => deps.onboarding.contactsToRemind(firmId, ids)));

  server.get(
    '/api/jobs/:id',
    authenticatedRoute(api, requirements.read('invitations'), async (actor, req, res) => {
      const id = objectId.safeParse(req.params?.id);
      const job = id.success ? await deps.jobs.find(actor.firmId, id.data) : null;
      if (!job) {
        res.send(404, { error: 'Traitement introuvable.' });
        return;
      }
      res.send(200, presentJob(job));
    }),
  );
}
