import type { StructureStore } from './access/ports.js';
import { contactDisplayName } from './contact.js';
import type { OfferDefinition } from './offers/catalogue.js';
import type { AuditEntry, ContactStore, TeamStore } from './ports.js';

/**
 * The names behind the ids an audit entry's details carry (offers, structures, services, teams,
 * contacts), so the log reads « Offre Start » rather than an id. Undefined: not found any more.
 */
export interface AuditNames {
  offer(offerId: string): string | undefined;
  offerStep(offerId: string, stepId: string): string | undefined;
  structure(structureId: string): string | undefined;
  service(serviceId: string): string | undefined;
  team(teamId: string): string | undefined;
  contact(contactId: string): string | undefined;
}

export const noAuditNames: AuditNames = {
  offer: () => undefined,
  offerStep: () => undefined,
  structure: () => undefined,
  service: () => undefined,
  team: () => undefined,
  contact: () => undefined,
};

/** Detail keys holding a contact's id (the previous primary contact of a file). */
const contactIdKeys = ['previousPrimaryContactId'] as const;

/** Reads, once per page of entries, the names their details refer to. */
export class AuditNameResolver {
  constructor(
    private readonly deps: {
      catalogue: (firmId: string) => Promise<OfferDefinition[]>;
      structures: Pick<StructureStore, 'list'>;
      teams: Pick<TeamStore, 'list'>;
      contacts: Pick<ContactStore, 'findByIds'>;
    },
  ) {}

  async namesFor(firmId: string, entries: readonly Pick<AuditEntry, 'details'>[]): Promise<AuditNames> {
    if (entries.length === 0) return noAuditNames;
    const contactIds = [
      ...new Set(entries.flatMap((entry) => contactIdKeys.map((key) => entry.details?.[key]).filter((value): value is string => typeof value === 'string'))),
    ];
    const [catalogue, structures, teams, contacts] = await Promise.all([
      this.deps.catalogue(firmId),
      this.deps.structures.list(firmId),
      this.deps.teams.list(firmId),
      contactIds.length > 0 ? this.deps.contacts.findByIds(firmId, contactIds) : Promise.resolve([]),
    ]);
    const offers = new Map(catalogue.map((offer) => [offer.id, offer]));
    const structureNames = new Map(structures.flatMap((structure) => (structure.displayName ?? structure.legalName ? [[structure.id, (structure.displayName ?? structure.legalName)!] as const] : [])));
    const serviceNames = new Map(structures.flatMap((structure) => structure.services.map((service) => [service.id, service.name] as const)));
    const teamNames = new Map(teams.map((team) => [team.teamId, team.displayName]));
    const contactNames = new Map(contacts.map((contact) => [contact.id, contactDisplayName(contact)]));
    return {
      offer: (offerId) => offers.get(offerId)?.name,
      offerStep: (offerId, stepId) => offers.get(offerId)?.steps.find((step) => step.id === stepId)?.label,
      structure: (structureId) => structureNames.get(structureId),
      service: (serviceId) => serviceNames.get(serviceId),
      team: (teamId) => teamNames.get(teamId),
      contact: (contactId) => contactNames.get(contactId),
    };
  }
}
