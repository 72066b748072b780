/**
 * The demo firm « Cabinet Démo », as the Agents Playground's mock tenant describes it
 * (env/playground/.m365agentsplayground.yml): its staff, and the client files `npm start` offers on an
 * empty local database, each contact in the onboarding state it should reach.
 */
import type { FlowManualStep, ShinePlan } from '../../domain/partners/partnerApps.js';

export const demoTenantId = '11111111-1111-1111-1111-111111111111';
export const demoTenantDomain = 'cabinet-demo.onmicrosoft.com';

export interface DemoStaff {
  userId: string;
  displayName: string;
  email: string;
}

/** Claire Martin is the playground's acting user and the tab's local user (TAB_LOCAL_USER). */
export const claire: DemoStaff = { userId: 'aaaaaaaa-0000-0000-0000-000000000001', displayName: 'Claire Martin', email: 'claire.martin@cabinet-demo.test' };
export const paul: DemoStaff = { userId: 'aaaaaaaa-0000-0000-0000-000000000002', displayName: 'Paul Durand', email: 'paul.durand@cabinet-demo.test' };
export const ines: DemoStaff = { userId: 'aaaaaaaa-0000-0000-0000-000000000003', displayName: 'Inès Roche', email: 'ines.roche@cabinet-demo.test' };

/** The firm's accounts in the local tenant: members, never guests. */
export const demoStaffAccounts: [string, string][] = [
  [claire.email, claire.displayName],
  [paul.email, paul.displayName],
  [ines.email, ines.displayName],
  ['marc.petit@cabinet-demo.test', 'Marc Petit'],
  ['sophie.laurent@cabinet-demo.test', 'Sophie Laurent'],
  ['noreply@cabinet-demo.test', 'Cabinet Démo (ne pas répondre)'],
];

/** The playground's team, where the bot is used; Boulangerie Bernard's guest is in it there too. */
export const demoFirmTeam = { id: 'bbbbbbbb-0000-0000-0000-000000000001', displayName: 'Cabinet Démo', conversationId: '19:team-cabinet-demo@thread.tacv2' };

export type DemoGuestState = 'notInvited' | 'invited' | 'accepted' | 'member' | 'failed';

export interface DemoContact {
  firstName: string;
  lastName: string;
  email: string;
  orgRole?: string;
  state: DemoGuestState;
}

export interface DemoFile {
  companyName: string;
  legalForm: string;
  taxRegime: string;
  /** Whether the file has a SIRET (Shine needs one). */
  siret: boolean;
  createdBy: DemoStaff;
  /** The first one is the primary contact. */
  contacts: DemoContact[];
  /** Team the file's guests join (needed for the « member » state). */
  team?: { id: string; displayName: string; conversationId?: string };
  offer?: { offerId: 'start' | 'consultation' | 'coproduction'; stepsDone?: string[] };
  /** A paid offer Paul asks for, waiting for the main manager's approval. */
  offerAwaitingApproval?: 'consultation' | 'coproduction';
  flowStepsDone?: FlowManualStep[];
  shine?: { plan: ShinePlan; purchases: boolean; sales: boolean };
}

/** Client companies whose IT refuses guest invitations: their contacts end « failed ». */
export const refusingDomains = ['hexa-industrie.test', 'labo-vidal.test', 'clinique-arnaud.test'];

const boss = "Chef d'entreprise";
const bookkeeper = 'Comptable de la TPE';

function person(firstName: string, lastName: string, domain: string, state: DemoGuestState, orgRole = boss): DemoContact {
  const local = `${firstName}.${lastName}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z.]/g, '');
  return { firstName, lastName, email: `${local}@${domain}`, orgRole, state };
}

function clientTeam(index: number, companyName: string): DemoFile['team'] {
  return { id: `bbbbbbbb-0000-0000-0000-${String(100 + index).padStart(12, '0')}`, displayName: `Client – ${companyName}` };
}

type FileShape = Omit<DemoFile, 'createdBy' | 'taxRegime' | 'siret'> & Partial<Pick<DemoFile, 'createdBy' | 'taxRegime' | 'siret'>>;

const files: FileShape[] = [
  // Guests in their team: the end of the onboarding.
  {
    companyName: 'Boulangerie Bernard', legalForm: 'SARL',
    contacts: [
      { firstName: 'Léa', lastName: 'Bernard', email: 'lea@boulangerie-bernard.test', orgRole: boss, state: 'member' },
      { firstName: 'Éric', lastName: 'Bernard', email: 'eric@boulangerie-bernard.test', orgRole: bookkeeper, state: 'invited' },
    ],
    team: demoFirmTeam, offer: { offerId: 'start', stepsDone: ['widgetInitialised'] }, flowStepsDone: ['appAuthorised', 'settingsChecked'],
  },
  { companyName: 'Garage Martin & Fils', legalForm: 'SAS', contacts: [person('Thomas', 'Martin', 'garage-martin.test', 'member')], team: clientTeam(2, 'Garage Martin & Fils'), offer: { offerId: 'start' }, shine: { plan: 'plus', purchases: true, sales: true } },
  { companyName: 'Pharmacie Dubois', legalForm: 'SELARL', contacts: [person('Camille', 'Dubois', 'pharmacie-dubois.test', 'member')], team: clientTeam(3, 'Pharmacie Dubois'), offer: { offerId: 'consultation' } },
  { companyName: 'Atelier Moreau Menuiserie', legalForm: 'EURL', contacts: [person('Julien', 'Moreau', 'atelier-moreau.test', 'member')], team: clientTeam(4, 'Atelier Moreau Menuiserie'), offer: { offerId: 'start', stepsDone: ['widgetInitialised', 'extensionActivated'] } },
  // Accepted, no team chosen yet.
  { companyName: 'Café des Arts', legalForm: 'SARL', contacts: [person('Nathalie', 'Roux', 'cafe-des-arts.test', 'accepted')], offer: { offerId: 'start' }, flowStepsDone: ['appAuthorised'] },
  { companyName: 'Fleurs de Provence', legalForm: 'EI', taxRegime: 'Micro-entreprise', contacts: [person('Amélie', 'Fontaine', 'fleurs-de-provence.test', 'accepted')], shine: { plan: 'start', purchases: false, sales: true } },
  { companyName: 'Cabinet de kinésithérapie Lefèvre', legalForm: 'SCP', taxRegime: 'Déclaration contrôlée', contacts: [person('Antoine', 'Lefèvre', 'kine-lefevre.test', 'accepted')], offer: { offerId: 'consultation' } },
  {
    companyName: 'Transports Girard', legalForm: 'SAS', taxRegime: 'Réel normal',
    contacts: [person('Sébastien', 'Girard', 'transports-girard.test', 'accepted'), person('Martine', 'Girard', 'transports-girard.test', 'notInvited', bookkeeper)],
    offer: { offerId: 'coproduction' },
  },
  { companyName: 'Librairie Le Chapitre', legalForm: 'SARL', contacts: [person('Isabelle', 'Mercier', 'librairie-chapitre.test', 'accepted')], offerAwaitingApproval: 'consultation' },
  { companyName: 'Épicerie fine Lambert', legalForm: 'SASU', contacts: [person('Marc', 'Lambert', 'epicerie-lambert.test', 'accepted')] },
  // Invited, waiting for them to accept.
  { companyName: 'Plomberie Chevalier', legalForm: 'EURL', contacts: [person('Nicolas', 'Chevalier', 'plomberie-chevalier.test', 'invited')], offer: { offerId: 'start' }, flowStepsDone: ['appAuthorised', 'settingsChecked'] },
  { companyName: 'Salon Belle Mèche', legalForm: 'SARL', contacts: [person('Sandrine', 'Garnier', 'belle-meche.test', 'invited')], offer: { offerId: 'start' } },
  { companyName: 'Boucherie Perrin', legalForm: 'SARL', contacts: [person('Laurent', 'Perrin', 'boucherie-perrin.test', 'invited')] },
  {
    companyName: 'Imprimerie Rousseau', legalForm: 'SAS',
    contacts: [person('Caroline', 'Rousseau', 'imprimerie-rousseau.test', 'invited'), person('Olivier', 'Rousseau', 'imprimerie-rousseau.test', 'notInvited', bookkeeper)],
  },
  { companyName: 'Auto-école Blanc', legalForm: 'SARL', contacts: [person('Patrick', 'Blanc', 'auto-ecole-blanc.test', 'invited')] },
  { companyName: 'Domaine Guérin', legalForm: 'Société civile', taxRegime: 'Réel normal', contacts: [person('Hélène', 'Guérin', 'domaine-guerin.test', 'invited')] },
  { companyName: 'Restaurant Le Petit Zinc', legalForm: 'SAS', contacts: [person('Mathieu', 'Faure', 'petit-zinc.test', 'invited')] },
  { companyName: 'Architectes Muller Associés', legalForm: 'SELAS', contacts: [person('Élodie', 'Muller', 'muller-architectes.test', 'invited')] },
  { companyName: 'Électricité Henry', legalForm: 'EI', contacts: [person('David', 'Henry', 'electricite-henry.test', 'invited')] },
  { companyName: 'Crèche Les Petits Pas', legalForm: 'Association', taxRegime: 'Non soumis', siret: false, contacts: [person('Valérie', 'Robin', 'petits-pas.test', 'invited')] },
  // Their company refuses guest invitations.
  { companyName: 'Hexa Industrie', legalForm: 'SA', taxRegime: 'Réel normal', contacts: [person('Pierre', 'Morel', 'hexa-industrie.test', 'failed')] },
  { companyName: 'Laboratoire Vidal', legalForm: 'SELAS', contacts: [person('Anne', 'Vidal', 'labo-vidal.test', 'failed')] },
  { companyName: 'Clinique vétérinaire Arnaud', legalForm: 'SELARL', contacts: [person('Luc', 'Arnaud', 'clinique-arnaud.test', 'failed')] },
  // Not invited yet: what the bulk invitation is for.
  { companyName: 'Menuiserie Gauthier', legalForm: 'SARL', contacts: [person('François', 'Gauthier', 'menuiserie-gauthier.test', 'notInvited')] },
  { companyName: 'Taxi Fabre', legalForm: 'EI', taxRegime: 'Micro-entreprise', contacts: [person('Christophe', 'Fabre', 'taxi-fabre.test', 'notInvited')] },
  { companyName: 'SCI Les Tilleuls', legalForm: 'SCI', taxRegime: 'Non soumis', siret: false, contacts: [person('Monique', 'Lemaire', 'sci-tilleuls.test', 'notInvited')] },
  { companyName: 'Bijouterie Caron', legalForm: 'SAS', contacts: [person('Céline', 'Caron', 'bijouterie-caron.test', 'notInvited')] },
  { companyName: 'Ferme bio Renaud', legalForm: 'Société civile', contacts: [person('Yves', 'Renaud', 'ferme-renaud.test', 'notInvited')] },
  { companyName: 'Studio Photo Lumière', legalForm: 'SASU', contacts: [person('Manon', 'Bonnet', 'studio-lumiere.test', 'notInvited')] },
  { companyName: 'Pressing Dupont', legalForm: 'EI', taxRegime: 'Micro-entreprise', contacts: [person('Gérard', 'Dupont', 'pressing-dupont.test', 'notInvited')] },
  { companyName: 'Agence immobilière Roussel', legalForm: 'SARL', contacts: [person('Véronique', 'Roussel', 'immo-roussel.test', 'notInvited')] },
  { companyName: 'Cave Picard', legalForm: 'SAS', contacts: [person('Alain', 'Picard', 'cave-picard.test', 'notInvited')] },
  { companyName: 'Toilettage Leroy', legalForm: 'Micro-entreprise', taxRegime: 'Micro-entreprise', contacts: [person('Justine', 'Leroy', 'toilettage-leroy.test', 'notInvited')] },
  { companyName: 'Jardins Colin', legalForm: 'SARL', contacts: [person('Benoît', 'Colin', 'jardins-colin.test', 'notInvited')] },
  { companyName: 'Optique Vue Claire', legalForm: 'SAS', contacts: [person('Chloé', 'Meyer', 'optique-vue-claire.test', 'notInvited')] },
  // A file created before its contacts are known.
  { companyName: 'Traiteur Saveurs Lucas', legalForm: 'SARL', contacts: [] },
];

/** The demo's client files, numbered 000101… in order; one file in three was created by Paul. */
export const demoFiles: (DemoFile & { code: string })[] = files.map((file, index) => ({
  createdBy: index % 3 === 2 ? paul : claire,
  taxRegime: 'Réel simplifié',
  siret: true,
  ...file,
  code: String(101 + index).padStart(6, '0'),
}));
