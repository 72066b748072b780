import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'restify';
import type { z } from 'zod';
import type { StaffSessions } from '../../domain/access/staffSessions.js';
import { decide, type AccessContext } from '../../domain/access/policy.js';
import type { Requirement } from '../../domain/access/profiles.js';
import type { Language } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import type { TabAuthenticator, TabUser } from '../tabAuth.js';
import { isCrossSite, readJsonBody } from './body.js';
import { requestLanguage } from './language.js';
import { Problem, problem, problemOfError, refusal, type ProblemCode } from './problems.js';
import { schemaProblem } from './schemaProblems.js';

/**
 * The tab API's one way to declare a route (after Outline's routes/api/*): the schemas of what it
 * reads, the coarse requirement checked before anything else, and a handler that answers data, a CSV
 * file or a problem. Authentication, the policy, parsing, the user's language and the error table
 * happen here, once; a handler never picks a status for a refusal or writes a sentence of its own.
 */
export interface TabEdge {
  auth: Pick<TabAuthenticator, 'authenticate'>;
  access: { sessions: Pick<StaffSessions, 'contextFor'> };
  logger: Logger;
}

export interface TabRequest<Params, Query, Body> {
  actor: TabUser;
  access: AccessContext;
  language: Language;
  params: Params;
  query: Query;
  body: Body;
}

export class JsonAnswer {
  constructor(readonly status: number, readonly body: unknown) {}
}

/** A CSV file for Excel: « ; » between cells, UTF-8 with a BOM, CRLF lines. */
export class CsvAnswer {
  constructor(readonly fileName: string, readonly lines: string[]) {}
}

export type Answer = JsonAnswer | CsvAnswer | Problem;

export const json = (body: unknown, status = 200): JsonAnswer => new JsonAnswer(status, body);
export const csvFile = (fileName: string, lines: string[]): CsvAnswer => new CsvAnswer(fileName, lines);

type Schema<Output> = z.ZodType<Output, z.ZodTypeDef, unknown>;

export interface TabRouteSpec<Params, Query, Body> {
  /** A profile, or `attached`: any member of staff attached to the firm's structure (reading the help). */
  requirement: Requirement | 'attached';
  params?: Schema<Params>;
  /** What a malformed path means, when not a bad request (an id that cannot exist is simply not found). */
  invalidParams?: Extract<ProblemCode, `${string}.notFound`>;
  query?: Schema<Query>;
  body?: Schema<Body>;
  /** The largest body this route reads, in bytes (default 100 kB); a larger one is refused unread (413). */
  maxBodyBytes?: number;
  handle(request: TabRequest<Params, Query, Body>): Promise<Answer>;
}

export function tabRoute<Params = undefined, Query = undefined, Body = undefined>(edge: TabEdge, spec: TabRouteSpec<Params, Query, Body>): RequestHandler {
  return async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const language = requestLanguage(req.header('accept-language') || undefined);
    try {
      sendAnswer(res, await answer(edge, spec, req, language));
    } catch (error) {
      const known = problemOfError(language, error);
      if (known) return void sendAnswer(res, known);
      // Never a stack or a raw error to the user: a reference to find it in the log.
      const reference = randomBytes(4).toString('hex');
      edge.logger.error('tab API request failed', { error, reference, path: req.path() });
      sendAnswer(res, problem(language, 'unexpected', { reference }));
    }
  };
}

async function answer<Params, Query, Body>(edge: TabEdge, spec: TabRouteSpec<Params, Query, Body>, req: Request, language: Language): Promise<Answer> {
  const authorization = req.header('authorization') || undefined;
  // Without a token (the local mode) a browser sends the user's requests for any page: only Passerelle's own.
  if (!authorization && isCrossSite(req)) return problem(language, 'request.crossSite');
  const auth = await edge.auth.authenticate(authorization);
  if (!auth.ok) return problem(language, `auth.${auth.reason}`);
  const access = await edge.access.sessions.contextFor(auth.actor);
  const decision = decide(access, spec.requirement === 'attached' ? null : spec.requirement);
  if (!decision.allowed) return refusal(language, decision);
  // The body is read only now, for a user allowed to send it.
  const read = await readJsonBody(req, language, spec.maxBodyBytes);
  if (!read.ok) return read.problem;
  const params = parse(spec.params, req.params ?? {});
  if (!params.success) return spec.invalidParams ? problem(language, spec.invalidParams) : schemaProblem(language, params.error);
  const query = parse(spec.query, req.query ?? {});
  if (!query.success) return schemaProblem(language, query.error);
  const body = parse(spec.body, read.body ?? {});
  if (!body.success) return schemaProblem(language, body.error);
  return spec.handle({ actor: auth.actor, access, language, params: params.data, query: query.data, body: body.data });
}

function parse<Output>(schema: Schema<Output> | undefined, input: unknown): z.SafeParseReturnType<unknown, Output> {
  return schema ? schema.safeParse(input) : { success: true, data: undefined as Output };
}

export function sendAnswer(res: Response, answer: Answer): void {
  if (answer instanceof Problem) {
    if (answer.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    res.send(answer.status, answer.body);
    return;
  }
  if (answer instanceof CsvAnswer) {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${answer.fileName}"`);
    res.sendRaw(200, `\uFEFF${answer.lines.join('\r\n')}\r\n`);
    return;
  }
  res.send(answer.status, answer.body);
}
