import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import { contactDisplayName } from '../domain/contact.js';
import type { ShineSetup } from '../domain/partners/partnerApps.js';
import { shineBillingModes, shinePlans, type ShinePreparation, type ShineService } from '../domain/partners/shineService.js';
import { messagesFor } from '../i18n/index.js';
import { authenticatedRoute, type PortfolioApi } from './portfolio.js';

/**
 * Shine from the tab, as in the firm's console (seed 002): « + Ajouter » in the Achat or Vente column
 * opens the activation — billing mode, plan, the account address (an alias when the address already
 * has a Shine account) and the e-mail to the client, sent from the firm's mailbox or handed to the
 * user's mail app. The same ShineService and rules as the bot's « shine <code> ».
 */
const clientIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'identifiant de dossier invalide');

export const shineActivationSchema = z
  .object({
    purchases: z.boolean({ invalid_type_error: 'Achats : oui ou non' }),
    sales: z.boolean({ invalid_type_error: 'Ventes : oui ou non' }),
    billingMode: z.enum(shineBillingModes as [string, ...string[]], { errorMap: () => ({ message: 'mode de facturation : Shine ou Cabinet' }) }),
    plan: z.enum(shinePlans as [string, ...string[]], { errorMap: () => ({ message: 'formule : Easy, Start ou Plus' }) }),
    accountEmail: z.string().max(254, 'adresse trop longue'),
    emailSubject: z.string().trim().min(1, 'l’objet de l’e-mail est obligatoire').max(200, 'objet de 200 caractères au plus'),
    emailBody: z.string().max(5_000, 'e-mail de 5 000 caractères au plus').optional(),
  })
  .strict('champ inconnu');

const t = messagesFor('fr').partners;

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
  };
}

export function registerShineRoutes(server: Server, api: Pick<PortfolioApi, 'auth' | 'access' | 'logger'>, deps: { shine: ShineService; clientFiles: ClientFileService; mailerConfigured: boolean }): void {
  /** What the dialog shows: Shine as it is, or the prepared activation, or why it cannot be activated yet. */
  server.get(
    '/api/portfolio/:id/shine',
    authenticatedRoute(api, requirements.read('partnerApps'), async (actor, req, res, access) => {
      const id = clientIdSchema.safeParse(req.params?.id);
      // Another service's file throws OtherServiceError, answered 403 by authenticatedRoute.
      if (!id.success || !(await deps.clientFiles.details(actor.firmId, id.data, visibleServiceIds(access)))) return void res.send(404, { error: 'Dossier introuvable.' });
      const setup = await deps.shine.current(actor.firmId, id.data);
      if (setup) return void res.send(200, { setup: presentSetup(setup), mailerConfigured: deps.mailerConfigured });
      const prepared = await deps.shine.prepare(actor.firmId, id.data);
      if (!prepared.ok) return void res.send(200, { refusal: { code: prepared.refusal, message: t.shineRefusals[prepared.refusal] }, mailerConfigured: deps.mailerConfigured });
      res.send(200, { preparation: presentPreparation(prepared.value), mailerConfigured: deps.mailerConfigured });
    }),
  );

  server.post(
    '/api/portfolio/:id/shine',
    authenticatedRoute(api, requirements.change('partnerApps'), async (actor, req, res, access) => {
      const id = clientIdSchema.safeParse(req.params?.id);
      if (!id.success || !(await deps.clientFiles.details(actor.firmId, id.data, visibleServiceIds(access)))) return void res.send(404, { error: 'Dossier introuvable.' });
      const parsed = shineActivationSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? '') || null, message: issue.message }));
        return void res.send(400, { error: `Activation refusée : ${problems.map((problem) => problem.message).join(' ; ')}.`, problems });
      }
      const body = parsed.data as Parameters<ShineService['activate']>[2];
      const outcome = await deps.shine.activate(actor.firmId, id.data, body, { userId: actor.userId, displayName: actor.displayName, at: new Date() });
      if (!outcome.ok) {
        const field = outcome.refusal === 'emailInvalid' || outcome.refusal === 'emailTaken' ? 'accountEmail' : outcome.refusal === 'nothingChosen' ? 'purchases' : null;
        return void res.send(outcome.refusal === 'alreadyActive' ? 409 : 400, { error: t.shineRefusals[outcome.refusal], problems: field ? [{ field, message: t.shineRefusals[outcome.refusal] }] : [] });
      }
      res.send(200, { setup: presentSetup(outcome.setup), emailSent: outcome.emailSent, emailFailed: outcome.emailFailed, mailerConfigured: deps.mailerConfigured });
    }),
  );
}
