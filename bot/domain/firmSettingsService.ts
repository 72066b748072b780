import type { StructureStore } from './access/ports.js';
import type { ActorStamp } from './actor.js';
import { newAuditEntry } from './audit.js';
import { defaultStructureId } from './access/structures.js';
import { defaultOrgRoles, fieldLimits } from './catalogues.js';
import type { FieldError } from './errors.js';
import { checkText } from './fieldRules.js';
import { defaultOfferCatalogue, type OfferDefinition } from './offers/catalogue.js';
import type { EngagementPolicy, FirmSettings, FirmStore, GuestPolicy, PartnerDefaults, SupportPolicy, TeamStore } from './ports.js';

/** Seven days then a new invitation, three times at most; one client company per team. */
export const defaultGuestPolicy: GuestPolicy = { reminderAfterDays: 7, maxReminders: 3, allowSharedGuestTeams: false };

/** A guest is kept when their engagement ends, and listed for review after thirty days without an offer. */
export const defaultEngagementPolicy: EngagementPolicy = { guestFateAtEnd: 'keep', reviewAfterDays: 30 };

/** One working day for a first answer; a resolved request closes by itself after seven days. */
export const defaultSupportPolicy: SupportPolicy = { firstAnswerWithinWorkingDays: 1, autoCloseAfterDays: 7 };

/** Shine proposes both flows, billed by Shine, on its Start plan, until the firm chooses otherwise. */
export const defaultPartnerDefaults: PartnerDefaults = { shine: { purchases: true, sales: true, billingMode: 'shineBillsClient', plan: 'start' } };

/** Per-firm settings; the first time a firm is seen it gets the defaults from the original procedure. */
export class FirmSettingsService {
  constructor(
    private readonly firms: FirmStore,
    /** Where a firm without a name of its own finds one. */
    private readonly naming?: { structures: Pick<StructureStore, 'find'>; teams: Pick<TeamStore, 'list'> },
  ) {}

  settings(firmId: string): Promise<FirmSettings> {
    return this.firms.ensure(firmId, {
      orgRoles: [...defaultOrgRoles],
      guestPolicy: { ...defaultGuestPolicy },
      offerCatalogue: defaultOfferCatalogue,
      engagementPolicy: { ...defaultEngagementPolicy },
      supportPolicy: { ...defaultSupportPolicy },
      partnerDefaults: { shine: { ...defaultPartnerDefaults.shine } },
    });
  }

  /**
   * The firm's name as its clients read it (welcome and offer cards): its own setting, else the
   * legal name (raison sociale) of its default structure, else that structure's display name, else
   * its internal team's name; undefined when it has none of them.
   */
  async firmName(firmId: string): Promise<string | undefined> {
    const { name } = await this.settings(firmId);
    if (name) return name;
    const structure = await this.naming?.structures.find(firmId, defaultStructureId);
    if (structure?.legalName || structure?.displayName) return structure.legalName || structure.displayName;
    const teams = (await this.naming?.teams.list(firmId)) ?? [];
    return teams.find((team) => team.internal)?.displayName;
  }

  async setFirmName(firmId: string, rawName: string | undefined): Promise<{ ok: true; name: string } | { ok: false; error: FieldError }> {
    const name = checkText(rawName, { required: true, max: fieldLimits.firmName });
    if (!name.ok) return { ok: false, error: { code: name.error, params: { max: fieldLimits.firmName } } };
    await this.settings(firmId);
    await this.firms.setName(firmId, name.value!);
    return { ok: true, name: name.value! };
  }

  /**
   * Flow's first step, the app authorised in the firm's organisation, is the firm's: recorded once, it
   * is done on every file. True when this call recorded it, false when it already was.
   */
  async recordFlowAppAuthorised(firmId: string, by: ActorStamp): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.settings(firmId);
      if (current.flowAppAuthorised) return false;
      const entry = newAuditEntry({ firmId, actor: by, action: 'flow.appAuthorisedForFirm' });
      if (await this.firms.applyChange(firmId, current.version, { flowAppAuthorised: by }, [entry])) return true;
    }
    return false;
  }

  async catalogue(firmId: string): Promise<OfferDefinition[]> {
    return (await this.settings(firmId)).offerCatalogue;
  }

  async addOrgRole(firmId: string, rawRole: string | undefined): Promise<{ ok: true; role: string } | { ok: false; error: FieldError }> {
    const role = checkText(rawRole, { required: true, max: fieldLimits.orgRole });
    if (!role.ok) return { ok: false, error: { code: role.error, params: { max: fieldLimits.orgRole } } };
    const settings = await this.settings(firmId);
    if (settings.orgRoles.some((existing) => existing.localeCompare(role.value!, 'fr', { sensitivity: 'base' }) === 0)) {
      return { ok: false, error: { code: 'orgRole.exists', params: { role: role.value! } } };
    }
    await this.firms.addOrgRole(firmId, role.value!);
    return { ok: true, role: role.value! };
  }

  async removeOrgRole(firmId: string, role: string): Promise<boolean> {
    await this.settings(firmId);
    return this.firms.removeOrgRole(firmId, role);
  }
}
