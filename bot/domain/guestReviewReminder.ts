import type { GuestEngagement, ReviewEntry } from './guestEngagement.js';
import type { FirmSettingsService } from './firmSettingsService.js';

/** Once a week per firm, across every server instance: the claim is one conditional update of the firm's record. */
export interface GuestReviewNotices {
  /** The firms Passerelle knows. */
  listFirmIds(): Promise<string[]>;
  /** True for the one caller that takes this week's notice of this firm; false when another already did. */
  claimWeek(firmId: string, week: string, at: Date): Promise<boolean>;
}

/** Who receives the weekly card: the main manager of the firm's default structure, as Teams knows them. */
export interface MainManagerDirectory {
  mainManagerUserId(firmId: string): Promise<string | null>;
}

/** Sends the review card in the main manager's personal chat with Passerelle (Teams layer). */
export interface GuestReviewNotifier {
  remindGuestReview(firmId: string, userId: string, review: { entries: ReviewEntry[]; afterDays: number }): Promise<boolean>;
}

/** ISO 8601 week of a date, e.g. 2026-W49: the period of one notice. */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
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
      notices: GuestReviewNotices;
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
      if (!(await this.deps.notices.claimWeek(firmId, week, now))) continue;
      const afterDays = (await this.deps.firmSettings.settings(firmId)).engagementPolicy.reviewAfterDays;
      if (await this.deps.notifier.remindGuestReview(firmId, userId, { entries, afterDays })) notified++;
    }
    return { firms: firmIds.length, notified };
  }
}
