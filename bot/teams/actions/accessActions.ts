import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { accessRequestsCard, describeRequest, userProfilesCard } from '../../cards/accessViews.js';
import type { AccessRequest, ApprovalResult } from '../../domain/access/ports.js';
import { defaultStructureId } from '../../domain/access/structures.js';
import { showUsers, structureGate } from './accessStructureActions.js';
import type { AccessUseCases } from '../../domain/access/accessUseCases.js';
import { requirements } from '../../domain/access/policy.js';
import { applications, isProfile, type Profile } from '../../domain/access/profiles.js';
import { format } from '../../i18n/index.js';
import { refusalText } from '../accessText.js';
import { inStructure, type Access, type CardActionHandler, type CardActionResult } from '../handlers.js';
import type { TurnSession } from '../session.js';
import { parseCardData } from './cardData.js';

const requestData = z.object({
  kind: z.enum(['join', 'profile']),
  application: z.enum(applications).optional(),
  level: z.enum(['consultation', 'modification']).optional(),
  comment: z.string().max(5_000).optional(),
});
const numberData = z.object({ number: z.coerce.number().int().positive() }).passthrough();
const emailData = z.object({ email: z.string().min(3).max(254) }).passthrough();

/** The button of a refusal card. Whoever clicks is the requester: card data names no person. */
export class RequestAccessAction implements CardActionHandler {
  readonly verb = 'access.request';
  readonly requires: Access = 'anyone';
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { kind, application, level, comment } = parseCardData(this.verb, requestData, data);
    if (!session.access.email) return { message: session.t.errors.accessCheckFailed };
    const profile = application && level ? { application, level } : undefined;
    const outcome = await this.access.requests.request({ ...session.actor, email: session.access.email }, { kind, profile, comment });
    return { message: outcome.ok ? format(session.t.access.requested, { number: outcome.value.number }) : refusalText(session.t, outcome.refusal) };
  }
}

/** What approving did: done, or approved but not carried out because the situation changed meanwhile. */
function approvalBanner(session: TurnSession, request: AccessRequest, result: ApprovalResult) {
  const t = session.t.access;
  const params = { number: request.number, what: describeRequest(session.language, request) };
  return result.applied
    ? { text: format(t.approvedApplied, params), good: true }
    : { text: format(t.approvedNotApplied, { ...params, reason: t.notApplied[result.reason] }), good: false };
}

async function requestsCard(access: AccessUseCases, session: TurnSession, banner?: { text: string; good: boolean }) {
  return accessRequestsCard(session.language, await access.requests.listPending(session.actor.firmId, session.access), banner);
}

export class ApproveRequestAction implements CardActionHandler {
  readonly verb = 'access.approve';
  readonly requires: Access = requirements.change('organisation');
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { number } = parseCardData(this.verb, numberData, data);
    const outcome = await this.access.approvals.approve(session.actor, number);
    const banner = outcome.ok ? approvalBanner(session, outcome.value.request, outcome.value.result) : { text: refusalText(session.t, outcome.refusal), good: false };
    return { card: await requestsCard(this.access, session, banner) };
  }
}

export class RefuseRequestAction implements CardActionHandler {
  readonly verb = 'access.refuse';
  readonly requires: Access = requirements.change('organisation');
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { number } = parseCardData(this.verb, numberData, data);
    const reason = typeof data[`reason${number}`] === 'string' ? String(data[`reason${number}`]) : undefined;
    const outcome = await this.access.approvals.refuse(session.actor, number, reason);
    const banner = outcome.ok ? { text: format(session.t.access.refused, { number }), good: true } : { text: refusalText(session.t, outcome.refusal), good: false };
    return { card: await requestsCard(this.access, session, banner) };
  }
}

const structureOf = (data: Record<string, unknown>) => (typeof data.structureId === 'string' && data.structureId ? data.structureId : defaultStructureId);

/** The verbs below act in the structure their card names (the default one for older cards): see structureGate. */
export class ShowUsersAction implements CardActionHandler {
  readonly verb = 'access.users';
  readonly requires: Access = inStructure(requirements.read('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    return showUsers(this.access, session, structureOf(data ?? {}));
  }
}

export class OpenProfilesAction implements CardActionHandler {
  readonly verb = 'access.openProfiles';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { email } = parseCardData(this.verb, emailData, data);
    const gate = await structureGate(this.access, session, structureOf(data), 'administer');
    if (!gate.ok) return gate.result;
    const member = (await this.access.members.listMembers(session.actor.firmId, gate.structure.id)).find((candidate) => candidate.email === email);
    return member ? { card: userProfilesCard(session.language, member) } : { message: session.t.access.refusals.targetNotAttached };
  }
}

/** Saves the whole habilitation as submitted: one choice per application. */
export class SaveProfilesAction implements CardActionHandler {
  readonly verb = 'access.saveProfiles';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { email } = parseCardData(this.verb, emailData, data);
    const gate = await structureGate(this.access, session, structureOf(data), 'administer');
    if (!gate.ok) return gate.result;
    const profiles: Profile[] = [];
    for (const application of applications) {
      const level = data[`profile_${application}`];
      if (level === 'none' || level === undefined) continue;
      const profile = { application, level };
      if (!isProfile(profile)) return { message: session.t.errors.staleCard };
      profiles.push(profile);
    }
    const outcome = await this.access.members.replaceProfiles({ ...session.actor, email: session.access.email }, email, profiles, gate.structure.id);
    const banner = outcome.ok
      ? { text: format(session.t.access.profilesSaved, { name: outcome.value.displayName }), good: true }
      : { text: refusalText(session.t, outcome.refusal, outcome.about), good: false };
    return showUsers(this.access, session, gate.structure.id, banner);
  }
}

export class DetachUserAction implements CardActionHandler {
  readonly verb = 'access.detach';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  constructor(private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { email, index } = parseCardData(this.verb, emailData, data) as { email: string; index?: unknown };
    const gate = await structureGate(this.access, session, structureOf(data), 'administer');
    if (!gate.ok) return gate.result;
    const comment = typeof data[`comment${String(index)}`] === 'string' ? String(data[`comment${String(index)}`]) : undefined;
    const member = (await this.access.members.listMembers(session.actor.firmId, gate.structure.id)).find((candidate) => candidate.email === email);
    const outcome = await this.access.members.detach({ ...session.actor, email: session.access.email }, email, comment, gate.structure.id);
    const banner = outcome.ok
      ? { text: format(session.t.access.detached, { name: member?.displayName ?? email }), good: true }
      : { text: refusalText(session.t, outcome.refusal, outcome.about), good: false };
    return showUsers(this.access, session, gate.structure.id, banner);
  }
}
