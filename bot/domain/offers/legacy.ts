import { decide, requirements } from '../access/policy.js';
import type { Requirement } from '../access/profiles.js';
import { stampOf, type ActorStamp } from '../actor.js';
import { newAuditEntry } from '../audit.js';
import { contactSearchTokens, type Contact } from '../contact.js';
import { checkEmail } from '../fieldRules.js';
import type { ContactStore } from '../ports.js';
import type { StaffActor } from '../staffActor.js';

/** Old Start identifiers were created by the firm as prenom.nom@onloop.onmicrosoft.com (seed 000). */
export const legacyStartPattern = /^[^@\s]+\.[^@\s]+@onloop\.onmicrosoft\.com$/i;

export type LegacyKind = 'legacyStart' | 'legacyCoproduction';

export function legacyKindOf(contact: Contact): LegacyKind | null {
  if (legacyStartPattern.test(contact.email)) return 'legacyStart';
  if (contact.legacyCoproductionLicence) return 'legacyCoproduction';
  return null;
}

/**
 * Finds legacy accesses (seed 000). Old Start identifiers move to the contact's own e-mail, so the
 * normal procedure applies; old paid Co-production accesses are kept as they are, listed and flagged
 * for review, and never replaced by the contact's e-mail.
 */
export class LegacyAccessService {
  constructor(private readonly deps: { contacts: ContactStore; now?: () => Date }) {}

  async list(firmId: string): Promise<{ contact: Contact; kind: LegacyKind }[]> {
    const contacts = await this.deps.contacts.listLegacy(firmId, 500);
    return contacts.flatMap((contact) => {
      const kind = legacyKindOf(contact);
      return kind ? [{ contact, kind }] : [];
    });
  }

  async migrate(firmId: string, contactId: string, rawEmail: string | undefined, by: ActorStamp): Promise<{ ok: true; contact: Contact } | { ok: false; reason: 'email.invalid' | 'email.legacy' | 'email.taken' | 'contact.notFound' | 'legacy.keptCoproduction' }> {
    const contact = await this.deps.contacts.findById(firmId, contactId);
    if (!contact) return { ok: false, reason: 'contact.notFound' };
    // A paid Co-production licence is the client's own Microsoft 365 account: kept, never replaced.
    if (contact.legacyCoproductionLicence) return { ok: false, reason: 'legacy.keptCoproduction' };
    const email = checkEmail(rawEmail ?? '');
    if (!email.ok) return { ok: false, reason: 'email.invalid' };
    if (legacyStartPattern.test(email.value)) return { ok: false, reason: 'email.legacy' };
    const migrated = newAuditEntry({ firmId, actor: by, action: 'contact.legacyMigrated', contactId, details: { before: contact.email, after: email.value } });
    const outcome = await this.deps.contacts.changeEmail(firmId, contactId, contact.email, email.value, contactSearchTokens({ ...contact, email: email.value }), migrated);
    if (outcome !== 'done') return { ok: false, reason: outcome === 'taken' ? 'email.taken' : 'contact.notFound' };
    return { ok: true, contact: { ...contact, email: email.value, legacyCoproductionLicence: undefined } };
  }

  /** Flags a contact's old paid Co-production access (or clears the flag), from their card; « Interlocuteurs – modification ». */
  async setCoproductionFlag(actor: StaffActor, contactId: string, flagged: boolean): Promise<LegacyFlagOutcome> {
    const needed = requirements.change('contacts');
    if (!decide(actor.access, needed).allowed) return { status: 'refused', missing: needed };
    const contact = await this.deps.contacts.findById(actor.firmId, contactId);
    if (!contact) return { status: 'contactNotFound' };
    if (Boolean(contact.legacyCoproductionLicence) === flagged) return { status: 'done', contact };
    const entry = newAuditEntry({ firmId: actor.firmId, actor: stampOf(actor, (this.deps.now ?? (() => new Date()))()), action: 'contact.legacyFlagged', contactId, details: { flagged } });
    if (!(await this.deps.contacts.setLegacyCoproductionLicence(actor.firmId, contactId, flagged, entry))) return { status: 'contactNotFound' };
    return { status: 'done', contact: { ...contact, legacyCoproductionLicence: flagged || undefined } };
  }
}

export type LegacyFlagOutcome = { status: 'done'; contact: Contact } | { status: 'refused'; missing: Requirement } | { status: 'contactNotFound' };
