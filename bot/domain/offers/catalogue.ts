/**
 * The collaborative offers as data: each firm has its own catalogue, created from these defaults
 * (seed 000). Code never branches on an offer's id; it reads `paid`, `grants` and `steps`.
 */
export interface OfferDefinition {
  id: string;
  name: string;
  paid: boolean;
  /** What the client can do, in the words staff and clients read. */
  grants: string[];
  /** What the offer never allows. */
  excludes: string[];
  /** Steps staff complete after activation, in order (e.g. Start's dashboard widget). */
  steps: { id: string; label: string }[];
  /** The firm's own words about the offer, shown on the proposal card, in the tab and to the client. */
  description?: string;
  /** A price indication (« 30 € HT / mois »), next to « paid » or « free ». */
  priceNote?: string;
  /** The client's workspace for this offer; absent: the invitation's redirect address. */
  clientLink?: string;
  /** What the client does next, in the firm's words; absent: the catalogue's sentence for the offer. */
  clientNextStep?: string;
  /** No longer proposed; the subscriptions that have it are kept (an offer in use is never deleted). */
  retired?: boolean;
}

/** Start's post-activation steps (seed 000), from which a firm chooses the ones it follows. */
export const startStepChoices: readonly { id: string; label: string }[] = [
  { id: 'widgetInitialised', label: 'Initialiser le widget Start du tableau de bord' },
  { id: 'extensionActivated', label: 'Activation de l’extension' },
];

export const defaultOfferCatalogue: OfferDefinition[] = [
  {
    id: 'start',
    name: 'Start',
    paid: false,
    grants: ['Consulter l’espace documentaire (GED)', 'Déposer des pièces', 'Voir le tableau de bord de l’application mobile'],
    excludes: ['Aucun accès au dossier comptable'],
    steps: [...startStepChoices],
  },
  {
    id: 'consultation',
    name: 'Consultation',
    paid: true,
    grants: ['Consulter le dossier comptable en lecture seule'],
    excludes: ['Aucune modification du dossier'],
    steps: [],
  },
  {
    id: 'coproduction',
    name: 'Co-production',
    paid: true,
    grants: ['Tenir tout ou partie de sa comptabilité, avec les modules que le cabinet autorise'],
    excludes: ['Jamais la révision de fin d’exercice', 'Jamais la liasse fiscale'],
    steps: [],
  },
];

export function findOffer(catalogue: readonly OfferDefinition[], offerId: string): OfferDefinition | undefined {
  return catalogue.find((offer) => offer.id === offerId);
}

/** The offers staff may propose now: retired ones stay in the catalogue for the subscriptions that have them. */
export function proposableOffers(catalogue: readonly OfferDefinition[]): OfferDefinition[] {
  return catalogue.filter((offer) => !offer.retired);
}
