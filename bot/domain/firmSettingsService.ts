import { defaultOrgRoles, fieldLimits } from './catalogues.js';
import type { FieldError } from './errors.js';
import { checkText } from './fieldRules.js';
import { defaultOfferCatalogue, type OfferDefinition } from './offers/catalogue.js';
import type { FirmSettings, FirmStore, GuestPolicy } from './ports.js';

/** Seven days then a new invitation, three times at most; one client company per team. */
export const defaultGuestPolicy: GuestPolicy = { reminderAfterDays: 7, maxReminders: 3, allowSharedGuestTeams: false };

/** Per-firm settings; the first time a firm is seen it gets the defaults from the original procedure. */
export class FirmSettingsService {
  constructor(private readonly firms: FirmStore) {}

  settings(firmId: string): Promise<FirmSettings> {
    return this.firms.ensure(firmId, { orgRoles: [...defaultOrgRoles], guestPolicy: { ...defaultGuestPolicy }, offerCatalogue: defaultOfferCatalogue });
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
