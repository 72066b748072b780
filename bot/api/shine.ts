import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import { contactDisplayName } from '../domain/contact.js';
import type { ShineSetup } from '../domain/partners/partnerApps.js';
import { shineBillingModes, shinePlans, type ShinePreparation, type ShineService } from '../domain/partners/shineService.js';
import { issueKey } from '../i18n/apiMessages.js';
import { messagesFor } from '../i18n/index.js';
import { problem, shineRefusal } from './http/problems.js';
import { json, tabRoute, type TabEdge } from './http/route.js';
import { clientFileParams } from './portfolio.js';

/**
 * Shine from the tab, as in the firm's console (seed 002): « + Ajouter » in the Achat or Vente column
 * opens the activation — billing mode, plan, the account address (an alias when the address already
 * has a Shine account) and the e-mail to the client, sent from the firm's mailbox or handed to the
 * user's mail app. The same ShineService and rules as the bot's « shine <code> ».
 */
export const shineActivationSchema = z
  .object({
    purchases: z.boolean({ invalid_type_error: issueKey('yesOrNo') }),
    sales: z.boolean({ invalid_type_error: issueKey('yesOrNo') }),
    billingMode: z.enum(shineBillingModes as [string, ...string[]], { errorMap: () => ({ message: issueKey('billingMode') }) }),
    plan: z.enum(shinePlans as [string, ...string[]], { errorMap: () => ({ message: issueKey('plan') }) }),
    accountEmail: z.string().max(254, issueKey('addressTooLong')),
    emailSubject: z.string().trim().min(1, issueKey('subjectRequired')).max(200, issueKey('subjectTooLong')),
    emailBody: z.string().max(5_000, issueKey('emailBodyTooLong')).optional(),
  })
  .strict();

function presentSetup(setup: ShineSetup) {
  return {
    purchases: setup.purchases,
    sales: setup.sales,
    billingMode: setup.billingMode,
    plan: setup.plan,
    accountEmail: setup.accountEmail,
    activatedAt: setup.activated.at.toISOString(),
    activatedBy: setup.activated.displayName,
    email: setup.email ? { via: setup.email.via, at: setup.email.sent.at.toISOString(), subject: setup.email.subject } : null,
  };
}

function presentPreparation(preparation: ShinePreparation) {
  return {
    primary: { name: contactDisplayName(preparation.primary), email: preparation.primary.email },
    proposedEmail: preparation.proposedEmail,
    aliasNeeded: preparation.aliasNeeded,
    emailSubject: preparation.emailSubject,
    emailBody: preparation.emailBody,
    defaults: preparation.defaults,
  };
}

export function registerShineRoutes(server: Server, api: TabEdge, deps: { shine: ShineService; clientFiles: ClientFileService; mailerConfigured: boolean }): void {
  const { mailerConfigured } = deps;

  /** What the dialog shows: Shine as it is, or the prepared activation, or why it cannot be activated yet. */
  server.get(
    '/api/portfolio/:id/shine',
    tabRoute(api, {
      requirement: requirements.read('partnerApps'),
      params: clientFileParams,
      invalidParams: 'clientFile.notFound',
      async handle({ actor, access, language, params: { id } }) {
        // Another service's file throws OtherServiceError: 403 with the reason.
        if (!(await deps.clientFiles.details(actor.firmId, id, visibleServiceIds(access)))) return problem(language, 'clientFile.notFound');
        const setup = await deps.shine.current(actor.firmId, id);
        if (setup) return json({ setup: presentSetup(setup), mailerConfigured });
        const prepared = await deps.shine.prepare(actor.firmId, id);
        if (!prepared.ok) return json({ refusal: { code: prepared.refusal, message: messagesFor(language).partners.shineRefusals[prepared.refusal] }, mailerConfigured });
        return json({ preparation: presentPreparation(prepared.value), mailerConfigured });
      },
    }),
  );

  server.post(
    '/api/portfolio/:id/shine',
    tabRoute(api, {
      requirement: requirements.change('partnerApps'),
      params: clientFileParams,
      invalidParams: 'clientFile.notFound',
      body: shineActivationSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        if (!(await deps.clientFiles.details(actor.firmId, id, visibleServiceIds(access)))) return problem(language, 'clientFile.notFound');
        const outcome = await deps.shine.activate(actor.firmId, id, body as Parameters<ShineService['activate']>[2], { userId: actor.userId, displayName: actor.displayName, at: new Date() });
        if (!outcome.ok) return shineRefusal(language, outcome.refusal);
        return json({ setup: presentSetup(outcome.setup), emailSent: outcome.emailSent, emailFailed: outcome.emailFailed, mailerConfigured });
      },
    }),
  );
}
