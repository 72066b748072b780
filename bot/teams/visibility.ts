import { canSeeService, OtherServiceError, visibleServiceIds } from '../domain/access/policy.js';
import type { ClientFileDetails, FindOutcome } from '../domain/clientFileService.js';
import type { ClientFile } from '../domain/clientFile.js';
import type { Contact } from '../domain/contact.js';
import type { ContactDetails } from '../domain/contactService.js';
import type { InvitationPreview } from '../domain/guestOnboardingService.js';
import type { GuestTeamsServices } from './guestServices.js';
import type { TeamsServices } from './services.js';
import type { TurnSession } from './session.js';

/**
 * The one way handlers reach a client file or a contact for the acting user: a user attached to
 * services gets only what those services (and no service) hold; anything else throws
 * OtherServiceError, which the bot turns into « Ce dossier est suivi par un autre service… » before
 * the handler writes anything. Ids taken from card data are user input: they go through here too.
 */
export function visibilityOf(session: TurnSession): 'all' | string[] {
  return visibleServiceIds(session.access);
}

/** The file's details, or null when it no longer exists; refuses a file of another service. */
export function clientFileFor(services: TeamsServices, session: TurnSession, clientFileId: string): Promise<ClientFileDetails | null> {
  return services.clientFiles.details(session.actor.firmId, clientFileId, visibilityOf(session));
}

/** A code or a name, as typed; refuses a file of another service. */
export function findClientFileFor(services: TeamsServices, session: TurnSession, query: string): Promise<FindOutcome<ClientFile>> {
  return services.clientFiles.find(session.actor.firmId, query, visibilityOf(session));
}

/**
 * The contact's card data with only the files the user may see; refuses a contact of other services only.
 * Given the contact itself (a search just found it), it is not read again.
 */
export function contactFor(services: TeamsServices, session: TurnSession, contact: string | Contact): Promise<ContactDetails | null> {
  return typeof contact === 'string'
    ? services.contacts.details(session.actor.firmId, contact, visibilityOf(session))
    : services.contacts.detailsOf(contact, visibilityOf(session));
}

/** Of contacts a search found, those the user may see: names of other services' clients stay unnamed. */
export async function visibleContacts<T extends { id: string }>(services: TeamsServices, session: TurnSession, contacts: T[]): Promise<T[]> {
  if (visibilityOf(session) === 'all') return contacts;
  const kept = await Promise.all(
    contacts.map(async (contact) => {
      try {
        return (await contactFor(services, session, contact.id)) ? contact : null;
      } catch (error) {
        if (error instanceof OtherServiceError) return null;
        throw error;
      }
    }),
  );
  return kept.filter((contact): contact is Awaited<T> => contact !== null);
}

/** Throws unless the user may see this file (already loaded, e.g. through an offer). */
export function assertVisible(session: TurnSession, file: Pick<ClientFile, 'serviceId'>): void {
  if (!canSeeService(visibilityOf(session), file.serviceId)) throw new OtherServiceError(file.serviceId!);
}

/**
 * The one-contact invitation preview, listing only the files the user may see; refuses a contact of other
 * services only. The contact and its files are read once, for the check and the preview alike.
 */
export async function invitationPreviewFor(services: TeamsServices, guest: GuestTeamsServices, session: TurnSession, contact: string | Contact): Promise<InvitationPreview | null> {
  const details = await contactFor(services, session, contact);
  if (!details) return null;
  return guest.onboarding.previewOf(details.contact, details.clientFiles.map((entry) => entry.file));
}
