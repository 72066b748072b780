import { TeamsInfo, type TurnContext } from 'botbuilder';

export type MemberRole = 'staff' | 'guest';

/**
 * Tells staff from guests: Teams knows, through the conversation's member record (userRole
 * "guest" for B2B guests). Cached a few minutes per user so a conversation costs one lookup.
 */
export class TeamsMemberRoles {
  private readonly cache = new Map<string, { role: MemberRole; expiresAt: number }>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number } = { ttlMs: 5 * 60_000, maxEntries: 5_000 }) {}

  async roleOf(context: TurnContext, firmId: string): Promise<MemberRole> {
    const userId = context.activity.from?.id;
    if (!userId) return 'guest';
    const key = `${firmId}|${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.role;
    const member = await TeamsInfo.getMember(context, userId);
    const role: MemberRole = member.userRole?.toLowerCase() === 'guest' ? 'guest' : 'staff';
    if (this.cache.size >= this.options.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { role, expiresAt: Date.now() + this.options.ttlMs });
    return role;
  }
}
