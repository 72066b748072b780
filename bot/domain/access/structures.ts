import { checkEmail, checkPhone, checkSiret, checkText, normaliseForSearch, type ValidationErrorCode } from '../fieldRules.js';

/**
 * A structure (Chorus Pro): a legal entity of the firm with its own SIRET, main manager, members
 * and services. Every firm has its default structure, the one that existed before structures could
 * be several; client files belong to it.
 */
export const defaultStructureId = 'default';

/** A part of a structure used to route work and to limit who sees which client files. */
export interface Service {
  id: string;
  name: string;
  active: boolean;
}

/** What staff may change. */
export interface StructureDetails {
  displayName?: string;
  addressLine?: string;
  phone?: string;
  contactEmail?: string;
}

export interface Structure extends StructureDetails {
  firmId: string;
  id: string;
  /** The company register's: shown, never edited in Passerelle. */
  siret?: string;
  legalName?: string;
  active: boolean;
  mainManagerEmail: string | null;
  services: Service[];
  /** Bumped on every change of details, services or status: two admins cannot overwrite each other. */
  version: number;
}

export const editableStructureFields = ['displayName', 'addressLine', 'phone', 'contactEmail'] as const;
export type EditableStructureField = (typeof editableStructureFields)[number];
/** Owned by the company register: a form that sends them is refused rather than half applied. */
export const registerFields = ['siret', 'legalName'] as const;

export type StructureFieldError = { field: EditableStructureField; code: ValidationErrorCode; max?: number };

export function validateStructureDetails(input: Partial<Record<EditableStructureField, string>>): { ok: true; value: StructureDetails } | { ok: false; errors: StructureFieldError[] } {
  const errors: StructureFieldError[] = [];
  const value: StructureDetails = {};
  const displayName = checkText(input.displayName, { required: true, max: 120 });
  if (displayName.ok) value.displayName = displayName.value;
  else errors.push({ field: 'displayName', code: displayName.error, max: 120 });
  const addressLine = checkText(input.addressLine, { required: false, max: 200 });
  if (addressLine.ok) value.addressLine = addressLine.value;
  else errors.push({ field: 'addressLine', code: addressLine.error, max: 200 });
  const phoneText = checkText(input.phone, { required: false, max: 40 });
  if (phoneText.ok && phoneText.value) {
    const phone = checkPhone(phoneText.value);
    if (phone.ok) value.phone = phone.value;
    else errors.push({ field: 'phone', code: phone.error });
  } else if (!phoneText.ok) errors.push({ field: 'phone', code: phoneText.error, max: 40 });
  const emailText = checkText(input.contactEmail, { required: false, max: 254 });
  if (emailText.ok && emailText.value) {
    const email = checkEmail(emailText.value);
    if (email.ok) value.contactEmail = email.value;
    else errors.push({ field: 'contactEmail', code: email.error });
  } else if (!emailText.ok) errors.push({ field: 'contactEmail', code: emailText.error, max: 254 });
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

export function checkServiceName(input: string | undefined): { ok: true; value: string } | { ok: false } {
  const name = checkText(input, { required: true, max: 80 });
  return name.ok && name.value ? { ok: true, value: name.value } : { ok: false };
}

export function checkStructureSiret(input: string | undefined) {
  return checkSiret(input ?? '');
}

/** « Pôle social », « pole  SOCIAL » and « Pôle-social » name the same service. */
export function sameName(a: string, b: string): boolean {
  return normaliseForSearch(a) === normaliseForSearch(b);
}

/** A service named by a person (name, accents and case free) or by its id (card data). */
export function findService(structure: Pick<Structure, 'services'>, reference: string): Service | undefined {
  return structure.services.find((service) => service.id === reference) ?? structure.services.find((service) => sameName(service.name, reference));
}

/** A structure named by a person: its id, its display name, its legal name or its SIRET. */
export function findStructure(structures: Structure[], reference: string): Structure | undefined {
  const trimmed = reference.trim();
  const digits = trimmed.replace(/\s/g, '');
  return (
    structures.find((structure) => structure.id === trimmed) ??
    structures.find((structure) => (structure.siret && structure.siret === digits) || (structure.displayName && sameName(structure.displayName, trimmed)) || (structure.legalName && sameName(structure.legalName, trimmed)))
  );
}
