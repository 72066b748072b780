import { requirements, visibleServiceIds } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { clientFileDetailsCard, clientFileFormCard } from '../../cards/views.js';
import { contactDisplayName } from '../../domain/contact.js';
import { format } from '../../i18n/index.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { clientFileCreateData, clientFileRef, parseCardData, setPrimaryData } from './cardData.js';

export class OpenClientFileFormAction implements CardActionHandler {
  readonly verb = 'clientFile.openForm';
  readonly requires: Access = requirements.change('clientFiles');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession): Promise<CardActionResult> {
    return { card: clientFileFormCard(session.language, { requestId: this.services.newRequestId() }) };
  }
}

export class CreateClientFileAction implements CardActionHandler {
  readonly verb = 'clientFile.create';
  readonly requires: Access = requirements.change('clientFiles');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { requestId, ...values } = parseCardData(this.verb, clientFileCreateData, data);
    const outcome = await this.services.clientFiles.create(session.actor, requestId, values);
    if (outcome.status === 'invalid') {
      return { card: clientFileFormCard(session.language, { requestId, values, errors: outcome.errors }) };
    }
    const details = await this.services.clientFiles.detailsOf(outcome.record);
    const banner = outcome.status === 'created' ? session.t.clientFile.createdTitle : session.t.clientFile.alreadyCreated;
    return { card: clientFileDetailsCard(session.language, details, banner) };
  }
}

export class ShowClientFileAction implements CardActionHandler {
  readonly verb = 'clientFile.show';
  readonly requires: Access = requirements.read('clientFiles');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { clientFileId } = parseCardData(this.verb, clientFileRef, data);
    const details = await this.services.clientFiles.details(session.actor.firmId, clientFileId, visibleServiceIds(session.access));
    return details ? { card: clientFileDetailsCard(session.language, details) } : { message: session.t.clientFile.gone };
  }
}

export class SetPrimaryContactAction implements CardActionHandler {
  readonly verb = 'clientFile.setPrimary';
  readonly requires: Access = requirements.change('clientFiles');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { t, actor, language } = session;
    const { clientFileId, contactId } = parseCardData(this.verb, setPrimaryData, data);
    // Refuses before writing when the file belongs to another service than the user's.
    await this.services.clientFiles.details(actor.firmId, clientFileId, visibleServiceIds(session.access));
    const result = await this.services.clientFiles.setPrimaryContact(actor, clientFileId, contactId);
    const details = await this.services.clientFiles.details(actor.firmId, clientFileId);
    if (result === 'clientFileNotFound' || !details) return { message: t.clientFile.gone };
    const contact = details.contacts.find((linked) => linked.contact.id === contactId)?.contact;
    const params = { contact: contact ? contactDisplayName(contact) : '', code: details.file.code };
    const banner = result === 'notLinked' ? t.primary.notLinked : format(t.primary[result], params);
    return { card: clientFileDetailsCard(language, details, banner) };
  }
}
