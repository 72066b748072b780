import type { ArticleSuggestion } from '../domain/help/knowledgeBaseLink.js';
import type { FieldErrors } from '../domain/errors.js';
import { lifecycle, supportCategories, type SupportMove, type SupportRequest, type SupportState } from '../domain/support/supportRequest.js';
import { requesterTabs, type RequesterTab } from '../domain/support/supportRequests.js';
import { fieldErrorMessage, format, messagesFor, type Language } from '../i18n/index.js';
import { formatDate } from './guestViews.js';
import { renderCard, type AdaptiveCard } from './render.js';

export interface SupportFormOptions {
  /** `client.supportSubmit`: the same verb for clients and staff, the use case tells them apart. */
  creationRequestId: string;
  draft?: SupportRequest;
  values?: { category?: string; clientFile?: string; subject?: string; description?: string };
  errors?: FieldErrors;
  suggestions?: ArticleSuggestion[];
  showClientFile: boolean;
  banner?: string;
}

/** The form of a new request or of a draft: category, file (staff), subject, description; draft or send. */
export function supportFormCard(language: Language, options: SupportFormOptions): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.support;
  const values = options.values ?? (options.draft ? { category: options.draft.category, subject: options.draft.subject, description: options.draft.description } : {});
  const errorOf = (field: string) => {
    const error = options.errors?.[field];
    return error ? fieldErrorMessage(language, error) : '';
  };
  const suggestions = options.suggestions ?? [];
  return renderCard('supportForm', {
    banner: options.banner ?? (options.errors && Object.keys(options.errors).length ? t.formErrors : ''),
    title: options.draft ? format(t.draftTitle, { number: options.draft.number }) : t.formTitle,
    intro: t.formIntro,
    suggestionsTitle: t.suggestionsTitle,
    suggestionsHint: t.suggestionsHint,
    suggestions: suggestions.map((article) => ({ line: format(t.suggestionLine, { title: article.title }) })),
    categoryLabel: t.categoryLabel,
    category: values.category ?? 'other',
    categories: supportCategories.map((category) => ({ title: t.categories[category], value: category })),
    clientFileLabel: t.clientFileLabel,
    clientFile: values.clientFile ?? '',
    showClientFile: options.showClientFile,
    subjectLabel: t.subjectLabel,
    subject: values.subject ?? '',
    descriptionLabel: t.descriptionLabel,
    description: values.description ?? '',
    errors: { category: errorOf('category'), clientFile: errorOf('clientFile'), subject: errorOf('subject'), description: errorOf('description') },
    sendLabel: suggestions.length ? t.sendAnyway : t.send,
    confirmed: suggestions.length ? 'true' : 'false',
    saveDraftLabel: t.saveDraft,
    quitLabel: t.quit,
    creationRequestId: options.creationRequestId,
    requestId: options.draft?.id ?? '',
    version: options.draft?.version ?? 0,
  });
}

/** Each move's text has its own input id: several Action.ShowCard of one card may not share one. */
export function textInputOf(move: SupportMove): string {
  return `${move}Text`;
}

export interface SupportCardOptions {
  moves: SupportMove[];
  /** Teams users who get their own view when they open the card (at most 60). */
  refreshUserIds: string[];
  clientFileLabel?: string;
  assignees?: { userId: string; displayName: string }[];
  banner?: { text: string; good: boolean };
  canDraftArticle?: boolean;
}

/** A request as one person sees it: its facts, description, timeline and the moves open to them. */
export function supportRequestCard(language: Language, request: SupportRequest, options: SupportCardOptions): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.support;
  const isRequesterView = options.moves.some((move) => lifecycle[move].by === 'requester');
  const hint =
    isRequesterView && request.state === 'actionRequired'
      ? t.actionRequiredHint
      : isRequesterView && request.state === 'resolved'
        ? format(t.resolvedHint, { date: formatDate(language, request.autoCloseAt) })
        : '';
  return renderCard('supportRequest', {
    requestId: request.id,
    version: request.version,
    refreshUserIds: options.refreshUserIds.slice(0, 60),
    banner: options.banner?.text ?? '',
    bannerColor: options.banner?.good === false ? 'Attention' : 'Good',
    title: format(t.title, { number: request.number, subject: request.subject }),
    facts: [
      { title: t.facts.state, value: t.states[request.state] },
      { title: t.facts.category, value: t.categories[request.category] },
      { title: t.facts.clientFile, value: options.clientFileLabel ?? t.noFile },
      { title: t.facts.requester, value: request.requester.displayName || '—' },
      { title: t.facts.assignee, value: request.assignee?.displayName ?? t.nobody },
      { title: t.facts.created, value: formatDate(language, request.created.at) },
    ],
    hint,
    descriptionTitle: t.descriptionTitle,
    description: request.description,
    timelineTitle: t.timelineTitle,
    // Latest first, as the seed's « activité »; the card keeps the last twenty, the tab shows them all.
    timeline: [...request.timeline].reverse().slice(0, 20).map((entry) => ({
      line: format(t.timelineLine, { date: formatDate(language, entry.by.at), who: entry.by.displayName, what: t.kinds[entry.kind] }),
      text: [entry.kind === 'articleDrafted' ? '' : (entry.text ?? ''), ...(entry.attachments ?? []).map((file) => format(t.attachmentLine, { name: file.name, url: file.url }))].filter(Boolean).join('\n\n'),
    })),
    moves: Object.fromEntries(
      (['take', 'accept', 'answer', 'askInformation', 'proposeSolution', 'reply', 'refuse'] as const).map((move) => [
        move,
        { shown: options.moves.includes(move), title: t.moves[move], label: move in t.textLabels ? t.textLabels[move as keyof typeof t.textLabels] : '' },
      ]),
    ) as Record<string, { shown: boolean; title: string; label: string }>,
    reassignLabel: t.moves.reassign,
    draftArticle: { shown: Boolean(options.canDraftArticle && (request.state === 'resolved' || request.state === 'closed') && !request.articleId), title: t.moves.draftArticle },
    assigneeLabel: t.assigneeLabel,
    assignees: options.moves.includes('reassign') ? (options.assignees ?? []).map((person) => ({ title: person.displayName, value: person.userId })) : [],
    requiredMessage: messages.errors.requiredField,
  });
}

export interface SupportListOptions {
  scope: 'mine' | 'queue';
  items: SupportRequest[];
  counts: Partial<Record<SupportState, number>>;
  search?: string;
  banner?: string;
  /** Staff holding the support's profile also get the queue's tabs (and the queue, their own). */
  isSupport: boolean;
}

/** One's requests by the seed's tabs with counts, or the support's queue by state. */
export function supportListCard(language: Language, options: SupportListOptions): AdaptiveCard {
  const t = messagesFor(language).support;
  const countOf = (states: readonly SupportState[]) => states.reduce((sum, state) => sum + (options.counts[state] ?? 0), 0);
  const mineTabs = (Object.keys(requesterTabs) as RequesterTab[]).map((tab) => ({ title: format(t.tabLine, { tab: t.tabs[tab], count: countOf(requesterTabs[tab]) }), tab }));
  const queueTabs = (['inProgress', 'actionRequired', 'resolved', 'closed'] as const).map((state) => ({ title: format(t.tabLine, { tab: t.states[state], count: options.counts[state] ?? 0 }), tab: state }));
  const tabs = options.scope === 'mine' ? mineTabs : queueTabs;
  return renderCard('supportList', {
    banner: options.banner ?? '',
    title: options.search ? format(t.searchTitle, { search: options.search }) : options.scope === 'mine' ? t.listTitle : t.queueTitle,
    tabsLine: tabs.map((tab) => tab.title).join(' · '),
    none: t.none,
    openLabel: t.moves.open,
    items: options.items.map((request) => ({
      id: request.id,
      line: format(t.itemLine, { number: request.number, subject: request.subject, state: t.states[request.state], date: formatDate(language, request.updatedAt) }),
    })),
    mineTabs: options.scope === 'mine' ? mineTabs : [],
    queueTabs: options.scope === 'queue' ? queueTabs : [],
    showQueue: options.isSupport && options.scope === 'mine',
    showQueueLabel: t.showQueue,
    showMine: options.scope === 'queue',
    showMineLabel: t.showMine,
    newLabel: t.newRequest,
  });
}
