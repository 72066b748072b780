import type { AccessRefusal } from '../domain/access/accessUseCases.js';
import { format, type Messages } from '../i18n/index.js';

/** `about`: which structure or service the refusal concerns, when the action touched several. */
export function refusalText(t: Messages, refusal: AccessRefusal, about?: string): string {
  const text = t.access.refusals[refusal];
  return about ? format(t.access.aboutPrefix, { about, text }) : text;
}
