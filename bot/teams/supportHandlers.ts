import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AdaptiveCard } from '../cards/render.js';
import { supportFormCard, supportListCard, textInputOf } from '../cards/supportViews.js';
import type { Actor } from '../domain/actor.js';
import { parseSearch, supportStates, type SupportAttachment, type SupportMove, type SupportRequest, type SupportState } from '../domain/support/supportRequest.js';
import { requesterTabs, supportRequirement, type SupportActor, type SupportOutcome, type SupportRequests } from '../domain/support/supportRequests.js';
import { fieldErrorMessage, format, messagesFor, type Language } from '../i18n/index.js';
import { parseCardData } from './actions/cardData.js';
import type { ClientCardAction } from './actions/clientActions.js';
import { keywordMatcher, type BotCommand, type CardActionHandler, type CardActionResult, type ClientCommand } from './handlers.js';
import { replyWithCard, replyWithText } from './reply.js';
import type { ClientTurn, SessionResolver, TurnSession } from './session.js';
import { staffActorOf } from './staffActor.js';
import type { SupportTeamsCards } from './supportCards.js';

export interface SupportTeamsServices {
  support: SupportRequests;
  cards: SupportTeamsCards;
  sessions: SessionResolver;
}

interface Speaker {
  who: SupportActor;
  language: Language;
}

/** Who acts on a support card: a client known as a contact, else a member of staff with their session; null for anyone else. */
async function speakerOf(services: SupportTeamsServices, context: TurnContext, who: Actor): Promise<Speaker | null> {
  const client = await services.support.client(who);
  if (client) return { who: client, language: await services.cards.languageOf(who.firmId, who.userId) };
  const session = await services.sessions.resolve(context).catch(() => null);
  return session ? speakerOfSession(services, session) : null;
}

function speakerOfSession(services: SupportTeamsServices, session: TurnSession): Speaker {
  return { who: services.support.staff(staffActorOf(session)), language: session.language };
}

const objectId = z.string().regex(/^[0-9a-f]{24}$/i);
const text = z.string().max(6_000).optional();
const version = z.coerce.number().int().min(0);
const requestRef = z.object({ requestId: objectId });
const moveData = z.object({ requestId: objectId, version }).passthrough();
const submitData = z.object({
  mode: z.enum(['send', 'draft', 'quit']),
  confirmed: z.enum(['true', 'false']).optional(),
  creationRequestId: z.string().uuid().optional(),
  requestId: z.union([objectId, z.literal('')]).optional(),
  version: version.optional(),
  category: text,
  clientFile: text,
  subject: text,
  description: text,
});
const tabData = z.object({ tab: z.string().max(40) });

/** The card a move answers with: the request as the person now sees it, with a banner saying what happened. */
async function afterMove(services: SupportTeamsServices, speaker: Speaker, outcome: SupportOutcome): Promise<CardActionResult> {
  const t = messagesFor(speaker.language).support;
  const view = (request: SupportRequest, banner: { text: string; good: boolean }) => services.cards.viewFor(services.support, speaker.who, speaker.language, request, banner).then((card) => ({ card }));
  switch (outcome.status) {
    case 'done':
      return view(outcome.request, { text: outcome.repeated ? format(t.done.repeated, { number: outcome.request.number }) : t.done.moved, good: true });
    case 'stale':
      return view(outcome.request, { text: t.stale, good: false });
    case 'notAllowed':
      return view(outcome.request, { text: t.notAllowed, good: false });
    case 'invalid': {
      const [field, error] = Object.entries(outcome.errors)[0] ?? [];
      return { message: field === 'assignee' ? t.assigneeRequired : error ? fieldErrorMessage(speaker.language, error) : t.formErrors };
    }
    case 'refused': {
      const access = messagesFor(speaker.language).access;
      return { message: format(access.refusedMissingProfile, { application: access.applications[outcome.missing.application], level: access.levels[outcome.missing.level] }) };
    }
    case 'unavailable':
      return { message: t.articleUnavailable };
    default:
      return { message: t.notFound };
  }
}

/** A move by the support on the channel's card (or the tab's): « Assistance – modification », checked again by the use case. */
export class SupportMoveAction implements CardActionHandler {
  readonly requires = supportRequirement;
  constructor(readonly verb: string, private readonly move: 'take' | 'answer' | 'askInformation' | 'proposeSolution' | 'reassign', private readonly services: SupportTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const parsed = parseCardData(this.verb, moveData, data);
    const speaker = speakerOfSession(this.services, session);
    const outcome = await this.services.support.act(speaker.who, parsed.requestId, parsed.version, this.move, {
      text: typeof parsed[textInputOf(this.move)] === 'string' ? (parsed[textInputOf(this.move)] as string) : undefined,
      assigneeUserId: typeof parsed.assigneeUserId === 'string' ? parsed.assigneeUserId : undefined,
    });
    return afterMove(this.services, speaker, outcome);
  }
}

export class DraftArticleAction implements CardActionHandler {
  readonly verb = 'support.draftArticle';
  readonly requires = supportRequirement;
  constructor(private readonly services: SupportTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { requestId } = parseCardData(this.verb, requestRef, data);
    const speaker = speakerOfSession(this.services, session);
    const outcome = await this.services.support.draftArticle(speaker.who, requestId, session.language);
    if (outcome.status === 'done') return { card: await this.services.cards.viewFor(this.services.support, speaker.who, session.language, outcome.request, { text: session.t.support.articleDrafted, good: true }) };
    return afterMove(this.services, speaker, outcome);
  }
}

/** The support's queue by state (from the list card's buttons). */
export class SupportQueueAction implements CardActionHandler {
  readonly verb = 'support.queue';
  readonly requires = supportRequirement;
  constructor(private readonly services: SupportTeamsServices) {}

  async handle(_context: TurnContext, session: TurnSession, data: Record<string, unknown>): Promise<CardActionResult> {
    const { tab } = parseCardData(this.verb, tabData, data);
    const speaker = speakerOfSession(this.services, session);
    const state = (supportStates as readonly string[]).includes(tab) && tab !== 'draft' ? (tab as SupportState) : 'inProgress';
    return { card: await listCard(this.services, speaker, 'queue', [state]) };
  }
}

async function listCard(services: SupportTeamsServices, speaker: Speaker, scope: 'mine' | 'queue', states?: readonly SupportState[], search?: string): Promise<AdaptiveCard> {
  const listing = await services.support.list(speaker.who, { scope, states, search, pageSize: 10 });
  if ('status' in listing) return supportListCard(speaker.language, { scope: 'mine', items: [], counts: {}, isSupport: false, banner: messagesFor(speaker.language).support.notFound });
  return supportListCard(speaker.language, { scope, items: listing.items, counts: listing.counts, search, isSupport: services.support.isSupport(speaker.who) });
}

/**
 * Files a Teams message carries (a file shared in the chat): their name and link, never their content.
 * Teams sends a stable link (contentUrl) and a short-lived download link; the stable one is kept.
 */
export function teamsFilesOf(context: TurnContext): SupportAttachment[] {
  return (context.activity.attachments ?? []).flatMap((attachment) => {
    const content = attachment.content as { downloadUrl?: unknown } | undefined;
    const isFile = attachment.contentType === 'application/vnd.microsoft.teams.file.download.info' || (Boolean(attachment.contentUrl) && !/card|html/i.test(attachment.contentType));
    const url = attachment.contentUrl ?? (typeof content?.downloadUrl === 'string' ? content.downloadUrl : undefined);
    if (!isFile || !url || !/^https:\/\//.test(url)) return [];
    return [{ name: (attachment.name ?? url.split('/').pop() ?? 'fichier').slice(0, 200), url: url.slice(0, 2_000) }];
  });
}

/**
 * « assistance [mot ou n°] »: one's requests by state with counts; a keyword or a number searches (the
 * support searches its queue). Files sent with « assistance <n°> » join that request of one's own.
 */
async function showRequests(services: SupportTeamsServices, context: TurnContext, speaker: Speaker, args: string): Promise<void> {
  const files = teamsFilesOf(context);
  const number = parseSearch(args).number;
  if (files.length > 0 && number !== undefined) {
    const outcome = await services.support.attachFiles(speaker.who, number, files);
    const t = messagesFor(speaker.language).support;
    if (outcome.status === 'done') return replyWithText(context, format(t.done.attached, { count: files.length, number }));
    return replyWithText(context, outcome.status === 'notAllowed' ? t.notAllowed : t.notFound);
  }
  const scope = args && services.support.isSupport(speaker.who) ? 'queue' : 'mine';
  const card = await listCard(services, speaker, scope, undefined, args || undefined);
  await replyWithCard(context, card);
}

function newForm(speaker: Speaker): AdaptiveCard {
  return supportFormCard(speaker.language, { creationRequestId: randomUUID(), showClientFile: speaker.who.kind === 'staff' });
}

const listKeywords = [/assistance/, /support/];
const newKeywords = [/nouvelle\s+demande/, /new\s+request/];

export class SupportCommand implements BotCommand {
  readonly name = 'support';
  readonly requires = 'attached' as const;
  readonly match = keywordMatcher(listKeywords, { takesArguments: true });
  constructor(private readonly services: SupportTeamsServices) {}

  handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    return showRequests(this.services, context, speakerOfSession(this.services, session), args);
  }
}

export class NewSupportRequestCommand implements BotCommand {
  readonly name = 'newSupportRequest';
  readonly requires = 'attached' as const;
  readonly match = keywordMatcher(newKeywords, { takesArguments: false });
  constructor(private readonly services: SupportTeamsServices) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    await replyWithCard(context, newForm(speakerOfSession(this.services, session)));
  }
}

/** The same two commands for clients, from their team or their personal chat. */
export class ClientSupportCommand implements ClientCommand {
  constructor(readonly name: 'support' | 'newSupportRequest', private readonly services: SupportTeamsServices) {}

  match(text: string): string | undefined {
    return this.name === 'support' ? keywordMatcher(listKeywords, { takesArguments: true })(text) : keywordMatcher(newKeywords, { takesArguments: false })(text);
  }

  async handle(context: TurnContext, turn: ClientTurn, args: string): Promise<void> {
    const client = await this.services.support.client(turn.actor);
    const language = turn.language;
    if (!client) return replyWithText(context, messagesFor(language).support.notClient);
    const speaker = { who: client, language };
    if (this.name === 'newSupportRequest') return replyWithCard(context, newForm(speaker));
    return showRequests(this.services, context, speaker, args);
  }
}

/** Verbs of the requester's side, for clients and staff alike: the use case decides from who acts. */
abstract class RequesterAction implements ClientCardAction {
  abstract readonly verb: string;
  constructor(protected readonly services: SupportTeamsServices) {}

  async handle(context: TurnContext, who: Actor, data: Record<string, unknown>): Promise<CardActionResult> {
    const speaker = await speakerOf(this.services, context, who);
    if (!speaker) return { message: messagesFor('fr').support.notClient };
    return this.run(context, speaker, data);
  }

  protected abstract run(context: TurnContext, speaker: Speaker, data: Record<string, unknown>): Promise<CardActionResult>;
}

/** The form's buttons: save as draft, send (after the matching articles), or quit. */
export class SubmitSupportRequestAction extends RequesterAction {
  readonly verb = 'client.supportSubmit';

  protected async run(context: TurnContext, speaker: Speaker, data: Record<string, unknown>): Promise<CardActionResult> {
    const input = parseCardData(this.verb, submitData, data);
    const t = messagesFor(speaker.language).support;
    if (input.mode === 'quit') return { message: t.quitDone };
    const fields = { category: input.category, clientFile: input.clientFile, subject: input.subject, description: input.description };
    const common = { ...fields, send: input.mode === 'send', confirmed: input.confirmed === 'true', language: speaker.language };
    const creationRequestId = input.creationRequestId ?? randomUUID();
    const outcome = input.requestId
      ? await this.services.support.editDraft(speaker.who, input.requestId, input.version ?? 0, common)
      : await this.services.support.create(speaker.who, { ...common, creationRequestId });
    const draft = input.requestId ? (await this.services.support.get(speaker.who, input.requestId)) : undefined;
    const form = (extra: { errors?: SupportOutcome & { status: 'invalid' }; suggestions?: SupportOutcome & { status: 'suggestions' } }) =>
      supportFormCard(speaker.language, {
        creationRequestId,
        draft: draft?.status === 'done' ? draft.request : undefined,
        values: fields,
        errors: extra.errors?.errors,
        suggestions: extra.suggestions?.articles,
        showClientFile: speaker.who.kind === 'staff',
      });
    if (outcome.status === 'invalid') return { card: form({ errors: outcome }) };
    if (outcome.status === 'suggestions') return { card: form({ suggestions: outcome }) };
    if (outcome.status !== 'done') return afterMove(this.services, speaker, outcome);
    const request = outcome.request;
    if (request.state === 'draft') {
      return { card: supportFormCard(speaker.language, { creationRequestId, draft: request, showClientFile: speaker.who.kind === 'staff', banner: format(outcome.repeated ? t.done.repeated : t.done.draft, { number: request.number }) }) };
    }
    // The card the person acted on becomes their view of the request, updated in place from now on.
    if (context.activity.replyToId && context.activity.conversation?.id) {
      await this.services.support.keepRequesterCard(speaker.who, request, { conversationId: context.activity.conversation.id, activityId: context.activity.replyToId });
    }
    const banner = format(outcome.repeated ? t.done.repeated : t.done.created, { number: request.number });
    return { card: await this.services.cards.viewFor(this.services.support, speaker.who, speaker.language, request, { text: banner, good: true }) };
  }
}

/** Opens a request (from a list) or refreshes its card for the person looking (Universal Actions). */
export class RefreshSupportRequestAction extends RequesterAction {
  readonly verb = 'client.supportRefresh';

  protected async run(_context: TurnContext, speaker: Speaker, data: Record<string, unknown>): Promise<CardActionResult> {
    const { requestId } = parseCardData(this.verb, requestRef, data);
    const found = await this.services.support.get(speaker.who, requestId);
    if (found.status !== 'done') return { message: messagesFor(speaker.language).support.notFound };
    if (found.request.state === 'draft') return { card: supportFormCard(speaker.language, { creationRequestId: randomUUID(), draft: found.request, showClientFile: speaker.who.kind === 'staff' }) };
    return { card: await this.services.cards.viewFor(this.services.support, speaker.who, speaker.language, found.request) };
  }
}

/** The requester's moves: answer the support, accept the solution, refuse it with a reason. */
export class RequesterMoveAction extends RequesterAction {
  constructor(readonly verb: string, private readonly move: Extract<SupportMove, 'reply' | 'accept' | 'refuse'>, services: SupportTeamsServices) {
    super(services);
  }

  protected async run(_context: TurnContext, speaker: Speaker, data: Record<string, unknown>): Promise<CardActionResult> {
    const parsed = parseCardData(this.verb, moveData, data);
    const input = parsed[textInputOf(this.move)];
    const outcome = await this.services.support.act(speaker.who, parsed.requestId, parsed.version, this.move, { text: typeof input === 'string' ? input : undefined });
    return afterMove(this.services, speaker, outcome);
  }
}

export class SupportListAction extends RequesterAction {
  readonly verb = 'client.supportList';

  protected async run(_context: TurnContext, speaker: Speaker, data: Record<string, unknown>): Promise<CardActionResult> {
    const { tab } = parseCardData(this.verb, tabData, data);
    const states = tab in requesterTabs ? requesterTabs[tab as keyof typeof requesterTabs] : undefined;
    return { card: await listCard(this.services, speaker, 'mine', states) };
  }
}

export class NewSupportRequestAction extends RequesterAction {
  readonly verb = 'client.supportNew';

  protected async run(_context: TurnContext, speaker: Speaker): Promise<CardActionResult> {
    return { card: newForm(speaker) };
  }
}

/** Every support verb and command, as the bot registers them. */
export function supportHandlers(services: SupportTeamsServices): { commands: BotCommand[]; actions: CardActionHandler[]; clientActions: ClientCardAction[]; clientCommands: ClientCommand[] } {
  return {
    commands: [new SupportCommand(services), new NewSupportRequestCommand(services)],
    actions: [
      new SupportMoveAction('support.take', 'take', services),
      new SupportMoveAction('support.answer', 'answer', services),
      new SupportMoveAction('support.askInformation', 'askInformation', services),
      new SupportMoveAction('support.proposeSolution', 'proposeSolution', services),
      new SupportMoveAction('support.reassign', 'reassign', services),
      new SupportQueueAction(services),
      new DraftArticleAction(services),
    ],
    clientActions: [
      new SubmitSupportRequestAction(services),
      new RefreshSupportRequestAction(services),
      new RequesterMoveAction('client.supportReply', 'reply', services),
      new RequesterMoveAction('client.supportAccept', 'accept', services),
      new RequesterMoveAction('client.supportRefuse', 'refuse', services),
      new SupportListAction(services),
      new NewSupportRequestAction(services),
    ],
    clientCommands: [new ClientSupportCommand('support', services), new ClientSupportCommand('newSupportRequest', services)],
  };
}
