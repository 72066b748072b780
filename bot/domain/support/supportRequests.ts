import { decide, canSeeService, requirements, visibleServiceIds } from '../access/policy.js';
import type { Requirement } from '../access/profiles.js';
import { stampOf, type Actor, type ActorStamp } from '../actor.js';
import { newAuditEntry, type AuditAction } from '../audit.js';
import type { FieldErrors } from '../errors.js';
import { editArticles, KnowledgeBaseRefusedError } from '../help/knowledgeBase.js';
import type { ArticleLanguage, ArticleSuggestion, KnowledgeBaseLink } from '../help/knowledgeBaseLink.js';
import type { AuditEntry, ClientFileStore, SupportPolicy } from '../ports.js';
import { assertSeesFile, type StaffActor } from '../staffActor.js';
import type { SupportChanges, SupportClient, SupportDirectory, SupportNotifier, SupportRequestQuery, SupportRequestStore } from './supportPorts.js';
import {
  addWorkingDays, allows, dayMs, lifecycle, movesFor, parseSearch, supportLimits, supportSearchTokens, validateMoveText, validateSupportInput,
  type PostedCard, type SupportAttachment, type SupportCategory, type SupportField, type SupportMove, type SupportRequest, type SupportRole, type SupportState, type TimelineEntry,
} from './supportRequest.js';

/** Who acts on a request: a member of staff with their access, or a client (a guest known as a contact). */
export type SupportActor = { kind: 'staff'; staff: StaffActor } | { kind: 'client'; actor: Actor; client: SupportClient };

/** What the requester's « tickets émis » tabs hold (seed 004): « action requise » covers questions and solutions to accept. */
export const requesterTabs = {
  actionRequired: ['actionRequired', 'resolved'],
  inProgress: ['inProgress'],
  closed: ['closed'],
  drafts: ['draft'],
} as const satisfies Record<string, readonly SupportState[]>;
export type RequesterTab = keyof typeof requesterTabs;

/** The support's queue, by state; drafts are their authors' alone. */
export const queueStates: readonly SupportState[] = ['inProgress', 'actionRequired', 'resolved', 'closed'];

/** « Assistance – modification »: the support's queue and moves. */
export const supportRequirement: Requirement = requirements.change('support');

export type SupportOutcome =
  | { status: 'done'; request: SupportRequest; repeated?: boolean }
  | { status: 'invalid'; errors: FieldErrors<SupportField | 'assignee'> }
  | { status: 'suggestions'; articles: ArticleSuggestion[] }
  /** The card or page acted on an older version: nothing done, the current request is shown. */
  | { status: 'stale'; request: SupportRequest }
  /** This move is not possible in the request's state, or not for this person. */
  | { status: 'notAllowed'; request: SupportRequest }
  | { status: 'refused'; missing: Requirement }
  | { status: 'notFound' }
  | { status: 'unavailable' };

export interface SupportListing {
  items: SupportRequest[];
  total: number;
  counts: Partial<Record<SupportState, number>>;
}

const auditActionOf: Record<SupportMove, AuditAction> = {
  saveDraft: 'support.draftSaved',
  send: 'support.sent',
  take: 'support.taken',
  answer: 'support.answered',
  askInformation: 'support.informationRequested',
  reply: 'support.requesterAnswered',
  proposeSolution: 'support.solutionProposed',
  accept: 'support.accepted',
  refuse: 'support.refused',
  reassign: 'support.reassigned',
  attach: 'support.filesAttached',
  autoClose: 'support.autoClosed',
};

/** Moves by the support that count as its first answer. */
const answeringMoves: readonly SupportMove[] = ['answer', 'askInformation', 'proposeSolution'];

export interface SupportRequestsDeps {
  store: SupportRequestStore;
  clientFiles: Pick<ClientFileStore, 'findByCode' | 'findById'>;
  directory: SupportDirectory;
  policy(firmId: string): Promise<SupportPolicy>;
  notifier: SupportNotifier;
  /** The knowledge base, when the firm's Passerelle has one: suggestions before sending, articles from solutions. */
  knowledgeBase?: KnowledgeBaseLink;
  now: () => Date;
  warn?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * The support requests' use cases: who may see a request, who may do what in which state (the table
 * in supportRequest.ts), every step stamped, recorded in the audit log and shown on the cards.
 */
export class SupportRequests {
  constructor(private readonly deps: SupportRequestsDeps) {}

  /** Whether a solved request can become an article (the firm's Passerelle has a knowledge base). */
  get canDraftArticles(): boolean {
    return Boolean(this.deps.knowledgeBase);
  }

  staff(staff: StaffActor): SupportActor {
    return { kind: 'staff', staff };
  }

  /** The client behind a guest account; null when the user is no contact of the firm. */
  async client(actor: Actor): Promise<SupportActor | null> {
    const client = await this.deps.directory.clientOf(actor.firmId, actor.userId);
    return client ? { kind: 'client', actor: { ...actor, displayName: actor.displayName || client.displayName }, client } : null;
  }

  isSupport(who: SupportActor): boolean {
    return who.kind === 'staff' && decide(who.staff.access, supportRequirement).allowed;
  }

  /** What this person is to the request: its requester, its support, both or nothing (then they do not see it). */
  rolesOn(who: SupportActor, request: SupportRequest): SupportRole[] {
    const roles: SupportRole[] = [];
    if (request.requester.userId === actorOf(who).userId && request.requester.kind === who.kind) roles.push('requester');
    if (who.kind === 'staff' && request.state !== 'draft' && this.isSupport(who) && canSeeService(visibleServiceIds(who.staff.access), request.serviceId)) roles.push('support');
    return roles;
  }

  movesOf(who: SupportActor, request: SupportRequest): SupportMove[] {
    return this.rolesOn(who, request).flatMap((role) => movesFor(request.state, role));
  }

  async get(who: SupportActor, id: string): Promise<{ status: 'done'; request: SupportRequest } | { status: 'notFound' }> {
    const request = await this.deps.store.findById(actorOf(who).firmId, id);
    // A request one may not see does not exist for them: its existence says something too.
    if (!request || this.rolesOn(who, request).length === 0) return { status: 'notFound' };
    return { status: 'done', request };
  }

  /** Who a request can be given to: the support's members who may see its file. */
  async assigneesFor(request: SupportRequest): Promise<{ userId: string; displayName: string }[]> {
    const staff = await this.deps.directory.supportStaff(request.firmId);
    return staff.filter((person) => canSeeService(person.services, request.serviceId)).map(({ userId, displayName }) => ({ userId, displayName }));
  }

  /** The card the requester acted on becomes theirs: it is updated in place when the request changes. */
  async keepRequesterCard(who: SupportActor, request: SupportRequest, card: PostedCard): Promise<void> {
    if (!this.rolesOn(who, request).includes('requester') || request.requesterCard) return;
    await this.deps.store.setCard(request.firmId, request.id, 'requesterCard', card);
  }

  /** Articles matching a subject, or none when the firm has no knowledge base. */
  async suggestions(who: SupportActor, language: ArticleLanguage, text: string): Promise<ArticleSuggestion[]> {
    if (!this.deps.knowledgeBase || !text.trim()) return [];
    try {
      return await this.deps.knowledgeBase.suggest(actorOf(who).firmId, who.kind === 'client' ? 'client' : 'staff', language, text, 3);
    } catch (error) {
      this.deps.warn?.('help suggestions unavailable', { error });
      return [];
    }
  }

  /**
   * Creates a request from the form: a draft, or sent to the support. Before sending, the matching
   * articles are shown unless the person already saw them (`confirmed`); nothing is written then.
   * The same submission (`creationRequestId`) twice creates one request.
   */
  async create(
    who: SupportActor,
    input: { creationRequestId: string; category?: string; subject?: string; description?: string; clientFile?: string; attachments?: SupportAttachment[]; send: boolean; confirmed?: boolean; language: ArticleLanguage },
  ): Promise<SupportOutcome> {
    const firmId = actorOf(who).firmId;
    const already = await this.deps.store.findByCreation(firmId, input.creationRequestId);
    if (already && this.rolesOn(who, already).includes('requester')) return { status: 'done', request: already, repeated: true };
    const checked = validateSupportInput(input, input.send ? 'send' : 'draft');
    if (!checked.ok) return { status: 'invalid', errors: checked.errors };
    const file = await this.fileOf(who, checked.value.clientFileCode);
    if (file === 'notFound') return { status: 'invalid', errors: { clientFile: { code: 'clientFile.notFound' } } };
    if (input.send && !input.confirmed) {
      const articles = await this.suggestions(who, input.language, checked.value.subject);
      if (articles.length > 0) return { status: 'suggestions', articles };
    }
    const now = this.deps.now();
    const stamp = stampOf(actorOf(who), now);
    const policy = input.send ? await this.deps.policy(firmId) : undefined;
    const number = await this.deps.store.nextNumber(firmId);
    const attachments = (input.attachments ?? []).slice(0, supportLimits.attachments);
    const request: Omit<SupportRequest, 'id'> = {
      firmId,
      number,
      creationRequestId: input.creationRequestId,
      category: checked.value.category,
      clientFileId: file?.id,
      serviceId: file?.serviceId,
      subject: checked.value.subject,
      description: checked.value.description,
      attachments,
      state: input.send ? 'inProgress' : 'draft',
      requester: requesterOf(who),
      timeline: [{ kind: input.send ? 'sent' : 'draftSaved', by: stamp, ...(attachments.length ? { attachments } : {}) }],
      version: 1,
      created: stamp,
      updatedAt: now,
      ...(policy ? { sentAt: now, firstAnswerDueAt: addWorkingDays(now, policy.firstAnswerWithinWorkingDays) } : {}),
      searchTokens: supportSearchTokens(checked.value.subject, checked.value.description),
    };
    const audit = () => this.auditOf(who, request as SupportRequest, input.send ? 'support.sent' : 'support.created', now);
    const stored = await this.deps.store.insertUnlessExists(request, audit);
    if (!stored.inserted) return { status: 'done', request: stored.request, repeated: true };
    if (input.send) await this.notify(stored.request);
    return { status: 'done', request: stored.request };
  }

  /** Changes a draft, and sends it if asked (its articles shown first, as for a new request). */
  async editDraft(
    who: SupportActor,
    id: string,
    expectedVersion: number,
    input: { category?: string; subject?: string; description?: string; clientFile?: string; send: boolean; confirmed?: boolean; language: ArticleLanguage },
  ): Promise<SupportOutcome> {
    const move: SupportMove = input.send ? 'send' : 'saveDraft';
    const found = await this.checkMove(who, id, expectedVersion, move);
    if (found.status !== 'ok') return found.outcome;
    const checked = validateSupportInput(input, input.send ? 'send' : 'draft');
    if (!checked.ok) return { status: 'invalid', errors: checked.errors };
    const file = await this.fileOf(who, checked.value.clientFileCode);
    if (file === 'notFound') return { status: 'invalid', errors: { clientFile: { code: 'clientFile.notFound' } } };
    if (input.send && !input.confirmed) {
      const articles = await this.suggestions(who, input.language, checked.value.subject);
      if (articles.length > 0) return { status: 'suggestions', articles };
    }
    const now = this.deps.now();
    const policy = input.send ? await this.deps.policy(found.request.firmId) : undefined;
    const changes: SupportChanges = {
      category: checked.value.category,
      subject: checked.value.subject,
      description: checked.value.description,
      clientFileId: file?.id,
      serviceId: file?.serviceId,
      searchTokens: supportSearchTokens(checked.value.subject, checked.value.description),
      ...(input.send ? { state: 'inProgress', sentAt: now, firstAnswerDueAt: addWorkingDays(now, policy!.firstAnswerWithinWorkingDays) } : {}),
    };
    return this.apply(who, found.request, move, changes, { kind: lifecycle[move].kind, by: stampOf(actorOf(who), now) }, now);
  }

  /** Any move of the lifecycle but creating and editing: take, answer, ask, reply, propose, accept, refuse, reassign. */
  async act(
    who: SupportActor,
    id: string,
    expectedVersion: number,
    move: Exclude<SupportMove, 'saveDraft' | 'send' | 'autoClose'>,
    input: { text?: string; assigneeUserId?: string; attachments?: SupportAttachment[] } = {},
  ): Promise<SupportOutcome> {
    const found = await this.checkMove(who, id, expectedVersion, move);
    if (found.status !== 'ok') return found.outcome;
    const text = validateMoveText(move, input.text);
    if (!text.ok) return { status: 'invalid', errors: text.errors };
    const request = found.request;
    const now = this.deps.now();
    const stamp = stampOf(actorOf(who), now);
    const changes: SupportChanges = {};
    let entryText = text.value;
    if (move === 'take') changes.assignee = { userId: stamp.userId, displayName: stamp.displayName };
    if (move === 'reassign') {
      const target = (await this.assigneesFor(request)).find((person) => person.userId === input.assigneeUserId);
      if (!target) return { status: 'invalid', errors: { assignee: { code: 'required' } } };
      changes.assignee = { userId: target.userId, displayName: target.displayName };
      entryText = target.displayName;
    }
    if (answeringMoves.includes(move) && !request.firstAnswerAt) changes.firstAnswerAt = now;
    if (move === 'proposeSolution') {
      const { autoCloseAfterDays } = await this.deps.policy(request.firmId);
      const autoCloseAt = new Date(now.getTime() + autoCloseAfterDays * dayMs);
      Object.assign(changes, { resolvedAt: now, autoCloseAt, closeWarningAt: new Date(Math.max(now.getTime(), autoCloseAt.getTime() - dayMs)), closeWarnedAt: undefined });
    }
    if (move === 'refuse') Object.assign(changes, { resolvedAt: undefined, autoCloseAt: undefined, closeWarningAt: undefined, closeWarnedAt: undefined });
    if (move === 'accept') changes.closedAt = now;
    if (lifecycle[move].to) changes.state = lifecycle[move].to;
    const attachments = (input.attachments ?? []).slice(0, supportLimits.attachments);
    if (attachments.length) changes.attachments = [...request.attachments, ...attachments].slice(-50);
    const entry: TimelineEntry = { kind: lifecycle[move].kind, by: stamp, ...(entryText ? { text: entryText } : {}), ...(attachments.length ? { attachments } : {}) };
    return this.apply(who, request, move, changes, entry, now);
  }

  /**
   * Files a requester sent in Teams (a message, not a card: no version in hand), joined to their request
   * by its number: the names and links are recorded, never the content.
   */
  async attachFiles(who: SupportActor, number: number, files: SupportAttachment[]): Promise<SupportOutcome> {
    const listing = await this.deps.store.list({ firmId: actorOf(who).firmId, requesterUserId: actorOf(who).userId, number }, { skip: 0, limit: 1 });
    const request = listing[0];
    if (!request || !this.rolesOn(who, request).includes('requester')) return { status: 'notFound' };
    const attachments = files.slice(0, supportLimits.attachments);
    if (attachments.length === 0) return { status: 'invalid', errors: { text: { code: 'required' } } };
    if (!allows('attach', request.state, 'requester')) return { status: 'notAllowed', request };
    const now = this.deps.now();
    const changes: SupportChanges = { attachments: [...request.attachments, ...attachments].slice(-50) };
    return this.apply(who, request, 'attach', changes, { kind: 'filesAttached', by: stampOf(actorOf(who), now), attachments }, now);
  }

  /** One's own requests (scope `mine`) or the support's queue, with the counts of each state. */
  async list(
    who: SupportActor,
    options: { scope: 'mine' | 'queue'; states?: readonly SupportState[]; category?: SupportCategory; clientFileId?: string; search?: string; page?: number; pageSize?: number },
  ): Promise<SupportListing | { status: 'refused'; missing: Requirement }> {
    const firmId = actorOf(who).firmId;
    if (options.scope === 'queue' && !this.isSupport(who)) return { status: 'refused', missing: supportRequirement };
    const base: SupportRequestQuery =
      options.scope === 'mine' ? { firmId, requesterUserId: actorOf(who).userId } : { firmId, services: visibleServiceIds((who as { staff: StaffActor }).staff.access) };
    const search = parseSearch(options.search);
    const filtered: SupportRequestQuery = {
      ...base,
      ...(options.category ? { category: options.category } : {}),
      ...(options.clientFileId ? { clientFileId: options.clientFileId } : {}),
      ...(search.number !== undefined ? { number: search.number } : {}),
      ...(search.words.length ? { words: search.words } : {}),
    };
    const query: SupportRequestQuery = { ...filtered, ...(options.states?.length ? { states: options.states } : {}) };
    const pageSize = Math.min(Math.max(options.pageSize ?? 10, 1), 100);
    const page = Math.max(options.page ?? 1, 1);
    const [items, total, counts] = await Promise.all([
      this.deps.store.list(query, { skip: (page - 1) * pageSize, limit: pageSize }),
      this.deps.store.count(query),
      this.deps.store.countByState(filtered),
    ]);
    return { items, total, counts };
  }

  /** Turns a solved request into a draft article of the knowledge base, in one step. */
  async draftArticle(who: SupportActor, id: string, language: ArticleLanguage): Promise<SupportOutcome> {
    const found = await this.get(who, id);
    if (found.status !== 'done') return found;
    const request = found.request;
    if (who.kind !== 'staff' || !this.rolesOn(who, request).includes('support')) return { status: 'refused', missing: supportRequirement };
    if (request.state !== 'resolved' && request.state !== 'closed') return { status: 'notAllowed', request };
    if (request.articleId) return { status: 'done', request, repeated: true };
    if (!this.deps.knowledgeBase) return { status: 'unavailable' };
    const solution = [...request.timeline].reverse().find((entry) => entry.kind === 'solutionProposed')?.text ?? '';
    let article: { id: string };
    try {
      article = await this.deps.knowledgeBase.draftFromSolution(who.staff, {
        title: request.subject,
        body: `${request.description}\n\n${solution}`.trim(),
        language,
        product: articleProductOf[request.category],
        keywords: request.searchTokens.slice(0, 10),
        fromRequestId: request.id,
      });
    } catch (error) {
      // Writing articles is the knowledge base's own profile: without it, the person is told which.
      if (error instanceof KnowledgeBaseRefusedError && error.refusal === 'notPermitted') return { status: 'refused', missing: editArticles };
      throw error;
    }
    const now = this.deps.now();
    const updated = await this.deps.store.update(request.firmId, request.id, request.version, { articleId: article.id, updatedAt: now }, { kind: 'articleDrafted', by: stampOf(who.staff, now), text: article.id }, this.auditOf(who, request, 'support.articleDrafted', now));
    if (!updated) return { status: 'stale', request: (await this.deps.store.findById(request.firmId, request.id)) ?? request };
    return { status: 'done', request: updated };
  }

  /**
   * One pass of the durable timers, safe with several instances: each step is a conditional update
   * (a warning or reminder not yet sent, a request still resolved at its version), and only the
   * instance whose update won sends the message.
   */
  async sweep(limit = 100): Promise<{ warned: number; closed: number; reminded: number }> {
    const now = this.deps.now();
    const tally = { warned: 0, closed: 0, reminded: 0 };
    const system = { userId: 'passerelle', displayName: 'Passerelle', at: now };
    for (const request of await this.deps.store.dueForCloseWarning(now, limit)) {
      const warned = await this.deps.store.updateOnce(request.firmId, request.id, 'closeWarnedAt', { closeWarnedAt: now }, { kind: 'closeWarned', by: system }, this.systemAudit(request, 'support.closeWarned', now));
      if (!warned) continue;
      tally.warned += 1;
      await this.safely(() => this.deps.notifier.closeWarning(warned), warned);
    }
    for (const request of await this.deps.store.dueForAutoClose(now, limit)) {
      if (!allows('autoClose', request.state, 'system')) continue;
      const closed = await this.deps.store.update(request.firmId, request.id, request.version, { state: 'closed', closedAt: now, updatedAt: now }, { kind: 'autoClosed', by: system }, this.systemAudit(request, 'support.autoClosed', now));
      if (!closed) continue;
      tally.closed += 1;
      await this.notify(closed);
    }
    for (const request of await this.deps.store.dueForReminder(now, limit)) {
      const reminded = await this.deps.store.updateOnce(request.firmId, request.id, 'reminderSentAt', { reminderSentAt: now }, { kind: 'reminded', by: system }, this.systemAudit(request, 'support.reminded', now));
      if (!reminded) continue;
      tally.reminded += 1;
      await this.safely(() => this.deps.notifier.firstAnswerReminder(reminded), reminded);
    }
    return tally;
  }

  /** Finds the request and checks the person may make this move on it, at this version. */
  private async checkMove(who: SupportActor, id: string, expectedVersion: number, move: SupportMove): Promise<{ status: 'ok'; request: SupportRequest } | { status: 'no'; outcome: SupportOutcome }> {
    const found = await this.get(who, id);
    if (found.status !== 'done') return { status: 'no', outcome: found };
    const request = found.request;
    const role = lifecycle[move].by;
    const roles = this.rolesOn(who, request);
    if (!roles.includes(role)) {
      // Someone who sees the request but lacks the support's profile is told which profile it takes.
      return { status: 'no', outcome: role === 'support' ? { status: 'refused', missing: supportRequirement } : { status: 'notAllowed', request } };
    }
    if (request.version !== expectedVersion) return { status: 'no', outcome: { status: 'stale', request } };
    if (!allows(move, request.state, role)) return { status: 'no', outcome: { status: 'notAllowed', request } };
    return { status: 'ok', request };
  }

  private async apply(who: SupportActor, request: SupportRequest, move: SupportMove, changes: SupportChanges, entry: TimelineEntry, now: Date): Promise<SupportOutcome> {
    const updated = await this.deps.store.update(request.firmId, request.id, request.version, { ...changes, updatedAt: now }, entry, this.auditOf(who, request, auditActionOf[move], now));
    if (!updated) return { status: 'stale', request: (await this.deps.store.findById(request.firmId, request.id)) ?? request };
    await this.notify(updated);
    return { status: 'done', request: updated };
  }

  private async fileOf(who: SupportActor, code: string | undefined): Promise<{ id: string; serviceId?: string } | undefined | 'notFound'> {
    if (who.kind === 'client') {
      // A client asks about their own company: the file they are linked to (the first, when several).
      const id = who.client.clientFileIds[0];
      const file = id ? await this.deps.clientFiles.findById(who.actor.firmId, id) : null;
      return file ? { id: file.id, serviceId: file.serviceId } : undefined;
    }
    if (!code) return undefined;
    const file = await this.deps.clientFiles.findByCode(who.staff.firmId, code);
    if (!file) return 'notFound';
    assertSeesFile(who.staff, file);
    return { id: file.id, serviceId: file.serviceId };
  }

  private async notify(request: SupportRequest): Promise<void> {
    await this.safely(async () => this.deps.notifier.changed(request, { assignees: await this.assigneesFor(request), canDraftArticle: this.canDraftArticles }), request);
  }

  private async safely(send: () => Promise<void>, request: SupportRequest): Promise<void> {
    try {
      await send();
    } catch (error) {
      this.deps.warn?.('support card not updated', { number: request.number, error });
    }
  }

  private auditOf(who: SupportActor, request: SupportRequest, action: AuditAction, at: Date): AuditEntry {
    return newAuditEntry({
      firmId: request.firmId,
      actor: stampOf(actorOf(who), at),
      action,
      clientFileId: request.clientFileId,
      contactId: request.requester.contactId,
      details: { number: request.number },
    });
  }

  private systemAudit(request: SupportRequest, action: AuditAction, at: Date): AuditEntry {
    const actor: ActorStamp = { userId: 'passerelle', displayName: 'Passerelle', at };
    return newAuditEntry({ firmId: request.firmId, actor, action, clientFileId: request.clientFileId, contactId: request.requester.contactId, details: { number: request.number } });
  }
}

export function actorOf(who: SupportActor): Actor {
  return who.kind === 'staff' ? who.staff : who.actor;
}

function requesterOf(who: SupportActor): SupportRequest['requester'] {
  return who.kind === 'staff'
    ? { kind: 'staff', userId: who.staff.userId, displayName: who.staff.displayName }
    : { kind: 'client', userId: who.actor.userId, displayName: who.actor.displayName, contactId: who.client.contactId };
}

/** The knowledge base's product an article drafted from a request of each category is filed under. */
const articleProductOf: Record<SupportCategory, string> = {
  signIn: 'microsoft365',
  invitation: 'microsoft365',
  offer: 'passerelle',
  flow: 'flow',
  shine: 'shine',
  other: 'passerelle',
};
