import type { AccessService } from '../domain/access/accessService.js';
import { decide, OtherServiceError, requirements, visibleServiceIds, type AccessContext, type Decision } from '../domain/access/policy.js';
import type { Requirement } from '../domain/access/profiles.js';
import type { AuditNameResolver } from '../domain/auditNames.js';
import { format, messagesFor } from '../i18n/index.js';
import type { Db } from 'mongodb';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { publicBaseUrl, type Config } from '../config.js';
import type { Actor } from '../domain/actor.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import type { FirmSettingsService } from '../domain/firmSettingsService.js';
import { StorageUnavailableError } from '../domain/errors.js';
import { onboardingStates, portfolioPageSizes, PortfolioService, type OnboardingState, type PortfolioQuery } from '../domain/portfolio.js';
import type { AuditLog } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import { MongoPortfolioStore } from '../store/portfolioRepository.js';
import { MongoSubscriptionStore } from '../store/subscriptionRepository.js';
import { auditWording, requestLanguage } from './auditPresenter.js';
import { presentPortfolioClient, presentPortfolioPage } from './portfolioPresenter.js';
import { TabAuthenticator } from './tabAuth.js';

/**
 * The tab's API: GET /api/me, GET /api/portfolio (one page of the firm's clients), GET /api/portfolio/:id
 * (one client). Every route authenticates first (tabAuth.ts), scopes to the caller's firm, validates its
 * input with a schema and answers through a presenter.
 */
const flag = z
  .enum(['true', 'false', '1', '0'], { errorMap: () => ({ message: 'valeur attendue : true ou false' }) })
  .transform((value) => value === 'true' || value === '1');

const stateList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(z.enum(onboardingStates as [OnboardingState, ...OnboardingState[]], { errorMap: () => ({ message: `états possibles : ${onboardingStates.join(', ')}` }) })).max(onboardingStates.length));

const offerList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z0-9-]{1,40}$/, 'identifiant d’offre invalide')).max(20, 'au plus 20 offres'));

export const portfolioQuerySchema = z
  .object({
    page: z.coerce.number({ invalid_type_error: 'la page doit être un nombre' }).int('la page doit être un nombre entier').min(1, 'la première page est 1').max(100_000, 'page trop grande').default(1),
    pageSize: z.coerce
      .number()
      .refine((value): value is (typeof portfolioPageSizes)[number] => (portfolioPageSizes as readonly number[]).includes(value), {
        message: `taille de page possible : ${portfolioPageSizes.join(', ')}`,
      })
      .default(10),
    search: z.string().max(100, 'la recherche fait au plus 100 caractères').optional(),
    state: stateList.optional(),
    offer: offerList.optional(),
    missingSiret: flag.optional(),
    missingPrimaryContact: flag.optional(),
    sort: z.enum(['name', 'code'], { errorMap: () => ({ message: 'tri possible : name ou code' }) }).default('name'),
    direction: z.enum(['asc', 'desc'], { errorMap: () => ({ message: 'sens possible : asc ou desc' }) }).default('asc'),
  })
  .strict('paramètre inconnu');

const clientIdSchema = z.string().regex(/^[0-9a-f]{24}$/i, 'identifiant de dossier invalide');

const fieldNames: Record<string, string> = {
  page: 'page',
  pageSize: 'taille de page',
  search: 'recherche',
  state: 'état',
  offer: 'offre',
  missingSiret: 'SIRET manquant',
  missingPrimaryContact: 'contact principal manquant',
  sort: 'tri',
  direction: 'sens du tri',
};

function badRequest(res: Response, error: z.ZodError): void {
  const problems = error.issues.map((issue) => {
    const unknownKeys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
    const field = String(issue.path[0] ?? '');
    return { field: field || null, message: `${fieldNames[field] ?? field ?? 'requête'} : ${issue.message}${unknownKeys}`.replace(/^ : /, '') };
  });
  res.send(400, { error: `Requête invalide : ${problems.map((problem) => problem.message).join(' ; ')}.`, problems });
}

export interface PortfolioApi {
  auth: TabAuthenticator;
  /** The same policy as the bot: the tab needs « Dossiers clients – consultation ». */
  access: AccessService;
  portfolio: PortfolioService;
  /** The firm's offer catalogue: names of offers in the table, the filter and the export. */
  firmSettings: FirmSettingsService;
  /** The names audit details refer to, for the history and the journal. */
  auditNames: AuditNameResolver;
  logger: Logger;
}

/** Builds the portfolio's store, service and authenticator from what server.ts already has. */
export function createPortfolioApi(deps: { db: Db; config: Config; clientFiles: ClientFileService; audit: AuditLog; access: AccessService; firmSettings: FirmSettingsService; auditNames: AuditNameResolver; logger: Logger }): PortfolioApi {
  const { config } = deps;
  return {
    access: deps.access,
    auth: new TabAuthenticator({
      jwksUrl: config.TAB_JWKS_URL,
      clientId: config.AAD_APP_CLIENT_ID,
      tabDomain: new URL(publicBaseUrl(config)).host,
      localUser: config.TAB_LOCAL_USER,
      logger: deps.logger,
    }),
    portfolio: new PortfolioService({ store: new MongoPortfolioStore(deps.db), clientFiles: deps.clientFiles, audit: deps.audit, subscriptions: new MongoSubscriptionStore(deps.db) }),
    firmSettings: deps.firmSettings,
    auditNames: deps.auditNames,
    logger: deps.logger,
  };
}

export function refusalSentence(decision: Exclude<Decision, { allowed: true }>): string {
  const t = messagesFor('fr').access;
  if (decision.reason === 'missingProfile' && decision.missing) {
    return format(t.refusedMissingProfile, { application: t.applications[decision.missing.application], level: t.levels[decision.missing.level] });
  }
  if (decision.reason === 'structureInactive') return t.refusedStructureInactive;
  return decision.reason === 'detached' ? t.refusedDetached : t.refusedNotAttached;
}

/**
 * Authenticates (Entra ID token, or the local user), asks the staff policy, then runs the handler;
 * storage outages and surprises become a sentence, never a stack.
 */
export function authenticatedRoute(
  api: Pick<PortfolioApi, 'auth' | 'access' | 'logger'>,
  requirement: Requirement,
  handler: (actor: Actor, req: Request, res: Response, access: AccessContext) => Promise<void>,
) {
  return async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const auth = await api.auth.authenticate(req.header('authorization') || undefined);
    if (!auth.ok) {
      if (auth.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      res.send(auth.status, { error: auth.message });
      return;
    }
    try {
      const access = await api.access.contextFor(auth.actor);
      const decision = decide(access, requirement);
      if (!decision.allowed) {
        res.send(403, { error: refusalSentence(decision) });
        return;
      }
      await handler(auth.actor, req, res, access);
    } catch (error) {
      if (error instanceof OtherServiceError) {
        res.send(403, { error: 'Ce dossier relève d’un autre service que les vôtres : demandez votre rattachement à ce service.' });
        return;
      }
      if (error instanceof StorageUnavailableError) {
        res.send(503, { error: 'Service momentanément indisponible : réessayez dans un instant.' });
        return;
      }
      api.logger.error('tab API request failed', { error, path: req.path() });
      res.send(500, { error: 'Erreur inattendue : réessayez ; si elle persiste, contactez le support.' });
    }
  };
}

const mandateLabels = { none: '', sent: 'Mandat envoyé', signed: 'Mandat signé' } as const;
const registrationLabels = { none: '', invited: 'Invitation envoyée', registered: 'Inscrit' } as const;

/** What the store filters on: nothing for whole-structure users, else their services (and files of no service). */
export function serviceFilter(access: AccessContext): string[] | undefined {
  const visible = visibleServiceIds(access);
  return visible === 'all' ? undefined : visible;
}

/** 100 pages of 100: a firm of 10,000 clients exports in one file. */
const maxExportPages = 100;

/** A CSV cell for Excel: quoted when needed, and never read as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function registerPortfolioRoutes(server: Server, api: PortfolioApi): void {
  const authenticated = (handler: (actor: Actor, req: Request, res: Response, access: AccessContext) => Promise<void>) => authenticatedRoute(api, requirements.read('clientFiles'), handler);

  server.get('/api/me', authenticated(async (actor, _req, res, access) => {
    // The tab offers only the actions the routes would let through; the routes check again.
    const allowed = (requirement: Requirement) => decide(access, requirement).allowed;
    res.send(200, {
      displayName: actor.displayName,
      firmId: actor.firmId,
      canEdit: allowed(requirements.change('clientFiles')),
      can: {
        invite: allowed(requirements.change('invitations')),
        proposeOffers: allowed(requirements.read('offers')),
        proposePaidOffers: allowed(requirements.change('offers')),
        activatePartnerApps: allowed(requirements.change('partnerApps')),
        readAudit: allowed(requirements.read('audit')),
      },
    });
  }));

  server.get('/api/portfolio', authenticated(async (actor, req, res, access) => {
    const parsed = portfolioQuerySchema.safeParse(req.query ?? {});
    if (!parsed.success) return badRequest(res, parsed.error);
    const { state, offer, ...rest } = parsed.data;
    const query: PortfolioQuery = { ...rest, states: state, offers: offer, visibleServiceIds: serviceFilter(access) };
    const page = await api.portfolio.list(actor.firmId, query);
    res.send(200, presentPortfolioPage(page));
  }));

  /** The current view (same search, filters and sort) as CSV for Excel: « ; », UTF-8 with BOM, every page. */
  server.get('/api/export/portfolio.csv', authenticated(async (actor, req, res, access) => {
    const parsed = portfolioQuerySchema.safeParse({ ...(req.query ?? {}), page: 1, pageSize: 100 });
    if (!parsed.success) return badRequest(res, parsed.error);
    const { state, offer, ...rest } = parsed.data;
    const catalogue = await api.firmSettings.catalogue(actor.firmId);
    const offerName = (id: string) => catalogue.find((offer) => offer.id === id)?.name ?? id;
    const header = ['Code', 'Raison sociale', 'Forme juridique', 'SIRET', 'Interlocuteurs', 'Contact principal', 'E-mail du contact principal', 'Non invités', 'Invités', 'Acceptés', 'Membres', 'Échecs',
      'Offres', 'Flow', 'Shine', 'Achat', 'Vente', 'Caisse', 'Mandat', 'Inscription PA', 'Sensibilisation réforme', 'Réception flux', 'Flux achat', 'Flux vente', 'Flux banque', 'Paie', 'E-mail de collecte', 'Notes'];
    const lines: string[] = [header.join(';')];
    for (let page = 1; page <= maxExportPages; page++) {
      const view = presentPortfolioPage(await api.portfolio.list(actor.firmId, { ...rest, states: state, offers: offer, visibleServiceIds: serviceFilter(access), page, pageSize: 100 }));
      for (const item of view.items) {
        const states = item.contacts.states as Partial<Record<string, number>>;
        const { equipment, collection } = item;
        lines.push(
          [item.code, item.companyName, item.legalForm ?? '', item.siret ?? '', String(item.contacts.count), item.contacts.primary?.name ?? '', item.contacts.primary?.email ?? '',
            ...['notInvited', 'invited', 'accepted', 'member', 'failed'].map((name) => String(states[name] ?? 0)),
            item.offers.map((entry) => `${offerName(entry.offerId)} (${entry.active + entry.waiting})`).join(', '),
            item.flow ? `${item.flow.done}/${item.flow.total}` : '',
            item.shine ? [item.shine.purchases ? 'Achat' : '', item.shine.sales ? 'Vente' : '', `plan ${item.shine.plan}`].filter(Boolean).join(' ') : '',
            equipment.purchases ?? '', equipment.sales ?? '', equipment.till ?? '', mandateLabels[equipment.mandate], registrationLabels[equipment.einvoicingRegistration], equipment.reformAwareness ? 'Oui' : 'Non',
            collection.feedReception ?? '', collection.purchaseFeed ?? '', collection.salesFeed ?? '', collection.bankFeed ?? '', collection.payroll ?? '', collection.collectionEmail ?? '', item.notes ?? '',
          ].map(csvCell).join(';'),
        );
      }
      if (page * 100 >= view.total) break;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="portefeuille-passerelle.csv"');
    res.sendRaw(200, `\uFEFF${lines.join('\r\n')}\r\n`);
  }));

  /** The firm's offers, for the table's labels and the offer filter. */
  server.get('/api/offers', authenticated(async (actor, _req, res) => {
    const catalogue = await api.firmSettings.catalogue(actor.firmId);
    res.send(200, { items: catalogue.map((offer) => ({ id: offer.id, name: offer.name, paid: offer.paid })) });
  }));

  server.get('/api/portfolio/:id', authenticated(async (actor, req, res, access) => {
    const id = clientIdSchema.safeParse(req.params?.id);
    if (!id.success) return badRequest(res, id.error);
    const details = await api.portfolio.client(actor.firmId, id.data, visibleServiceIds(access));
    // Another firm's file is simply not found: its existence is not revealed.
    if (!details) {
      res.send(404, { error: 'Dossier introuvable.' });
      return;
    }
    res.send(200, presentPortfolioClient(details, await auditWording(api.auditNames, actor.firmId, requestLanguage(req), details.history)));
  }));
}
