import type { ActorStamp } from './actor.js';
import { fieldLimits, legalForms, taxRegimes } from './catalogues.js';
import { checkApeCode, checkClientFileCode, checkSiret, searchTokens } from './fieldRules.js';
import { FormChecker, type Validation } from './form.js';

/** What staff enter for a client file, once checked. */
export interface ValidClientFile {
  code: string;
  companyName: string;
  legalForm?: string;
  siret?: string;
  apeCode?: string;
  taxRegime?: string;
}

/** Where the client stands on each step the firm follows ("Mandat" column of the console). */
export const mandateStates = ['none', 'sent', 'signed'] as const;
export type MandateState = (typeof mandateStates)[number];

/** Registration with a « plateforme agréée » (PA) for the e-invoicing reform. */
export const einvoicingRegistrationStates = ['none', 'invited', 'registered'] as const;
export type EinvoicingRegistration = (typeof einvoicingRegistrationStates)[number];

/** The client's tools, as in the console's « Équipement » view. App names are free text: firms meet hundreds of them. */
export interface Equipment {
  /** Achat: the purchase-invoice app, e.g. "Shine Plus". */
  purchases?: string;
  /** Vente: the invoicing app. */
  sales?: string;
  /** Caisse: the till. */
  till?: string;
  mandate: MandateState;
  einvoicingRegistration: EinvoicingRegistration;
  /** Sensibilisation réforme: the client was told about the e-invoicing reform. */
  reformAwareness: boolean;
}

/** How the client's documents reach the firm (« Collecte » view). Named so it does not read as a database collection. */
export interface DataCollection {
  feedReception?: string;
  purchaseFeed?: string;
  salesFeed?: string;
  bankFeed?: string;
  payroll?: string;
  /** The address the client forwards invoices to. */
  collectionEmail?: string;
}

/** What a file that never had its equipment recorded shows: nothing sent, nobody registered, nobody told. */
export function defaultEquipment(): Equipment {
  return { mandate: 'none', einvoicingRegistration: 'none', reformAwareness: false };
}

/** A client company's file ("dossier"). */
export interface ClientFile extends ValidClientFile {
  id: string;
  firmId: string;
  primaryContactId?: string;
  /** When the client joined the firm (from an import), if known. */
  joinedOn?: Date;
  /** The team this client's guests join (chosen by staff; checked against mixing clients). */
  guestTeamId?: string;
  /** The service of the firm's structure that handles this file (see visibleServiceIds); absent: the whole structure. */
  serviceId?: string;
  /** Accent- and case-free words of the name and code, for prefix search served by an index. */
  searchTokens: string[];
  equipment: Equipment;
  collection: DataCollection;
  /** Staff's free notes on the client (« Notes » column). */
  notes?: string;
  /** The form submission that created it: a second submission of the same card is recognised. */
  creationRequestId: string;
  created: ActorStamp;
  updatedAt: Date;
}

/** A file about to be stored: creation paths (forms, import, seeds) may leave equipment and collection to their defaults. */
export type NewClientFile = Omit<ClientFile, 'id' | 'equipment' | 'collection'> & Partial<Pick<ClientFile, 'equipment' | 'collection'>>;

export const clientFileFields = ['code', 'companyName', 'legalForm', 'siret', 'apeCode', 'taxRegime'] as const;
export type ClientFileField = (typeof clientFileFields)[number];
export type ClientFileInput = Partial<Record<ClientFileField, string>>;

export function validateClientFile(input: ClientFileInput): Validation<ValidClientFile, ClientFileField> {
  const form = new FormChecker<ClientFileField>();
  const code = form.text('code', input.code, { required: true, max: 20 });
  const checkedCode = code === undefined ? undefined : form.take('code', checkClientFileCode(code));
  const companyName = form.text('companyName', input.companyName, { required: true, max: fieldLimits.companyName });
  const legalForm = form.choice('legalForm', input.legalForm, legalForms, 'legalForm.unknown');
  const siret = form.optional('siret', input.siret, checkSiret);
  const apeCode = form.optional('apeCode', input.apeCode, checkApeCode);
  const taxRegime = form.choice('taxRegime', input.taxRegime, taxRegimes, 'taxRegime.unknown');
  if (form.hasErrors || !checkedCode || !companyName) return { ok: false, errors: form.errors };
  return { ok: true, value: { code: checkedCode, companyName, legalForm, siret, apeCode, taxRegime } };
}

export function clientFileSearchTokens(file: Pick<ValidClientFile, 'code' | 'companyName'>): string[] {
  return searchTokens(file.companyName, file.code);
}
