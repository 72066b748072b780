import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { requirements } from '../domain/access/policy.js';
import type { Requirement } from '../domain/access/profiles.js';
import type { Actor } from '../domain/actor.js';
import type { GuestInvitations, QueueOutcome } from '../domain/guestInvitations.js';
import type { OfferCommands } from '../domain/offers/offerCommands.js';
import type { StaffActor } from '../domain/staffActor.js';
import type { InvitationJob, InvitationJobStore } from '../jobs/invitationJobs.js';
import { authenticatedRoute, portfolioQuerySchema, refusalSentence, serviceFilter, type PortfolioApi } from './portfolio.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'identifiant invalide');

/** The selected files: ticked ids (a page or a few), or « all matching the view » with the view's own parameters. */
const selectionFields = {
  requestId: z.string().uuid('identifiant de demande invalide'),
  clientFileIds: z.array(objectId).min(1, 'sélectionnez au moins un dossier').max(500, '500 dossiers au plus à la fois').optional(),
  allMatching: portfolioQuerySchema.omit({ page: true, pageSize: true }).optional(),
};
const oneSelection = { message: 'sélectionnez des dossiers ou toute la vue, pas les deux' };
const hasOneSelection = (body: { clientFileIds?: unknown; allMatching?: unknown }) => (body.clientFileIds === undefined) !== (body.allMatching === undefined);

export const bulkInvitationSchema = z.object(selectionFields).strict().refine(hasOneSelection, oneSelection);

export const bulkProposalSchema = z
  .object({
    ...selectionFields,
    offerId: z.string().regex(/^[a-z0-9-]{1,40}$/, 'offre invalide'),
    /** The primary contact of each file (the usual case), or every contact of the files. */
    who: z.enum(['primary', 'all'], { errorMap: () => ({ message: 'destinataires possibles : primary ou all' }) }).default('primary'),
  })
  .strict()
  .refine(hasOneSelection, oneSelection);

type BulkSelection = z.infer<typeof bulkInvitationSchema>;

function presentJob(job: InvitationJob, extra: Record<string, unknown> = {}) {
  const processed = job.counts.done + job.counts.failed + job.counts.skipped;
  return {
    id: job.id,
    kind: job.kind ?? 'invite',
    offerId: job.offerId ?? null,
    status: job.status,
    total: job.total,
    ...job.counts,
    remaining: job.total - processed,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    ...extra,
  };
}

/**
 * Bulk actions of the tab, each one durable job; re-sending the same requestId finds the same job.
 * POST /api/invitations invites the selected files' contacts (the same jobs as the bot's);
 * POST /api/reminders reminds those still waiting; POST /api/offers/proposals proposes an offer to
 * each file's primary contact (or all its contacts). GET /api/jobs/:id: a job's progress.
 */
export function registerInvitationRoutes(
  server: Server,
  api: Pick<PortfolioApi, 'auth' | 'access' | 'logger' | 'portfolio'>,
  deps: { invitations: GuestInvitations; offers: OfferCommands; jobs: Pick<InvitationJobStore, 'find' | 'findByRequestId'> },
): void {
  const refuse = (res: Response, error: z.ZodError) => res.send(400, { error: `Requête invalide : ${error.issues.map((issue) => issue.message).join(' ; ')}.` });

  /** Parses, finds the job of an earlier identical request, or resolves the selection within the user's firm and services. */
  const bulkRoute = <Body extends BulkSelection>(
    requirement: Requirement,
    schema: z.ZodType<Body, z.ZodTypeDef, unknown>,
    start: (actor: Actor, body: Body, fileIds: string[], res: Response, access: Parameters<typeof serviceFilter>[0]) => Promise<void>,
  ) =>
    authenticatedRoute(api, requirement, async (actor, req: Request, res, access) => {
      const parsed = schema.safeParse(req.body ?? {});
      if (!parsed.success) return refuse(res, parsed.error);
      const existing = await deps.jobs.findByRequestId(actor.firmId, parsed.data.requestId);
      if (existing) return void res.send(200, presentJob(existing));
      const { allMatching, clientFileIds } = parsed.data;
      // Ticked ids go through the same query as the view: another firm's or another service's file is dropped.
      const view = allMatching ? { ...allMatching, states: allMatching.state, offers: allMatching.offer } : { sort: 'code' as const, direction: 'asc' as const, clientFileIds };
      const fileIds = await api.portfolio.matchingIds(actor.firmId, { ...view, visibleServiceIds: serviceFilter(access) });
      await start(actor, parsed.data, fileIds, res, access);
    });

  /** The use case checks « Invitations – modification » and the files' services, then queues the job. */
  const contactJob = (queue: (actor: StaffActor, requestId: string, fileIds: string[]) => Promise<QueueOutcome>) =>
    bulkRoute(requirements.change('invitations'), bulkInvitationSchema, async (actor, body, fileIds, res, access) => {
      const outcome = await queue({ ...actor, access }, body.requestId, fileIds);
      if (outcome.status === 'refused') return void res.send(403, { error: refusalSentence({ allowed: false, reason: 'missingProfile', missing: outcome.missing }) });
      if (outcome.status !== 'queued') return void res.send(404, { error: 'Interlocuteur introuvable.' });
      res.send(202, presentJob(outcome.job));
    });

  server.post('/api/invitations', contactJob((actor, requestId, ids) => deps.invitations.invite(actor, { requestId, target: { kind: 'clientFiles', ids } })));
  /** « Relancer » : the invitation again for the selected files' contacts still waiting for acceptance. */
  server.post('/api/reminders', contactJob((actor, requestId, clientFileIds) => deps.invitations.remind(actor, { requestId, clientFileIds })));

  server.post(
    '/api/offers/proposals',
    bulkRoute(requirements.read('offers'), bulkProposalSchema, async (actor, body, fileIds, res, access) => {
      const outcome = await deps.offers.proposeToMany({ ...actor, access }, { requestId: body.requestId, offerId: body.offerId, clientFileIds: fileIds, who: body.who });
      if (outcome.status === 'offerUnknown') return void res.send(400, { error: 'Requête invalide : cette offre n’existe pas dans le catalogue du cabinet.' });
      // A paid offer commits the firm: in bulk only with the profile; one by one from Teams it becomes a request.
      if (outcome.status === 'refused') {
        return void res.send(403, {
          error: outcome.offer
            ? `L’offre ${outcome.offer.name} est payante : la proposer à plusieurs clients demande le profil « Offres – modification ». Demandez ce profil, ou proposez-la client par client depuis Teams : chaque proposition deviendra une demande à approuver.`
            : refusalSentence({ allowed: false, reason: 'missingProfile', missing: outcome.missing }),
        });
      }
      res.send(202, presentJob(outcome.job, { filesWithoutPrimary: outcome.filesWithoutPrimary }));
    }),
  );

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

