import { contactDisplayName } from '../domain/contact.js';
import type { LinkOutcome } from '../domain/contactService.js';
import { format, type Messages } from '../i18n/index.js';

/** The sentence staff read after a link was made, changed or was already there. */
export function describeLink(t: Messages, outcome: Extract<LinkOutcome, { contact: unknown }>): string {
  const params = { contact: contactDisplayName(outcome.contact), code: outcome.file.code, name: outcome.file.companyName, scope: outcome.scope };
  const sentence = format(t.link[outcome.status], params);
  return outcome.primary ? `${sentence} ${format(t.link.primaryNow, params)}` : sentence;
}
