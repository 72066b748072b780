import type { ActorStamp } from './actor.js';

export interface InvitationJob {
  id: string;
  firmId: string;
  requestId: string;
  createdBy: ActorStamp;
  createdAt: Date;
  total: number;
  counts: { done: number; failed: number; skipped: number };
  status: 'running' | 'finished';
  finishedAt?: Date;
  personalMessage?: string;
  /**
   * 'remind': send the invitation again to contacts still waiting; 'offer': propose `offerId` to each
   * (file, contact) item; 'import': write a checked CSV file, one item per batch of lines
   * (bot/domain/importJobs.ts); 'identityChange': carry out a contact's change of e-mail (bot/domain/identityChange.ts).
   * Absent on older jobs: 'invite'.
   */
  kind?: 'invite' | 'remind' | 'offer' | 'import' | 'identityChange';
  offerId?: string;
  /** Where progress is reported: the conversation, the card's activity id once posted, the language. */
  progress?: { conversationId: string; activityId?: string; language: 'fr' | 'en' };
}

/** A job to queue: one item per contact, or per (file, contact) for offer jobs. */
export interface NewInvitationJob {
  firmId: string;
  requestId: string;
  createdBy: ActorStamp;
  contactIds: string[];
  /** Offer jobs: one item per (file, contact) instead of per contact. */
  targets?: { clientFileId: string; contactId: string }[];
  offerId?: string;
  /** Import jobs: one item per batch of lines (numbered from 0) instead of per contact. */
  importBatches?: number;
  personalMessage?: string;
  kind?: InvitationJob['kind'];
  progress?: InvitationJob['progress'];
}

/** The durable job store, as the use cases that queue jobs see it. */
export interface InvitationJobQueue {
  /**
   * Creates the job once per request id (a re-submitted card finds the same job). Contacts already
   * waiting in another running job are not queued twice: their item is recorded as skipped.
   */
  create(request: NewInvitationJob): Promise<{ job: InvitationJob; created: boolean }>;
  findByRequestId(firmId: string, requestId: string): Promise<InvitationJob | null>;
  find(firmId: string, jobId: string): Promise<InvitationJob | null>;
}
