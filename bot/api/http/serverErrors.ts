import { randomBytes } from 'node:crypto';
import type { Server } from 'restify';
import type { Logger } from '../../logger.js';
import type { ProblemMessageKey } from '../../i18n/apiMessages.js';
import { requestLanguage } from './language.js';
import { problem } from './problems.js';

/** What restify's own refusals (before any route runs) mean, by status; anything else 4xx is an unreadable request. */
const codeByStatus: Record<number, ProblemMessageKey> = {
  404: 'notFound',
  405: 'method.notAllowed',
  413: 'request.tooLarge',
  415: 'request.unsupportedType',
};

/**
 * Gives restify's own errors (a body that is not JSON, an unknown address, a body too large) the API's
 * problem shape in the caller's language, instead of restify's body, which quotes the parser's error.
 */
export function answerServerErrorsAsProblems(server: Server, logger: Logger): void {
  server.on('restifyError', (req, _res, error: Error & { statusCode?: number; toJSON?: () => unknown }, callback: () => void) => {
    const status = error.statusCode ?? 500;
    const language = requestLanguage(req.header('accept-language') || undefined);
    const code: ProblemMessageKey = status >= 500 ? 'unexpected' : (codeByStatus[status] ?? 'request.unreadable');
    const reference = randomBytes(4).toString('hex');
    if (status >= 500) logger.error('request failed before its route', { error, reference, path: req.path() });
    const body = problem(language, code, { reference }).body;
    error.toJSON = () => body;
    callback();
  });
}
