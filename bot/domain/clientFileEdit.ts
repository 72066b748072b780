import { fieldLimits, legalForms, taxRegimes } from './catalogues.js';
import {
  einvoicingRegistrationStates,
  mandateStates,
  type ClientFile,
  type DataCollection,
  type Equipment,
} from './clientFile.js';
import type { FieldErrors } from './errors.js';
import { checkApeCode, checkEmail, checkMultilineText, checkSiret, type FieldCheck } from './fieldRules.js';
import { FormChecker, type Validation } from './form.js';

/** App and source names (« Shine Plus », « Cegid Quadra »): short labels, as the console's columns show them. */
export const appNameMax = 60;
export const notesMax = 2000;

/** What staff may change on an open client file. The code is the firm's key to the file: it is not editable. */
export type ClientFileEditable = Pick<ClientFile, 'companyName' | 'legalForm' | 'siret' | 'apeCode' | 'taxRegime' | 'equipment' | 'collection' | 'notes'>;

const equipmentTextFields = ['purchases', 'sales', 'till'] as const;
const collectionTextFields = ['feedReception', 'purchaseFeed', 'salesFeed', 'bankFeed', 'payroll'] as const;
const detailFields = ['companyName', 'legalForm', 'siret', 'apeCode', 'taxRegime'] as const;

export type ClientFileEditField =
  | (typeof detailFields)[number]
  | `equipment.${keyof Equipment}`
  | `collection.${keyof DataCollection}`
  | 'notes';

/**
 * An edit as submitted: an absent key leaves the value as it is, an empty text clears it
 * (except the company name, which is required).
 */
export interface ClientFileEditInput {
  companyName?: string;
  legalForm?: string;
  siret?: string;
  apeCode?: string;
  taxRegime?: string;
  equipment?: Partial<Record<(typeof equipmentTextFields)[number] | 'mandate' | 'einvoicingRegistration', string>> & { reformAwareness?: boolean };
  collection?: Partial<Record<keyof DataCollection, string>>;
  notes?: string;
}

/** Before and after of what actually changed, nested like the file (equipment.mandate under equipment). */
export interface ClientFileChanges {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * Checks an edit against the same rules as creation and returns the file's editable part after it.
 * Every field is checked before anything is decided, so one submission reports every problem.
 */
export function validateClientFileEdit(current: ClientFileEditable, input: ClientFileEditInput): Validation<ClientFileEditable, ClientFileEditField> {
  const form = new FormChecker<ClientFileEditField>();
  const next: ClientFileEditable = { ...current, equipment: { ...current.equipment }, collection: { ...current.collection } };
  const has = <T extends object>(object: T | undefined, key: keyof T): boolean => object !== undefined && object[key] !== undefined;

  if (input.companyName !== undefined) next.companyName = form.text('companyName', input.companyName, { required: true, max: fieldLimits.companyName }) ?? current.companyName;
  if (input.legalForm !== undefined) next.legalForm = form.choice('legalForm', input.legalForm, legalForms, 'legalForm.unknown');
  if (input.siret !== undefined) next.siret = form.optional('siret', input.siret, checkSiret);
  if (input.apeCode !== undefined) next.apeCode = form.optional('apeCode', input.apeCode, checkApeCode);
  if (input.taxRegime !== undefined) next.taxRegime = form.choice('taxRegime', input.taxRegime, taxRegimes, 'taxRegime.unknown');

  const equipment = input.equipment;
  for (const key of equipmentTextFields) {
    if (has(equipment, key)) next.equipment[key] = form.text(`equipment.${key}`, equipment![key], { required: false, max: appNameMax });
  }
  if (has(equipment, 'mandate')) {
    const mandate = oneOf(equipment!.mandate, mandateStates);
    if (mandate) next.equipment.mandate = mandate;
    else form.errors['equipment.mandate'] = { code: 'mandate.unknown' };
  }
  if (has(equipment, 'einvoicingRegistration')) {
    const registration = oneOf(equipment!.einvoicingRegistration, einvoicingRegistrationStates);
    if (registration) next.equipment.einvoicingRegistration = registration;
    else form.errors['equipment.einvoicingRegistration'] = { code: 'einvoicingRegistration.unknown' };
  }
  if (has(equipment, 'reformAwareness')) next.equipment.reformAwareness = equipment!.reformAwareness === true;

  const collection = input.collection;
  for (const key of collectionTextFields) {
    if (has(collection, key)) next.collection[key] = form.text(`collection.${key}`, collection![key], { required: false, max: appNameMax });
  }
  if (has(collection, 'collectionEmail')) next.collection.collectionEmail = form.optional('collection.collectionEmail', collection!.collectionEmail, checkEmail);

  if (input.notes !== undefined) next.notes = form.take('notes', checkNotes(input.notes), { max: notesMax });

  if (form.hasErrors) return { ok: false, errors: form.errors };
  return { ok: true, value: withoutEmptyValues(next) };
}

/** What differs between two states of the editable part; empty when the edit changes nothing. */
export function clientFileChanges(before: ClientFileEditable, after: ClientFileEditable): ClientFileChanges {
  const changes: ClientFileChanges = { before: {}, after: {} };
  for (const key of [...detailFields, 'notes'] as const) {
    if (before[key] !== after[key]) {
      changes.before[key] = before[key] ?? null;
      changes.after[key] = after[key] ?? null;
    }
  }
  for (const group of ['equipment', 'collection'] as const) {
    const was = before[group] as unknown as Record<string, unknown>;
    const is = after[group] as unknown as Record<string, unknown>;
    for (const key of new Set([...Object.keys(was), ...Object.keys(is)])) {
      if (was[key] === is[key]) continue;
      ((changes.before[group] ??= {}) as Record<string, unknown>)[key] = was[key] ?? null;
      ((changes.after[group] ??= {}) as Record<string, unknown>)[key] = is[key] ?? null;
    }
  }
  return changes;
}

export function hasChanges(changes: ClientFileChanges): boolean {
  return Object.keys(changes.after).length > 0;
}

export type ClientFileEditErrors = FieldErrors<ClientFileEditField>;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/**
 * Notes keep their line breaks (a textarea), unlike one-line fields; the rest is cleaned as any
 * free text: NFC, no control characters, no trailing blanks.
 */
export function checkNotes(input: string): FieldCheck<string | undefined> {
  return checkMultilineText(input, { required: false, max: notesMax });
}

/** Cleared values are absent rather than undefined, so a stored file and its edit compare equal. */
function withoutEmptyValues(state: ClientFileEditable): ClientFileEditable {
  const strip = <T extends object>(object: T): T => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
  return { ...strip(state), equipment: strip(state.equipment), collection: strip(state.collection) };
}

export function editableOf(file: ClientFile): ClientFileEditable {
  const { companyName, legalForm, siret, apeCode, taxRegime, equipment, collection, notes } = file;
  return withoutEmptyValues({ companyName, legalForm, siret, apeCode, taxRegime, equipment, collection, notes });
}
