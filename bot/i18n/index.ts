import type { FieldError } from '../domain/errors.js';
import { en } from './en.js';
import { fr, type Messages } from './fr.js';
import { validationMessages } from './validationMessages.js';

export type Language = 'fr' | 'en';
export type { Messages };

const catalogues: Record<Language, Messages> = { fr, en };

export function languageOf(locale: string | undefined): Language | undefined {
  if (!locale) return undefined;
  const prefix = locale.toLowerCase().slice(0, 2);
  return prefix === 'fr' || prefix === 'en' ? prefix : undefined;
}

export function messagesFor(language: Language): Messages {
  return catalogues[language];
}

/** Replaces {name} placeholders; unknown placeholders stay visible rather than vanish. */
export function format(template: string, params: Record<string, string | number | undefined> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = params[key];
    return value === undefined ? whole : String(value);
  });
}

export function fieldErrorMessage(language: Language, error: FieldError): string {
  const ruleMessages = catalogues[language].fieldErrors as Record<string, string>;
  const template = ruleMessages[error.code] ?? (validationMessages[language] as Record<string, string>)[error.code] ?? error.code;
  return format(template, error.params);
}
