import { isAuditAction, type AuditAction } from '../domain/audit.js';
import { noAuditNames, type AuditNames } from '../domain/auditNames.js';
import { defaultStructureId } from '../domain/access/structures.js';
import type { AuditEntry } from '../domain/ports.js';
import { format, messagesFor, type Language } from './index.js';

/**
 * The one table of what the audit log says, in both languages: the label of every action the code
 * records (typed by bot/domain/audit.ts, so a new action without a label does not type-check) and a
 * readable rendering of its details. The `journal` card, the CSV export and the tab (through the API)
 * all read it.
 */
export const auditActionLabels: Record<Language, Record<AuditAction, string>> = {
  fr: {
    'clientFile.created': 'Dossier créé',
    'clientFile.updated': 'Dossier modifié',
    'clientFile.import.created': 'Dossier créé par import',
    'clientFile.import.updated': 'Dossier mis à jour par import',
    'clientFile.primaryContactSet': 'Désigné contact principal',
    'clientFile.guestTeamChosen': 'Équipe des invités choisie',
    'clientFile.serviceAssigned': 'Confié à un service',
    'contact.created': 'Interlocuteur créé',
    'contact.import.created': 'Interlocuteur créé par import',
    'contact.import.updated': 'Interlocuteur mis à jour par import',
    'contact.linked': 'Lié à un dossier',
    'contact.linkScopeChanged': 'Limite d’accès modifiée',
    'contact.legacyMigrated': 'Adresse e-mail reprise de l’ancienne procédure',
    'import.done': 'Import terminé',
    'guest.invited': 'Invitation envoyée',
    'guest.foundInDirectory': 'Trouvé dans l’annuaire (pas de nouvelle invitation)',
    'guest.reminded': 'Relance : nouvelle invitation envoyée',
    'guest.accepted': 'Invitation acceptée',
    'guest.joinedTeam': 'Ajouté à l’équipe',
    'guest.teamRefused': 'Ajout à l’équipe refusé',
    'guest.failed': 'Échec de l’invitation',
    'guest.revoked': 'Accès révoqué',
    'offer.proposed': 'Offre proposée',
    'offer.changed': 'Offre changée',
    'offer.ended': 'Offre terminée',
    'offer.stepDone': 'Étape de l’offre faite',
    'offer.activated': 'Offre activée',
    'offer.acknowledgedByClient': 'Offre lue par le client',
    'shine.activated': 'Shine activé',
    'shine.emailSent': 'E-mail de présentation Shine envoyé',
    'shine.emailFailed': 'E-mail de présentation Shine refusé par la boîte d’envoi',
    'shine.emailPrepared': 'E-mail de présentation Shine préparé',
    'flow.stepDone': 'Étape Flow faite',
    'access.bootstrapped': 'Premier utilisateur, gestionnaire principal',
    'access.mainManagerClaimed': 'Rôle de gestionnaire principal pris',
    'access.attached': 'Utilisateur rattaché',
    'access.profilesChanged': 'Profils modifiés',
    'access.detached': 'Utilisateur détaché',
    'access.servicesChanged': 'Services de l’utilisateur modifiés',
    'access.detachedFromServices': 'Utilisateur retiré de services',
    'access.mainManagerTransferred': 'Rôle de gestionnaire principal transféré',
    'access.requested': 'Demande d’accès envoyée',
    'access.requestApproved': 'Demande d’accès validée',
    'access.requestRefused': 'Demande d’accès refusée',
    'structure.created': 'Structure créée',
    'structure.updated': 'Structure modifiée',
    'structure.deactivated': 'Structure désactivée',
    'structure.reactivated': 'Structure réactivée',
    'structure.serviceCreated': 'Service créé',
    'structure.serviceRenamed': 'Service renommé',
    'structure.serviceDeactivated': 'Service désactivé',
    'structure.serviceReactivated': 'Service réactivé',
  },
  en: {
    'clientFile.created': 'Client file created',
    'clientFile.updated': 'Client file edited',
    'clientFile.import.created': 'Client file created by an import',
    'clientFile.import.updated': 'Client file updated by an import',
    'clientFile.primaryContactSet': 'Made primary contact',
    'clientFile.guestTeamChosen': 'Guests’ team chosen',
    'clientFile.serviceAssigned': 'Entrusted to a service',
    'contact.created': 'Contact created',
    'contact.import.created': 'Contact created by an import',
    'contact.import.updated': 'Contact updated by an import',
    'contact.linked': 'Linked to a client file',
    'contact.linkScopeChanged': 'Access limit changed',
    'contact.legacyMigrated': 'E-mail address taken over from the former procedure',
    'import.done': 'Import finished',
    'guest.invited': 'Invitation sent',
    'guest.foundInDirectory': 'Found in the directory (no new invitation)',
    'guest.reminded': 'Reminder: new invitation sent',
    'guest.accepted': 'Invitation accepted',
    'guest.joinedTeam': 'Added to the team',
    'guest.teamRefused': 'Adding to the team refused',
    'guest.failed': 'Invitation failed',
    'guest.revoked': 'Access revoked',
    'offer.proposed': 'Offer proposed',
    'offer.changed': 'Offer changed',
    'offer.ended': 'Offer ended',
    'offer.stepDone': 'Offer step done',
    'offer.activated': 'Offer activated',
    'offer.acknowledgedByClient': 'Offer read by the client',
    'shine.activated': 'Shine activated',
    'shine.emailSent': 'Shine introduction e-mail sent',
    'shine.emailFailed': 'Shine introduction e-mail refused by the mailbox',
    'shine.emailPrepared': 'Shine introduction e-mail prepared',
    'flow.stepDone': 'Flow step done',
    'access.bootstrapped': 'First user, main manager',
    'access.mainManagerClaimed': 'Main manager role taken',
    'access.attached': 'User attached',
    'access.profilesChanged': 'Profiles changed',
    'access.detached': 'User detached',
    'access.servicesChanged': 'User’s services changed',
    'access.detachedFromServices': 'User removed from services',
    'access.mainManagerTransferred': 'Main manager role handed over',
    'access.requested': 'Access request sent',
    'access.requestApproved': 'Access request approved',
    'access.requestRefused': 'Access request refused',
    'structure.created': 'Structure created',
    'structure.updated': 'Structure edited',
    'structure.deactivated': 'Structure deactivated',
    'structure.reactivated': 'Structure reactivated',
    'structure.serviceCreated': 'Service created',
    'structure.serviceRenamed': 'Service renamed',
    'structure.serviceDeactivated': 'Service deactivated',
    'structure.serviceReactivated': 'Service reactivated',
  },
};

/** The words of the details, beyond those the catalogues already have. */
const detailWords = {
  fr: {
    change: '{field} : {before} → {after}',
    field: '{field} : {value}',
    empty: '—',
    yes: 'oui',
    no: 'non',
    offer: 'Offre',
    state: 'État',
    previousState: 'État avant la fin',
    reopened: 'Abonnement terminé rouvert',
    step: 'Étape',
    line: 'Ligne {line} du fichier importé',
    scope: 'Limité à',
    previousScope: 'Limite précédente',
    previousPrimary: 'Contact principal précédent',
    team: 'Équipe',
    previousTeam: 'Équipe précédente',
    personalMessage: 'Avec un message personnel',
    reminder: 'Relance n° {number}',
    requestedByStaff: 'Demandée par le cabinet',
    revocation: 'Révocation',
    reason: 'Motif',
    user: 'Utilisateur',
    structure: 'Structure',
    defaultStructure: 'Structure principale du cabinet',
    service: 'Service',
    services: 'Services',
    wholeStructure: 'toute la structure',
    noService: 'aucun (toute la structure)',
    profile: 'Profil',
    profiles: 'Profils',
    noProfile: 'aucun',
    wasDetached: 'Était détaché',
    comment: 'Commentaire',
    request: 'Demande n° {number}',
    requestOfKind: 'Demande n° {number} – {kind}',
    guestStates: { invited: 'invitation envoyée', accepted: 'invitation acceptée', member: 'membre de l’équipe' } as Record<string, string>,
    requestKinds: { join: 'rattachement', profile: 'profil', paidOffer: 'offre payante' } as Record<string, string>,
    siret: 'SIRET',
    legalName: 'Raison sociale',
    mainManager: 'Gestionnaire principal',
    email: 'Adresse e-mail',
    name: 'Nom',
    subject: 'Objet',
    flows: 'Flux',
    billingMode: 'Mode de facturation',
    plan: 'Formule',
    alias: 'Compte sur un alias de l’adresse du contact',
    teamRefusals: {
      teamIsInternal: 'équipe interne du cabinet',
      teamHasOtherClient: 'l’équipe accueille déjà un autre client',
    } as Record<string, string>,
    tally: {
      filesCreated: 'Dossiers créés',
      filesUpdated: 'Dossiers mis à jour',
      filesUnchanged: 'Dossiers inchangés',
      contactsCreated: 'Interlocuteurs créés',
      contactsUpdated: 'Interlocuteurs mis à jour',
      contactsUnchanged: 'Interlocuteurs inchangés',
      linksCreated: 'Liens créés',
      rowsWithErrors: 'Lignes en erreur',
    } as Record<string, string>,
    fields: {
      companyName: 'Raison sociale',
      legalForm: 'Forme juridique',
      siret: 'SIRET',
      apeCode: 'Code APE',
      taxRegime: 'Régime',
      notes: 'Notes',
      'equipment.purchases': 'Achat',
      'equipment.sales': 'Vente',
      'equipment.till': 'Caisse',
      'equipment.mandate': 'Mandat',
      'equipment.einvoicingRegistration': 'Inscription PA',
      'equipment.reformAwareness': 'Sensibilisé à la réforme',
      'collection.feedReception': 'Réception flux',
      'collection.purchaseFeed': 'Flux achat',
      'collection.salesFeed': 'Flux vente',
      'collection.bankFeed': 'Flux banque',
      'collection.payroll': 'Paie',
      'collection.collectionEmail': 'E-mail de collecte',
      displayName: 'Nom affiché',
      addressLine: 'Adresse',
      phone: 'Téléphone',
      contactEmail: 'E-mail de contact',
    } as Record<string, string>,
    values: {
      none: 'aucun',
      sent: 'envoyé',
      signed: 'signé',
      invited: 'invitation envoyée',
      registered: 'inscrit',
    } as Record<string, string>,
  },
  en: {
    change: '{field}: {before} → {after}',
    field: '{field}: {value}',
    empty: '—',
    yes: 'yes',
    no: 'no',
    offer: 'Offer',
    state: 'State',
    previousState: 'State before the end',
    reopened: 'Ended subscription reopened',
    step: 'Step',
    line: 'Line {line} of the imported file',
    scope: 'Limited to',
    previousScope: 'Previous limit',
    previousPrimary: 'Previous primary contact',
    team: 'Team',
    previousTeam: 'Previous team',
    personalMessage: 'With a personal message',
    reminder: 'Reminder no. {number}',
    requestedByStaff: 'Asked for by the firm',
    revocation: 'Revocation',
    reason: 'Reason',
    user: 'User',
    structure: 'Structure',
    defaultStructure: 'The firm’s main structure',
    service: 'Service',
    services: 'Services',
    wholeStructure: 'the whole structure',
    noService: 'none (the whole structure)',
    profile: 'Profile',
    profiles: 'Profiles',
    noProfile: 'none',
    wasDetached: 'Was detached',
    comment: 'Comment',
    request: 'Request no. {number}',
    requestOfKind: 'Request no. {number} – {kind}',
    guestStates: { invited: 'invitation sent', accepted: 'invitation accepted', member: 'team member' } as Record<string, string>,
    requestKinds: { join: 'attachment', profile: 'profile', paidOffer: 'paid offer' } as Record<string, string>,
    siret: 'SIRET',
    legalName: 'Legal name',
    mainManager: 'Main manager',
    email: 'E-mail address',
    name: 'Name',
    subject: 'Subject',
    flows: 'Flows',
    billingMode: 'Billing mode',
    plan: 'Plan',
    alias: 'Account on an alias of the contact’s address',
    teamRefusals: {
      teamIsInternal: 'the firm’s internal team',
      teamHasOtherClient: 'the team already hosts another client',
    } as Record<string, string>,
    tally: {
      filesCreated: 'Client files created',
      filesUpdated: 'Client files updated',
      filesUnchanged: 'Client files unchanged',
      contactsCreated: 'Contacts created',
      contactsUpdated: 'Contacts updated',
      contactsUnchanged: 'Contacts unchanged',
      linksCreated: 'Links created',
      rowsWithErrors: 'Lines with errors',
    } as Record<string, string>,
    fields: {
      companyName: 'Company name',
      legalForm: 'Legal form',
      siret: 'SIRET',
      apeCode: 'APE code',
      taxRegime: 'Tax regime',
      notes: 'Notes',
      'equipment.purchases': 'Purchases',
      'equipment.sales': 'Sales',
      'equipment.till': 'Till',
      'equipment.mandate': 'Mandate',
      'equipment.einvoicingRegistration': 'E-invoicing platform',
      'equipment.reformAwareness': 'Aware of the reform',
      'collection.feedReception': 'Feed reception',
      'collection.purchaseFeed': 'Purchase feed',
      'collection.salesFeed': 'Sales feed',
      'collection.bankFeed': 'Bank feed',
      'collection.payroll': 'Payroll',
      'collection.collectionEmail': 'Collection e-mail',
      displayName: 'Display name',
      addressLine: 'Address',
      phone: 'Phone',
      contactEmail: 'Contact e-mail',
    } as Record<string, string>,
    values: {
      none: 'none',
      sent: 'sent',
      signed: 'signed',
      invited: 'invitation sent',
      registered: 'registered',
    } as Record<string, string>,
  },
} satisfies Record<Language, unknown>;

/** The action's label; an action no longer recorded (older entries) keeps its code. */
export function auditActionLabel(language: Language, action: string): string {
  return isAuditAction(action) ? auditActionLabels[language][action] : action;
}

/** Keys that only identify what the entry's other columns already show, or a technical id. */
const silentKeys = new Set(['code', 'subscriptionId', 'directoryUserId']);

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
  private readonly w: (typeof detailWords)[Language];
  private readonly t: ReturnType<typeof messagesFor>;

  constructor(language: Language, private readonly names: AuditNames) {
    this.w = detailWords[language];
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
        return [this.change(w.email, this.plain(before), this.plain(after))];
      case 'access.mainManagerTransferred':
        return [this.change(w.mainManager, this.plain(before), this.plain(after))];
      case 'access.profilesChanged':
        return [this.change(w.profiles, this.profileList(before), this.profileList(after))];
      case 'access.servicesChanged':
        return [this.change(w.services, this.serviceList(before), this.serviceList(after))];
      case 'structure.serviceRenamed':
        return [this.change(w.name, this.plain(before), this.plain(after))];
      case 'clientFile.serviceAssigned':
        return [this.change(w.service, this.assignedService(before), this.assignedService(after))];
      case 'access.attached':
        return this.attachment(before as Details | null, after as Details | undefined);
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
        return this.field(w.offer, this.offerName(value));
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
      case 'alias':
        return value === true ? w.alias : undefined;
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

  private reason(action: string, reason: string): string {
    if (action === 'guest.failed') return (this.t.guest.failures as Record<string, string>)[reason] ?? reason;
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
