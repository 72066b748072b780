import { TeamsInfo, type TurnContext } from 'botbuilder';

export type MemberRole = 'staff' | 'guest';

export interface TeamsMember {
  role: MemberRole;
  /** The member's e-mail (or user principal name) as Teams knows it: how staff are attached. */
  email?: string;
}

/**
 * Tells staff from guests: Teams knows, through the conversation's member record (userRole
 * "guest" for B2B guests). Cached a few minutes per user so a conversation costs one lookup.
 */
export class TeamsMemberRoles {
  private readonly cache = new Map<string, { member: TeamsMember; expiresAt: number }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number } = { ttlMs: 5 * 60_000, maxEntries: 5_000 }) {}

  async lookup(context: TurnContext, firmId: string): Promise<TeamsMember> {
    const userId = context.activity.from?.id;
    if (!userId) return { role: 'guest' };
    const key = `${firmId}|${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.member;
    const account = await TeamsInfo.getMember(context, userId);
    const member: TeamsMember = {
      role: account.userRole?.toLowerCase() === 'guest' ? 'guest' : 'staff',
      email: (account.email ?? account.userPrincipalName)?.toLowerCase(),
    };
    if (this.cache.size >= this.options.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { member, expiresAt: Date.now() + this.options.ttlMs });
    return member;
  }
}
