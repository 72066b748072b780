import type { GuestEngagement, ReviewEntry } from './guestEngagement.js';
import type { FirmSettingsService } from './firmSettingsService.js';
import { isoWeek, type WeeklyNotices } from './weeklyNotices.js';

/** Who receives the weekly card: the main manager of the firm's default structure, as Teams knows them. */
export interface MainManagerDirectory {
  mainManagerUserId(firmId: string): Promise<string | null>;
}

/** Sends the review card in the main manager's personal chat with Passerelle (Teams layer). */
export interface GuestReviewNotifier {
  remindGuestReview(firmId: string, userId: string, review: { entries: ReviewEntry[]; afterDays: number }): Promise<boolean>;
}

/**
 * The weekly card to the main manager listing guests nothing has engaged for the review delay (in
 * the spirit of Entra ID access reviews, without their licence). Run as often as wanted: each firm
 * is told at most once a week, by whichever instance claims the week first.
 */
export class GuestReviewReminder {
  constructor(
    private readonly deps: {
      engagement: Pick<GuestEngagement, 'dueForReview'>;
      firmSettings: Pick<FirmSettingsService, 'settings'>;
      notices: WeeklyNotices;
      managers: MainManagerDirectory;
      notifier: GuestReviewNotifier;
      now: () => Date;
    },
  ) {}

  async tick(): Promise<{ firms: number; notified: number }> {
    const now = this.deps.now();
    const week = isoWeek(now);
    const firmIds = await this.deps.notices.listFirmIds();
    let notified = 0;
    for (const firmId of firmIds) {
      const entries = await this.deps.engagement.dueForReview(firmId);
      if (entries.length === 0) continue;
      const userId = await this.deps.managers.mainManagerUserId(firmId);
      if (!userId) continue;
      if (!(await this.deps.notices.claimWeek(firmId, 'guestReview', week, now))) continue;
      const afterDays = (await this.deps.firmSettings.settings(firmId)).engagementPolicy.reviewAfterDays;
      if (await this.deps.notifier.remindGuestReview(firmId, userId, { entries, afterDays })) notified++;
    }
    return { firms: firmIds.length, notified };
  }
}
