import { randomUUID } from 'node:crypto';
import type { AuditEntry } from './ports.js';

/**
 * Every action the audit log records. AuditEntry.action is typed by this list, so a new action is
 * added here first, and bot/i18n/auditLabels.ts must then name it in both languages to type-check.
 */
export const auditActions = [
  'clientFile.created',
  'clientFile.updated',
  'clientFile.import.created',
  'clientFile.import.updated',
  'clientFile.primaryContactSet',
  'clientFile.guestTeamChosen',
  'clientFile.serviceAssigned',
  'contact.created',
  'contact.import.created',
  'contact.import.updated',
  'contact.linked',
  'contact.linkScopeChanged',
  'contact.legacyMigrated',
  'contact.legacyFlagged',
  'import.done',
  'guest.invited',
  'guest.foundInDirectory',
  'guest.reminded',
  'guest.accepted',
  'guest.joinedTeam',
  'guest.teamRefused',
  'guest.failed',
  'guest.revoked',
  'offer.proposed',
  'offer.changed',
  'offer.ended',
  'offer.stepDone',
  'offer.activated',
  'offer.acknowledgedByClient',
  'shine.activated',
  'shine.emailSent',
  'shine.emailFailed',
  'shine.emailPrepared',
  'flow.stepDone',
  'flow.appAuthorisedForFirm',
  'firm.renamed',
  'firm.offerAdded',
  'firm.offerChanged',
  'firm.offerRetired',
  'firm.offerReinstated',
  'firm.offerRemoved',
  'firm.guestPolicyChanged',
  'firm.engagementPolicyChanged',
  'firm.supportPolicyChanged',
  'firm.partnerDefaultsChanged',
  'access.bootstrapped',
  'access.mainManagerClaimed',
  'access.attached',
  'access.profilesChanged',
  'access.detached',
  'access.servicesChanged',
  'access.detachedFromServices',
  'access.mainManagerTransferred',
  'access.requested',
  'access.requestApproved',
  'access.requestRefused',
  'structure.created',
  'structure.updated',
  'structure.deactivated',
  'structure.reactivated',
  'structure.serviceCreated',
  'structure.serviceRenamed',
  'structure.serviceDeactivated',
  'structure.serviceReactivated',
] as const;

export type AuditAction = (typeof auditActions)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}

/** An audit entry with its own id, decided with the change: writing it twice stores it once. */
export function newAuditEntry(fields: Omit<AuditEntry, 'id'>): AuditEntry {
  return { id: randomUUID(), ...fields };
}
