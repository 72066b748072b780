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

/** A client company's file ("dossier"). */
export interface ClientFile extends ValidClientFile {
  id: string;
  firmId: string;
  primaryContactId?: string;
  /** When the client joined the firm (from an import), if known. */
  joinedOn?: Date;
  /** The team this client's guests join (chosen by staff; checked against mixing clients). */
  guestTeamId?: string;
  /** Accent- and case-free words of the name and code, for prefix search served by an index. */
  searchTokens: string[];
  /** The form submission that created it: a second submission of the same card is recognised. */
  creationRequestId: string;
  created: ActorStamp;
  updatedAt: Date;
}

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
