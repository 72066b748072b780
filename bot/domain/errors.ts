import type { ValidationErrorCode } from './fieldRules.js';

/** Domain-level refusals that are not about the shape of a single field. */
export type RuleErrorCode =
  | 'code.taken'
  | 'email.taken'
  | 'orgRole.unknown'
  | 'category.unknown'
  | 'orgRole.exists'
  | 'legalForm.unknown'
  | 'taxRegime.unknown'
  | 'mandate.unknown'
  | 'einvoicingRegistration.unknown'
  | 'clientFile.notFound'
  | 'contact.notFound'
  | 'link.notFound'
  | 'article.unknownChoice'
  | 'article.keywordsInvalid'
  | 'article.tooManyKeywords'
  | 'article.keywordTooLong'
  | 'number.range'
  | 'choice.unknown'
  | 'url.invalid'
  | 'team.unknown'
  | 'shine.noFlow'
  | 'offer.nameTaken'
  | 'offer.inUse'
  | 'offer.lastOne';

export type FieldErrorCode = ValidationErrorCode | RuleErrorCode;

export interface FieldError {
  code: FieldErrorCode;
  /** Values the message needs, e.g. { max: 120 } for tooLong. */
  params?: Record<string, string | number>;
}

/** Errors keyed by the form field they belong to, so a card can show each one next to its input. */
export type FieldErrors<Field extends string = string> = Partial<Record<Field, FieldError>>;

/**
 * Raised by the store when the database cannot be reached. The Teams and API layers turn it
 * into "service momentanément indisponible" without knowing which driver is underneath.
 */
export class StorageUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('storage unavailable', { cause });
    this.name = 'StorageUnavailableError';
  }
}
