import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileEditField, ClientFileEditInput } from '../domain/clientFileEdit.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import type { FieldErrors } from '../domain/errors.js';
import { apiMessagesFor, issueKey } from '../i18n/apiMessages.js';
import { fieldErrorMessage, type Language } from '../i18n/index.js';
import { auditWording } from './auditPresenter.js';
import { problem } from './http/problems.js';
import { json, tabRoute, type TabEdge } from './http/route.js';
import { fieldLabel } from './http/schemaProblems.js';
import { clientFileParams, type PortfolioApi } from './portfolio.js';
import { presentPortfolioClient } from './portfolioPresenter.js';

/**
 * PATCH /api/portfolio/:id: staff edit an open client file from the tab. The body holds only what
 * changes plus the version the editor saw (`expectedUpdatedAt`); the rules are the bot's
 * (bot/domain/clientFileEdit.ts), so a value refused in a card is refused here with the same words.
 */

// Lengths and formats are the domain's to judge (with its messages); the schema only bounds the
// body and checks types, so a 2 MB "name" is refused before anything reads it.
const text = z
  .string({ invalid_type_error: issueKey('text') })
  .max(5_000, issueKey('textFarTooLong'))
  .nullable()
  .transform((value) => value ?? '');

const equipmentSchema = z
  .object({
    purchases: text.optional(),
    sales: text.optional(),
    till: text.optional(),
    mandate: z.string({ invalid_type_error: issueKey('mandate') }).max(40).optional(),
    einvoicingRegistration: z.string({ invalid_type_error: issueKey('registration') }).max(40).optional(),
    reformAwareness: z.boolean({ invalid_type_error: issueKey('expectedBoolean') }).optional(),
  })
  .strict(issueKey('notEditable'));

const collectionSchema = z
  .object({
    feedReception: text.optional(),
    purchaseFeed: text.optional(),
    salesFeed: text.optional(),
    bankFeed: text.optional(),
    payroll: text.optional(),
    collectionEmail: text.optional(),
  })
  .strict(issueKey('notEditable'));

/** No `code`: the file's code is the firm's key to it and is not edited here (an unknown key is refused). */
export const clientEditSchema = z
  .object({
    expectedUpdatedAt: z
      .string({ required_error: issueKey('versionRequired'), invalid_type_error: issueKey('isoDate') })
      .datetime({ offset: true, message: issueKey('isoDate') })
      .transform((value) => new Date(value)),
    companyName: text.optional(),
    legalForm: text.optional(),
    siret: text.optional(),
    apeCode: text.optional(),
    taxRegime: text.optional(),
    equipment: equipmentSchema.optional(),
    collection: collectionSchema.optional(),
    notes: text.optional(),
  })
  .strict(issueKey('notEditable'));

/** The domain's field errors, each in the user's language, and the summary naming the fields. */
function invalidFields(language: Language, errors: FieldErrors<ClientFileEditField>) {
  const problems = Object.entries(errors).flatMap(([field, error]) => (error ? [{ field, code: error.code, message: fieldErrorMessage(language, error) }] : []));
  const fields = problems.map((entry) => fieldLabel(apiMessagesFor(language), entry.field)).join(apiMessagesFor(language).layout.list);
  return problem(language, 'clientFile.invalid', { fields }, problems);
}

export function registerClientEditRoutes(server: Server, api: TabEdge & Pick<PortfolioApi, 'portfolio' | 'auditNames'>, deps: { clientFiles: ClientFileService }): void {
  server.patch(
    '/api/portfolio/:id',
    tabRoute(api, {
      requirement: requirements.change('clientFiles'),
      params: clientFileParams,
      invalidParams: 'clientFile.notFound',
      body: clientEditSchema,
      async handle({ actor, access, language, params: { id }, body: { expectedUpdatedAt, ...input } }) {
        // Another service's file is refused (OtherServiceError: 403 with the reason) before anything is written.
        const outcome = await deps.clientFiles.update(actor, id, expectedUpdatedAt, input satisfies ClientFileEditInput, visibleServiceIds(access));
        switch (outcome.status) {
          case 'invalid':
            return invalidFields(language, outcome.errors);
          // Another firm's file is simply not found: its existence is not revealed.
          case 'notFound':
            return problem(language, 'clientFile.notFound');
          case 'changedMeanwhile':
            return problem(language, 'clientFile.changedMeanwhile');
          case 'updated':
          case 'unchanged': {
            const details = await api.portfolio.client(actor.firmId, id);
            if (!details) return problem(language, 'clientFile.notFound');
            return json(presentPortfolioClient(details, await auditWording(api.auditNames, actor.firmId, language, details.history)));
          }
        }
      },
    }),
  );
}
