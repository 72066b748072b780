import { randomBytes } from 'node:crypto';
import type { Activity, ActivityHandler } from 'botbuilder';
import type { Server } from 'restify';
import { z } from 'zod';
import { StorageUnavailableError } from '../domain/errors.js';
import { messagesFor, format } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { authenticationFailureOf, type BotEndpointAdapter } from './botAdapter.js';
import { isCrossSite, readJsonBody } from './http/body.js';
import { requestLanguage } from './http/language.js';
import { problem } from './http/problems.js';
import { sendAnswer } from './http/route.js';
import { withLibraryOutputLogged } from './libraryOutput.js';

/**
 * POST /api/messages: the Bot Framework endpoint. The body is JSON only, read in memory within a limit;
 * the adapter authenticates the request (JWT when BOT_ID is set): a token it cannot accept is 401, never
 * 500, and the SDK's own console output goes through our logger. A failing turn is logged and the user
 * gets a sentence, never a stack.
 */
/** What the handlers rely on: the SDK checks little else, and a number where a string belongs throws deep inside. */
const activityShape = z
  .object({
    type: z.string().min(1).max(100),
    serviceUrl: z.string().max(2_000).optional(),
    text: z.string().max(100_000).optional(),
    channelId: z.string().max(100).optional(),
  })
  .passthrough();

/** Teams activities are a few kilobytes; an Adaptive Card's submitted form stays far below this. */
const maxActivityBytes = 1_000_000;

export interface BotRouteOptions {
  /** With a bot app id every request must carry the Bot Framework's token: one without is refused before its body is read. */
  tokenRequired: boolean;
}

export function registerBotRoute(server: Server, adapter: BotEndpointAdapter, bot: ActivityHandler, logger: Logger, options: BotRouteOptions): void {
  adapter.onTurnError = async (context, error) => {
    const reference = randomBytes(4).toString('hex');
    const unavailable = error instanceof StorageUnavailableError;
    logger[unavailable ? 'warn' : 'error']('turn failed', { reference, activityType: context.activity.type, error });
    if (context.activity.type === 'invoke') return;
    const t = messagesFor('fr');
    try {
      await context.sendActivity(unavailable ? t.errors.serviceUnavailable : format(t.errors.unexpected, { reference }));
    } catch (sendError) {
      logger.warn('could not tell the user about the failure', { reference, error: sendError });
    }
  };

  server.post('/api/messages', async (req, res) => {
    const language = requestLanguage(req.header('accept-language') || undefined);
    // The Bot Framework service sends no browser headers; a page of another site would.
    if (isCrossSite(req)) return void sendAnswer(res, problem(language, 'request.crossSite'));
    if (options.tokenRequired && !/^Bearer\s+\S+$/i.test(req.header('authorization') ?? '')) return void sendAnswer(res, problem(language, 'auth.missing'));
    const read = await readJsonBody(req, language, maxActivityBytes);
    if (!read.ok) return void sendAnswer(res, read.problem);
    if (!activityShape.safeParse(read.body).success) return void sendAnswer(res, problem(language, 'activity.invalid'));
    try {
      const invokeResponse = await withLibraryOutputLogged(logger, () =>
        adapter.processParsedActivity(req.header('authorization') ?? '', read.body as Activity, (context) => bot.run(context)),
      );
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (error) {
      const failure = authenticationFailureOf(error);
      if (failure === 'refused') {
        // The reason helps to tell a misconfigured bot from an attack; the token itself is never logged.
        logger.warn('bot request refused: token not accepted', { reason: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' });
        return void sendAnswer(res, problem(language, 'auth.invalid'));
      }
      if (failure === 'keysUnavailable') {
        logger.warn('bot request refused: the Bot Framework signing keys could not be loaded', { error });
        return void sendAnswer(res, problem(language, 'service.unavailable'));
      }
      const reference = randomBytes(4).toString('hex');
      logger.error('bot request failed', { error, reference });
      if (!res.headersSent) sendAnswer(res, problem(language, 'unexpected', { reference }));
    }
  });
}
