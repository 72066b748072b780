import type { Decision } from '../../domain/access/policy.js';
import { OtherServiceError } from '../../domain/access/policy.js';
import { StorageUnavailableError } from '../../domain/errors.js';
import type { ShineRefusal } from '../../domain/partners/shineService.js';
import { apiMessagesFor, type ProblemMessageKey } from '../../i18n/apiMessages.js';
import { format, messagesFor, type Language } from '../../i18n/index.js';

/**
 * The one shape of every answer the tab API refuses: a stable `code` a program can test, a `message`
 * in the user's language, and the field problems when there are some. The table below gives each code
 * its HTTP status, so a route names what happened and never picks a status or writes a sentence itself.
 */
export type AccessRefusal = Exclude<Decision, { allowed: true }>['reason'];
export type ProblemCode = ProblemMessageKey | `access.${AccessRefusal}` | `shine.${ShineRefusal}`;

/** Bad input is 4xx, always; only an outage (503) or a surprise (500) is the server's. */
const statuses: Record<ProblemCode, number> = {
  'auth.missing': 401,
  'auth.invalid': 401,
  'auth.guest': 403,
  'access.notAttached': 403,
  'access.detached': 403,
  'access.missingProfile': 403,
  'access.structureInactive': 403,
  'access.otherService': 403,
  'request.invalid': 400,
  'activity.invalid': 400,
  'clientFile.notFound': 404,
  'clientFile.invalid': 400,
  'clientFile.changedMeanwhile': 409,
  'contact.notFound': 404,
  'contact.invalid': 400,
  'contact.changedMeanwhile': 409,
  'contact.identityChangeInProgress': 409,
  'contact.notLinked': 409,
  'guest.notAGuest': 409,
  'guest.notDue': 409,
  'offer.notFound': 404,
  'offer.unknown': 400,
  'offer.paidInBulk': 403,
  'offer.changedMeanwhile': 409,
  'offer.alreadyEnded': 409,
  'settings.invalid': 400,
  'settings.changedMeanwhile': 409,
  'job.notFound': 404,
  'import.missingColumns': 400,
  'import.tooManyLines': 413,
  'import.notFound': 404,
  'article.notFound': 404,
  'article.invalid': 400,
  'article.changedMeanwhile': 409,
  'article.alreadyInState': 409,
  'support.notFound': 404,
  'support.changedMeanwhile': 409,
  'support.notAllowed': 409,
  'support.invalid': 400,
  'shine.noPrimaryContact': 400,
  'shine.siretRequired': 400,
  'shine.alreadyActive': 409,
  'shine.nothingChosen': 400,
  'shine.emailInvalid': 400,
  'shine.emailTaken': 400,
  'shine.clientFileNotFound': 400,
  'request.unreadable': 400,
  'request.tooLarge': 413,
  'request.unsupportedType': 415,
  'request.crossSite': 403,
  'method.notAllowed': 405,
  notFound: 404,
  'service.unavailable': 503,
  unexpected: 500,
};

/** One field's problem, named as in the request (`siret`, `equipment.mandate`, `page`…); null for the request as a whole. */
export interface FieldProblem {
  field: string | null;
  code: string;
  message: string;
}

export interface ProblemBody {
  code: ProblemCode;
  message: string;
  problems?: FieldProblem[];
}

export class Problem {
  readonly status: number;
  constructor(readonly body: ProblemBody) {
    this.status = statuses[body.code];
  }
}

function problemOf(code: ProblemCode, message: string, problems: FieldProblem[] = []): Problem {
  return new Problem({ code, message, ...(problems.length > 0 ? { problems } : {}) });
}

/** A problem whose sentence is the API's own (bot/i18n/apiMessages.ts). */
export function problem(language: Language, code: ProblemMessageKey, params: Record<string, string | number> = {}, problems: FieldProblem[] = []): Problem {
  return problemOf(code, format(apiMessagesFor(language).problems[code], params), problems);
}

/** The policy's refusal, in the bot's words: the missing profile is named. */
export function refusal(language: Language, decision: Exclude<Decision, { allowed: true }>): Problem {
  const t = messagesFor(language).access;
  const message =
    decision.reason === 'missingProfile' && decision.missing
      ? format(t.refusedMissingProfile, { application: t.applications[decision.missing.application], level: t.levels[decision.missing.level] })
      : decision.reason === 'structureInactive'
        ? t.refusedStructureInactive
        : decision.reason === 'detached'
          ? t.refusedDetached
          : t.refusedNotAttached;
  return problemOf(`access.${decision.reason}`, message);
}

/** Which field of the activation a Shine refusal is about, so the dialog shows it there. */
const shineRefusalFields: Record<ShineRefusal, string | null> = {
  noPrimaryContact: null,
  siretRequired: null,
  alreadyActive: null,
  nothingChosen: 'purchases',
  emailInvalid: 'accountEmail',
  emailTaken: 'accountEmail',
  clientFileNotFound: null,
};

export function shineRefusal(language: Language, reason: ShineRefusal): Problem {
  const message = messagesFor(language).partners.shineRefusals[reason];
  const field = shineRefusalFields[reason];
  return problemOf(`shine.${reason}`, message, field ? [{ field, code: `shine.${reason}`, message }] : []);
}

/** What a domain error thrown through a route means to the user; undefined for a surprise (500, logged). */
export function problemOfError(language: Language, error: unknown): Problem | undefined {
  if (error instanceof OtherServiceError) return problem(language, 'access.otherService');
  if (error instanceof StorageUnavailableError) return problem(language, 'service.unavailable');
  return undefined;
}
