import type { TurnContext } from 'botbuilder';
import { accessRefusedCard, accessRequestsCard, myRightsCard, structureTitle } from '../../cards/accessViews.js';
import type { AccessUseCases, HandoverScope } from '../../domain/access/accessUseCases.js';
import { defaultStructureId, findStructure } from '../../domain/access/structures.js';
import { showUsers } from '../actions/accessStructureActions.js';
import { requirements } from '../../domain/access/policy.js';
import { applications, type Application, type Profile } from '../../domain/access/profiles.js';
import { normaliseForSearch } from '../../domain/fieldRules.js';
import { format, messagesFor } from '../../i18n/index.js';
import { refusalText } from '../accessText.js';
import { inStructure, keywordMatcher, type Access, type BotCommand } from '../handlers.js';
import { replyWithCard, replyWithText } from '../reply.js';
import type { TurnSession } from '../session.js';

/** "mes droits": one's role and profiles, and for administrators the number of waiting requests. */
export class MyRightsCommand implements BotCommand {
  readonly name = 'myRights';
  readonly requires: Access = 'anyone';
  readonly match = keywordMatcher([/mes\s+droits/, /my\s+rights/, /mes\s+profils/], { takesArguments: false });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const pending = await this.access.requests.pendingFor(session.actor.firmId, session.access);
    const services = session.access.membership?.services.length ? (await this.access.structures.findStructure(session.actor.firmId))?.services : undefined;
    await replyWithCard(context, myRightsCard(session.language, session.access.membership, session.access.role, pending, services));
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

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor } = session;
    if (!session.access.email) return replyWithText(context, t.errors.accessCheckFailed);
    const profileMatch = /^(?:profil|profile)\s+(.+?)\s+(consultation|modification)$/i.exec(args.trim());
    // « demander accès service Pôle social : je rejoins l’équipe paie » — the comment after a colon.
    const serviceMatch = /^(?:acc[eè]s|access|rattachement)\s+service(?:\s+([^:]*))?(?::\s*(.*))?$/i.exec(args.trim());
    const joinMatch = /^(?:acc[eè]s|access|rattachement)(?:\s+(.*))?$/i.exec(args.trim());
    let input: { kind: 'join' | 'profile'; profile?: Profile; comment?: string; service?: string };
    if (serviceMatch) {
      if (!serviceMatch[1]?.trim()) return replyWithText(context, t.access.joinServiceUsage);
      input = { kind: 'join', service: serviceMatch[1].trim(), comment: serviceMatch[2] };
    } else if (profileMatch) {
      const application = applicationWords[normaliseForSearch(profileMatch[1]!)];
      if (!application) return replyWithText(context, t.access.profileUsage);
      input = { kind: 'profile', profile: { application, level: profileMatch[2]!.toLowerCase() as Profile['level'] } };
    } else if (joinMatch) {
      input = { kind: 'join', comment: joinMatch[1] };
    } else {
      return replyWithText(context, t.access.profileUsage);
    }
    const outcome = await this.access.requests.request({ ...actor, email: session.access.email }, input);
    await replyWithText(context, outcome.ok ? format(t.access.requested, { number: outcome.value.number }) : refusalText(t, outcome.refusal, outcome.about));
  }
}

export class RequestsCommand implements BotCommand {
  readonly name = 'requests';
  readonly requires: Access = requirements.change('organisation');
  readonly match = keywordMatcher([/demandes/, /requests/], { takesArguments: false });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    await replyWithCard(context, accessRequestsCard(session.language, await this.access.requests.listPending(session.actor.firmId, session.access)));
  }
}

export class UsersCommand implements BotCommand {
  readonly name = 'users';
  readonly requires: Access = requirements.read('organisation');
  readonly match = keywordMatcher([/utilisateurs/, /users/], { takesArguments: false });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession): Promise<void> {
    const shown = await showUsers(this.access, session, defaultStructureId);
    await ('card' in shown ? replyWithCard(context, shown.card) : replyWithText(context, shown.message));
  }
}

/**
 * "rattacher <e-mail> [services <nom>; <nom>] [structure <nom>]": attaches a member of staff with the
 * default profiles, to the whole structure or to the named services.
 */
export class AttachCommand implements BotCommand {
  readonly name = 'attach';
  // `members.attach` decides, in the structure named: its own administrators may hold no profile in the default one.
  readonly requires: Access = inStructure(requirements.change('organisation'));
  readonly match = keywordMatcher([/rattacher/, /attach/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    const parsed = /^(\S+)(?:\s+services?\s+(.+?))?(?:\s+structure\s+(.+))?$/i.exec(args.trim());
    if (!args || !parsed) return replyWithText(context, t.access.attachFullUsage);
    let structureId = defaultStructureId;
    if (parsed[3]) {
      const named = findStructure(await this.access.structures.listStructures(actor.firmId), parsed[3]);
      if (!named) return replyWithText(context, t.access.refusals.structureNotFound);
      structureId = named.id;
    }
    const services = parsed[2] ? parsed[2].split(/[;,]/).map((name) => name.trim()).filter(Boolean) : [];
    const outcome = await this.access.members.attach({ ...actor, email: session.access.email }, { email: parsed[1]!, services, structureId });
    if (!outcome.ok && outcome.denied) return replyWithCard(context, accessRefusedCard(language, outcome.denied.reason, outcome.denied.missing));
    if (!outcome.ok) return replyWithText(context, `${refusalText(t, outcome.refusal, outcome.about)} ${t.access.attachFullUsage}`);
    const structure = await this.access.structures.findStructure(actor.firmId, structureId);
    const names = new Map((structure?.services ?? []).map((service) => [service.id, service.name]));
    const text =
      structureId !== defaultStructureId
        ? format(t.access.attachedIn, { email: outcome.value.email, structure: structure ? structureTitle(language, structure) : structureId })
        : outcome.value.services.length
          ? format(t.access.attachedServices, { email: outcome.value.email, services: outcome.value.services.map((id) => `« ${names.get(id) ?? id} »`).join(', ') })
          : format(t.access.attached, { email: outcome.value.email });
    const shown = await showUsers(this.access, session, structureId, { text, good: true });
    await ('card' in shown ? replyWithCard(context, shown.card) : replyWithText(context, shown.message));
  }
}

/**
 * "transférer gestionnaire <e-mail> [structure <nom> | structures <nom>; <nom> | toutes]": the main
 * manager hands the role over, for one structure (the default one unless named), a selection, or
 * every structure they manage, to a person attached to each of them.
 */
/**
 * "reprendre gestionnaire [structure <nom>]": an administrator takes the main manager's role over
 * when its holder can no longer act; `members.takeOverMainManager` decides when that is.
 */
export class TakeOverMainManagerCommand implements BotCommand {
  readonly name = 'takeOverMainManager';
  readonly requires: Access = inStructure(requirements.change('organisation'));
  readonly match = keywordMatcher([/reprendre\s+gestionnaire/, /take\s+over\s+manager/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    const parsed = /^(?:structure\s+(.+))?$/i.exec(args.trim());
    if (!parsed) return replyWithText(context, t.access.takeOverUsage);
    let structureId = defaultStructureId;
    if (parsed[1]) {
      const named = findStructure(await this.access.structures.listStructures(actor.firmId), parsed[1]);
      if (!named) return replyWithText(context, refusalText(t, 'structureNotFound', parsed[1]));
      structureId = named.id;
    }
    const outcome = await this.access.members.takeOverMainManager({ ...actor, email: session.access.email }, structureId);
    if (!outcome.ok) return replyWithText(context, refusalText(t, outcome.refusal, outcome.about));
    await replyWithText(context, format(t.access.takenOver, { structure: structureTitle(language, outcome.value.structure), before: outcome.value.before, why: t.access.mainManagerUnavailable[outcome.value.reason] }));
  }
}

export class TransferMainManagerCommand implements BotCommand {
  readonly name = 'transferMainManager';
  // `members.transferMainManager` decides: a main manager of another structure only is not attached to the default one.
  readonly requires: Access = inStructure('mainManager');
  readonly match = keywordMatcher([/transf[ée]rer\s+gestionnaire/, /transfer\s+manager/], { takesArguments: true });

  constructor(private readonly access: AccessUseCases) {}

  async handle(context: TurnContext, session: TurnSession, args: string): Promise<void> {
    const { t, actor, language } = session;
    const parsed = /^(\S+)(?:\s+(?:(toutes|all)|structures?\s+(.+)))?$/i.exec(args.trim());
    if (!args || !parsed) return replyWithText(context, t.access.transferFullUsage);
    let scope: HandoverScope = { structureIds: [defaultStructureId] };
    if (parsed[2]) scope = 'all';
    else if (parsed[3]) {
      const all = await this.access.structures.listStructures(actor.firmId);
      const ids: string[] = [];
      for (const name of parsed[3].split(/[;,]/).map((part) => part.trim()).filter(Boolean)) {
        const named = findStructure(all, name);
        if (!named) return replyWithText(context, refusalText(t, 'structureNotFound', name));
        ids.push(named.id);
      }
      scope = { structureIds: ids };
    }
    const outcome = await this.access.members.transferMainManager({ ...actor, email: session.access.email }, parsed[1]!, scope);
    if (!outcome.ok) return replyWithText(context, refusalText(t, outcome.refusal, scope === 'all' || scope.structureIds.length > 1 || scope.structureIds[0] !== defaultStructureId ? outcome.about : undefined));
    const email = parsed[1]!.toLowerCase();
    const { transferred, lost } = outcome.value;
    const names = (list: typeof transferred) => list.map((structure) => structureTitle(language, structure)).join(', ');
    let text = transferred.length === 1 && transferred[0]!.id === defaultStructureId && lost.length === 0 ? format(t.access.transferred, { email }) : format(t.access.transferredMany, { email, structures: names(transferred) });
    if (lost.length) text += ` ${format(t.access.transferLost, { structures: names(lost) })}`;
    await replyWithText(context, text);
  }
}
