import type { StaffActor } from '../domain/staffActor.js';
import type { TurnSession } from './session.js';

/** The acting member of staff, as the use cases take them: who, with their access, from the turn. */
export function staffActorOf(session: TurnSession): StaffActor {
  return { ...session.actor, email: session.access.email, access: session.access };
}
