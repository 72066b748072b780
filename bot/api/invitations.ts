import type { Server } from 'restify';
import { z } from 'zod';
import { decide, requirements } from '../domain/access/policy.js';
import type { Requirement } from '../domain/access/profiles.js';
import type { Actor } from '../domain/actor.js';
import type { GuestOnboardingService } from '../domain/guestOnboardingService.js';
import type { OfferService } from '../domain/offers/offerService.js';
import type { InvitationJob, InvitationJobStore } from '../jobs/invitationJobs.js';
import { issueKey } from '../i18n/apiMessages.js';
import { problem } from './http/problems.js';
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
  deps: { onboarding: GuestOnboardingService; offers: OfferService; jobs: InvitationJobStore; nudge: () => void },
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

  const contactJob = (kind: 'invite' | 'remind', contactsOf: (firmId: string, clientFileIds: string[]) => Promise<{ id: string }[]>) =>
    bulkRoute(requirements.change('invitations'), bulkInvitationSchema, async ({ actor, body }, fileIds) => {
      const contacts = await contactsOf(actor.firmId, fileIds);
      const { job } = await deps.jobs.create({ firmId: actor.firmId, requestId: body.requestId, createdBy: stampOf(actor), contactIds: contacts.map((contact) => contact.id), kind });
      deps.nudge();
      return json(presentJob(job), 202);
    });

  server.post('/api/invitations', contactJob('invite', (firmId, ids) => deps.onboarding.contactsToInvite(firmId, { kind: 'clientFiles', ids })));
  /** « Relancer » : the invitation again for the selected files' contacts still waiting for acceptance. */
  server.post('/api/reminders', contactJob('remind', (firmId, ids) => deps.onboarding.contactsToRemind(firmId, ids)));

  server.post(
    '/api/offers/proposals',
    bulkRoute(requirements.read('offers'), bulkProposalSchema, async ({ actor, access, language, body }, fileIds) => {
      const offer = await deps.offers.offerOf(actor.firmId, body.offerId);
      if (!offer) return problem(language, 'offer.unknown');
      // A paid offer commits the firm: in bulk only with the profile; one by one from Teams it becomes a request.
      if (offer.paid && !decide(access, requirements.change('offers')).allowed) {
        return problem(language, 'offer.paidInBulk', { offer: offer.name });
      }
      const { targets, filesWithoutPrimary } = await deps.offers.proposalTargets(actor.firmId, fileIds, body.who);
      const { job } = await deps.jobs.create({
        firmId: actor.firmId,
        requestId: body.requestId,
        createdBy: stampOf(actor),
        contactIds: targets.map((target) => target.contactId),
        targets,
        kind: 'offer',
        offerId: offer.id,
      });
      deps.nudge();
      return json(presentJob(job, { filesWithoutPrimary }), 202);
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

function stampOf(actor: Actor) {
  return { userId: actor.userId, displayName: actor.displayName, at: new Date() };
}
