/**
 * Pure validation and normalisation rules for the fields captured by Passerelle
 * (SIRET/SIREN, APE code, phones, e-mail, dossier code, free text) and the
 * normalisation used by the prefix search.
 *
 * No I/O and no SDK: every function is deterministic and returns a
 * `FieldCheck` instead of throwing, so callers can map the error code to a
 * user-facing message (see `bot/i18n/validationMessages.ts`).
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type ValidationErrorCode =
  | 'required'
  | 'tooLong'
  | 'siret.format'
  | 'siret.checksum'
  | 'ape.format'
  | 'phone.invalid'
  | 'phone.notMobile'
  | 'email.invalid'
  | 'code.format';

export type FieldCheck<T = string> = { ok: true; value: T } | { ok: false; error: ValidationErrorCode };

const ok = <T>(value: T): FieldCheck<T> => ({ ok: true, value });
const fail = <T = string>(error: ValidationErrorCode): FieldCheck<T> => ({ ok: false, error });

// ---------------------------------------------------------------------------
// SIREN / SIRET
// ---------------------------------------------------------------------------

/** SIREN shared by every establishment of La Poste. */
const LA_POSTE_SIREN = '356000000';

/** Separators users type or paste inside identifiers: any Unicode space (incl. NBSP / narrow NBSP), dots, dashes. */
const IDENTIFIER_SEPARATORS = /[\s.\-\u2010-\u2015]/gu;

/** Luhn checksum: true when the Luhn sum of the digit string is a multiple of 10. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Walk from the right: every second digit (starting with the second from the right) is doubled.
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += digits.charCodeAt(i) - 48;
  return sum;
}

/**
 * SIRET (14 digits = SIREN 9 digits + NIC 5 digits).
 *
 * Rule, as implemented by INSEE's own validator (InseeFrLab/validinsee,
 * R/validation_sirene.R, "validation_sirene"):
 *  - a SIRET is valid when the Luhn sum of its 14 digits is a multiple of 10
 *    AND the Luhn sum of its SIREN (first 9 digits) is a multiple of 10;
 *  - a La Poste SIRET (SIREN 356000000) that does not satisfy the rule above is
 *    valid when the plain sum of its 14 digits is a multiple of 5
 *    ("Critère différent pour établissements La Poste (somme simple multiple de 5)").
 * The Luhn rule is tried first for La Poste as well: the head office SIRET
 * 356 000 000 00048 satisfies Luhn but its digit sum (26) is NOT a multiple of 5
 * (see also fr.wikipedia "Système d'identification du répertoire des
 * établissements", § Exceptions pour le groupe La Poste, and
 * ronanguilloux/IsoCodes PR #136 which fixed exactly that case).
 */
export function checkSiret(input: string): FieldCheck {
  const digits = (input ?? '').replace(IDENTIFIER_SEPARATORS, '');
  if (!/^\d{14}$/.test(digits)) return fail('siret.format');
  if (/^0+$/.test(digits)) return fail('siret.format'); // placeholder, Luhn-valid but never assigned
  const siren = digits.slice(0, 9);
  if (luhnValid(digits) && luhnValid(siren)) return ok(digits);
  if (siren === LA_POSTE_SIREN && digitSum(digits) % 5 === 0) return ok(digits);
  return fail('siret.checksum');
}

/** SIREN: 9 digits, Luhn key (La Poste's 356000000 is itself Luhn-valid). Errors reuse the SIRET codes. */
export function checkSiren(input: string): FieldCheck {
  const digits = (input ?? '').replace(IDENTIFIER_SEPARATORS, '');
  if (!/^\d{9}$/.test(digits)) return fail('siret.format');
  if (/^0+$/.test(digits)) return fail('siret.format');
  return luhnValid(digits) ? ok(digits) : fail('siret.checksum');
}

// ---------------------------------------------------------------------------
// APE / NAF rév. 2
// ---------------------------------------------------------------------------

/**
 * APE code (NAF rév. 2 sub-class, officially written "69.20Z"): 2-digit division
 * (01–99), 2 digits, 1 letter. Accepts "6920Z", "69.20Z", "69 20 z"; value "6920Z".
 * Only the shape is checked, not membership in the nomenclature.
 */
export function checkApeCode(input: string): FieldCheck {
  const compact = (input ?? '').replace(IDENTIFIER_SEPARATORS, '').toUpperCase();
  if (!/^\d{4}[A-Z]$/.test(compact)) return fail('ape.format');
  if (compact.startsWith('00')) return fail('ape.format');
  return ok(compact);
}

// ---------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------

/** Only characters that may appear in a typed phone number; anything else (letters, extensions) is refused. */
const PHONE_CHARS = /^\+?[\d\s().\-/\u2010-\u2015]+$/u;
const PHONE_MAX_INPUT = 40;

function parsePhone(input: string): ReturnType<typeof parsePhoneNumberFromString> | undefined {
  const trimmed = (input ?? '').trim();
  if (trimmed.length === 0 || trimmed.length > PHONE_MAX_INPUT) return undefined;
  // libphonenumber extracts a number out of arbitrary text ("tel 06…", "06… abc"); be strict instead.
  if (!PHONE_CHARS.test(trimmed)) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, 'FR');
  return parsed && parsed.isValid() ? parsed : undefined;
}

/**
 * Mobile phone, French national form ("06 12 34 56 78") or international
 * ("+33 6…", "0033 6…", "+32 470…"); default country FR. Value in E.164.
 * Types MOBILE and FIXED_LINE_OR_MOBILE (e.g. North America, where the
 * metadata cannot tell) are accepted.
 */
export function checkMobilePhone(input: string): FieldCheck {
  const parsed = parsePhone(input);
  if (!parsed) return fail('phone.invalid');
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return fail('phone.notMobile');
  return ok(parsed.number);
}

/** Any valid phone number (landline, mobile, VoIP, toll-free…); default country FR. Value in E.164. */
export function checkPhone(input: string): FieldCheck {
  const parsed = parsePhone(input);
  return parsed ? ok(parsed.number) : fail('phone.invalid');
}

// ---------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------

const EMAIL_MAX = 254; // RFC 5321 forward-path limit minus the angle brackets
const EMAIL_LOCAL_MAX = 64; // RFC 5321 §4.5.3.1.1
/** Dot-atom local part (RFC 5322 atext, no quoted strings): no leading, trailing or doubled dot. */
const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** LDH domain label, 1–63 chars, no leading/trailing hyphen. */
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Top-level domain: letters only (≥ 2) or an IDN A-label. */
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * E-mail address: trimmed and lowercased (the whole address, including the
 * local part, which is what every mainstream provider does in practice);
 * "+alias" sub-addressing is kept. Internationalised (Unicode) addresses are refused.
 */
export function checkEmail(input: string): FieldCheck {
  const value = (input ?? '').trim().toLowerCase();
  if (value.length > EMAIL_MAX) return fail('tooLong');
  if (value.length === 0 || /\s/u.test(value)) return fail('email.invalid');
  const parts = value.split('@');
  if (parts.length !== 2) return fail('email.invalid');
  const [local = '', domain = ''] = parts;
  if (local.length === 0 || local.length > EMAIL_LOCAL_MAX || !EMAIL_LOCAL.test(local)) return fail('email.invalid');
  const labels = domain.split('.');
  if (labels.length < 2) return fail('email.invalid');
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return fail('email.invalid');
  if (!TLD.test(labels[labels.length - 1] ?? '')) return fail('email.invalid');
  return ok(value);
}

// ---------------------------------------------------------------------------
// Firm's dossier code
// ---------------------------------------------------------------------------

/** The firm's client file code ("000001", "DUPONT01"): 1–20 chars among A–Z 0–9 . _ -, uppercased. */
export function checkClientFileCode(input: string): FieldCheck {
  const value = (input ?? '').trim().toUpperCase();
  return /^[A-Z0-9._-]{1,20}$/.test(value) ? ok(value) : fail('code.format');
}

// ---------------------------------------------------------------------------
// Free text
// ---------------------------------------------------------------------------

/** Zero-width space and BOM: invisible characters that only get in when pasting. */
const INVISIBLES = /[\u200B\uFEFF]/gu;

/** Canonical form of a free-text value: NFC, whitespace runs collapsed to one space, control chars removed, trimmed. */
function cleanText(input: string): string {
  return input
    .normalize('NFC')
    .replace(/\s+/gu, ' ') // tabs/newlines/NBSP become a single space before control chars are removed
    .replace(/\p{Cc}/gu, '')
    .replace(INVISIBLES, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Free text: trimmed, inner whitespace runs collapsed, control characters
 * stripped. Empty → `undefined` (or 'required'). Length counted in code
 * points after cleaning; above `max` → 'tooLong'.
 */
export function checkText(
  input: string | undefined,
  options: { required: boolean; max: number },
): FieldCheck<string | undefined> {
  const value = input === undefined || input === null ? '' : cleanText(String(input));
  if (value.length === 0) return options.required ? fail('required') : ok(undefined);
  if ([...value].length > options.max) return fail('tooLong');
  return ok(value);
}

/** Free text over several lines (notes, an e-mail's body): line breaks kept, control characters and trailing spaces dropped. */
export function checkMultilineText(input: string | undefined, options: { required: boolean; max: number }): FieldCheck<string | undefined> {
  const value = (input ?? '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200B\uFEFF]/gu, '')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (value.length === 0) return options.required ? fail('required') : ok(undefined);
  if ([...value].length > options.max) return fail('tooLong');
  return ok(value);
}

// ---------------------------------------------------------------------------
// Search normalisation
// ---------------------------------------------------------------------------

/**
 * Search key: lowercase, accents removed (NFKD + combining marks stripped),
 * œ→oe, æ→ae, ß→ss, every non letter/digit → space, spaces collapsed, trimmed.
 * "Boulangerie BÉRNARD & Fils" → "boulangerie bernard fils".
 */
export function normaliseForSearch(input: string): string {
  return (input ?? '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    // NFKD = NFD plus compatibility forms: "ﬁ" → "fi", full-width "ＡＢ" → "AB", "²" → "2".
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Distinct words of `normaliseForSearch` over all inputs, in order of first appearance (for prefix search). */
export function searchTokens(...inputs: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const input of inputs) {
    if (!input) continue;
    for (const word of normaliseForSearch(input).split(' ')) {
      if (word.length >= 1) seen.add(word);
    }
  }
  return [...seen];
}
