import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { clientFileServiceCard, noServiceChoice } from '../../cards/accessViews.js';
import { clientFileDetailsCard } from '../../cards/views.js';
import type { AccessUseCases } from '../../domain/access/accessUseCases.js';
import { requirements, visibleServiceIds } from '../../domain/access/policy.js';
import { format } from '../../i18n/index.js';
import { refusalText } from '../accessText.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { clientFileRef, parseCardData } from './cardData.js';

const setServiceData = clientFileRef.extend({ serviceId: z.string().min(1).max(64) });

/** The client file card's « Service » button: choose which service handles the file. */
export class OpenClientFileServiceAction implements CardActionHandler {
  readonly verb = 'clientFile.openService';
  readonly requires: Access = requirements.change('clientFiles');
  constructor(private readonly services: TeamsServices, private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { clientFileId } = parseCardData(this.verb, clientFileRef, data);
    // A file of another service than the user's is refused here (OtherServiceError), as everywhere.
    const details = await this.services.clientFiles.details(session.actor.firmId, clientFileId, visibleServiceIds(session.access));
    if (!details) return { message: session.t.clientFile.gone };
    const structure = await this.access.structures.findStructure(session.actor.firmId);
    return { card: clientFileServiceCard(session.language, details.file, structure?.services ?? []) };
  }
}

export class SetClientFileServiceAction implements CardActionHandler {
  readonly verb = 'clientFile.setService';
  readonly requires: Access = requirements.change('clientFiles');
  constructor(private readonly services: TeamsServices, private readonly access: AccessUseCases) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { t, actor, language } = session;
    const { clientFileId, serviceId } = parseCardData(this.verb, setServiceData, data);
    const visibility = visibleServiceIds(session.access);
    const details = await this.services.clientFiles.details(actor.firmId, clientFileId, visibility);
    if (!details) return { message: t.clientFile.gone };
    let chosen: { id: string; name: string } | null = null;
    if (serviceId !== noServiceChoice) {
      const service = await this.access.structures.activeService(actor.firmId, serviceId);
      // Keeping a service deactivated since is no change; choosing one anew needs it active.
      if (!service.ok && !(service.refusal === 'serviceInactive' && details.file.serviceId === serviceId)) {
        const structure = await this.access.structures.findStructure(actor.firmId);
        return { card: clientFileServiceCard(language, details.file, structure?.services ?? [], refusalText(t, service.refusal)) };
      }
      chosen = { id: serviceId, name: service.ok ? service.value.name : '' };
    }
    const result = await this.services.clientFiles.assignService(actor, clientFileId, chosen?.id ?? null);
    if (result === 'clientFileNotFound') return { message: t.clientFile.gone };
    const code = details.file.code;
    const banner = result === 'unchanged' ? format(t.access.assignUnchanged, { code }) : chosen ? format(t.access.assigned, { code, service: chosen.name }) : format(t.access.unassigned, { code });
    const refreshed = await this.services.clientFiles.details(actor.firmId, clientFileId);
    return refreshed ? { card: clientFileDetailsCard(language, refreshed, banner) } : { message: t.clientFile.gone };
  }
}
