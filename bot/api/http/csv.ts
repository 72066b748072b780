import type { Language } from '../../i18n/index.js';

/** A CSV cell for Excel: quoted when needed, and never read as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[;"\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One line of an export: cells separated by « ; », as Excel expects in France. */
export function csvLine(cells: string[]): string {
  return cells.map(csvCell).join(';');
}

/** A moment as the reader writes it, in the firm's time (Paris): « 04/12/2026 14:39:34 », « 04/12/2026, 14:39:34 ». */
export function csvDateTime(language: Language, date: Date): string {
  // English day first, as the bot's cards write dates for the firm's English-speaking staff.
  return date.toLocaleString(language === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris' });
}
