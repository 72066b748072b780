import type { ActorStamp } from '../actor.js';
import type { FieldErrors } from '../errors.js';
import { searchTokens } from '../fieldRules.js';
import { FormChecker, type Validation } from '../form.js';

/**
 * A support request (seed 004, « tickets émis »): a client or a member of staff asks the firm's
 * support; the request moves through the states below, every step stamped with who and when.
 */
export const supportCategories = ['signIn', 'invitation', 'offer', 'flow', 'shine', 'other'] as const;
export type SupportCategory = (typeof supportCategories)[number];

export const supportStates = ['draft', 'inProgress', 'actionRequired', 'resolved', 'closed'] as const;
export type SupportState = (typeof supportStates)[number];

/** Who asked: a guest of the firm's tenant (a client's contact) or a member of staff. */
export interface SupportRequester {
  kind: 'client' | 'staff';
  userId: string;
  displayName: string;
  /** The client's contact record, for a guest. */
  contactId?: string;
}

/** A file a message carried in Teams: its name and link are kept, never its content. */
export interface SupportAttachment {
  name: string;
  url: string;
}

export const timelineKinds = [
  'draftSaved', 'sent', 'taken', 'answered', 'informationRequested', 'requesterAnswered',
  'solutionProposed', 'accepted', 'refused', 'reassigned', 'closeWarned', 'autoClosed', 'reminded', 'articleDrafted', 'filesAttached',
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

/** One line of the request's activity. */
export interface TimelineEntry {
  kind: TimelineKind;
  by: ActorStamp;
  text?: string;
  attachments?: SupportAttachment[];
}

/** Where a posted card lives, so it is updated in place when the request changes. */
export interface PostedCard {
  conversationId: string;
  activityId: string;
}

export interface SupportRequest {
  id: string;
  firmId: string;
  /** The firm's own sequence, shown as « n° 42 ». */
  number: number;
  /** The submission that created it: the same form sent twice creates one request. */
  creationRequestId: string;
  category: SupportCategory;
  clientFileId?: string;
  /** The file's service when the request was written: what the queue filters staff of other services on. */
  serviceId?: string;
  subject: string;
  description: string;
  attachments: SupportAttachment[];
  state: SupportState;
  requester: SupportRequester;
  assignee?: { userId: string; displayName: string };
  timeline: TimelineEntry[];
  /** Grows with every change: a card or page acting on an older version is told so and acts on nothing. */
  version: number;
  created: ActorStamp;
  updatedAt: Date;
  sentAt?: Date;
  firstAnswerAt?: Date;
  /** When the support channel is reminded if nobody answered (working days after sending). */
  firstAnswerDueAt?: Date;
  reminderSentAt?: Date;
  resolvedAt?: Date;
  /** When a resolved request left without an answer closes by itself, and when its requester is warned. */
  autoCloseAt?: Date;
  closeWarningAt?: Date;
  closeWarnedAt?: Date;
  closedAt?: Date;
  /** Analysed words of the subject and description, for the keyword search (prefix match). */
  searchTokens: string[];
  supportCard?: PostedCard;
  requesterCard?: PostedCard;
  /** The draft article a solved request became, if any. */
  articleId?: string;
}

/** What a person may do to a request; the table below says in which states, and who. */
export type SupportMove =
  | 'saveDraft' | 'send' | 'take' | 'answer' | 'askInformation' | 'reply' | 'proposeSolution' | 'accept' | 'refuse' | 'reassign' | 'attach' | 'autoClose';

/** `requester`: the person who asked; `support`: staff holding « Assistance – modification » who may see the request; `system`: the sweep. */
export type SupportRole = 'requester' | 'support' | 'system';

interface Transition {
  from: readonly SupportState[];
  /** The state after the move; absent: unchanged. */
  to?: SupportState;
  by: SupportRole;
  kind: TimelineKind;
  /** The move needs a text (an answer, a question, a solution, the reason of a refusal). */
  needsText?: boolean;
}

const open: readonly SupportState[] = ['inProgress', 'actionRequired', 'resolved'];

/** The one table of the lifecycle: brouillon → en cours ⇄ action requise → résolue → clôturée (or back to en cours). */
export const lifecycle: Record<SupportMove, Transition> = {
  saveDraft: { from: ['draft'], by: 'requester', kind: 'draftSaved' },
  send: { from: ['draft'], to: 'inProgress', by: 'requester', kind: 'sent' },
  take: { from: ['inProgress', 'actionRequired'], by: 'support', kind: 'taken' },
  answer: { from: ['inProgress', 'actionRequired'], by: 'support', kind: 'answered', needsText: true },
  askInformation: { from: ['inProgress'], to: 'actionRequired', by: 'support', kind: 'informationRequested', needsText: true },
  reply: { from: ['actionRequired', 'inProgress'], to: 'inProgress', by: 'requester', kind: 'requesterAnswered', needsText: true },
  proposeSolution: { from: ['inProgress', 'actionRequired'], to: 'resolved', by: 'support', kind: 'solutionProposed', needsText: true },
  accept: { from: ['resolved'], to: 'closed', by: 'requester', kind: 'accepted' },
  refuse: { from: ['resolved'], to: 'inProgress', by: 'requester', kind: 'refused', needsText: true },
  reassign: { from: open, by: 'support', kind: 'reassigned' },
  /** Files the requester sent in Teams with « assistance <n°> »: their names and links join the request. */
  attach: { from: ['draft', ...open], by: 'requester', kind: 'filesAttached' },
  autoClose: { from: ['resolved'], to: 'closed', by: 'system', kind: 'autoClosed' },
};

export function allows(move: SupportMove, state: SupportState, role: SupportRole): boolean {
  const transition = lifecycle[move];
  return transition.by === role && transition.from.includes(state);
}

/** The moves a role may make on a request in its state: what its card offers. */
export function movesFor(state: SupportState, role: SupportRole): SupportMove[] {
  return (Object.keys(lifecycle) as SupportMove[]).filter((move) => allows(move, state, role));
}

export const supportLimits = { subject: 150, description: 5_000, text: 5_000, attachments: 10 } as const;

export type SupportField = 'category' | 'subject' | 'description' | 'clientFile' | 'text';

export interface SupportInput {
  category?: string;
  subject?: string;
  description?: string;
  /** A client file's code (staff only). */
  clientFile?: string;
}

export interface ValidSupportInput {
  category: SupportCategory;
  subject: string;
  description: string;
  clientFileCode?: string;
}

/**
 * A draft needs only a subject; a request sent to the support needs its category and description too.
 * Every problem is reported at once, next to its field.
 */
export function validateSupportInput(input: SupportInput, purpose: 'draft' | 'send'): Validation<ValidSupportInput, SupportField> {
  const form = new FormChecker<SupportField>();
  const required = purpose === 'send';
  const categoryText = form.text('category', input.category, { required, max: 40 });
  let category: SupportCategory | undefined = categoryText === undefined ? 'other' : undefined;
  if (categoryText !== undefined) {
    if ((supportCategories as readonly string[]).includes(categoryText)) category = categoryText as SupportCategory;
    else form.errors.category = { code: 'category.unknown' };
  }
  const subject = form.text('subject', input.subject, { required: true, max: supportLimits.subject });
  const description = form.text('description', input.description, { required, max: supportLimits.description }) ?? '';
  const clientFileCode = form.text('clientFile', input.clientFile, { required: false, max: 40 });
  if (form.hasErrors || !category || !subject) return { ok: false, errors: form.errors };
  return { ok: true, value: { category, subject, description, clientFileCode } };
}

/** The text a move carries: required where the table says so, never longer than the limit. */
export function validateMoveText(move: SupportMove, raw: string | undefined): Validation<string | undefined, 'text'> {
  const form = new FormChecker<'text'>();
  const text = form.text('text', raw, { required: Boolean(lifecycle[move].needsText), max: supportLimits.text });
  return form.hasErrors ? { ok: false, errors: form.errors as FieldErrors<'text'> } : { ok: true, value: text };
}

export function supportSearchTokens(subject: string, description: string): string[] {
  return searchTokens(subject, description).filter((word) => word.length >= 2).slice(0, 400);
}

/** `n` working days (Monday to Friday) after `from`, at the same time of day. */
export function addWorkingDays(from: Date, days: number): Date {
  const date = new Date(from);
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  // Sent on a weekend with no delay: due the next Monday.
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

export const dayMs = 24 * 60 * 60 * 1_000;

/** What a requester's keyword or « n° 42 » means: a number, or words to find. */
export function parseSearch(text: string | undefined): { number?: number; words: string[] } {
  const trimmed = (text ?? '').trim();
  const number = /^(?:n°\s*|no\.?\s*|#)?(\d{1,9})$/i.exec(trimmed);
  if (number) return { number: Number(number[1]), words: [] };
  return { words: searchTokens(trimmed).slice(0, 8) };
}
