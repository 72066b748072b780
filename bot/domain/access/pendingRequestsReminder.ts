import { isoWeek, type WeeklyNotices } from '../weeklyNotices.js';
import type { AccessRequests } from './accessRequests.js';
import type { AccessRequest, AccessRequestStore, Approver } from './ports.js';

/** A request still waiting after this many days is listed again to those who decide. */
export const requestsWaitingAfterDays = 3;

/** Tells the approvers, in their personal chat, what waits for them (Teams layer). */
export interface PendingRequestsNotifier {
  remindPendingRequests(firmId: string, approvers: Approver[], requests: AccessRequest[], afterDays: number): Promise<void>;
}

/**
 * Once a week per firm (whichever instance claims the week first), the requests waiting for more than
 * three days are listed again to the main manager and the administrators: a request the first card
 * did not settle is not forgotten in a chat's history.
 */
export class PendingRequestsReminder {
  constructor(
    private readonly deps: {
      requests: Pick<AccessRequestStore, 'listPending'>;
      approvers: Pick<AccessRequests, 'approversOf'>;
      notices: WeeklyNotices;
      notifier: PendingRequestsNotifier;
      now: () => Date;
    },
  ) {}

  async tick(): Promise<{ firms: number; notified: number }> {
    const now = this.deps.now();
    const cutoff = now.getTime() - requestsWaitingAfterDays * 86_400_000;
    const firmIds = await this.deps.notices.listFirmIds();
    let notified = 0;
    for (const firmId of firmIds) {
      const waiting = (await this.deps.requests.listPending(firmId, 50)).filter((request) => new Date(request.createdAt).getTime() <= cutoff);
      if (waiting.length === 0) continue;
      const approvers = await this.deps.approvers.approversOf(firmId);
      if (approvers.length === 0) continue;
      if (!(await this.deps.notices.claimWeek(firmId, 'pendingRequests', isoWeek(now), now))) continue;
      await this.deps.notifier.remindPendingRequests(firmId, approvers, waiting, requestsWaitingAfterDays);
      notified++;
    }
    return { firms: firmIds.length, notified };
  }
}
