import { editArticles } from '../domain/help/knowledgeBase.js';
import type { Server } from 'restify';
import { z } from 'zod';
import { publicBaseUrl, type Config } from '../config.js';
import type { AccessUseCases } from '../domain/access/accessUseCases.js';
import { decide, requirements, visibleServiceIds, type AccessContext } from '../domain/access/policy.js';
import type { Requirement } from '../domain/access/profiles.js';
import type { AuditNameResolver } from '../domain/auditNames.js';
import type { FirmSettingsService } from '../domain/firmSettingsService.js';
import { onboardingStates, portfolioPageSizes, type PortfolioService, type OnboardingState, type PortfolioQuery } from '../domain/portfolio.js';
import { apiMessagesFor, issueKey } from '../i18n/apiMessages.js';
import type { Logger } from '../logger.js';
import { auditWording } from './auditPresenter.js';
import { problem } from './http/problems.js';
import { csvFile, json, tabRoute } from './http/route.js';
import { portfolioCsvLines } from './portfolioExport.js';
import { presentPortfolioClient, presentPortfolioPage } from './portfolioPresenter.js';
import { TabAuthenticator } from './tabAuth.js';

/**
 * The tab's API: GET /api/me, GET /api/portfolio (one page of the firm's clients), GET /api/portfolio/:id
 * (one client), GET /api/offers and the CSV export of the current view. Each route is declared with
 * tabRoute (http/route.ts): authenticated, scoped to the caller's firm, its input checked by a schema,
 * its answer shaped by a presenter.
 */
const flag = z.enum(['true', 'false', '1', '0'], { errorMap: () => ({ message: issueKey('expectedBoolean') }) }).transform((value) => value === 'true' || value === '1');

const commaList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((part) => part.split(',')).map((part) => part.trim()).filter(Boolean));

const stateList = commaList.pipe(z.array(z.enum(onboardingStates as [OnboardingState, ...OnboardingState[]], { errorMap: (issue, context) => ({ message: issue.code === 'invalid_enum_value' ? issueKey('states') : context.defaultError }) })).max(onboardingStates.length));

const offerList = commaList.pipe(z.array(z.string().regex(/^[a-z0-9-]{1,40}$/, issueKey('offerId'))).max(20, issueKey('tooManyOffers')));

export const portfolioQuerySchema = z
  .object({
    page: z.coerce.number({ invalid_type_error: issueKey('pageNumber') }).int(issueKey('pageInteger')).min(1, issueKey('pageMin')).max(100_000, issueKey('pageMax')).default(1),
    pageSize: z.coerce
      .number()
      .refine((value): value is (typeof portfolioPageSizes)[number] => (portfolioPageSizes as readonly number[]).includes(value), {
        message: issueKey('pageSize'),
        params: { values: portfolioPageSizes.join(', ') },
      })
      .default(10),
    search: z.string().max(100, issueKey('searchTooLong')).optional(),
    state: stateList.optional(),
    offer: offerList.optional(),
    missingSiret: flag.optional(),
    missingPrimaryContact: flag.optional(),
    sort: z.enum(['name', 'code'], { errorMap: () => ({ message: issueKey('sort') }) }).default('name'),
    direction: z.enum(['asc', 'desc'], { errorMap: () => ({ message: issueKey('direction') }) }).default('asc'),
  })
  .strict(issueKey('unknownParameter'));

/** A client file's id in a path; one that cannot exist is simply not found. */
export const clientFileParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/i, issueKey('clientFileId')) });

export interface PortfolioApi {
  auth: TabAuthenticator;
  /** The same policy as the bot: the tab needs « Dossiers clients – consultation ». */
  access: AccessUseCases;
  portfolio: PortfolioService;
  /** The firm's offer catalogue: names of offers in the table, the filter and the export. */
  firmSettings: FirmSettingsService;
  /** The names audit details refer to, for the history and the journal. */
  auditNames: AuditNameResolver;
  logger: Logger;
}

/** The tab API's shared parts: the authenticator (from config) and the use cases every route reads. */
export function createPortfolioApi(deps: {
  config: Config;
  portfolio: PortfolioService;
  access: AccessUseCases;
  firmSettings: FirmSettingsService;
  auditNames: AuditNameResolver;
  logger: Logger;
}): PortfolioApi {
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
    portfolio: deps.portfolio,
    firmSettings: deps.firmSettings,
    auditNames: deps.auditNames,
    logger: deps.logger,
  };
}

/** What the store filters on: nothing for whole-structure users, else their services (and files of no service). */
export function serviceFilter(access: AccessContext): string[] | undefined {
  const visible = visibleServiceIds(access);
  return visible === 'all' ? undefined : visible;
}

export function registerPortfolioRoutes(server: Server, api: PortfolioApi): void {
  const readClientFiles = requirements.read('clientFiles');

  server.get('/api/me', tabRoute(api, {
    requirement: readClientFiles,
    async handle({ actor, access }) {
      // The tab offers only the actions the routes would let through; the routes check again.
      const allowed = (requirement: Requirement) => decide(access, requirement).allowed;
      return json({
        displayName: actor.displayName,
        firmId: actor.firmId,
        canEdit: allowed(requirements.change('clientFiles')),
        can: {
          invite: allowed(requirements.change('invitations')),
          proposeOffers: allowed(requirements.read('offers')),
          proposePaidOffers: allowed(requirements.change('offers')),
          activatePartnerApps: allowed(requirements.change('partnerApps')),
          readAudit: allowed(requirements.read('audit')),
          editHelpArticles: allowed(editArticles),
          support: allowed(requirements.change('support')),
          administer: allowed(requirements.change('organisation')),
        },
      });
    },
  }));

  server.get('/api/portfolio', tabRoute(api, {
    requirement: readClientFiles,
    query: portfolioQuerySchema,
    async handle({ actor, access, query: { state, offer, ...rest } }) {
      const query: PortfolioQuery = { ...rest, states: state, offers: offer, visibleServiceIds: serviceFilter(access) };
      return json(presentPortfolioPage(await api.portfolio.list(actor.firmId, query)));
    },
  }));

  /** The current view (same search, filters and sort) as CSV for Excel, every page, in the user's language. */
  server.get('/api/export/portfolio.csv', tabRoute(api, {
    requirement: readClientFiles,
    // Every page is exported: whatever page the view shows.
    query: z.preprocess((query) => ({ ...(query as object), page: 1, pageSize: 100 }), portfolioQuerySchema),
    async handle({ actor, access, language, query: { state, offer, ...rest } }) {
      const catalogue = await api.firmSettings.catalogue(actor.firmId);
      const pageOf = (page: number) => api.portfolio.list(actor.firmId, { ...rest, states: state, offers: offer, visibleServiceIds: serviceFilter(access), page, pageSize: 100 });
      return csvFile(apiMessagesFor(language).portfolioCsv.fileName, await portfolioCsvLines(language, catalogue, pageOf));
    },
  }));

  /** The firm's offers, for the table's labels, the offer filter and bulk proposals. */
  server.get('/api/offers', tabRoute(api, {
    requirement: readClientFiles,
    async handle({ actor }) {
      const catalogue = await api.firmSettings.catalogue(actor.firmId);
      // Retired offers stay listed (files still have them) but are never proposed.
      return json({
        items: catalogue.map((offer) => ({ id: offer.id, name: offer.name, paid: offer.paid, retired: Boolean(offer.retired), description: offer.description ?? null, priceNote: offer.priceNote ?? null })),
      });
    },
  }));

  server.get('/api/portfolio/:id', tabRoute(api, {
    requirement: readClientFiles,
    params: clientFileParams,
    async handle({ actor, access, language, params }) {
      const details = await api.portfolio.client(actor.firmId, params.id, visibleServiceIds(access));
      // Another firm's file is simply not found: its existence is not revealed.
      if (!details) return problem(language, 'clientFile.notFound');
      return json(presentPortfolioClient(details, await auditWording(api.auditNames, actor.firmId, language, details.history)));
    },
  }));
}
