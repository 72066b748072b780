import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { contactDetailsCard, contactFormCard } from '../../cards/views.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import { describeLink } from '../linkText.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { clientFileFor, contactFor, visibilityOf } from '../visibility.js';
import { contactCreateData, contactRef, optionalRefs, parseCardData } from './cardData.js';

export class OpenContactFormAction implements CardActionHandler {
  readonly verb = 'contact.openForm';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { clientFileId } = parseCardData(this.verb, optionalRefs, data);
    const clientFile = clientFileId ? (await clientFileFor(this.services, session, clientFileId))?.file : undefined;
    const settings = await this.services.firmSettings.settings(session.actor.firmId);
    return { card: contactFormCard(session.language, { requestId: this.services.newRequestId(), orgRoles: settings.orgRoles, clientFile }) };
  }
}

export class CreateContactAction implements CardActionHandler {
  readonly verb = 'contact.create';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { t, actor, language } = session;
    const { requestId, clientFileId, ...values } = parseCardData(this.verb, contactCreateData, data);
    // Opened from another service's file (a forged or outdated card): refused before the contact is created.
    if (clientFileId) await clientFileFor(this.services, session, clientFileId);
    const outcome = await this.services.contacts.create(actor, requestId, values);
    if (outcome.status === 'invalid') {
      const [settings, clientFile] = await Promise.all([
        this.services.firmSettings.settings(actor.firmId),
        clientFileId ? clientFileFor(this.services, session, clientFileId).then((details) => details?.file) : undefined,
      ]);
      return { card: contactFormCard(language, { requestId, orgRoles: settings.orgRoles, clientFile, values, errors: outcome.errors }) };
    }
    let banner = outcome.status === 'created' ? t.contact.createdTitle : t.contact.alreadyCreated;
    if (clientFileId) {
      // Opened from a client file: the new contact is linked to it (a replay finds the link already there).
      const link = await this.services.contacts.link(actor, { contactId: outcome.record.id, clientFileId }, visibilityOf(session));
      if (link.status !== 'invalid') banner = `${banner}\n\n${describeLink(t, link)}`;
    }
    const details = await contactFor(this.services, session, outcome.record.id);
    return details ? { card: contactDetailsCard(language, details, banner) } : { message: t.contact.gone };
  }
}

export class ShowContactAction implements CardActionHandler {
  readonly verb = 'contact.show';
  readonly requires: Access = requirements.read('contacts');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { contactId } = parseCardData(this.verb, contactRef, data);
    const details = await contactFor(this.services, session, contactId);
    return details ? { card: contactDetailsCard(session.language, details) } : { message: session.t.contact.gone };
  }
}
