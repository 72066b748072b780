import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { orgRolesCard } from '../../cards/views.js';
import { fieldErrorMessage, format } from '../../i18n/index.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { orgRoleData, parseCardData } from './cardData.js';

export class AddOrgRoleAction implements CardActionHandler {
  readonly verb = 'orgRoles.add';
  readonly requires: Access = requirements.change('organisation');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { role } = parseCardData(this.verb, orgRoleData, data);
    const firmId = session.actor.firmId;
    const result = await this.services.firmSettings.addOrgRole(firmId, role);
    const settings = await this.services.firmSettings.settings(firmId);
    const banner = result.ok
      ? { text: format(session.t.orgRoles.added, { role: result.role }), good: true }
      : { text: fieldErrorMessage(session.language, result.error), good: false };
    return { card: orgRolesCard(session.language, settings.orgRoles, banner) };
  }
}

export class RemoveOrgRoleAction implements CardActionHandler {
  readonly verb = 'orgRoles.remove';
  readonly requires: Access = requirements.change('organisation');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { role } = parseCardData(this.verb, orgRoleData, data);
    const firmId = session.actor.firmId;
    if (role) await this.services.firmSettings.removeOrgRole(firmId, role);
    const settings = await this.services.firmSettings.settings(firmId);
    return { card: orgRolesCard(session.language, settings.orgRoles, { text: format(session.t.orgRoles.removed, { role: role ?? '' }), good: true }) };
  }
}
