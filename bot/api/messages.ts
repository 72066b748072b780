import { randomBytes } from 'node:crypto';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Server } from 'restify';
import { z } from 'zod';
import { StorageUnavailableError } from '../domain/errors.js';
import { messagesFor, format } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import { requestLanguage } from './http/language.js';
import { problem } from './http/problems.js';
import { sendAnswer } from './http/route.js';

/**
 * POST /api/messages: the Bot Framework endpoint. The adapter authenticates the request (JWT when
 * BOT_ID is set) and answers 400 for a malformed activity; a failing turn is logged and the user
 * gets a sentence, never a stack.
 */
/** The minimum the adapter needs to route an activity; everything else it validates itself. */
const activityShape = z.object({ type: z.string().min(1).max(100) }).passthrough();

export function registerBotRoute(server: Server, adapter: CloudAdapter, bot: ActivityHandler, logger: Logger): void {
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
    if (!activityShape.safeParse(req.body).success) return void sendAnswer(res, problem(language, 'activity.invalid'));
    try {
      await adapter.process(req, res, (context) => bot.run(context));
    } catch (error) {
      const reference = randomBytes(4).toString('hex');
      logger.error('bot request failed', { error, reference });
      if (!res.headersSent) sendAnswer(res, problem(language, 'unexpected', { reference }));
    }
  });
}
