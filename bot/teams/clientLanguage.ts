import type { Contact } from '../domain/contact.js';
import type { UserPreferenceStore } from '../domain/ports.js';
import { languageOf, type Language } from '../i18n/index.js';

/**
 * The language of a card addressed to a client: the one the guest chose with « langue english »
 * (kept under their Entra id, as for staff), else the firm's default. Contacts carry no language of
 * their own.
 */
export async function clientLanguage(preferences: UserPreferenceStore, contact: Pick<Contact, 'firmId' | 'guest'>, fallback: Language): Promise<Language> {
  const userId = contact.guest?.directoryUserId;
  if (!userId) return fallback;
  return languageOf(await preferences.getLocale(contact.firmId, userId).catch(() => undefined)) ?? fallback;
}
