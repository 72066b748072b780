import type { AccessRefusal } from '../domain/access/accessService.js';
import type { Messages } from '../i18n/index.js';

export function refusalText(t: Messages, refusal: AccessRefusal): string {
  return t.access.refusals[refusal];
}
