/**
 * Notices sent once a week per firm (the guest review, the requests still waiting), whichever server
 * instance looks first: the claim is one conditional update of the firm's record.
 */
export interface WeeklyNotices {
  /** The firms Passerelle knows. */
  listFirmIds(): Promise<string[]>;
  /** True for the one caller that takes this week's `notice` for this firm; false when another already did. */
  claimWeek(firmId: string, notice: 'guestReview' | 'pendingRequests' | 'mainManager', week: string, at: Date): Promise<boolean>;
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
