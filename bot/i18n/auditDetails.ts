import { defaultStructureId } from '../domain/access/structures.js';
import { noAuditNames, type AuditNames } from '../domain/auditNames.js';
import type { AuditEntry } from '../domain/ports.js';
import { auditDetailWords } from './auditDetailWords.js';
import { format, messagesFor, type Language } from './index.js';

/** Keys that only identify what the entry's other columns already show, or a technical id. */
const silentKeys = new Set(['code', 'subscriptionId', 'directoryUserId', 'articleId']);

type Details = Record<string, unknown>;

/**
 * The details of an entry as one readable line (« Offre : Start → Consultation · Ligne 4 du fichier
 * importé »): names instead of ids, labels instead of codes, before → after for changes. Empty when
 * there is nothing more to say than the label.
 */
export function auditDetailsText(language: Language, entry: Pick<AuditEntry, 'action' | 'details'>, names: AuditNames = noAuditNames): string {
  return new DetailsWriter(language, names).write(entry.action, entry.details ?? {}).join(' · ');
}

class DetailsWriter {
  private readonly w: (typeof auditDetailWords)[Language];
  private readonly t: ReturnType<typeof messagesFor>;

  constructor(language: Language, private readonly names: AuditNames) {
    this.w = auditDetailWords[language];
    this.t = messagesFor(language);
  }

  write(action: string, details: Details): string[] {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(details)) {
      if (key === 'before' || key === 'after' || silentKeys.has(key)) continue;
      const part = this.detail(action, key, value, details);
      if (part) parts.push(part);
    }
    // Who and what first, then what changed.
    return [...parts, ...this.beforeAndAfter(action, details)];
  }

  /** What a change changed, read according to the action. */
  private beforeAndAfter(action: string, details: Details): string[] {
    if (!('before' in details) && !('after' in details)) return [];
    const { before, after } = details;
    const w = this.w;
    switch (action) {
      case 'offer.changed':
        return [this.change(w.offer, this.offerName(before), this.offerName(after))];
      case 'offer.ended':
        return [this.field(w.previousState, this.offerState(before))];
      case 'contact.legacyMigrated':
      case 'contact.identityChangeRequested':
      case 'contact.identityChangeCompleted':
        return [this.change(w.email, this.plain(before), this.plain(after))];
      case 'access.mainManagerTransferred':
        return [this.change(w.mainManager, this.plain(before), this.plain(after))];
      case 'access.profilesChanged':
        return [this.change(w.profiles, this.profileList(before), this.profileList(after))];
      case 'access.servicesChanged':
        return [this.change(w.services, this.serviceList(before), this.serviceList(after))];
      case 'structure.serviceRenamed':
      case 'firm.renamed':
        return [this.change(w.name, this.plain(before), this.plain(after))];
      case 'clientFile.serviceAssigned':
        return [this.change(w.service, this.assignedService(before), this.assignedService(after))];
      case 'access.attached':
        return this.attachment(before as Details | null, after as Details | undefined);
      case 'firm.supportPolicyChanged':
        return this.fieldChanges(this.withChannelName(before), this.withChannelName(after));
      default:
        return this.fieldChanges(before, after);
    }
  }

  private detail(action: string, key: string, value: unknown, details: Details): string | undefined {
    const w = this.w;
    const t = this.t;
    if (value === null || value === undefined || value === '') return undefined;
    switch (key) {
      case 'offerId':
        return 'offerName' in details ? undefined : this.field(w.offer, this.offerName(value));
      case 'offerName':
        return this.field(w.offer, this.plain(value));
      case 'state':
        return action.startsWith('offer.') ? this.field(w.state, this.offerState(value)) : this.field(w.state, w.guestStates[String(value)] ?? this.plain(value));
      case 'reopened':
        return value === true ? w.reopened : undefined;
      case 'stepId':
        return this.field(w.step, (typeof details.offerId === 'string' && this.names.offerStep(details.offerId, String(value))) || String(value));
      case 'step':
        return this.field(w.step, (t.partners.flowSteps as Record<string, string>)[String(value)] ?? String(value));
      case 'line':
        return format(w.line, { line: String(value) });
      case 'scope':
        return this.field(w.scope, this.plain(value));
      case 'previousScope':
        return this.field(w.previousScope, this.plain(value));
      case 'previousPrimaryContactId':
        return this.field(w.previousPrimary, this.names.contact(String(value)) ?? String(value));
      case 'teamId':
        return this.field(w.team, this.names.team(String(value)) ?? String(value));
      case 'previousTeamId':
        return this.field(w.previousTeam, this.names.team(String(value)) ?? String(value));
      case 'personalMessage':
        return value === true ? w.personalMessage : undefined;
      case 'reminder':
        return format(w.reminder, { number: String(value) });
      case 'requestedByStaff':
        return value === true ? w.requestedByStaff : undefined;
      case 'decision':
        return this.field(w.tally.decision!, (t.engagement.fates as Record<string, string>)[String(value)] ?? String(value));
      case 'action':
        return this.field(w.revocation, (t.guest.revocations as Record<string, string>)[String(value)] ?? String(value));
      case 'reason':
        return this.field(w.reason, this.reason(action, String(value)));
      case 'email':
        return this.field(w.user, String(value));
      case 'structureId':
        return this.field(w.structure, this.structureName(String(value)));
      case 'serviceId':
        return 'name' in details ? undefined : this.field(w.service, this.names.service(String(value)) ?? String(value));
      case 'name':
      case 'service':
        return this.field(w.service, key === 'service' ? (this.names.service(String(value)) ?? String(value)) : String(value));
      case 'services':
        return this.field(w.services, this.serviceList(value));
      case 'number':
        return typeof details.kind === 'string'
          ? format(w.requestOfKind, { number: String(value), kind: w.requestKinds[details.kind] ?? details.kind })
          : format(w.request, { number: String(value) });
      case 'kind':
        return undefined;
      case 'operation':
        return this.field(w.operation, w.offerOperations[String(value)] ?? String(value));
      case 'fromOfferId':
        return this.field(w.fromOffer, this.offerName(value));
      case 'profile':
        return this.field(w.profile, this.profileList([value]));
      case 'comment':
        return this.field(w.comment, String(value));
      case 'siret':
        return this.field(w.siret, String(value));
      case 'legalName':
        return this.field(w.legalName, String(value));
      case 'mainManager':
        return this.field(w.mainManager, String(value));
      case 'subject':
        return this.field(w.subject, String(value));
      case 'purchases':
        return value === true ? this.field(w.flows, t.partners.purchases) : undefined;
      case 'sales':
        return value === true ? this.field(w.flows, t.partners.sales) : undefined;
      case 'billingMode':
        return this.field(w.billingMode, (t.partners.billingModes as Record<string, string>)[String(value)] ?? String(value));
      case 'plan':
        return this.field(w.plan, (t.partners.plans as Record<string, string>)[String(value)] ?? String(value));
      case 'articleTitle':
        return this.field(w.article, String(value));
      case 'changed':
        return Array.isArray(value) ? this.field(w.changedFields, value.map((field) => (t.knowledgeBase.fields as Record<string, string>)[String(field)] ?? String(field)).join(', ')) : undefined;
      case 'flagged':
        return value === true ? w.legacyFlagged : w.legacyCleared;
      case 'alias':
        return value === true ? w.alias : undefined;
      case 'takenOver':
        return w.mainManagerTakenOver[String(value)] ?? w.mainManagerTakenOver.detached;
      default:
        if (key in w.tally) return this.field(w.tally[key]!, String(value));
        // A detail this table does not know yet: its key and value, never raw JSON.
        return this.field(key, this.plain(value));
    }
  }

  private attachment(before: Details | null, after: Details | undefined): string[] {
    const w = this.w;
    const parts: string[] = [];
    if (before?.status === 'detached') parts.push(w.wasDetached);
    if (before) parts.push(this.change(w.profiles, this.profileList(before.profiles), this.profileList(after?.profiles)));
    else parts.push(this.field(w.profiles, this.profileList(after?.profiles)));
    if (before) parts.push(this.change(w.services, this.serviceList(before.services), this.serviceList(after?.services)));
    else parts.push(this.field(w.services, this.serviceList(after?.services)));
    return parts;
  }

  /** Field-by-field changes of a client file or a structure; groups (equipment, collection) are flattened. */
  private fieldChanges(before: unknown, after: unknown): string[] {
    if (!isObject(before) && !isObject(after)) return [`${this.plain(before)} → ${this.plain(after)}`];
    const was = flatten(isObject(before) ? before : {});
    const is = flatten(isObject(after) ? after : {});
    return [...new Set([...Object.keys(was), ...Object.keys(is)])]
      .filter((key) => was[key] !== is[key])
      .map((key) => this.change(this.w.fields[key] ?? key, this.fieldValue(was[key]), this.fieldValue(is[key])));
  }

  /** The support channel is read as its team's name. */
  private withChannelName(policy: unknown): unknown {
    if (!isObject(policy)) return policy;
    const { channel, ...rest } = policy;
    const teamId = isObject(channel) ? String(channel.teamId) : undefined;
    return { ...rest, channel: teamId ? (this.names.team(teamId) ?? teamId) : this.w.defaultSupportChannel };
  }

  private reason(action: string, reason: string): string {
    if (action === 'guest.failed' || action === 'contact.identityChangeFailed') return (this.t.guest.failures as Record<string, string>)[reason] ?? reason;
    if (action === 'guest.teamRefused') return this.w.teamRefusals[reason] ?? reason;
    return reason;
  }

  private offerName(id: unknown): string {
    return typeof id === 'string' ? (this.names.offer(id) ?? id) : this.w.empty;
  }

  private offerState(state: unknown): string {
    return (this.t.offers.states as Record<string, string>)[String(state)] ?? this.plain(state);
  }

  private structureName(id: string): string {
    return this.names.structure(id) ?? (id === defaultStructureId ? this.w.defaultStructure : id);
  }

  private assignedService(id: unknown): string {
    return typeof id === 'string' ? (this.names.service(id) ?? id) : this.w.noService;
  }

  private serviceList(ids: unknown): string {
    if (!Array.isArray(ids) || ids.length === 0) return this.w.wholeStructure;
    return ids.map((id) => this.names.service(String(id)) ?? String(id)).join(', ');
  }

  private profileList(profiles: unknown): string {
    if (!Array.isArray(profiles) || profiles.length === 0) return this.w.noProfile;
    const { applications, levels } = this.t.access;
    return profiles
      .map((profile: { application?: string; level?: string }) =>
        `${(applications as Record<string, string>)[profile?.application ?? ''] ?? profile?.application} – ${(levels as Record<string, string>)[profile?.level ?? ''] ?? profile?.level}`)
      .join(', ');
  }

  private fieldValue(value: unknown): string {
    return typeof value === 'string' && value in this.w.values ? this.w.values[value]! : this.plain(value);
  }

  private plain(value: unknown): string {
    if (value === null || value === undefined || value === '') return this.w.empty;
    if (typeof value === 'boolean') return value ? this.w.yes : this.w.no;
    if (Array.isArray(value)) return value.map((item) => this.plain(item)).join(', ');
    if (isObject(value)) {
      return Object.entries(flatten(value)).map(([key, item]) => this.field(this.w.fields[key] ?? key, this.plain(item))).join(', ');
    }
    return String(value);
  }

  private field(label: string, value: string): string {
    return format(this.w.field, { field: label, value });
  }

  private change(label: string, before: string, after: string): string {
    return format(this.w.change, { field: label, before, after });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** { equipment: { mandate: 'sent' } } → { 'equipment.mandate': 'sent' }. */
function flatten(object: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).flatMap(([key, value]) => (isObject(value) ? Object.entries(flatten(value, `${prefix}${key}.`)) : [[`${prefix}${key}`, value]])),
  );
}
