import type { Directory } from '../directory.js';
import type { MembershipStore } from './ports.js';
import type { Structure } from './structures.js';

/** Why a structure's main manager can no longer act: detached from it, or their Microsoft 365 account disabled. */
export type MainManagerUnavailable = 'detached' | 'disabled';

/**
 * Whether a structure's main manager can still act. A detached main manager is normally refused
 * (the role is handed over first), but a membership can be lost outside Passerelle; a disabled
 * account is only known from the directory. A person the directory does not find is not judged
 * unavailable: staff accounts may live where our directory does not look.
 */
export class MainManagerAvailability {
  constructor(private readonly deps: { memberships: Pick<MembershipStore, 'findByEmail'>; directory: Pick<Directory, 'findUserByEmail'> }) {}

  async unavailable(firmId: string, structure: Pick<Structure, 'id' | 'mainManagerEmail'>): Promise<MainManagerUnavailable | null> {
    const email = structure.mainManagerEmail;
    if (!email) return null;
    const membership = await this.deps.memberships.findByEmail(firmId, email, structure.id);
    if (!membership || membership.status !== 'attached') return 'detached';
    const account = await this.deps.directory.findUserByEmail(email);
    return account?.accountEnabled === false ? 'disabled' : null;
  }
}
