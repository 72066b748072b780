import { createContext, useContext } from 'react';
import type { OnboardingState } from './api';

/** The tab's texts: French first, English when Teams says so. */
const fr = {
  title: 'Tableau de bord',
  subtitle: 'Portefeuille clients du cabinet',
  localMode: 'Mode local : hors de Teams, connecté en tant qu’utilisateur local.',
  searchLabel: 'Rechercher un client',
  searchPlaceholder: 'Raison sociale, code, SIRET, interlocuteur ou e-mail',
  stateFilter: 'État d’onboarding',
  stateFilterPlaceholder: 'Tous les états',
  missingSiret: 'SIRET manquant',
  missingPrimary: 'Sans contact principal',
  sortLabel: 'Trier par',
  sortOptions: { 'name.asc': 'Raison sociale (A → Z)', 'name.desc': 'Raison sociale (Z → A)', 'code.asc': 'Code (croissant)', 'code.desc': 'Code (décroissant)' },
  resetFilters: 'Effacer les filtres',
  tableCaption: 'Clients du cabinet',
  columns: { company: 'Entreprise', contacts: 'Interlocuteurs', onboarding: 'Onboarding des interlocuteurs', siret: 'SIRET' },
  open: 'Ouvrir le dossier {name}',
  contactsCount: { zero: 'Aucun interlocuteur', one: '1 interlocuteur', many: '{count} interlocuteurs' },
  primary: 'Principal : {name}',
  noPrimary: 'Pas de contact principal',
  siretPresent: 'Présent',
  siretMissing: 'Manquant',
  noState: '—',
  states: { notInvited: 'Non invité', invited: 'Invité', accepted: 'Accepté', member: 'Membre', failed: 'Échec', revoked: 'Révoqué' } as Record<OnboardingState, string>,
  selectRow: 'Sélectionner {name}',
  selectPage: 'Sélectionner toute la page',
  selectedCount: '{count} dossier(s) sélectionné(s)',
  inviteSelected: 'Inviter leurs interlocuteurs',
  clearSelection: 'Tout désélectionner',
  jobRunning: 'Invitations en cours : {processed} / {total} ({done} envoyée(s), {skipped} ignorée(s), {failed} échec(s))',
  jobFinished: 'Invitations terminées : {done} envoyée(s), {skipped} ignorée(s), {failed} échec(s) sur {total}.',
  jobNone: 'Aucun interlocuteur à inviter dans ces dossiers.',
  jobDismiss: 'Fermer',
  jobError: 'Les invitations n’ont pas pu être lancées : {message}',
  exportCsv: 'Exporter la vue (CSV)',
  loading: 'Chargement…',
  empty: 'Aucun client ne correspond.',
  error: 'Le portefeuille n’a pas pu être chargé : {message}',
  retry: 'Réessayer',
  range: '{from}-{to} sur {total}',
  rangeEmpty: '0 sur 0',
  pageSize: 'Lignes par page',
  firstPage: 'Première page',
  previousPage: 'Page précédente',
  nextPage: 'Page suivante',
  lastPage: 'Dernière page',
  pageOf: 'Page {page} sur {pages}',
  pagination: 'Pagination',
  drawer: {
    close: 'Fermer',
    details: 'Détails',
    code: 'Code client',
    legalForm: 'Forme juridique',
    taxRegime: 'Régime',
    apeCode: 'Code APE',
    siret: 'SIRET',
    createdAt: 'Créé le',
    guestTeam: 'Équipe des invités',
    none: '—',
    contacts: 'Interlocuteurs',
    noContacts: 'Aucun interlocuteur lié à ce dossier.',
    contactColumns: { primary: 'Principal', name: 'Nom', email: 'E-mail', scope: 'Limité à', state: 'Accès invité' },
    primaryCheckbox: '{name} est le contact principal',
    history: 'Historique',
    noHistory: 'Aucun événement enregistré.',
    by: 'par {who}',
  },
  guestDates: {
    notInvited: 'Pas encore invité',
    invited: 'Invitation envoyée le {date}',
    accepted: 'Acceptée le {date}',
    member: 'Membre de l’équipe depuis le {date}',
    failed: 'Échec le {date}',
    revoked: 'Révoqué le {date}',
  } as Record<OnboardingState, string>,
  actions: {
    'clientFile.created': 'Dossier créé',
    'clientFile.primaryContactSet': 'Contact principal désigné',
    'clientFile.guestTeamChosen': 'Équipe des invités choisie',
    'contact.created': 'Interlocuteur créé',
    'contact.linked': 'Interlocuteur lié au dossier',
    'contact.linkScopeChanged': 'Limite d’accès modifiée',
    'guest.invited': 'Invitation envoyée',
    'guest.foundInDirectory': 'Trouvé dans l’annuaire',
    'guest.reminded': 'Relance envoyée',
    'guest.accepted': 'Invitation acceptée',
    'guest.joinedTeam': 'Ajouté à l’équipe',
    'guest.teamRefused': 'Ajout à l’équipe refusé',
    'guest.failed': 'Échec de l’invitation',
    'guest.revoked': 'Accès révoqué',
  } as Record<string, string>,
  privacy: 'Confidentialité',
  privacyText: 'Passerelle traite les données des dossiers clients et des interlocuteurs pour le compte du cabinet, dans le tenant Microsoft 365 du cabinet. Le cabinet reste responsable du traitement.',
  terms: 'Conditions d’utilisation',
  termsText: 'Passerelle est réservée aux collaborateurs du cabinet et aux clients invités par lui.',
};

export type Texts = typeof fr;

const en: Texts = {
  title: 'Dashboard',
  subtitle: 'The firm’s client portfolio',
  localMode: 'Local mode: outside Teams, signed in as the local user.',
  searchLabel: 'Search clients',
  searchPlaceholder: 'Company name, code, SIRET, contact or e-mail',
  stateFilter: 'Onboarding state',
  stateFilterPlaceholder: 'All states',
  missingSiret: 'Missing SIRET',
  missingPrimary: 'No primary contact',
  sortLabel: 'Sort by',
  sortOptions: { 'name.asc': 'Company name (A → Z)', 'name.desc': 'Company name (Z → A)', 'code.asc': 'Code (ascending)', 'code.desc': 'Code (descending)' },
  resetFilters: 'Clear filters',
  tableCaption: 'The firm’s clients',
  columns: { company: 'Company', contacts: 'Contacts', onboarding: 'Contacts’ onboarding', siret: 'SIRET' },
  open: 'Open the client file {name}',
  contactsCount: { zero: 'No contact', one: '1 contact', many: '{count} contacts' },
  primary: 'Primary: {name}',
  noPrimary: 'No primary contact',
  siretPresent: 'Present',
  siretMissing: 'Missing',
  noState: '—',
  states: { notInvited: 'Not invited', invited: 'Invited', accepted: 'Accepted', member: 'Member', failed: 'Failed', revoked: 'Revoked' },
  selectRow: 'Select {name}',
  selectPage: 'Select the whole page',
  selectedCount: '{count} client file(s) selected',
  inviteSelected: 'Invite their contacts',
  clearSelection: 'Clear the selection',
  jobRunning: 'Invitations in progress: {processed} / {total} ({done} sent, {skipped} skipped, {failed} failed)',
  jobFinished: 'Invitations finished: {done} sent, {skipped} skipped, {failed} failed out of {total}.',
  jobNone: 'No contact to invite in these client files.',
  jobDismiss: 'Close',
  jobError: 'The invitations could not be started: {message}',
  exportCsv: 'Export the view (CSV)',
  loading: 'Loading…',
  empty: 'No client matches.',
  error: 'The portfolio could not be loaded: {message}',
  retry: 'Retry',
  range: '{from}-{to} of {total}',
  rangeEmpty: '0 of 0',
  pageSize: 'Rows per page',
  firstPage: 'First page',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  lastPage: 'Last page',
  pageOf: 'Page {page} of {pages}',
  pagination: 'Pagination',
  drawer: {
    close: 'Close',
    details: 'Details',
    code: 'Client code',
    legalForm: 'Legal form',
    taxRegime: 'Tax regime',
    apeCode: 'APE code',
    siret: 'SIRET',
    createdAt: 'Created on',
    guestTeam: 'Guests’ team',
    none: '—',
    contacts: 'Contacts',
    noContacts: 'No contact linked to this client file.',
    contactColumns: { primary: 'Primary', name: 'Name', email: 'E-mail', scope: 'Limited to', state: 'Guest access' },
    primaryCheckbox: '{name} is the primary contact',
    history: 'History',
    noHistory: 'Nothing recorded yet.',
    by: 'by {who}',
  },
  guestDates: {
    notInvited: 'Not invited yet',
    invited: 'Invitation sent on {date}',
    accepted: 'Accepted on {date}',
    member: 'Team member since {date}',
    failed: 'Failed on {date}',
    revoked: 'Revoked on {date}',
  },
  actions: {
    'clientFile.created': 'Client file created',
    'clientFile.primaryContactSet': 'Primary contact set',
    'clientFile.guestTeamChosen': 'Guests’ team chosen',
    'contact.created': 'Contact created',
    'contact.linked': 'Contact linked to the file',
    'contact.linkScopeChanged': 'Access limit changed',
    'guest.invited': 'Invitation sent',
    'guest.foundInDirectory': 'Found in the directory',
    'guest.reminded': 'Reminder sent',
    'guest.accepted': 'Invitation accepted',
    'guest.joinedTeam': 'Added to the team',
    'guest.teamRefused': 'Adding to the team refused',
    'guest.failed': 'Invitation failed',
    'guest.revoked': 'Access revoked',
  },
  privacy: 'Privacy',
  privacyText: 'Passerelle processes client files and contacts on behalf of the firm, in the firm’s Microsoft 365 tenant. The firm remains the data controller.',
  terms: 'Terms of use',
  termsText: 'Passerelle is for the firm’s staff and the clients it invites.',
};

export interface Language {
  texts: Texts;
  /** BCP 47 tag used for dates and numbers. */
  locale: 'fr-FR' | 'en-US';
}

export function languageFor(locale: string): Language {
  return locale.toLowerCase().startsWith('en') ? { texts: en, locale: 'en-US' } : { texts: fr, locale: 'fr-FR' };
}

export const LanguageContext = createContext<Language>(languageFor('fr-FR'));
export const useLanguage = () => useContext(LanguageContext);

export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_match, key: string) => String(values[key] ?? `{${key}}`));
}

export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(language.locale).format(value);
}

export function formatDate(iso: string | null | undefined, language: Language, withTime = false): string {
  if (!iso) return '';
  const options: Intl.DateTimeFormatOptions = withTime
    ? { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }
    : { day: '2-digit', month: '2-digit', year: 'numeric' };
  return new Intl.DateTimeFormat(language.locale, { ...options, timeZone: 'Europe/Paris' }).format(new Date(iso));
}
