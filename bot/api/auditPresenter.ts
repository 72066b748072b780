import type { AuditNameResolver, AuditNames } from '../domain/auditNames.js';
import type { AuditEntry } from '../domain/ports.js';
import { auditDetailsText } from '../i18n/auditDetails.js';
import { auditActionLabel } from '../i18n/auditLabels.js';
import type { Language } from '../i18n/index.js';

/** What an audit entry is read with: the reader's language (the request's, bot/api/http/language.ts) and the names its details refer to. */
export interface AuditWording {
  language: Language;
  names: AuditNames;
}

export async function auditWording(resolver: AuditNameResolver, firmId: string, language: Language, entries: readonly AuditEntry[]): Promise<AuditWording> {
  return { language, names: await resolver.namesFor(firmId, entries) };
}

/** The label and readable details of an entry, from the one table (bot/i18n/auditLabels.ts). */
export function presentAuditText(entry: Pick<AuditEntry, 'action' | 'details'>, wording: AuditWording): { label: string; details: string } {
  return { label: auditActionLabel(wording.language, entry.action), details: auditDetailsText(wording.language, entry, wording.names) };
}
