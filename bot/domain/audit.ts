import { randomUUID } from 'node:crypto';
import type { AuditEntry } from './ports.js';

/** An audit entry with its own id, decided with the change: writing it twice stores it once. */
export function newAuditEntry(fields: Omit<AuditEntry, 'id'>): AuditEntry {
  return { id: randomUUID(), ...fields };
}
