import type { Server } from 'restify';
import { z } from 'zod';
import type { ClientFileStore } from '../domain/ports.js';
import { supportCategories, type SupportRequest } from '../domain/support/supportRequest.js';
import { queueStates, supportRequirement, type SupportOutcome, type SupportRequests } from '../domain/support/supportRequests.js';
import { apiMessagesFor } from '../i18n/apiMessages.js';
import { fieldErrorMessage, messagesFor, type Language } from '../i18n/index.js';
import { csvDateTime, csvLine } from './http/csv.js';
import { problem, refusal, type Problem } from './http/problems.js';
import { csvFile, json, tabRoute, type Answer, type TabEdge } from './http/route.js';

/**
 * The « Assistance » page's API (holders of « Assistance – modification »): the queue with its filters
 * and counts, keyword and number search, a request's detail and timeline, the support's moves, and the
 * CSV export of the view. The same use case as the Teams cards decides everything.
 */
const queueQuery = z
  .object({
    state: z.enum(queueStates as [string, ...string[]]).optional(),
    category: z.enum(supportCategories).optional(),
    /** A client file's id, or its code as staff type it. */
    clientFile: z.string().trim().min(1).max(40).optional(),
    search: z.string().max(100).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();

const requestParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i) });

const moveBody = z
  .object({
    move: z.enum(['take', 'answer', 'askInformation', 'proposeSolution', 'reassign']),
    expectedVersion: z.number().int().min(1),
    text: z.string().max(6_000).optional(),
    assigneeUserId: z.string().max(100).optional(),
  })
  .strict();

/** 50 pages of 100: an export of the whole view as it is filtered. */
const maxExportPages = 50;

export function presentSupportRequest(language: Language, request: SupportRequest, clientFileLabel?: string) {
  const t = messagesFor(language).support;
  return {
    id: request.id,
    number: request.number,
    subject: request.subject,
    category: request.category,
    categoryLabel: t.categories[request.category],
    state: request.state,
    stateLabel: t.states[request.state],
    clientFileId: request.clientFileId ?? null,
    clientFile: clientFileLabel ?? null,
    requester: { name: request.requester.displayName, kind: request.requester.kind },
    assignee: request.assignee?.displayName ?? null,
    createdAt: request.created.at.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    autoCloseAt: request.autoCloseAt?.toISOString() ?? null,
    version: request.version,
  };
}

export type SupportItemView = ReturnType<typeof presentSupportRequest>;
export type SupportDetailView = ReturnType<typeof presentDetail>;

function presentDetail(language: Language, request: SupportRequest, clientFileLabel: string | undefined, moves: string[]) {
  const t = messagesFor(language).support;
  return {
    ...presentSupportRequest(language, request, clientFileLabel),
    description: request.description,
    attachments: request.attachments,
    // Latest first, as the seed's « activité ».
    timeline: [...request.timeline].reverse().map((entry) => ({ kind: entry.kind, label: t.kinds[entry.kind], by: entry.by.displayName, at: entry.by.at.toISOString(), text: entry.text ?? null, attachments: entry.attachments ?? [] })),
    moves,
  };
}

export function registerSupportRoutes(server: Server, api: TabEdge, deps: { support: SupportRequests; clientFiles: Pick<ClientFileStore, 'findByIds' | 'findById' | 'findByCode'> }): void {
  const { support } = deps;
  const labelsOf = async (firmId: string, requests: SupportRequest[]) => {
    const ids = [...new Set(requests.flatMap((request) => (request.clientFileId ? [request.clientFileId] : [])))];
    const files = ids.length ? await deps.clientFiles.findByIds(firmId, ids) : [];
    return new Map(files.map((file) => [file.id, `${file.code} – ${file.companyName}`]));
  };
  const listOf = async (who: ReturnType<SupportRequests['staff']>, query: z.infer<typeof queueQuery>, page: number, pageSize: number) => {
    const firmId = who.kind === 'staff' ? who.staff.firmId : '';
    // A code no file has matches nothing, as an id that cannot exist does.
    const byCode = query.clientFile && !/^[0-9a-f]{24}$/i.test(query.clientFile);
    const clientFileId = byCode ? ((await deps.clientFiles.findByCode(firmId, query.clientFile!))?.id ?? '000000000000000000000000') : query.clientFile;
    return support.list(who, { scope: 'queue', states: query.state ? [query.state as SupportRequest['state']] : undefined, category: query.category, clientFileId, search: query.search, page, pageSize });
  };

  server.get('/api/support/requests', tabRoute(api, {
    requirement: supportRequirement,
    query: queueQuery,
    async handle({ actor, access, language, query }) {
      const who = support.staff({ ...actor, access });
      const listing = await listOf(who, query, query.page, query.pageSize);
      if ('status' in listing) return refusal(language, { allowed: false, reason: 'missingProfile', missing: listing.missing });
      const labels = await labelsOf(actor.firmId, listing.items);
      return json({
        items: listing.items.map((request) => presentSupportRequest(language, request, request.clientFileId ? labels.get(request.clientFileId) : undefined)),
        total: listing.total,
        counts: Object.fromEntries(queueStates.map((state) => [state, listing.counts[state] ?? 0])),
        page: query.page,
        pageSize: query.pageSize,
      });
    },
  }));

  // Before /:id, which would take « export.csv » for an id.
  server.get('/api/support/requests/export.csv', tabRoute(api, {
    requirement: supportRequirement,
    query: queueQuery,
    async handle({ actor, access, language, query }) {
      const who = support.staff({ ...actor, access });
      const t = apiMessagesFor(language).supportCsv;
      const lines = [csvLine(t.header)];
      for (let page = 1; page <= maxExportPages; page++) {
        const listing = await listOf(who, query, page, 100);
        if ('status' in listing) return refusal(language, { allowed: false, reason: 'missingProfile', missing: listing.missing });
        const labels = await labelsOf(actor.firmId, listing.items);
        for (const request of listing.items) {
          const row = presentSupportRequest(language, request, request.clientFileId ? labels.get(request.clientFileId) : undefined);
          lines.push(csvLine([String(row.number), row.subject, row.categoryLabel, row.stateLabel, row.clientFile ?? '', row.requester.name, row.assignee ?? '', csvDateTime(language, request.created.at), csvDateTime(language, request.updatedAt)]));
        }
        if (page * 100 >= listing.total) break;
      }
      return csvFile(t.fileName, lines);
    },
  }));

  server.get('/api/support/requests/:id', tabRoute(api, {
    requirement: supportRequirement,
    params: requestParams,
    invalidParams: 'support.notFound',
    async handle({ actor, access, language, params }) {
      const who = support.staff({ ...actor, access });
      const found = await support.get(who, params.id);
      if (found.status !== 'done') return problem(language, 'support.notFound');
      const label = found.request.clientFileId ? (await labelsOf(actor.firmId, [found.request])).get(found.request.clientFileId) : undefined;
      return json(presentDetail(language, found.request, label, support.movesOf(who, found.request)));
    },
  }));

  server.post('/api/support/requests/:id/actions', tabRoute(api, {
    requirement: supportRequirement,
    params: requestParams,
    invalidParams: 'support.notFound',
    body: moveBody,
    async handle({ actor, access, language, params, body }) {
      const who = support.staff({ ...actor, access });
      const outcome = await support.act(who, params.id, body.expectedVersion, body.move, { text: body.text, assigneeUserId: body.assigneeUserId });
      if (outcome.status === 'done') {
        const label = outcome.request.clientFileId ? (await labelsOf(actor.firmId, [outcome.request])).get(outcome.request.clientFileId) : undefined;
        return json(presentDetail(language, outcome.request, label, support.movesOf(who, outcome.request)));
      }
      return problemOf(language, outcome);
    },
  }));
}

function problemOf(language: Language, outcome: Exclude<SupportOutcome, { status: 'done' }>): Problem | Answer {
  switch (outcome.status) {
    case 'stale':
      return problem(language, 'support.changedMeanwhile');
    case 'notAllowed':
      return problem(language, 'support.notAllowed');
    case 'refused':
      return refusal(language, { allowed: false, reason: 'missingProfile', missing: outcome.missing });
    case 'invalid': {
      const problems = Object.entries(outcome.errors).map(([field, error]) => ({ field, code: error!.code, message: fieldErrorMessage(language, error!) }));
      return problem(language, 'support.invalid', { fields: problems.map((entry) => entry.field).join(', ') }, problems);
    }
    default:
      return problem(language, 'support.notFound');
  }
}
