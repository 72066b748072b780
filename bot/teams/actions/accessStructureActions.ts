import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { accessRefusedCard, memberServicesCard, staffUsersCard, structureCard, structureConfirmCard, structureServicesCard, structureTitle } from '../../cards/accessViews.js';
import type { AccessUseCases } from '../../domain/access/accessUseCases.js';
import type { Denial } from '../../domain/access/accessOutcome.js';
import { requirements, type AccessContext } from '../../domain/access/policy.js';
import { defaultStructureId, type Structure } from '../../domain/access/structures.js';
import { format } from '../../i18n/index.js';
import { refusalText } from '../accessText.js';
import { inStructure, type Access, type CardActionHandler, type CardActionResult } from '../handlers.js';
import type { TurnSession } from '../session.js';
import { parseCardData } from './cardData.js';

type Banner = { text: string; good: boolean };
type Gate = { ok: true; structure: Structure; access: AccessContext; canEdit: boolean } | { ok: false; result: CardActionResult };

/**
 * Structure verbs act on the structure named in their data, so the use case decides on the user's
 * membership in that structure: they declare `inStructure(…)`, which the first filter lets through,
 * since a structure's own administrators may hold no profile in the default one. This only translates
 * the use case's answer.
 */
export async function structureGate(access: AccessUseCases, session: TurnSession, structureId: string | undefined, need: 'read' | 'administer'): Promise<Gate> {
  const opened = await access.structures.open({ ...session.actor, email: session.access.email }, structureId || defaultStructureId, need);
  if (opened.ok) return { ok: true, ...opened.value };
  return { ok: false, result: deniedResult(session, opened) };
}

/** A refusal by the policy as the card saying what is missing (with the button to request it); any other as its sentence. */
export function deniedResult(session: TurnSession, refused: { refusal: Parameters<typeof refusalText>[1]; about?: string; denied?: Denial }): CardActionResult {
  if (refused.denied) return { card: accessRefusedCard(session.language, refused.denied.reason, refused.denied.missing) };
  return { message: refusalText(session.t, refused.refusal, refused.about) };
}

const structureRef = z.object({ structureId: z.string().max(64).optional() }).passthrough();
const structureSave = z.object({
  structureId: z.string().max(64).optional(),
  version: z.coerce.number().int().min(0).optional(),
  displayName: z.string().max(5_000).optional(),
  addressLine: z.string().max(5_000).optional(),
  phone: z.string().max(5_000).optional(),
  contactEmail: z.string().max(5_000).optional(),
  siret: z.unknown().optional(),
  legalName: z.unknown().optional(),
});
const serviceRef = z.object({ structureId: z.string().max(64).optional(), serviceId: z.string().min(1).max(64) }).passthrough();
const memberRef = z.object({ structureId: z.string().max(64).optional(), email: z.string().min(3).max(254) }).passthrough();
const servicesChoice = z.object({
  structureId: z.string().max(64).optional(),
  email: z.string().min(3).max(254),
  scope: z.enum(['whole', 'services']).optional(),
  services: z.string().max(5_000).optional(),
  leave: z.string().max(5_000).optional(),
  comment: z.string().max(5_000).optional(),
});

/** Ticked choices of a multi-select arrive as one comma-separated string. */
function ticked(value: string | undefined): string[] {
  return (value ?? '').split(',').map((id) => id.trim()).filter(Boolean);
}

async function showStructure(access: AccessUseCases, session: TurnSession, structureId: string | undefined, banner?: Banner): Promise<CardActionResult> {
  const gate = await structureGate(access, session, structureId, 'read');
  if (!gate.ok) return gate.result;
  return { card: structureCard(session.language, gate.structure, { canEdit: gate.canEdit, banner }) };
}

async function showServices(access: AccessUseCases, session: TurnSession, structureId: string | undefined, banner?: Banner): Promise<CardActionResult> {
  const gate = await structureGate(access, session, structureId, 'read');
  if (!gate.ok) return gate.result;
  return { card: structureServicesCard(session.language, gate.structure, { canEdit: gate.canEdit, banner }) };
}

/** The users of a structure (the default one unless told), with their services. */
export async function showUsers(access: AccessUseCases, session: TurnSession, structureId: string | undefined, banner?: Banner): Promise<CardActionResult> {
  const gate = await structureGate(access, session, structureId, 'read');
  if (!gate.ok) return gate.result;
  const firmId = session.actor.firmId;
  return { card: staffUsersCard(session.language, await access.members.listMembers(firmId, gate.structure.id), gate.structure.mainManagerEmail, banner, gate.structure) };
}

export class ShowStructureAction implements CardActionHandler {
  readonly verb = 'structure.show';
  readonly requires: Access = inStructure(requirements.read('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, kept } = parseCardData(this.verb, structureRef, data) as { structureId?: string; kept?: unknown };
    return showStructure(this.access, session, structureId, kept === true ? { text: session.t.access.keptActive, good: true } : undefined);
  }
}

/** Saves what staff own of the structure; the register's fields are refused, nothing written. */
export class SaveStructureAction implements CardActionHandler {
  readonly verb = 'structure.save';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, version, ...input } = parseCardData(this.verb, structureSave, data);
    const id = structureId || defaultStructureId;
    const fields = Object.fromEntries(Object.entries(input).filter(([key]) => key in data));
    const outcome = await this.access.structures.updateStructure({ ...session.actor, email: session.access.email }, id, fields, version);
    if (outcome.ok) return { card: structureCard(session.language, outcome.value, { canEdit: true, banner: { text: session.t.access.structureSaved, good: true } }) };
    const structure = await this.access.structures.findStructure(session.actor.firmId, id);
    if (!structure || outcome.refusal === 'notAdministrator' || outcome.refusal === 'structureNotFound') return { message: refusalText(session.t, outcome.refusal, outcome.about) };
    // What was typed stays in the form, with each problem next to its field.
    const values = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]));
    return {
      card: structureCard(session.language, structure, { canEdit: true, errors: outcome.errors, values, banner: { text: refusalText(session.t, outcome.refusal), good: false } }),
    };
  }
}

export class ConfirmDeactivateStructureAction implements CardActionHandler {
  readonly verb = 'structure.confirmDeactivate';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId } = parseCardData(this.verb, structureRef, data);
    const gate = await structureGate(this.access, session, structureId, 'administer');
    if (!gate.ok) return gate.result;
    return { card: structureConfirmCard(session.language, gate.structure) };
  }
}

/** Deactivates (confirmed) or reactivates a structure; the structure card comes back with what happened. */
async function setStructureActive(access: AccessUseCases, session: TurnSession, structureId: string | undefined, active: boolean, confirmed: boolean): Promise<CardActionResult> {
  const outcome = await access.structures.setStructureActive({ ...session.actor, email: session.access.email }, structureId || defaultStructureId, active, confirmed);
  if (!outcome.ok) return { message: refusalText(session.t, outcome.refusal, outcome.about) };
  const text = active ? session.t.access.structureReactivated : session.t.access.structureDeactivated;
  return { card: structureCard(session.language, outcome.value, { canEdit: true, banner: { text: format(text, { name: structureTitle(session.language, outcome.value) }), good: true } }) };
}

/** Only the confirmation card's button sends `confirm: true`; anything else is refused, nothing written. */
export class DeactivateStructureAction implements CardActionHandler {
  readonly verb = 'structure.deactivate';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, confirm } = parseCardData(this.verb, structureRef, data) as { structureId?: string; confirm?: unknown };
    return setStructureActive(this.access, session, structureId, false, confirm === true);
  }
}

export class ActivateStructureAction implements CardActionHandler {
  readonly verb = 'structure.activate';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId } = parseCardData(this.verb, structureRef, data);
    return setStructureActive(this.access, session, structureId, true, true);
  }
}

export class ShowServicesAction implements CardActionHandler {
  readonly verb = 'structure.services';
  readonly requires: Access = inStructure(requirements.read('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId } = parseCardData(this.verb, structureRef, data);
    return showServices(this.access, session, structureId);
  }
}

/** The services card again, with what the change did or why it was refused. */
function servicesAfter(
  access: AccessUseCases,
  session: TurnSession,
  structureId: string | undefined,
  outcome: { ok: true; value: { name: string } } | { ok: false; refusal: Parameters<typeof refusalText>[1] },
  doneText: string,
): Promise<CardActionResult> {
  const banner = outcome.ok ? { text: format(doneText, { name: outcome.value.name }), good: true } : { text: refusalText(session.t, outcome.refusal), good: false };
  return showServices(access, session, structureId, banner);
}

export class CreateServiceAction implements CardActionHandler {
  readonly verb = 'service.create';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, newServiceName } = parseCardData(this.verb, structureRef, data) as { structureId?: string; newServiceName?: unknown };
    const outcome = await this.access.structures.createService({ ...session.actor, email: session.access.email }, structureId || defaultStructureId, typeof newServiceName === 'string' ? newServiceName : undefined);
    return servicesAfter(this.access, session, structureId, outcome, session.t.access.serviceCreated);
  }
}

export class RenameServiceAction implements CardActionHandler {
  readonly verb = 'service.rename';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, serviceId, index } = parseCardData(this.verb, serviceRef, data) as { structureId?: string; serviceId: string; index?: unknown };
    const name = data[`name${String(index)}`];
    const outcome = await this.access.structures.renameService({ ...session.actor, email: session.access.email }, structureId || defaultStructureId, serviceId, typeof name === 'string' ? name : undefined);
    return servicesAfter(this.access, session, structureId, outcome, session.t.access.serviceRenamed);
  }
}

export class SetServiceActiveAction implements CardActionHandler {
  readonly verb = 'service.setActive';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, serviceId, active } = parseCardData(this.verb, serviceRef.extend({ active: z.boolean() }), data);
    const outcome = await this.access.structures.setServiceActive({ ...session.actor, email: session.access.email }, structureId || defaultStructureId, serviceId, active);
    return servicesAfter(this.access, session, structureId, outcome, active ? session.t.access.serviceReactivated : session.t.access.serviceDeactivated);
  }
}

async function memberCard(access: AccessUseCases, session: TurnSession, structureId: string | undefined, email: string, banner?: Banner): Promise<CardActionResult> {
  const gate = await structureGate(access, session, structureId, 'administer');
  if (!gate.ok) return gate.result;
  const member = (await access.members.listMembers(session.actor.firmId, gate.structure.id)).find((candidate) => candidate.email === email && candidate.status === 'attached');
  return member ? { card: memberServicesCard(session.language, gate.structure, member, banner) } : { message: session.t.access.refusals.targetNotAttached };
}

export class OpenMemberServicesAction implements CardActionHandler {
  readonly verb = 'access.openServices';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, email } = parseCardData(this.verb, memberRef, data);
    return memberCard(this.access, session, structureId, email);
  }
}

/** Attaches the user to the whole structure or to exactly the ticked services. */
export class SetMemberServicesAction implements CardActionHandler {
  readonly verb = 'access.setServices';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, email, scope, services } = parseCardData(this.verb, servicesChoice, data);
    const chosen = scope === 'whole' ? [] : ticked(services);
    if (scope !== 'whole' && chosen.length === 0) return memberCard(this.access, session, structureId, email, { text: session.t.access.noServiceChosen, good: false });
    const outcome = await this.access.members.setServices({ ...session.actor, email: session.access.email }, email, chosen, structureId || defaultStructureId);
    const banner = outcome.ok ? { text: format(session.t.access.servicesSaved, { name: outcome.value.displayName }), good: true } : { text: refusalText(session.t, outcome.refusal, outcome.about), good: false };
    return outcome.ok ? showUsers(this.access, session, structureId, banner) : memberCard(this.access, session, structureId, email, banner);
  }
}

/** Detaches the user from the ticked services; the comment is mandatory. */
export class DetachMemberServicesAction implements CardActionHandler {
  readonly verb = 'access.detachServices';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { structureId, email, leave, comment } = parseCardData(this.verb, servicesChoice, data);
    const current = (await this.access.members.listMembers(session.actor.firmId, structureId || defaultStructureId)).find((candidate) => candidate.email === email);
    const leaving = ticked(leave);
    if (leaving.length === 0) return memberCard(this.access, session, structureId, email, { text: session.t.access.noServiceChosen, good: false });
    const outcome = await this.access.members.detachFromServices({ ...session.actor, email: session.access.email }, email, leaving, comment, structureId || defaultStructureId);
    const banner = outcome.ok
      ? { text: format(session.t.access.detachedFromServices, { name: current?.displayName ?? email }), good: true }
      : { text: refusalText(session.t, outcome.refusal, outcome.about), good: false };
    return outcome.ok ? showUsers(this.access, session, structureId, banner) : memberCard(this.access, session, structureId, email, banner);
  }
}
