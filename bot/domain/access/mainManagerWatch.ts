import { isoWeek, type WeeklyNotices } from '../weeklyNotices.js';
import type { AccessRequests } from './accessRequests.js';
import type { MainManagerAvailability, MainManagerUnavailable } from './mainManagerAvailability.js';
import type { Approver, MembershipStore, StructureStore } from './ports.js';
import { administratorProfile, hasProfile } from './profiles.js';
import { defaultStructureId, type Structure } from './structures.js';

/** A structure whose main manager can no longer act, as told to its administrators. */
export interface MainManagerAlert {
  structure: Structure;
  email: string;
  reason: MainManagerUnavailable;
}

/** Tells the administrators, in their personal chat (Teams layer). */
export interface MainManagerNotifier {
  mainManagerUnavailable(firmId: string, recipients: Approver[], alert: MainManagerAlert): Promise<void>;
}

/**
 * Once a week per firm: a structure whose main manager is detached or whose account is disabled can
 * no longer have its role handed over nor its requests decided by them. Its administrators are told
 * (the firm's main manager and administrators when the structure has none), with how to take the
 * role over.
 */
export class MainManagerWatch {
  constructor(
    private readonly deps: {
      structures: Pick<StructureStore, 'list'>;
      memberships: Pick<MembershipStore, 'list'>;
      availability: Pick<MainManagerAvailability, 'unavailable'>;
      approvers: Pick<AccessRequests, 'approversOf'>;
      notices: WeeklyNotices;
      notifier: MainManagerNotifier;
      now: () => Date;
      warn: (message: string, details: Record<string, unknown>) => void;
    },
  ) {}

  async tick(): Promise<{ firms: number; notified: number }> {
    const now = this.deps.now();
    const firmIds = await this.deps.notices.listFirmIds();
    let notified = 0;
    for (const firmId of firmIds) {
      try {
        const alerts = await this.alertsOf(firmId);
        if (alerts.length === 0) continue;
        if (!(await this.deps.notices.claimWeek(firmId, 'mainManager', isoWeek(now), now))) continue;
        for (const alert of alerts) await this.deps.notifier.mainManagerUnavailable(firmId, await this.recipients(firmId, alert), alert);
        notified++;
      } catch (error) {
        // One firm's directory or database trouble leaves the others checked; this firm is looked at again next hour.
        this.deps.warn('main manager check failed for a firm', { firmId, error });
      }
    }
    return { firms: firmIds.length, notified };
  }

  private async alertsOf(firmId: string): Promise<MainManagerAlert[]> {
    const alerts: MainManagerAlert[] = [];
    for (const structure of await this.deps.structures.list(firmId)) {
      if (!structure.active || !structure.mainManagerEmail) continue;
      const reason = await this.deps.availability.unavailable(firmId, structure);
      if (reason) alerts.push({ structure, email: structure.mainManagerEmail, reason });
    }
    return alerts;
  }

  private async recipients(firmId: string, alert: MainManagerAlert): Promise<Approver[]> {
    const administrators = (await this.deps.memberships.list(firmId, alert.structure.id))
      .filter((member) => member.status === 'attached' && member.userId && member.email !== alert.email && hasProfile(member.profiles, administratorProfile))
      .map((member) => ({ userId: member.userId!, email: member.email }));
    if (administrators.length > 0 || alert.structure.id === defaultStructureId) return administrators;
    return (await this.deps.approvers.approversOf(firmId)).filter((approver) => approver.email !== alert.email);
  }
}
