import type { AuditEntry, AuditOfCreation } from '../ports.js';
import type { PostedCard, SupportCategory, SupportRequest, SupportState, TimelineEntry } from './supportRequest.js';

/** Which requests a list shows; the firm always applies. */
export interface SupportRequestQuery {
  firmId: string;
  /** One person's own requests (their « tickets émis »). */
  requesterUserId?: string;
  /** The support's queue: never drafts; files of these services, files of no service and requests about no file. */
  services?: 'all' | readonly string[];
  states?: readonly SupportState[];
  category?: SupportCategory;
  clientFileId?: string;
  number?: number;
  /** Every word must start one of the request's analysed words. */
  words?: readonly string[];
}

export type SupportChanges = Partial<Omit<SupportRequest, 'id' | 'firmId' | 'number' | 'version' | 'timeline' | 'created' | 'creationRequestId'>>;

export interface SupportRequestStore {
  /** The firm's next request number, from one counter document incremented atomically (safe with several instances). */
  nextNumber(firmId: string): Promise<number>;
  findByCreation(firmId: string, creationRequestId: string): Promise<SupportRequest | null>;
  /** Inserts unless this submission already created a request (unique on firm and creationRequestId). */
  insertUnlessExists(request: Omit<SupportRequest, 'id'>, audit?: AuditOfCreation): Promise<{ inserted: boolean; request: SupportRequest }>;
  findById(firmId: string, id: string): Promise<SupportRequest | null>;
  /**
   * Applies the changes and appends the timeline entry only if the request is still at `expectedVersion`
   * (null otherwise: someone acted first); the audit entry travels with the change.
   */
  update(firmId: string, id: string, expectedVersion: number, changes: SupportChanges, entry: TimelineEntry | undefined, audit?: AuditEntry): Promise<SupportRequest | null>;
  /** Like update, but only while `unsetField` is absent: the sweep's warnings and reminders are sent once, whatever the instances. */
  updateOnce(firmId: string, id: string, unsetField: 'closeWarnedAt' | 'reminderSentAt', changes: SupportChanges, entry: TimelineEntry, audit?: AuditEntry): Promise<SupportRequest | null>;
  setCard(firmId: string, id: string, which: 'supportCard' | 'requesterCard', card: PostedCard): Promise<void>;
  /** Most recently changed first. */
  list(query: SupportRequestQuery, page: { skip: number; limit: number }): Promise<SupportRequest[]>;
  count(query: SupportRequestQuery): Promise<number>;
  countByState(query: SupportRequestQuery): Promise<Partial<Record<SupportState, number>>>;
  /** Across firms, for the periodic sweep. */
  dueForCloseWarning(now: Date, limit: number): Promise<SupportRequest[]>;
  dueForAutoClose(now: Date, limit: number): Promise<SupportRequest[]>;
  dueForReminder(now: Date, limit: number): Promise<SupportRequest[]>;
}

/** A guest of the firm's tenant known as a client's contact, with the files they are linked to. */
export interface SupportClient {
  contactId: string;
  displayName: string;
  clientFileIds: string[];
}

/** A member of staff who answers requests, with the services whose files they see. */
export interface SupportStaffMember {
  userId: string;
  displayName: string;
  services: 'all' | string[];
}

export interface SupportDirectory {
  /** The contact whose guest account this is; null for anyone else. */
  clientOf(firmId: string, directoryUserId: string): Promise<SupportClient | null>;
  /** Staff who may answer requests (« Assistance – modification »): whom a request can be reassigned to. */
  supportStaff(firmId: string): Promise<SupportStaffMember[]>;
}

/**
 * Cards in Teams: the support channel's card and the requester's are posted or updated in place after
 * every change; the sweep's warning goes to the requester and its reminder to the support channel.
 * A failure to reach Teams never undoes the change (it is logged; the next change updates the card).
 */
/** What the support channel's card offers besides the moves: whom to reassign to, whether to draft an article. */
export interface SupportCardOptions {
  assignees: { userId: string; displayName: string }[];
  canDraftArticle: boolean;
}

export interface SupportNotifier {
  changed(request: SupportRequest, supportCard: SupportCardOptions): Promise<void>;
  closeWarning(request: SupportRequest): Promise<void>;
  firstAnswerReminder(request: SupportRequest): Promise<void>;
}
