import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, type AccessContext } from '../domain/access/policy.js';
import type { StaffActor } from '../domain/staffActor.js';
import type { FieldErrors } from '../domain/errors.js';
import { startStepChoices } from '../domain/offers/catalogue.js';
import type { FirmSettingsAdministration, FirmSettingsView, SettingsOutcome } from '../domain/settings/firmSettingsAdministration.js';
import { apiMessagesFor, issueKey } from '../i18n/apiMessages.js';
import { fieldErrorMessage, type Language } from '../i18n/index.js';
import { problem, refusal, type Problem } from './http/problems.js';
import { json, tabRoute, type Answer, type TabEdge } from './http/route.js';
import { fieldLabel } from './http/schemaProblems.js';
import type { TabUser } from './tabAuth.js';

/**
 * The firm's settings page (administrators): GET /api/settings, PATCH /api/settings (one or more
 * sections), POST /api/settings/offers (a new offer), PATCH /api/settings/offers/:id and
 * POST /api/settings/offers/:id/status (retire, propose again, delete when unused). Every write
 * carries the version the page showed; the rules are the administration's (bot/domain/settings).
 */

// The domain judges values (with its messages); the schemas bound the body and its shape.
const value = z.union([z.string().max(5_000, issueKey('textFarTooLong')), z.number(), z.boolean(), z.null()]);
const version = z.number({ required_error: issueKey('versionRequired'), invalid_type_error: issueKey('offerVersion') }).int().min(0);

const settingsBody = z
  .object({
    expectedVersion: version,
    name: value.optional(),
    guestPolicy: z.object({ reminderAfterDays: value.optional(), maxReminders: value.optional(), allowSharedGuestTeams: value.optional() }).strict(issueKey('notEditable')).optional(),
    engagementPolicy: z.object({ guestFateAtEnd: value.optional(), reviewAfterDays: value.optional() }).strict(issueKey('notEditable')).optional(),
    supportPolicy: z.object({ channelTeamId: value.optional(), firstAnswerWithinWorkingDays: value.optional(), autoCloseAfterDays: value.optional() }).strict(issueKey('notEditable')).optional(),
    partnerDefaults: z
      .object({ shine: z.object({ purchases: value.optional(), sales: value.optional(), billingMode: value.optional(), plan: value.optional() }).strict(issueKey('notEditable')).optional() })
      .strict(issueKey('notEditable'))
      .optional(),
  })
  .strict(issueKey('notEditable'));

const offerBody = z
  .object({
    expectedVersion: version,
    name: value.optional(),
    description: value.optional(),
    priceNote: value.optional(),
    paid: value.optional(),
    steps: z.array(z.string().max(40)).max(10).optional(),
    clientLink: value.optional(),
    clientNextStep: value.optional(),
  })
  .strict(issueKey('notEditable'));

const statusBody = z.object({ expectedVersion: version, status: z.enum(['retired', 'proposed', 'removed']) }).strict(issueKey('notEditable'));
const offerParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,40}$/, issueKey('offerId')) });

/** The settings as the page shows them. */
export function presentSettings(view: FirmSettingsView) {
  const { settings } = view;
  return {
    version: settings.version,
    name: settings.name ?? null,
    displayName: view.displayName ?? null,
    offers: settings.offerCatalogue.map((offer) => ({
      id: offer.id,
      name: offer.name,
      description: offer.description ?? null,
      priceNote: offer.priceNote ?? null,
      paid: offer.paid,
      steps: offer.steps.map((step) => step.id),
      clientLink: offer.clientLink ?? null,
      clientNextStep: offer.clientNextStep ?? null,
      retired: Boolean(offer.retired),
      inUse: view.offersInUse.includes(offer.id),
    })),
    startSteps: startStepChoices.map((step) => ({ id: step.id, label: step.label })),
    guestPolicy: settings.guestPolicy,
    engagementPolicy: settings.engagementPolicy,
    supportPolicy: {
      channelTeamId: settings.supportPolicy.channel?.teamId ?? null,
      firstAnswerWithinWorkingDays: settings.supportPolicy.firstAnswerWithinWorkingDays,
      autoCloseAfterDays: settings.supportPolicy.autoCloseAfterDays,
    },
    partnerDefaults: settings.partnerDefaults,
    flowAppAuthorised: settings.flowAppAuthorised ? { by: settings.flowAppAuthorised.displayName, at: settings.flowAppAuthorised.at } : null,
    teams: view.teams,
  };
}

export type SettingsView = ReturnType<typeof presentSettings>;

function invalidFields(language: Language, errors: FieldErrors): Problem {
  const t = apiMessagesFor(language);
  const problems = Object.entries(errors).flatMap(([field, error]) => (error ? [{ field, code: error.code, message: fieldErrorMessage(language, error) }] : []));
  return problem(language, 'settings.invalid', { fields: problems.map((entry) => fieldLabel(t, entry.field)).join(t.layout.list) }, problems);
}

function answerOf(language: Language, outcome: SettingsOutcome): Answer {
  switch (outcome.status) {
    case 'saved':
    case 'unchanged':
      return json({ ...presentSettings(outcome.view), ...(outcome.offer ? { savedOfferId: outcome.offer.id } : {}) });
    case 'refused':
      return refusal(language, { allowed: false, reason: 'missingProfile', missing: outcome.missing });
    case 'invalid':
      return invalidFields(language, outcome.errors);
    case 'changedMeanwhile':
      return problem(language, 'settings.changedMeanwhile');
    case 'offerNotFound':
      return problem(language, 'offer.notFound');
  }
}

export function registerSettingsRoutes(server: Server, api: TabEdge, deps: { administration: FirmSettingsAdministration }): void {
  const administer = requirements.change('organisation');
  const actorOf = (request: { actor: TabUser; access: AccessContext }): StaffActor => ({ ...request.actor, access: request.access });

  server.get('/api/settings', tabRoute(api, {
    requirement: administer,
    async handle(request) {
      const outcome = await deps.administration.view(actorOf(request));
      if (outcome.status === 'refused') return refusal(request.language, { allowed: false, reason: 'missingProfile', missing: outcome.missing });
      return json(presentSettings(outcome.view));
    },
  }));

  server.patch('/api/settings', tabRoute(api, {
    requirement: administer,
    body: settingsBody,
    async handle(request) {
      const { expectedVersion, ...edit } = request.body;
      return answerOf(request.language, await deps.administration.update(actorOf(request), expectedVersion, edit));
    },
  }));

  server.post('/api/settings/offers', tabRoute(api, {
    requirement: administer,
    body: offerBody,
    async handle(request) {
      const { expectedVersion, ...offer } = request.body;
      return answerOf(request.language, await deps.administration.saveOffer(actorOf(request), expectedVersion, undefined, offer));
    },
  }));

  server.patch('/api/settings/offers/:id', tabRoute(api, {
    requirement: administer,
    params: offerParams,
    invalidParams: 'offer.notFound',
    body: offerBody,
    async handle(request) {
      const { expectedVersion, ...offer } = request.body;
      return answerOf(request.language, await deps.administration.saveOffer(actorOf(request), expectedVersion, request.params.id, offer));
    },
  }));

  server.post('/api/settings/offers/:id/status', tabRoute(api, {
    requirement: administer,
    params: offerParams,
    invalidParams: 'offer.notFound',
    body: statusBody,
    async handle(request) {
      const { expectedVersion, status } = request.body;
      return answerOf(request.language, await deps.administration.setOfferStatus(actorOf(request), expectedVersion, request.params.id, status));
    },
  }));
}
