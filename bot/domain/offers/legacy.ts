import type { ActorStamp } from '../actor.js';
import { newAuditEntry } from '../audit.js';
import { contactSearchTokens, type Contact } from '../contact.js';
import { checkEmail } from '../fieldRules.js';
import type { ContactStore } from '../ports.js';

/** Old Start identifiers were created by the firm as prenom.nom@onloop.onmicrosoft.com (seed 000). */
export const legacyStartPattern = /^[^@\s]+\.[^@\s]+@onloop\.onmicrosoft\.com$/i;

export type LegacyKind = 'legacyStart' | 'legacyCoproduction';

export function legacyKindOf(contact: Contact): LegacyKind | null {
  if (legacyStartPattern.test(contact.email)) return 'legacyStart';
  if (contact.legacyCoproductionLicence) return 'legacyCoproduction';
  return null;
}

/** Finds legacy accesses and moves them to the contact's own e-mail, so the normal procedure applies. */
export class LegacyAccessService {
  constructor(private readonly deps: { contacts: ContactStore }) {}

  async list(firmId: string): Promise<{ contact: Contact; kind: LegacyKind }[]> {
    const contacts = await this.deps.contacts.listLegacy(firmId, 500);
    return contacts.flatMap((contact) => {
      const kind = legacyKindOf(contact);
      return kind ? [{ contact, kind }] : [];
    });
  }

  async migrate(firmId: string, contactId: string, rawEmail: string | undefined, by: ActorStamp): Promise<{ ok: true; contact: Contact } | { ok: false; reason: 'email.invalid' | 'email.legacy' | 'email.taken' | 'contact.notFound' }> {
    const contact = await this.deps.contacts.findById(firmId, contactId);
    if (!contact) return { ok: false, reason: 'contact.notFound' };
    const email = checkEmail(rawEmail ?? '');
    if (!email.ok) return { ok: false, reason: 'email.invalid' };
    if (legacyStartPattern.test(email.value)) return { ok: false, reason: 'email.legacy' };
    const migrated = newAuditEntry({ firmId, actor: by, action: 'contact.legacyMigrated', contactId, details: { before: contact.email, after: email.value } });
    const outcome = await this.deps.contacts.changeEmail(firmId, contactId, contact.email, email.value, contactSearchTokens({ ...contact, email: email.value }), migrated);
    if (outcome !== 'done') return { ok: false, reason: outcome === 'taken' ? 'email.taken' : 'contact.notFound' };
    return { ok: true, contact: { ...contact, email: email.value, legacyCoproductionLicence: undefined } };
  }
}
