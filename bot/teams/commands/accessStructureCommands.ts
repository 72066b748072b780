import type { TurnContext } from 'botbuilder';
import { structureConfirmCard, structureCard, structureServicesCard, structuresCard, structureTitle } from '../../cards/accessViews.js';
import type { AccessUseCases } from '../../domain/access/accessUseCases.js';
import { requirements, visibleServiceIds } from '../../domain/access/policy.js';
import { defaultStructureId, findStructure } from '../../domain/access/structures.js';
import { checkClientFileCode, normaliseForSearch } from '../../domain/fieldRules.js';
import { format } from '../../i18n/index.js';
import { refusalText } from '../accessText.js';
import { structureGate } from '../actions/accessStructureActions.js';
import { inStructure, keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';

/** The structure a person named (its name, legal name or SIRET), or the default one when they named none. */
async function namedStructure(access: AccessUseCases, session: TurnSession, reference: string): Promise<string | undefined> {
  if (!reference.trim()) return defaultStructureId;
  return findStructure(await access.structures.listStructures(session.actor.firmId), reference)?.id;
}

/** "structures": every structure of the firm, with the reader's role in each. */
export class StructuresCommand implements BotCommand {
  readonly name = 'structures';
  // Someone attached only to another structure of the firm must see it too: `members.structuresSeenBy` decides.
  readonly requires: Access = inStructure('attached');
  readonly match = keywordMatcher([/structures/], { takesArguments: false });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const seen = await this.access.members.structuresSeenBy({ ...session.actor, email: session.access.email });
    if (!seen.ok) return replyWithText(context, session.t.access.refusedNotAttached);
    await replyWithCard(context, structuresCard(session.language, seen.value));
  }
}

/** The structure a command names (or the user's), for someone with « Organisation – consultation »; otherwise replies why and gives null. */
async function readableStructure(context: TurnContext, access: AccessUseCases, session: TurnSession, args: string) {
  const structureId = await namedStructure(access, session, args);
  if (!structureId) {
    await replyWithText(context, session.t.access.refusals.structureNotFound);
    return null;
  }
  const gate = await structureGate(access, session, structureId, 'read');
  if (gate.ok) return gate;
  await ('card' in gate.result ? replyWithCard(context, gate.result.card) : replyWithText(context, gate.result.message));
  return null;
}

/** "structure [nom]": the structure card; its administrators edit it there. */
export class StructureCommand implements BotCommand {
  readonly name = 'structure';
  readonly requires: Access = inStructure(requirements.read('organisation'));
  readonly match = keywordMatcher([/structure/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const gate = await readableStructure(context, this.access, session, args);
    if (!gate) return;
    await replyWithCard(context, structureCard(session.language, gate.structure, { canEdit: gate.canEdit }));
  }
}

/** "nouvelle structure <SIRET> <raison sociale>": another office or legal entity of the firm. */
export class CreateStructureCommand implements BotCommand {
  readonly name = 'createStructure';
  readonly requires: Access = requirements.change('organisation');
  readonly match = keywordMatcher([/nouvelle\s+structure/, /new\s+structure/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t } = session;
    const parsed = /^([\d\s]{14,20}?)\s+(\D.*)$/.exec(args.trim());
    if (!parsed) return replyWithText(context, t.access.structuresHint);
    const outcome = await this.access.structures.createStructure({ ...session.actor, email: session.access.email }, { siret: parsed[1]!.replace(/\s/g, ''), legalName: parsed[2] });
    if (!outcome.ok) return replyWithText(context, `${refusalText(t, outcome.refusal, outcome.about)} ${t.access.structuresHint}`);
    const banner = { text: format(t.access.structureCreated, { name: structureTitle(session.language, outcome.value) }), good: true };
    await replyWithCard(context, structureCard(session.language, outcome.value, { canEdit: true, banner }));
  }
}

/** "désactiver structure [nom]": asks for confirmation first; the card's button does it. */
export class DeactivateStructureCommand implements BotCommand {
  readonly name = 'deactivateStructure';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  readonly match = keywordMatcher([/d[ée]sactiver\s+(?:la\s+)?structure/, /deactivate\s+structure/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const structureId = await namedStructure(this.access, session, args);
    if (!structureId) return replyWithText(context, session.t.access.refusals.structureNotFound);
    const gate = await structureGate(this.access, session, structureId, 'administer');
    if (!gate.ok) return 'card' in gate.result ? replyWithCard(context, gate.result.card) : replyWithText(context, gate.result.message);
    if (!gate.structure.active) return replyWithText(context, session.t.access.refusals.alreadyInactive);
    await replyWithCard(context, structureConfirmCard(session.language, gate.structure));
  }
}

/** "activer structure [nom]": open to the structure's administrators even while it is deactivated. */
export class ActivateStructureCommand implements BotCommand {
  readonly name = 'activateStructure';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  readonly match = keywordMatcher([/(?:r[ée])?activer\s+(?:la\s+)?structure/, /(?:re)?activate\s+structure/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t } = session;
    const structureId = await namedStructure(this.access, session, args);
    if (!structureId) return replyWithText(context, t.access.refusals.structureNotFound);
    const outcome = await this.access.structures.setStructureActive({ ...session.actor, email: session.access.email }, structureId, true, true);
    if (!outcome.ok) return replyWithText(context, refusalText(t, outcome.refusal, outcome.about));
    const banner = { text: format(t.access.structureReactivated, { name: structureTitle(session.language, outcome.value) }), good: true };
    await replyWithCard(context, structureCard(session.language, outcome.value, { canEdit: true, banner }));
  }
}

/** "services [structure]": the services of a structure, to create, rename or deactivate them. */
export class ServicesCommand implements BotCommand {
  readonly name = 'services';
  readonly requires: Access = inStructure(requirements.read('organisation'));
  readonly match = keywordMatcher([/services/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const gate = await readableStructure(context, this.access, session, args);
    if (!gate) return;
    await replyWithCard(context, structureServicesCard(session.language, gate.structure, { canEdit: gate.canEdit }));
  }
}

/** "créer service <nom>": a service of the default structure (the card creates one in any structure). */
export class CreateServiceCommand implements BotCommand {
  readonly name = 'createService';
  readonly requires: Access = requirements.change('organisation');
  readonly match = keywordMatcher([/cr[ée]er\s+(?:un\s+)?service/, /create\s+service/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t } = session;
    if (!args) return replyWithText(context, t.access.servicesUsage);
    const outcome = await this.access.structures.createService({ ...session.actor, email: session.access.email }, defaultStructureId, args);
    if (!outcome.ok) return replyWithText(context, refusalText(t, outcome.refusal, outcome.about));
    const structure = (await this.access.structures.findStructure(session.actor.firmId, defaultStructureId))!;
    await replyWithCard(context, structureServicesCard(session.language, structure, { canEdit: true, banner: { text: format(t.access.serviceCreated, { name: outcome.value.name }), good: true } }));
  }
}

const noServiceWords = new Set(['aucun', 'aucune', 'none', 'structure', 'toute la structure', 'whole structure']);

/**
 * "service <code dossier> <service>": entrusts a client file to a service of the firm's structure,
 * or "service <code dossier> aucun" gives it back to the whole structure.
 */
export class AssignServiceCommand implements BotCommand {
  readonly name = 'assignService';
  readonly requires: Access = requirements.change('clientFiles');
  readonly match = keywordMatcher([/service/], { takesArguments: true });

  constructor(private readonly services: TeamsServices, private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor } = session;
    const parsed = /^(\S+)\s+(.+)$/.exec(args.trim());
    const code = parsed ? checkClientFileCode(parsed[1]!) : undefined;
    if (!parsed || !code?.ok) return replyWithText(context, t.access.assignUsage);
    // Only a file the user may see can be entrusted; one of another service is refused as such.
    const found = await this.services.clientFiles.find(actor.firmId, code.value, visibleServiceIds(session.access));
    if (found.kind !== 'one' || found.record.code !== code.value) return replyWithText(context, `${format(t.clientFile.notFound, { query: code.value })} ${t.access.assignUsage}`);
    let serviceId: string | null = null;
    let serviceName = '';
    if (!noServiceWords.has(normaliseForSearch(parsed[2]!))) {
      const service = await this.access.structures.activeService(actor.firmId, parsed[2]!);
      if (!service.ok) return replyWithText(context, refusalText(t, service.refusal));
      serviceId = service.value.id;
      serviceName = service.value.name;
    }
    const result = await this.services.clientFiles.assignService(actor, found.record.id, serviceId);
    if (result === 'clientFileNotFound') return replyWithText(context, t.clientFile.gone);
    if (result === 'unchanged') return replyWithText(context, format(t.access.assignUnchanged, { code: code.value }));
    await replyWithText(context, serviceId ? format(t.access.assigned, { code: code.value, service: serviceName }) : format(t.access.unassigned, { code: code.value }));
  }
}
