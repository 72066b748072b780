import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AadUserConversationMember, User } from '@microsoft/microsoft-graph-types';

/** A guest or member of the local tenant, shaped like a Graph user. */
export type TenantUser = User & {
  id: string;
  mail: string;
  userType: 'Guest' | 'Member';
  otherMails: string[];
  accountEnabled: boolean;
};

export interface TenantMembership {
  id: string;
  userId: string;
  roles: string[];
  visibleHistoryStartDateTime: string;
}

export interface TenantTeam {
  id: string;
  displayName: string;
  members: TenantMembership[];
}

/** One redeem link; every invitation of an address gets a new one, as in Graph. */
export interface RedeemTicket {
  token: string;
  userId: string;
  redirectUrl: string;
  createdDateTime: string;
}

export interface TenantSnapshot {
  version: 1;
  users: TenantUser[];
  teams: TenantTeam[];
  tickets: RedeemTicket[];
}

/** In-memory directory of the local tenant, optionally saved to a JSON file. */
export class TenantStore {
  readonly users = new Map<string, TenantUser>();
  readonly teams = new Map<string, TenantTeam>();
  readonly tickets = new Map<string, RedeemTicket>();

  constructor(readonly tenantId: string, readonly tenantDomain: string) {}

  findUserByEmail(email: string): TenantUser | undefined {
    const address = email.toLowerCase();
    for (const user of this.users.values()) {
      if (user.mail.toLowerCase() === address || user.otherMails.some((other) => other.toLowerCase() === address)) return user;
    }
    return undefined;
  }

  /** Creates the guest of an invitation: UPN like lea_boulangerie-bernard.fr#EXT#@tenant.onmicrosoft.com. */
  createGuest(email: string, displayName: string | undefined, now: string): TenantUser {
    const [local, domain] = email.split('@') as [string, string];
    const user: TenantUser = {
      id: randomUUID(),
      displayName: displayName || local,
      mail: email,
      otherMails: [],
      userPrincipalName: `${`${local}_${domain}`.toLowerCase()}#EXT#@${this.tenantDomain}`,
      userType: 'Guest',
      creationType: 'Invitation',
      externalUserState: 'PendingAcceptance',
      externalUserStateChangeDateTime: now,
      accountEnabled: true,
      createdDateTime: now,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** A member of the firm (staff): found by e-mail like anyone, never a guest. */
  createMember(email: string, displayName: string, now: string): TenantUser {
    const existing = this.findUserByEmail(email);
    if (existing) return existing;
    const user: TenantUser = {
      id: randomUUID(),
      displayName,
      mail: email,
      otherMails: [],
      userPrincipalName: email,
      userType: 'Member',
      accountEnabled: true,
      createdDateTime: now,
    };
    this.users.set(user.id, user);
    return user;
  }

  /** The newest redeem link of each user, for the local inbox page. */
  latestTickets(): RedeemTicket[] {
    const latest = new Map<string, RedeemTicket>();
    for (const ticket of this.tickets.values()) {
      const known = latest.get(ticket.userId);
      if (!known || known.createdDateTime <= ticket.createdDateTime) latest.set(ticket.userId, ticket);
    }
    return [...latest.values()];
  }

  issueTicket(userId: string, redirectUrl: string, now: string): RedeemTicket {
    const ticket: RedeemTicket = { token: randomBytes(18).toString('base64url'), userId, redirectUrl, createdDateTime: now };
    this.tickets.set(ticket.token, ticket);
    return ticket;
  }

  /** Marks the guest as having redeemed; returns false when already accepted. */
  accept(user: TenantUser, now: string): boolean {
    if (user.externalUserState === 'Accepted') return false;
    user.externalUserState = 'Accepted';
    user.externalUserStateChangeDateTime = now;
    return true;
  }

  deleteUser(userId: string): boolean {
    if (!this.users.delete(userId)) return false;
    for (const team of this.teams.values()) team.members = team.members.filter((member) => member.userId !== userId);
    for (const [token, ticket] of this.tickets) if (ticket.userId === userId) this.tickets.delete(token);
    return true;
  }

  declareTeam(id: string, displayName: string): TenantTeam {
    const existing = this.teams.get(id);
    if (existing) {
      existing.displayName = displayName;
      return existing;
    }
    const team: TenantTeam = { id, displayName, members: [] };
    this.teams.set(id, team);
    return team;
  }

  /** Graph-shaped membership; the id is base64 of "<teamId>##<userId>" like Graph's. */
  presentMember(team: TenantTeam, membership: TenantMembership): AadUserConversationMember & { '@odata.type': string } {
    const user = this.users.get(membership.userId);
    return {
      '@odata.type': '#microsoft.graph.aadUserConversationMember',
      id: membership.id,
      roles: [...membership.roles],
      displayName: user?.displayName ?? null,
      userId: membership.userId,
      email: user?.mail ?? null,
      tenantId: this.tenantId,
      visibleHistoryStartDateTime: membership.visibleHistoryStartDateTime,
    };
  }

  static membershipId(teamId: string, userId: string): string {
    return Buffer.from(`${teamId}##${userId}`).toString('base64');
  }

  /** Forgets users, links and memberships; declared teams stay. */
  clear(): void {
    this.users.clear();
    this.tickets.clear();
    for (const team of this.teams.values()) team.members = [];
  }

  snapshot(): TenantSnapshot {
    return structuredClone({
      version: 1 as const,
      users: [...this.users.values()],
      teams: [...this.teams.values()],
      tickets: [...this.tickets.values()],
    });
  }

  load(snapshot: TenantSnapshot): void {
    if (snapshot.version !== 1) throw new Error(`unsupported local tenant snapshot version ${String(snapshot.version)}`);
    for (const user of snapshot.users) this.users.set(user.id, user);
    for (const team of snapshot.teams) {
      const declared = this.declareTeam(team.id, this.teams.get(team.id)?.displayName ?? team.displayName);
      declared.members = team.members;
    }
    for (const ticket of snapshot.tickets) this.tickets.set(ticket.token, ticket);
  }

  async saveTo(path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.snapshot(), null, 2)}\n`, 'utf8');
    await rename(temporary, path);
  }

  async loadFrom(path: string): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    this.load(JSON.parse(text) as TenantSnapshot);
    return true;
  }
}
