/**
 * Reference lists shown in the forms. Values are what is stored; labels are French because the
 * legal vocabulary has no English equivalent users would recognise.
 */
export const legalForms = [
  'EI', 'Micro-entreprise', 'EURL', 'SARL', 'SASU', 'SAS', 'SA', 'SNC', 'SCI', 'SCP', 'SELARL', 'SELAS', 'Société civile', 'Association', 'AUCUNE',
] as const;

export const taxRegimes = [
  'Micro-entreprise', 'Réel simplifié', 'Réel normal', 'Déclaration contrôlée', 'Micro-BNC', 'Non soumis',
] as const;

/** Defaults from the firm's original procedure (seed 000); each firm can edit its own list. */
export const defaultOrgRoles = ["Chef d'entreprise", 'Commissaire aux comptes', 'Comptable de la TPE'];

/** "Limité à": no limit unless the firm says otherwise, as in the original procedure. */
export const unlimitedScope = '-';

export const fieldLimits = {
  companyName: 120,
  firmName: 120,
  personName: 80,
  addressLine: 120,
  city: 80,
  scope: 60,
  orgRole: 60,
  searchQuery: 100,
} as const;
