import type { Response, Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileEditField, ClientFileEditInput } from '../domain/clientFileEdit.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import type { FieldErrors } from '../domain/errors.js';
import { fieldErrorMessage } from '../i18n/index.js';
import { authenticatedRoute, type PortfolioApi } from './portfolio.js';
import { auditWording, requestLanguage } from './auditPresenter.js';
import { presentPortfolioClient } from './portfolioPresenter.js';

/**
 * PATCH /api/portfolio/:id: staff edit an open client file from the tab. The body holds only what
 * changes plus the version the editor saw (`expectedUpdatedAt`); the rules are the bot's
 * (bot/domain/clientFileEdit.ts), so a value refused in a card is refused here with the same words.
 */

/** French labels of the editable fields, for messages that name what to fix. */
export const editFieldLabels: Record<ClientFileEditField | 'expectedUpdatedAt', string> = {
  expectedUpdatedAt: 'version du dossier',
  companyName: 'raison sociale',
  legalForm: 'forme juridique',
  siret: 'SIRET',
  apeCode: 'code APE',
  taxRegime: 'régime',
  'equipment.purchases': 'achat',
  'equipment.sales': 'vente',
  'equipment.till': 'caisse',
  'equipment.mandate': 'mandat',
  'equipment.einvoicingRegistration': 'inscription PA',
  'equipment.reformAwareness': 'sensibilisation réforme',
  'collection.feedReception': 'réception flux',
  'collection.purchaseFeed': 'flux achat',
  'collection.salesFeed': 'flux vente',
  'collection.bankFeed': 'flux banque',
  'collection.payroll': 'paie',
  'collection.collectionEmail': 'e-mail de collecte',
  notes: 'notes',
};

// Lengths and formats are the domain's to judge (with its messages); the schema only bounds the
// body and checks types, so a 2 MB "name" is refused before anything reads it.
const text = z
  .string({ invalid_type_error: 'texte attendu' })
  .max(5_000, 'texte beaucoup trop long')
  .nullable()
  .transform((value) => value ?? '');

const equipmentSchema = z
  .object({
    purchases: text.optional(),
    sales: text.optional(),
    till: text.optional(),
    mandate: z.string({ invalid_type_error: 'valeur attendue : none, sent ou signed' }).max(40).optional(),
    einvoicingRegistration: z.string({ invalid_type_error: 'valeur attendue : none, invited ou registered' }).max(40).optional(),
    reformAwareness: z.boolean({ invalid_type_error: 'valeur attendue : true ou false' }).optional(),
  })
  .strict();

const collectionSchema = z
  .object({
    feedReception: text.optional(),
    purchaseFeed: text.optional(),
    salesFeed: text.optional(),
    bankFeed: text.optional(),
    payroll: text.optional(),
    collectionEmail: text.optional(),
  })
  .strict();

/** No `code`: the file's code is the firm's key to it and is not edited here (an unknown key is refused). */
export const clientEditSchema = z
  .object({
    expectedUpdatedAt: z
      .string({ required_error: 'obligatoire (la date de dernière modification du dossier affiché)', invalid_type_error: 'date attendue' })
      .datetime({ offset: true, message: 'date ISO 8601 attendue' })
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
  .strict();

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, 'identifiant de dossier invalide');

interface Problem {
  field: string | null;
  message: string;
}

function labelOf(field: string): string {
  return (editFieldLabels as Record<string, string>)[field] ?? field;
}

function refuse(res: Response, problems: Problem[], summary: string): void {
  res.send(400, { error: summary, problems });
}

function schemaProblems(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue) => {
    const prefix = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const field = prefix ? `${prefix}.${key}` : key;
        return { field, message: `« ${field} » ne peut pas être modifié ici.` };
      });
    }
    return [{ field: prefix || null, message: `${prefix ? `${labelOf(prefix)} : ` : ''}${issue.message}.` }];
  });
}

function domainProblems(errors: FieldErrors<ClientFileEditField>): Problem[] {
  return Object.entries(errors).flatMap(([field, error]) => (error ? [{ field, message: fieldErrorMessage('fr', error) }] : []));
}

export function registerClientEditRoutes(server: Server, api: Pick<PortfolioApi, 'auth' | 'access' | 'logger' | 'portfolio' | 'auditNames'>, deps: { clientFiles: ClientFileService }): void {
  server.patch(
    '/api/portfolio/:id',
    authenticatedRoute(api, requirements.change('clientFiles'), async (actor, req, res, access) => {
      const id = objectId.safeParse(req.params?.id);
      if (!id.success) {
        res.send(404, { error: 'Dossier introuvable.' });
        return;
      }
      const parsed = clientEditSchema.safeParse(req.body ?? {});
      if (!parsed.success) {
        const problems = schemaProblems(parsed.error);
        refuse(res, problems, `Requête invalide : ${problems.map((problem) => problem.message).join(' ')} Rien n’a été enregistré.`);
        return;
      }
      const { expectedUpdatedAt, ...input } = parsed.data;
      // Another service's file is refused (OtherServiceError: 403 with the reason) before anything is written.
      const outcome = await deps.clientFiles.update(actor, id.data, expectedUpdatedAt, input satisfies ClientFileEditInput, visibleServiceIds(access));
      switch (outcome.status) {
        case 'invalid': {
          const problems = domainProblems(outcome.errors);
          refuse(res, problems, `Corrigez les champs signalés (${problems.map((problem) => labelOf(problem.field ?? '')).join(', ')}) : rien n’a été enregistré.`);
          return;
        }
        // Another firm's file is simply not found: its existence is not revealed.
        case 'notFound':
          res.send(404, { error: 'Dossier introuvable.' });
          return;
        case 'changedMeanwhile':
          res.send(409, { error: 'Ce dossier a été modifié entre-temps : les dernières informations sont affichées.' });
          return;
        case 'updated':
        case 'unchanged': {
          const details = await api.portfolio.client(actor.firmId, id.data);
          if (!details) {
            res.send(404, { error: 'Dossier introuvable.' });
            return;
          }
          res.send(200, presentPortfolioClient(details, await auditWording(api.auditNames, actor.firmId, requestLanguage(req), details.history)));
        }
      }
    }),
  );
}
