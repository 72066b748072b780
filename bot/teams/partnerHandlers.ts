import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { flowChecklistCard, shineCard } from '../cards/partnerViews.js';
import { stampOf } from '../domain/actor.js';
import { requirements } from '../domain/access/policy.js';
import { checkClientFileCode } from '../domain/fieldRules.js';
import type { FlowService } from '../domain/partners/flowService.js';
import { shineBillingModes, shinePlans, type ShineService } from '../domain/partners/shineService.js';
import { flowSteps } from '../domain/partners/partnerApps.js';
import { format } from '../i18n/index.js';
import { parseCardData } from './actions/cardData.js';
import { keywordMatcher, type Access, type BotCommand, type CardActionHandler, type CardActionResult } from './handlers.js';
import { replyWithCard, replyWithText } from './reply.js';
import type { TeamsServices } from './services.js';
import type { TurnSession } from './session.js';
import { clientFileFor, findClientFileFor } from './visibility.js';

export interface PartnerServices {
  flow: FlowService;
  shine: ShineService;
}

const objectId = z.string().regex(/^[0-9a-f]{24}$/i);
const flowStepData = z.object({ clientFileId: objectId, version: z.coerce.number().int().positive(), stepId: z.enum(flowSteps) });
const shineData = z.object({
  clientFileId: objectId,
  purchases: z.enum(['true', 'false']).optional(),
  sales: z.enum(['true', 'false']).optional(),
  billingMode: z.enum(shineBillingModes as [string, ...string[]]).optional(),
  plan: z.enum(shinePlans as [string, ...string[]]).optional(),
  accountEmail: z.string().max(5_000).optional(),
  emailSubject: z.string().max(5_000).optional(),
  emailBody: z.string().max(10_000).optional(),
});

async function fileByCode(services: TeamsServices, session: TurnSession, args: string) {
  const code = checkClientFileCode(args.trim());
  return code.ok ? (await findClientFileFor(services, session, code.value)) : { kind: 'none' as const };
}

/** "flow <code dossier>": the five-step checklist. */
export class FlowCommand implements BotCommand {
  readonly name = 'flow';
  readonly requires: Access = requirements.read('partnerApps');
  readonly match = keywordMatcher([/flow/], { takesArguments: true });
  constructor(private readonly services: TeamsServices, private readonly partners: PartnerServices) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const found = await fileByCode(this.services, session, args);
    if (found.kind !== 'one') return replyWithText(context, `${format(session.t.clientFile.notFound, { query: args })} ${session.t.commands.flow.usage}`);
    const checklist = await this.partners.flow.checklist(session.actor.firmId, found.record.id);
    if (checklist) await replyWithCard(context, flowChecklistCard(session.language, found.record, checklist));
  }
}

export class CompleteFlowStepAction implements CardActionHandler {
  readonly verb = 'flow.step';
  readonly requires: Access = requirements.change('partnerApps');
  constructor(private readonly services: TeamsServices, private readonly partners: PartnerServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { t, actor, language } = session;
    const { clientFileId, version, stepId } = parseCardData(this.verb, flowStepData, data);
    const details = await clientFileFor(this.services, session, clientFileId);
    if (!details) return { message: t.clientFile.gone };
    const outcome = await this.partners.flow.completeStep(actor.firmId, clientFileId, version, stepId, stampOf(actor, new Date()));
    if (outcome.status === 'clientFileNotFound') return { message: t.clientFile.gone };
    const banner = {
      done: { text: format(t.partners.flowDone, { step: t.partners.flowSteps[stepId] }), good: true },
      stale: { text: t.offers.stale, good: false },
      outOfOrder: { text: t.partners.flowOutOfOrder, good: false },
      derivedStep: { text: t.partners.flowDerived, good: false },
    }[outcome.status];
    return { card: flowChecklistCard(language, details.file, outcome.checklist, banner) };
  }
}

const showData = z.object({ clientFileId: objectId });

/** The dossier card's « Flow » button. */
export class ShowFlowAction implements CardActionHandler {
  readonly verb = 'flow.show';
  readonly requires: Access = requirements.read('partnerApps');
  constructor(private readonly services: TeamsServices, private readonly partners: PartnerServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { clientFileId } = parseCardData(this.verb, showData, data);
    const details = await clientFileFor(this.services, session, clientFileId);
    const checklist = details ? await this.partners.flow.checklist(session.actor.firmId, clientFileId) : null;
    return details && checklist ? { card: flowChecklistCard(session.language, details.file, checklist) } : { message: session.t.clientFile.gone };
  }
}

/** The dossier card's « Shine » button. */
export class ShowShineAction implements CardActionHandler {
  readonly verb = 'shine.show';
  readonly requires: Access = requirements.read('partnerApps');
  constructor(private readonly services: TeamsServices, private readonly partners: PartnerServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { clientFileId } = parseCardData(this.verb, showData, data);
    const firmId = session.actor.firmId;
    const details = await clientFileFor(this.services, session, clientFileId);
    if (!details) return { message: session.t.clientFile.gone };
    const setup = await this.partners.shine.current(firmId, clientFileId);
    if (setup) return { card: shineCard(session.language, details.file, { setup }) };
    const prepared = await this.partners.shine.prepare(firmId, clientFileId);
    return { card: shineCard(session.language, details.file, prepared.ok ? { preparation: prepared.value } : { refusal: prepared.refusal }) };
  }
}

/** "shine <code dossier>": the activation card, or the exact reason it cannot be activated yet. */
export class ShineCommand implements BotCommand {
  readonly name = 'shine';
  readonly requires: Access = requirements.read('partnerApps');
  readonly match = keywordMatcher([/shine/], { takesArguments: true });
  constructor(private readonly services: TeamsServices, private readonly partners: PartnerServices) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const found = await fileByCode(this.services, session, args);
    if (found.kind !== 'one') return replyWithText(context, `${format(session.t.clientFile.notFound, { query: args })} ${session.t.commands.shine.usage}`);
    const firmId = session.actor.firmId;
    const setup = await this.partners.shine.current(firmId, found.record.id);
    if (setup) return replyWithCard(context, shineCard(session.language, found.record, { setup }));
    const prepared = await this.partners.shine.prepare(firmId, found.record.id);
    await replyWithCard(context, shineCard(session.language, found.record, prepared.ok ? { preparation: prepared.value } : { refusal: prepared.refusal }));
  }
}

export class ActivateShineAction implements CardActionHandler {
  readonly verb = 'shine.activate';
  readonly requires: Access = requirements.change('partnerApps');
  constructor(private readonly services: TeamsServices, private readonly partners: PartnerServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { t, actor, language } = session;
    const input = parseCardData(this.verb, shineData, data);
    const details = await clientFileFor(this.services, session, input.clientFileId);
    if (!details) return { message: t.clientFile.gone };
    const outcome = await this.partners.shine.activate(
      actor.firmId,
      input.clientFileId,
      {
        purchases: input.purchases !== 'false',
        sales: input.sales !== 'false',
        billingMode: (input.billingMode ?? 'shineBillsClient') as never,
        plan: (input.plan ?? 'start') as never,
        accountEmail: input.accountEmail ?? '',
        emailSubject: input.emailSubject ?? '',
        emailBody: input.emailBody,
      },
      stampOf(actor, new Date()),
    );
    if (!outcome.ok) {
      const prepared = await this.partners.shine.prepare(actor.firmId, input.clientFileId);
      return { card: shineCard(language, details.file, { preparation: prepared.ok ? prepared.value : undefined, refusal: outcome.refusal, emailBody: input.emailBody }) };
    }
    const primary = details.contacts.find((contact) => contact.primary)?.contact.email ?? outcome.setup.accountEmail;
    const banner = { text: format(outcome.emailSent ? t.partners.activatedSent : outcome.emailFailed ? t.partners.activatedMailFailed : t.partners.activatedManual, { email: primary }), good: true };
    return { card: shineCard(language, details.file, { setup: outcome.setup, emailBody: outcome.emailSent ? '' : input.emailBody, banner }) };
  }
}
