import { randomBytes } from 'node:crypto';
import {
  ActivityTypes,
  CardFactory,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type ChannelAccount,
} from 'botbuilder';
import { commandsCard } from '../cards/views.js';
import { StorageUnavailableError } from '../domain/errors.js';
import { format, messagesFor, type Language } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { MongoConversationReferenceStore } from '../store/conversationReferenceRepository.js';
import type { TeamStore } from '../domain/ports.js';
import { InvalidCardDataError } from './actions/cardData.js';
import type { Access, BotCommand, CardActionHandler, CardActionResult } from './handlers.js';
import { decide, OtherServiceError } from '../domain/access/policy.js';
import { accessRefusedCard } from '../cards/accessViews.js';
import { replyWithCard, replyWithText } from './reply.js';
import { AccessCheckError, actorOf, MissingTenantError, NotStaffError, type SessionResolver, type TurnSession } from './session.js';
import type { ClientCardAction } from './actions/clientActions.js';
import type { ClientCommand } from './clientCommands.js';

const maxMessageLength = 2_000;

/** Asks the policy; a refusal comes as a card saying what is missing, with the button to request it. */
function refusalFor(session: TurnSession, requires: Access) {
  // A requirement in the structure the verb names is the use case's to decide, in that structure.
  if (requires === 'anyone' || (typeof requires === 'object' && 'inStructure' in requires)) return undefined;
  const decision = decide(session.access, requires === 'attached' ? null : requires);
  return decision.allowed ? undefined : accessRefusedCard(session.language, decision.reason, decision.missing);
}

/**
 * The Teams face of Passerelle: routes typed commands and card actions to their handlers,
 * welcomes new installations once, and turns failures into a sentence the user can act on.
 */
export class PasserelleBot extends TeamsActivityHandler {
  private readonly actionsByVerb: Map<string, CardActionHandler>;
  /** Teams already recorded by this instance: the registry is refreshed once per team and process. */
  private readonly knownTeams = new Set<string>();
  /** Conversations whose reference this instance already saved: no write on every message. */
  private readonly savedConversations = new Set<string>();

  constructor(
    private readonly deps: {
      commands: BotCommand[];
      actions: CardActionHandler[];
      /** Verbs of cards addressed to clients (guests): no staff session, the handler checks who acts. */
      clientActions: ClientCardAction[];
      /** What a client (guest) may ask in words: checked before the staff session, which refuses guests. */
      clientCommands?: ClientCommand[];
      sessions: SessionResolver;
      conversations: MongoConversationReferenceStore;
      teams: TeamStore;
      defaultLanguage: Language;
      logger: Logger;
    },
  ) {
    super();
    this.actionsByVerb = new Map(deps.actions.map((action) => [action.verb, action]));

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.welcome(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      if (context.activity.membersAdded?.some((member: ChannelAccount) => member.id === botId)) await this.welcome(context);
      await next();
    });
  }

  /** Every command and card verb this bot answers, as registered. */
  registered(): { commands: readonly BotCommand[]; actions: readonly CardActionHandler[] } {
    return { commands: this.deps.commands, actions: this.deps.actions };
  }

  protected override async onTurnActivity(context: TurnContext): Promise<void> {
    await this.rememberConversation(context);
    await super.onTurnActivity(context);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const value = context.activity.value as Record<string, unknown> | undefined;
    // Action.Submit (clients that do not support Action.Execute) arrives as a message carrying the data.
    if (value && typeof value === 'object' && !context.activity.text) {
      const verb = typeof value.verb === 'string' ? value.verb : '';
      const result = await this.runAction(context, verb, value);
      if ('card' in result) await replyWithCard(context, result.card);
      else await replyWithText(context, result.message);
      return;
    }
    const text = (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '').trim();
    if (await this.answerClient(context, text)) return;
    const session = await this.sessionOrReply(context);
    if (!session) return;
    if (text.length > maxMessageLength) return replyWithText(context, format(session.t.errors.tooLongMessage, { max: maxMessageLength }));
    if (!text) return replyWithCard(context, commandsCard(session.language, 'help'));
    for (const command of this.deps.commands) {
      const args = command.match(text);
      if (args === undefined) continue;
      const refusal = refusalFor(session, command.requires);
      if (refusal) return replyWithCard(context, refusal);
      try {
        await command.handle(context, session, args);
      } catch (error) {
        await replyWithText(context, this.explainFailure(error, session.language, { command: command.name }));
      }
      return;
    }
    await replyWithText(context, `${format(session.t.errors.unknownCommand, { text: text.slice(0, 60) })} ${session.t.errors.unknownCommandHint}`);
  }

  /** A client's question, answered whoever asks (the use case refuses strangers); false when the text is not one. */
  private async answerClient(context: TurnContext, text: string): Promise<boolean> {
    for (const command of this.deps.clientCommands ?? []) {
      const language = command.match(text);
      if (!language) continue;
      try {
        await command.handle(context, actorOf(context), language);
      } catch (error) {
        await replyWithText(context, this.explainFailure(error, language, { command: command.name }));
      }
      return true;
    }
    return false;
  }

  protected override async onAdaptiveCardInvoke(context: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const action = invokeValue?.action;
    const verb = typeof action?.verb === 'string' ? action.verb : '';
    const data = action?.data && typeof action.data === 'object' ? (action.data as Record<string, unknown>) : {};
    const result = await this.runAction(context, verb, data);
    if ('card' in result) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result.card };
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result.message as never };
  }

  /** Never throws: a card action always gets an answer the user can read. */
  private async runAction(context: TurnContext, verb: string, data: Record<string, unknown>): Promise<CardActionResult> {
    const clientAction = this.deps.clientActions.find((action) => action.verb === verb);
    if (clientAction) {
      try {
        return await clientAction.handle(context, actorOf(context), data);
      } catch (error) {
        return { message: this.explainFailure(error, this.deps.defaultLanguage, { verb }) };
      }
    }
    let session: TurnSession;
    try {
      session = await this.deps.sessions.resolve(context);
    } catch (error) {
      return { message: this.explainFailure(error, this.deps.defaultLanguage, { verb }) };
    }
    const handler = this.actionsByVerb.get(verb);
    if (!handler) return { message: session.t.errors.unknownAction };
    const refusal = refusalFor(session, handler.requires);
    if (refusal) return { card: refusal };
    try {
      return await handler.handle(context, session, data);
    } catch (error) {
      return { message: this.explainFailure(error, session.language, { verb }) };
    }
  }

  private async sessionOrReply(context: TurnContext): Promise<TurnSession | undefined> {
    try {
      return await this.deps.sessions.resolve(context);
    } catch (error) {
      await replyWithText(context, this.explainFailure(error, this.deps.defaultLanguage, {}));
      return undefined;
    }
  }

  /** The one place failures become words: known causes get their sentence, the rest a reference to quote. */
  explainFailure(error: unknown, language: Language, where: Record<string, string>): string {
    const t = messagesFor(language);
    if (error instanceof StorageUnavailableError) {
      this.deps.logger.warn('database unavailable during a turn', where);
      return t.errors.serviceUnavailable;
    }
    if (error instanceof OtherServiceError) {
      this.deps.logger.info(`${error.about === 'contact' ? 'contact' : 'client file'} of another service refused`, where);
      return error.about === 'contact' ? t.access.otherServiceContact : t.access.otherService;
    }
    if (error instanceof InvalidCardDataError) {
      this.deps.logger.warn('card data refused', where);
      return t.errors.staleCard;
    }
    if (error instanceof NotStaffError) {
      this.deps.logger.info('guest refused', where);
      return messagesFor(error.language).errors.notStaff;
    }
    if (error instanceof AccessCheckError) {
      this.deps.logger.warn('member lookup failed', { ...where, error: error.cause });
      return t.errors.accessCheckFailed;
    }
    if (error instanceof MissingTenantError) {
      this.deps.logger.warn('activity without tenant refused', where);
      return t.errors.noTenant;
    }
    const reference = randomBytes(4).toString('hex');
    this.deps.logger.error('turn failed', { ...where, reference, error });
    return format(t.errors.unexpected, { reference });
  }

  /** Sends the welcome card once per conversation, however many install events Teams sends. */
  private async welcome(context: TurnContext): Promise<void> {
    try {
      const session = await this.deps.sessions.resolve(context);
      const first = await this.deps.conversations.markWelcomed(session.actor.firmId, context.activity.conversation.id);
      if (!first) return;
      await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(commandsCard(session.language, 'welcome'))));
    } catch (error) {
      this.deps.logger.warn('welcome not sent', { error });
    }
  }

  private async rememberConversation(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.type === ActivityTypes.Invoke || !activity.conversation?.id) return;
    const firmId = activity.conversation.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    if (!firmId) return;
    const savedKey = `${firmId}|${activity.conversation.id}|${activity.serviceUrl}|${activity.from?.aadObjectId ?? ''}`;
    if (this.savedConversations.has(savedKey)) return;
    try {
      await this.deps.conversations.save({
        firmId,
        conversationId: activity.conversation.id,
        conversationType: activity.conversation.conversationType ?? 'personal',
        // Personal chats are where a user is told of decisions about them.
        userId: (activity.conversation.conversationType ?? 'personal') === 'personal' ? activity.from?.aadObjectId : undefined,
        teamId: (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id,
        reference: TurnContext.getConversationReference(activity) as Record<string, unknown>,
        updatedAt: new Date(),
      });
      if (this.savedConversations.size > 10_000) this.savedConversations.clear();
      this.savedConversations.add(savedKey);
      await this.rememberTeam(context, firmId);
    } catch (error) {
      // Not worth failing the user's request: the reference is saved again on the next message.
      this.deps.logger.warn('conversation reference not saved', { error });
    }
  }

  /** The teams where the app is installed are the ones a client file's guests can join. */
  private async rememberTeam(context: TurnContext, firmId: string): Promise<void> {
    const channelTeam = (context.activity.channelData as { team?: { id?: string; name?: string; aadGroupId?: string } } | undefined)?.team;
    if (!channelTeam?.id || this.knownTeams.has(channelTeam.id)) return;
    const details = channelTeam.aadGroupId ? undefined : await TeamsInfo.getTeamDetails(context).catch(() => undefined);
    const teamId = channelTeam.aadGroupId ?? details?.aadGroupId;
    if (!teamId) return;
    await this.deps.teams.remember({ firmId, teamId, displayName: details?.name ?? channelTeam.name ?? teamId, conversationId: channelTeam.id });
    this.knownTeams.add(channelTeam.id);
  }
}
