import type { Server } from 'restify';
import { z } from 'zod';
import { requirements } from '../domain/access/policy.js';
import type { Requirement } from '../domain/access/profiles.js';
import type { GuestInvitations, QueueOutcome } from '../domain/guestInvitations.js';
import type { OfferCommands } from '../domain/offers/offerCommands.js';
import type { StaffActor } from '../domain/staffActor.js';
import type { InvitationJob, InvitationJobStore } from '../jobs/invitationJobs.js';
import { issueKey } from '../i18n/apiMessages.js';
import { problem, refusal } from './http/problems.js';
import { json, tabRoute, type Answer, type TabEdge, type TabRequest } from './http/route.js';
import { portfolioQuerySchema, serviceFilter, type PortfolioApi } from './portfolio.js';

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, issueKey('id'));

/** The selected files: ticked ids (a page or a few), or « all matching the view » with the view's own parameters. */
const selectionFields = {
  requestId: z.string().uuid(issueKey('requestId')),
  clientFileIds: z.array(objectId).min(1, issueKey('selectAtLeastOne')).max(500, issueKey('selectAtMost500')).optional(),
  allMatching: portfolioQuerySchema.omit({ page: true, pageSize: true }).optional(),
};
const oneSelection = { message: issueKey('selectOneWay') };
const hasOneSelection = (body: { clientFileIds?: unknown; allMatching?: unknown }) => (body.clientFileIds === undefined) !== (body.allMatching === undefined);

export const bulkInvitationSchema = z.object(selectionFields).strict().refine(hasOneSelection, oneSelection);

export const bulkProposalSchema = z
  .object({
    ...selectionFields,
    offerId: z.string().regex(/^[a-z0-9-]{1,40}$/, issueKey('offerId')),
    /** The primary contact of each file (the usual case), or every contact of the files. */
    who: z.enum(['primary', 'all'], { errorMap: () => ({ message: issueKey('who') }) }).default('primary'),
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
  api: TabEdge & Pick<PortfolioApi, 'portfolio'>,
  deps: { invitations: GuestInvitations; offers: OfferCommands; jobs: Pick<InvitationJobStore, 'find' | 'findByRequestId'> },
): void {
  /** Parses, finds the job of an earlier identical request, or resolves the selection within the user's firm and services. */
  const bulkRoute = <Body extends BulkSelection>(
    requirement: Requirement,
    schema: z.ZodType<Body, z.ZodTypeDef, unknown>,
    start: (request: TabRequest<undefined, undefined, Body>, fileIds: string[]) => Promise<Answer>,
  ) =>
    tabRoute(api, {
      requirement,
      body: schema,
      async handle(request) {
        const { actor, access, body } = request;
        const existing = await deps.jobs.findByRequestId(actor.firmId, body.requestId);
        if (existing) return json(presentJob(existing));
        const { allMatching, clientFileIds } = body;
        // Ticked ids go through the same query as the view: another firm's or another service's file is dropped.
        const view = allMatching ? { ...allMatching, states: allMatching.state, offers: allMatching.offer } : { sort: 'code' as const, direction: 'asc' as const, clientFileIds };
        const fileIds = await api.portfolio.matchingIds(actor.firmId, { ...view, visibleServiceIds: serviceFilter(access) });
        return start(request, fileIds);
      },
    });

  /** The use case checks « Invitations – modification » and the files' services, then queues the job. */
  const contactJob = (queue: (actor: StaffActor, requestId: string, fileIds: string[]) => Promise<QueueOutcome>) =>
    bulkRoute(requirements.change('invitations'), bulkInvitationSchema, async ({ actor, access, language, body }, fileIds) => {
      const outcome = await queue({ ...actor, access }, body.requestId, fileIds);
      if (outcome.status === 'refused') return refusal(language, { allowed: false, reason: 'missingProfile', missing: outcome.missing });
      if (outcome.status === 'contactNotFound') return problem(language, 'contact.notFound');
      return json(presentJob(outcome.job), 202);
    });

  server.post('/api/invitations', contactJob((actor, requestId, ids) => deps.invitations.invite(actor, { requestId, target: { kind: 'clientFiles', ids } })));
  /** « Relancer » : the invitation again for the selected files' contacts still waiting for acceptance. */
  server.post('/api/reminders', contactJob((actor, requestId, clientFileIds) => deps.invitations.remind(actor, { requestId, clientFileIds })));

  server.post(
    '/api/offers/proposals',
    bulkRoute(requirements.read('offers'), bulkProposalSchema, async ({ actor, access, language, body }, fileIds) => {
      const outcome = await deps.offers.proposeToMany({ ...actor, access }, { requestId: body.requestId, offerId: body.offerId, clientFileIds: fileIds, who: body.who });
      if (outcome.status === 'offerUnknown') return problem(language, 'offer.unknown');
      // A paid offer in bulk is refused by the use case; the tab says how to get it done anyway.
      if (outcome.status === 'refused') {
        return outcome.offer
          ? problem(language, 'offer.paidInBulk', { offer: outcome.offer.name })
          : refusal(language, { allowed: false, reason: 'missingProfile', missing: outcome.missing });
      }
      return json(presentJob(outcome.job, { filesWithoutPrimary: outcome.filesWithoutPrimary }), 202);
    }),
  );

  server.get(
    '/api/jobs/:id',
    tabRoute(api, {
      requirement: requirements.read('invitations'),
      params: z.object({ id: objectId }),
      invalidParams: 'job.notFound',
      async handle({ actor, language, params }) {
        const job = await deps.jobs.find(actor.firmId, params.id);
        return job ? json(presentJob(job)) : problem(language, 'job.notFound');
      },
    }),
  );
}

