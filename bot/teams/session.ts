import type { TurnContext } from 'botbuilder';
import type { Actor } from '../domain/actor.js';
import type { UserPreferenceStore } from '../domain/ports.js';
import { languageOf, messagesFor, type Language, type Messages } from '../i18n/index.js';
import type { TeamsMemberRoles } from './memberRoles.js';
import type { AccessUseCases } from '../domain/access/accessUseCases.js';
import type { AccessContext } from '../domain/access/policy.js';
import type { StaffSnapshotStore } from '../domain/access/ports.js';
import { accessContextOf } from '../domain/access/staffSessions.js';
import { defaultStructureId } from '../domain/access/structures.js';

/** What every handler needs to know about the turn: who acts, for which firm, in which language. */
export interface TurnSession {
  actor: Actor;
  language: Language;
  t: Messages;
  /** The acting user's place in the firm's structure: what the policy decides on. */
  access: AccessContext & { email?: string };
}

export class MissingTenantError extends Error {
  constructor() {
    super('activity without tenant');
    this.name = 'MissingTenantError';
  }
}

/** The firm is the Teams tenant of the conversation; never a value taken from card data. */
export function actorOf(context: TurnContext): Actor {
  const activity = context.activity;
  const channelTenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const firmId = activity.conversation?.tenantId ?? (typeof channelTenant === 'string' ? channelTenant : undefined);
  if (!firmId) throw new MissingTenantError();
  return {
    firmId,
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown',
    displayName: activity.from?.name ?? '',
  };
}

/**
 * A client (a guest of the firm's tenant) speaking to Passerelle: who they are as Teams says it,
 * never a contact found from card data; client commands find their contact from it.
 */
export interface ClientTurn {
  actor: Actor;
  language: Language;
  t: Messages;
  /** Their address as Teams gives it, when it does. */
  email?: string;
}

/** A guest (a client) reached the bot: the staff tools are not for them; the client commands are. */
export class NotStaffError extends Error {
  constructor(readonly client: ClientTurn) {
    super('guest user refused');
    this.name = 'NotStaffError';
  }

  get language(): Language {
    return this.client.language;
  }
}

/** Teams could not tell who the user is: refuse rather than guess. */
export class AccessCheckError extends Error {
  constructor(cause: unknown) {
    super('member lookup failed', { cause });
    this.name = 'AccessCheckError';
  }
}

export class SessionResolver {
  constructor(
    private readonly deps: {
      preferences: UserPreferenceStore;
      snapshots: StaffSnapshotStore;
      memberRoles: TeamsMemberRoles;
      access: AccessUseCases;
      defaultLanguage: Language;
      trustClientLocale: boolean;
    },
  ) {}

  /**
   * Resolves who acts, and refuses guests: clients must never reach another client's data. An attached
   * member's membership, structure and language come in one read (the snapshot); the handlers get them
   * in the session and never read them again during the turn.
   */
  async resolve(context: TurnContext): Promise<TurnSession> {
    const actor = actorOf(context);
    const snapshot = await this.deps.snapshots.snapshot(actor.firmId, actor.userId);
    const language = this.languageFor(context, snapshot ? snapshot.locale : await this.deps.preferences.getLocale(actor.firmId, actor.userId).catch(() => undefined));
    let member;
    try {
      member = await this.deps.memberRoles.lookup(context, actor.firmId);
    } catch (error) {
      throw new AccessCheckError(error);
    }
    if (member.role === 'guest') throw new NotStaffError({ actor, language, t: messagesFor(language), email: member.email });
    const access = snapshot
      ? accessContextOf(snapshot.membership, snapshot.structure, member.email)
      : await this.deps.access.sessions.contextFor({ ...actor, email: member.email }, defaultStructureId, { absentByUserId: true });
    return { actor, language, t: messagesFor(language), access };
  }

  /** A language the user chose wins; then the Teams client's locale when trusted; then the default. */
  private languageFor(context: TurnContext, chosenLocale: string | undefined): Language {
    const chosen = languageOf(chosenLocale);
    if (chosen) return chosen;
    if (this.deps.trustClientLocale) {
      const fromClient = languageOf(context.activity.locale);
      if (fromClient) return fromClient;
    }
    return this.deps.defaultLanguage;
  }
}
