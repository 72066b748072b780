import { canSeeService, OtherServiceError, visibleServiceIds, type AccessContext } from './access/policy.js';
import type { Actor } from './actor.js';
import type { ClientFile } from './clientFile.js';

/**
 * The acting member of staff with their access, resolved once per Teams turn or API call from the
 * authenticated identity: use cases decide permissions and visibility on it, never on card data.
 */
export interface StaffActor extends Actor {
  /** Needed to file a request in their name; absent when Teams did not give it. */
  email?: string;
  access: AccessContext;
}

/** Throws OtherServiceError unless the actor may see this file (both edges turn it into « autre service »). */
export function assertSeesFile(actor: StaffActor, file: Pick<ClientFile, 'serviceId'>): void {
  if (!canSeeService(visibleServiceIds(actor.access), file.serviceId)) throw new OtherServiceError(file.serviceId!);
}
