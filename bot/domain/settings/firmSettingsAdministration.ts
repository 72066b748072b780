import { decide, requirements } from '../access/policy.js';
import type { Requirement } from '../access/profiles.js';
import { stampOf } from '../actor.js';
import { newAuditEntry, type AuditAction } from '../audit.js';
import type { FieldErrors } from '../errors.js';
import type { FirmSettingsService } from '../firmSettingsService.js';
import { findOffer, proposableOffers, type OfferDefinition } from '../offers/catalogue.js';
import type { AuditEntry, FirmSettings, FirmSettingsChange, FirmStore, FirmTeam, TeamStore } from '../ports.js';
import type { StaffActor } from '../staffActor.js';
import {
  checkEngagementPolicy,
  checkFirmName,
  checkGuestPolicy,
  checkOffer,
  checkShineDefaults,
  checkSupportPolicy,
  newOfferId,
  SettingsChecker,
  type EngagementPolicyInput,
  type GuestPolicyInput,
  type OfferInput,
  type ShineDefaultsInput,
  type SupportPolicyInput,
} from './settingsRules.js';

/** Everything the settings page and card show: the settings, the firm's name as clients read it, what can be chosen. */
export interface FirmSettingsView {
  settings: FirmSettings;
  /** The name clients read (the firm's own, else its legal name…); undefined when it has none. */
  displayName: string | undefined;
  /** Offers some subscription has: retired, never deleted. */
  offersInUse: string[];
  /** Teams where the app is installed, for the support channel. */
  teams: Pick<FirmTeam, 'teamId' | 'displayName'>[];
}

/** One section of the settings form; absent sections and fields are left as they are. */
export interface SettingsEdit {
  name?: unknown;
  guestPolicy?: GuestPolicyInput;
  engagementPolicy?: EngagementPolicyInput;
  supportPolicy?: SupportPolicyInput;
  partnerDefaults?: { shine?: ShineDefaultsInput };
}

export type SettingsOutcome =
  | { status: 'saved' | 'unchanged'; view: FirmSettingsView; offer?: OfferDefinition }
  | { status: 'refused'; missing: Requirement }
  | { status: 'invalid'; errors: FieldErrors; view: FirmSettingsView }
  /** Someone saved the settings since this form was shown: nothing was written, the latest is given. */
  | { status: 'changedMeanwhile'; view: FirmSettingsView }
  | { status: 'offerNotFound'; view: FirmSettingsView };

type Section = Exclude<keyof FirmSettingsChange, 'flowAppAuthorised'>;

const sectionActions: Record<Section, AuditAction> = {
  name: 'firm.renamed',
  offerCatalogue: 'firm.offerChanged',
  guestPolicy: 'firm.guestPolicyChanged',
  engagementPolicy: 'firm.engagementPolicyChanged',
  supportPolicy: 'firm.supportPolicyChanged',
  partnerDefaults: 'firm.partnerDefaultsChanged',
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields of two objects that differ, each side with only those: what an audit entry's before → after shows. */
function differences(before: object, after: object): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const was = before as Record<string, unknown>;
  const is = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(was), ...Object.keys(is)])].filter((key) => !same(was[key], is[key]));
  return { before: Object.fromEntries(keys.map((key) => [key, was[key] ?? null])), after: Object.fromEntries(keys.map((key) => [key, is[key] ?? null])) };
}

/**
 * The firm's settings as its administrators change them (the main manager, or « Organisation –
 * modification »): its name, offer catalogue, reminder and engagement policies, support delays and
 * partner defaults. Every field is checked, nothing is written on a bad one, a change is guarded by
 * the settings' version and recorded in the audit log with what it was and what it became.
 */
export class FirmSettingsAdministration {
  constructor(
    private readonly deps: {
      firms: FirmStore;
      settings: FirmSettingsService;
      teams: Pick<TeamStore, 'list'>;
      subscriptions: { offerIdsInUse(firmId: string): Promise<string[]> };
      now: () => Date;
    },
  ) {}

  /** What an administrator edits; refused to anyone else. */
  async view(actor: StaffActor): Promise<{ status: 'shown'; view: FirmSettingsView } | { status: 'refused'; missing: Requirement }> {
    const refusal = this.refusal(actor);
    if (refusal) return refusal;
    return { status: 'shown', view: await this.load(actor.firmId) };
  }

  /** Saves the sections given, all or nothing. */
  async update(actor: StaffActor, expectedVersion: number, edit: SettingsEdit): Promise<SettingsOutcome> {
    const refusal = this.refusal(actor);
    if (refusal) return refusal;
    const view = await this.load(actor.firmId);
    const current = view.settings;
    const checker = new SettingsChecker();
    const change: FirmSettingsChange = {};
    if (edit.name !== undefined) change.name = checkFirmName(checker, edit.name);
    if (edit.guestPolicy) change.guestPolicy = checkGuestPolicy(checker, edit.guestPolicy, current.guestPolicy);
    if (edit.engagementPolicy) change.engagementPolicy = checkEngagementPolicy(checker, edit.engagementPolicy, current.engagementPolicy);
    if (edit.supportPolicy) change.supportPolicy = checkSupportPolicy(checker, edit.supportPolicy, current.supportPolicy, await this.deps.teams.list(actor.firmId));
    if (edit.partnerDefaults?.shine) {
      const shine = checkShineDefaults(checker, edit.partnerDefaults.shine, current.partnerDefaults.shine);
      if (shine) change.partnerDefaults = { ...current.partnerDefaults, shine };
    }
    if (checker.hasErrors) return { status: 'invalid', errors: checker.errors, view };
    return this.write(actor, view, change, (section) => [{ before: current[section] ?? null, after: change[section] }], expectedVersion);
  }

  /** Adds an offer (no `offerId`) or changes one; its id never changes, so subscriptions keep it. */
  async saveOffer(actor: StaffActor, expectedVersion: number, offerId: string | undefined, input: OfferInput): Promise<SettingsOutcome> {
    const refusal = this.refusal(actor);
    if (refusal) return refusal;
    const view = await this.load(actor.firmId);
    const catalogue = view.settings.offerCatalogue;
    const existing = offerId ? findOffer(catalogue, offerId) : undefined;
    if (offerId && !existing) return { status: 'offerNotFound', view };
    const checker = new SettingsChecker();
    const checked = checkOffer(checker, input, existing, catalogue.filter((offer) => offer.id !== offerId));
    if (!checked) return { status: 'invalid', errors: checker.errors, view };
    const saved: OfferDefinition = existing
      ? { id: existing.id, grants: existing.grants, excludes: existing.excludes, ...checked, ...(existing.retired ? { retired: true } : {}) }
      : { id: newOfferId(checked.name, catalogue), grants: [], excludes: [], ...checked };
    const next = existing ? catalogue.map((offer) => (offer.id === saved.id ? saved : offer)) : [...catalogue, saved];
    const outcome = await this.write(actor, view, { offerCatalogue: next }, () => [
      existing
        ? { action: 'firm.offerChanged', offerId: saved.id, offerName: saved.name, ...differences(this.editable(existing), this.editable(saved)) }
        : { action: 'firm.offerAdded', offerId: saved.id, offerName: saved.name },
    ], expectedVersion);
    return outcome.status === 'saved' || outcome.status === 'unchanged' ? { ...outcome, offer: saved } : outcome;
  }

  /**
   * Retires an offer (no longer proposed, its subscriptions kept) or proposes it again. Removing is
   * for an offer nobody has: one in use is refused, since subscriptions and the log still name it.
   */
  async setOfferStatus(actor: StaffActor, expectedVersion: number, offerId: string, status: 'retired' | 'proposed' | 'removed'): Promise<SettingsOutcome> {
    const refusal = this.refusal(actor);
    if (refusal) return refusal;
    const view = await this.load(actor.firmId);
    const catalogue = view.settings.offerCatalogue;
    const offer = findOffer(catalogue, offerId);
    if (!offer) return { status: 'offerNotFound', view };
    const othersProposed = proposableOffers(catalogue).filter((candidate) => candidate.id !== offerId).length;
    if (status !== 'proposed' && othersProposed === 0) return { status: 'invalid', errors: { offer: { code: 'offer.lastOne' } }, view };
    if (status === 'removed' && view.offersInUse.includes(offerId)) return { status: 'invalid', errors: { offer: { code: 'offer.inUse', params: { name: offer.name } } }, view };
    const next =
      status === 'removed'
        ? catalogue.filter((candidate) => candidate.id !== offerId)
        : catalogue.map((candidate) => {
            if (candidate.id !== offerId) return candidate;
            const { retired: _wasRetired, ...rest } = candidate;
            return status === 'retired' ? { ...rest, retired: true } : rest;
          });
    const action: AuditAction = status === 'removed' ? 'firm.offerRemoved' : status === 'retired' ? 'firm.offerRetired' : 'firm.offerReinstated';
    const outcome = await this.write(actor, view, { offerCatalogue: next }, () => [{ action, offerId, offerName: offer.name }], expectedVersion);
    return outcome.status === 'saved' || outcome.status === 'unchanged' ? { ...outcome, offer } : outcome;
  }

  /** « nom du cabinet <nom> »: the name alone, over whatever version is current (a typed command has no form to go stale). */
  async rename(actor: StaffActor, rawName: unknown): Promise<SettingsOutcome> {
    const { version } = await this.deps.settings.settings(actor.firmId);
    return this.update(actor, version, { name: rawName });
  }

  private refusal(actor: StaffActor): { status: 'refused'; missing: Requirement } | undefined {
    const needed = requirements.change('organisation');
    return decide(actor.access, needed).allowed ? undefined : { status: 'refused', missing: needed };
  }

  private async load(firmId: string): Promise<FirmSettingsView> {
    const [settings, displayName, offersInUse, teams] = await Promise.all([
      this.deps.settings.settings(firmId),
      this.deps.settings.firmName(firmId),
      this.deps.subscriptions.offerIdsInUse(firmId),
      this.deps.teams.list(firmId),
    ]);
    return { settings, displayName, offersInUse, teams: teams.map(({ teamId, displayName: name }) => ({ teamId, displayName: name })) };
  }

  /** What staff edit of an offer, for the before → after of its entry. */
  private editable(offer: OfferDefinition) {
    return {
      name: offer.name,
      description: offer.description,
      priceNote: offer.priceNote,
      paid: offer.paid,
      steps: offer.steps.map((step) => step.label),
      clientLink: offer.clientLink,
      clientNextStep: offer.clientNextStep,
    };
  }

  /**
   * Writes the sections that really change, each with its entry; nothing changed is « unchanged »
   * and writes nothing. `details` gives each section's entries (an offer's own action and details).
   */
  private async write(
    actor: StaffActor,
    view: FirmSettingsView,
    change: FirmSettingsChange,
    details: (section: Section) => Array<{ action?: AuditAction; before?: unknown; after?: unknown } & Record<string, unknown>>,
    expectedVersion = view.settings.version,
  ): Promise<SettingsOutcome> {
    if (expectedVersion !== view.settings.version) return { status: 'changedMeanwhile', view };
    const current = view.settings;
    const sections = (Object.keys(change) as Section[]).filter((section) => change[section] !== undefined && !same(current[section], change[section]));
    if (sections.length === 0) return { status: 'unchanged', view };
    const by = stampOf(actor, this.deps.now());
    const entries: AuditEntry[] = sections.flatMap((section) =>
      details(section).map(({ action, ...rest }) => newAuditEntry({ firmId: actor.firmId, actor: by, action: action ?? sectionActions[section], details: rest })),
    );
    const written = Object.fromEntries(sections.map((section) => [section, change[section]])) as FirmSettingsChange;
    if (!(await this.deps.firms.applyChange(actor.firmId, expectedVersion, written, entries))) return { status: 'changedMeanwhile', view: await this.load(actor.firmId) };
    return { status: 'saved', view: await this.load(actor.firmId) };
  }
}
