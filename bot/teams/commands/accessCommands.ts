import type { TurnContext } from 'botbuilder';
import { accessRequestsCard, myRightsCard, staffUsersCard } from '../../cards/accessViews.js';
import type { AccessService } from '../../domain/access/accessService.js';
import { requirements } from '../../domain/access/policy.js';
import { applications, type Application, type Profile } from '../../domain/access/profiles.js';
import { normaliseForSearch } from '../../domain/fieldRules.js';
import { format, messagesFor } from '../../i18n/index.js';
import { refusalText } from '../accessText.js';
import { keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TurnSession } from '../session.js';

/** "mes droits": one's role and profiles, and for administrators the number of waiting requests. */
export class MyRightsCommand implements BotCommand {
  readonly name = 'myRights';
  readonly requires: Access = 'anyone';
  readonly match = keywordMatcher([/mes\s+droits/, /my\s+rights/, /mes\s+profils/], { takesArguments: false });

  constructor(private readonly access: AccessService) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const pending = this.access.isAdministrator(session.access) ? await this.access.countPending(session.actor.firmId) : null;
    await replyWithCard(context, myRightsCard(session.language, session.access.membership, session.access.role, pending));
  }
}

/** Application names as people type them, in French or English, accents optional. */
const applicationWords: Record<string, Application> = Object.fromEntries(
  applications.flatMap((application) => {
    const names = [application, messagesFor('fr').access.applications[application], messagesFor('en').access.applications[application]];
    return names.flatMap((name) => [normaliseForSearch(name), normaliseForSearch(name).split(' ')[0]!]).map((word) => [word, application]);
  }),
);

/** "demander accès [commentaire]" or "demander profil <application> <niveau>": the requester is the Teams user. */
export class RequestAccessCommand implements BotCommand {
  readonly name = 'requestAccess';
  readonly requires: Access = 'anyone';
  readonly match = keywordMatcher([/demander/, /request/], { takesArguments: true });

  constructor(private readonly access: AccessService) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor } = session;
    if (!session.access.email) return replyWithText(context, t.errors.accessCheckFailed);
    const profileMatch = /^(?:profil|profile)\s+(.+?)\s+(consultation|modification)$/i.exec(args.trim());
    const joinMatch = /^(?:acc[eè]s|access|rattachement)(?:\s+(.*))?$/i.exec(args.trim());
    let input: { kind: 'join' | 'profile'; profile?: Profile; comment?: string };
    if (profileMatch) {
      const application = applicationWords[normaliseForSearch(profileMatch[1]!)];
      if (!application) return replyWithText(context, t.access.profileUsage);
      input = { kind: 'profile', profile: { application, level: profileMatch[2]!.toLowerCase() as Profile['level'] } };
    } else if (joinMatch) {
      input = { kind: 'join', comment: joinMatch[1] };
    } else {
      return replyWithText(context, t.access.profileUsage);
    }
    const outcome = await this.access.request({ ...actor, email: session.access.email }, input);
    await replyWithText(context, outcome.ok ? format(t.access.requested, { number: outcome.value.number }) : refusalText(t, outcome.refusal));
  }
}

export class RequestsCommand implements BotCommand {
  readonly name = 'requests';
  readonly requires: Access = requirements.change('organisation');
  readonly match = keywordMatcher([/demandes/, /requests/], { takesArguments: false });

  constructor(private readonly access: AccessService) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    await replyWithCard(context, accessRequestsCard(session.language, await this.access.listPending(session.actor.firmId)));
  }
}

export class UsersCommand implements BotCommand {
  readonly name = 'users';
  readonly requires: Access = requirements.read('organisation');
  readonly match = keywordMatcher([/utilisateurs/, /users/], { takesArguments: false });

  constructor(private readonly access: AccessService) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const firmId = session.actor.firmId;
    await replyWithCard(context, staffUsersCard(session.language, await this.access.listMembers(firmId), await this.access.mainManagerEmail(firmId)));
  }
}

/** "rattacher <e-mail>": attaches a member of staff with the default profiles. */
export class AttachCommand implements BotCommand {
  readonly name = 'attach';
  readonly requires: Access = requirements.change('organisation');
  readonly match = keywordMatcher([/rattacher/, /attach/], { takesArguments: true });

  constructor(private readonly access: AccessService) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    if (!args) return replyWithText(context, t.access.attachUsage);
    const outcome = await this.access.attach(actor, { email: args.trim() });
    if (!outcome.ok) return replyWithText(context, `${refusalText(t, outcome.refusal)} ${t.access.attachUsage}`);
    const banner = { text: format(t.access.attached, { email: outcome.value.email }), good: true };
    await replyWithCard(context, staffUsersCard(language, await this.access.listMembers(actor.firmId), await this.access.mainManagerEmail(actor.firmId), banner));
  }
}

/** "transférer gestionnaire <e-mail>": the main manager hands the role over to an attached user. */
export class TransferMainManagerCommand implements BotCommand {
  readonly name = 'transferMainManager';
  readonly requires: Access = 'attached';
  readonly match = keywordMatcher([/transf[ée]rer\s+gestionnaire/, /transfer\s+manager/], { takesArguments: true });

  constructor(private readonly access: AccessService) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor } = session;
    if (!args) return replyWithText(context, t.access.transferUsage);
    const outcome = await this.access.transferMainManager({ ...actor, email: session.access.email }, args.trim());
    await replyWithText(context, outcome.ok ? format(t.access.transferred, { email: args.trim().toLowerCase() }) : refusalText(t, outcome.refusal));
  }
}
