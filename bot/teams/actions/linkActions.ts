import { requirements } from '../../domain/access/policy.js';
import type { TurnContext } from 'botbuilder';
import { clientFileDetailsCard, contactDetailsCard, linkFormCard } from '../../cards/views.js';
import type { Access, CardActionHandler, CardActionResult } from '../handlers.js';
import { describeLink } from '../linkText.js';
import type { TeamsServices } from '../services.js';
import type { TurnSession } from '../session.js';
import { clientFileFor, contactFor, visibilityOf } from '../visibility.js';
import { linkCreateData, optionalRefs, parseCardData } from './cardData.js';

export class OpenLinkFormAction implements CardActionHandler {
  readonly verb = 'link.openForm';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { clientFileId, contactId } = parseCardData(this.verb, optionalRefs, data);
    const clientFile = clientFileId ? (await clientFileFor(this.services, session, clientFileId))?.file : undefined;
    const contact = contactId ? (await contactFor(this.services, session, contactId))?.contact : undefined;
    if ((clientFileId && !clientFile) || (contactId && !contact)) return { message: session.t.errors.staleCard };
    return { card: linkFormCard(session.language, { clientFile, contact }) };
  }
}

export class CreateLinkAction implements CardActionHandler {
  readonly verb = 'link.create';
  readonly requires: Access = requirements.change('contacts');
  constructor(private readonly services: TeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { t, actor, language } = session;
    const input = parseCardData(this.verb, linkCreateData, data);
    const outcome = await this.services.contacts.link(actor, { ...input, primary: input.primary === 'true' }, visibilityOf(session));
    if (outcome.status === 'invalid') {
      const clientFile = input.clientFileId ? (await clientFileFor(this.services, session, input.clientFileId))?.file : undefined;
      const contact = input.contactId ? (await contactFor(this.services, session, input.contactId))?.contact : undefined;
      return { card: linkFormCard(language, { clientFile, contact, values: input, errors: outcome.errors }) };
    }
    const banner = describeLink(t, outcome);
    // Back to where the form was opened from: the contact's card when started there, else the file's.
    if (input.contactId && !input.clientFileId) {
      const details = await contactFor(this.services, session, outcome.contact.id);
      if (details) return { card: contactDetailsCard(language, details, banner) };
    }
    const details = await this.services.clientFiles.details(actor.firmId, outcome.file.id);
    return details ? { card: clientFileDetailsCard(language, details, banner) } : { message: banner };
  }
}
