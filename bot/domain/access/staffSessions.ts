import { checkEmail } from '../fieldRules.js';
import { auditEntry, stampOf, type StaffIdentity } from './accessOutcome.js';
import type { AccessContext } from './policy.js';
import type { MembershipStore, StructureStore } from './ports.js';
import { applications, defaultStaffProfiles, normaliseProfiles, type Membership } from './profiles.js';
import { defaultStructureId, type Structure } from './structures.js';

/** The policy's view of a member (or of nobody) in a structure, both already read. */
export function accessContextOf(membership: Membership | null, structure: Structure, email?: string): AccessContext & { email?: string } {
  return {
    membership,
    role: membership ? (membership.email === structure.mainManagerEmail ? 'mainManager' : 'user') : null,
    structureActive: structure.active,
    email: membership?.email ?? email,
  };
}

/**
 * Who the acting member of staff is, per structure, for the policy to decide on. The first person of
 * a firm to use Passerelle becomes its main manager; everyone else is attached by an administrator or
 * asks to join.
 */
export class StaffSessions {
  constructor(private readonly deps: { structures: StructureStore; memberships: MembershipStore; now: () => Date }) {}

  /**
   * Who the acting user is for the policy in one structure (the default one unless told); binds an
   * e-mail attachment to the Entra id on first use.
   */
  async contextFor(
    identity: StaffIdentity,
    structureId: string = defaultStructureId,
    // The caller already looked the Entra id up and found no membership (a turn's snapshot): not asked again.
    options: { absentByUserId?: boolean } = {},
  ): Promise<AccessContext & { email?: string }> {
    const checked = identity.email ? checkEmail(identity.email) : undefined;
    const email = checked?.ok ? checked.value : undefined;
    let membership = options.absentByUserId ? null : await this.deps.memberships.findByUserId(identity.firmId, identity.userId, structureId);
    if (!membership && email) {
      membership = await this.deps.memberships.findByEmail(identity.firmId, email, structureId);
      if (membership && !membership.userId) {
        await this.deps.memberships.bindUserId(identity.firmId, email, identity.userId, identity.displayName);
        membership = { ...membership, userId: identity.userId };
      }
    }
    if (!membership && email && structureId === defaultStructureId) {
      if ((await this.deps.memberships.count(identity.firmId)) === 0) membership = await this.bootstrap(identity, email);
      // Someone is attached already: maybe this very person, by a request of theirs that arrived a moment
      // earlier (the tab asks several things at once on its first load); look again before refusing.
      else membership = await this.deps.memberships.findByEmail(identity.firmId, email, structureId);
    }
    const structure = await this.deps.structures.find(identity.firmId, structureId);
    if (!structure) return { membership: null, role: null, email };
    return accessContextOf(membership, structure, email);
  }

  /** A structure and the actor's place in it, for the policy to decide on; null when it does not exist. */
  async structureAccess(identity: StaffIdentity, structureId: string): Promise<{ structure: Structure; access: AccessContext & { email?: string } } | null> {
    const structure = await this.deps.structures.find(identity.firmId, structureId);
    if (!structure) return null;
    return { structure, access: await this.contextFor(identity, structureId) };
  }

  /**
   * The first user of a firm: attached, administrator, main manager. The membership's insert carries
   * `access.bootstrapped`; the claim of the role, a write on the firm document, carries its own entry
   * and only if it won (a concurrent first request re-attaching the same person logs nothing).
   */
  private async bootstrap(identity: StaffIdentity, email: string): Promise<Membership | null> {
    const stamp = stampOf(identity, this.deps.now);
    const { membership, created } = await this.deps.memberships.attach(
      {
        firmId: identity.firmId, userId: identity.userId, email, displayName: identity.displayName, services: [], profiles: normaliseProfiles([...defaultStaffProfiles, ...applications.map((application) => ({ application, level: 'modification' as const }))]), status: 'attached',
      },
      (attachment) => (attachment.created ? auditEntry(identity.firmId, stamp, 'access.bootstrapped', { email }) : undefined),
    );
    if (!created) return membership;
    await this.deps.structures.claimMainManager(identity.firmId, defaultStructureId, email, auditEntry(identity.firmId, stamp, 'access.mainManagerClaimed', { structureId: defaultStructureId, email }));
    return membership;
  }
}
