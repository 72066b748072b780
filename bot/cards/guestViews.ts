import type { ClientFile } from '../domain/clientFile.js';
import { contactDisplayName, type Contact } from '../domain/contact.js';
import type { GuestOnboarding } from '../domain/guest.js';
import type { InvitationPreview, InvitationSelection } from '../domain/guestOnboardingService.js';
import type { FirmTeam } from '../domain/ports.js';
import type { InvitationJob, InvitationJobItem } from '../jobs/invitationJobs.js';
import { format, messagesFor, type Language } from '../i18n/index.js';
import { renderCard, type AdaptiveCard } from './render.js';

export function formatDate(language: Language, date: Date | undefined): string {
  if (!date) return '';
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(date);
}

/** The one sentence that tells staff where a contact stands, everywhere it is shown. */
export function describeGuest(language: Language, guest: GuestOnboarding | undefined, teamName?: string): { text: string; color: 'Default' | 'Good' | 'Warning' | 'Attention' } {
  const t = messagesFor(language).guest;
  if (!guest) return { text: t.states.none, color: 'Default' };
  switch (guest.state) {
    case 'invited': {
      const reminders = guest.invitationCount > 1 ? ` · ${format(t.reminders, { count: guest.invitationCount - 1 })}` : '';
      return { text: format(t.states.invited, { date: formatDate(language, guest.invitedAt) }) + reminders, color: 'Warning' };
    }
    case 'accepted':
      return { text: format(t.states.accepted, { date: formatDate(language, guest.acceptedAt) }), color: 'Good' };
    case 'member':
      return { text: format(t.states.member, { team: teamName ?? guest.teamId ?? '', date: formatDate(language, guest.memberAt) }), color: 'Good' };
    case 'failed':
      return { text: format(t.states.failed, { reason: failureText(language, guest.failure?.reason) }), color: 'Attention' };
    case 'revoked':
      return { text: format(t.states.revoked, { date: formatDate(language, guest.revoked?.at), action: guest.revoked ? t.revocations[guest.revoked.action] : '' }), color: 'Default' };
  }
}

export function failureText(language: Language, reason: string | undefined): string {
  const failures = messagesFor(language).guest.failures as Record<string, string>;
  return (reason && failures[reason]) || reason || '';
}

export function invitePreviewCard(language: Language, preview: InvitationPreview, requestId: string): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.guest;
  const { contact, existing } = preview;
  const lines: string[] = [];
  let warning = '';
  let canInvite = true;
  const onboarded = contact.guest && ['invited', 'accepted', 'member'].includes(contact.guest.state);
  if (onboarded) {
    warning = format(t.previewAlready, { state: describeGuest(language, contact.guest).text });
    canInvite = false;
  } else if (existing?.userType === 'Member') {
    warning = t.previewDirectoryMember;
    canInvite = false;
  } else {
    lines.push(existing ? t.previewDirectoryGuest : format(t.previewDirectoryAbsent, { email: contact.email }));
  }
  const withTeam = preview.clientFiles.find((entry) => entry.team);
  if (preview.clientFiles.length === 0) lines.push(t.previewNoFile);
  else if (withTeam?.team) lines.push(format(t.previewTeam, { team: withTeam.team.displayName, code: withTeam.file.code }));
  else lines.push(t.previewNoTeam);
  return renderCard('invitePreview', {
    t,
    title: format(t.previewTitle, { name: contactDisplayName(contact) }),
    email: contact.email,
    lines: lines.map((line) => ({ line })),
    warning,
    canInvite,
    contactId: contact.id,
    requestId,
    cancelLabel: messages.actions.cancel,
  });
}

export function bulkInvitePreviewCard(language: Language, contacts: Contact[], selection: InvitationSelection, requestId: string): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.guest;
  const shown = contacts.slice(0, 10);
  return renderCard('bulkInvitePreview', {
    t,
    title: format(t.bulkTitle, { count: contacts.length }),
    count: contacts.length,
    sample: shown.map((contact) => ({ line: `• ${contactDisplayName(contact)} – ${contact.email}` })),
    more: contacts.length > shown.length ? format(t.bulkMore, { count: contacts.length - shown.length }) : '',
    requestId,
    selection,
    cancelLabel: messages.actions.cancel,
  });
}

export function jobProgressCard(language: Language, job: InvitationJob, failedItems: (InvitationJobItem & { name: string })[]): AdaptiveCard {
  const t = messagesFor(language).guest;
  const processed = job.counts.done + job.counts.failed + job.counts.skipped;
  const width = 30;
  const filled = job.total === 0 ? width : Math.round((processed / job.total) * width);
  return renderCard('jobProgress', {
    t,
    jobId: job.id,
    title: job.status === 'finished' ? t.jobFinishedTitle : t.jobTitle,
    counts: format(t.jobCounts, { processed, total: job.total, done: job.counts.done, skipped: job.counts.skipped, failed: job.counts.failed, remaining: job.total - processed }),
    bar: `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${job.total === 0 ? 100 : Math.floor((processed / job.total) * 100)} %`,
    startedBy: format(t.jobStartedBy, { name: job.createdBy.displayName, date: formatDate(language, job.createdAt) }),
    failures: failedItems.slice(0, 20).map((item) => ({ line: `• ${item.name} : ${failureText(language, item.outcome)}` })),
  });
}

export function guestWelcomeCard(language: Language, firmName: string, guest: { contact: Contact; clientFile?: ClientFile; directoryUserId: string }): AdaptiveCard {
  const t = messagesFor(language).guest;
  const name = contactDisplayName(guest.contact);
  return renderCard('guestWelcome', {
    title: format(t.welcomeTitle, { name }),
    name,
    userId: guest.directoryUserId,
    intro: format(t.welcomeIntro, { firm: firmName }),
    file: guest.clientFile ? format(t.welcomeFile, { code: guest.clientFile.code, name: guest.clientFile.companyName }) : '',
    next: format(t.welcomeNext, { email: guest.contact.email }),
  });
}

export function chooseTeamCard(language: Language, file: ClientFile, teams: FirmTeam[], banner = ''): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.guest;
  return renderCard('chooseTeam', {
    t,
    title: format(t.chooseTeamTitle, { code: file.code, name: file.companyName }),
    banner,
    teams: teams.map((team) => ({ title: `${team.displayName}${team.internal ? t.internalMark : ''}`, value: team.teamId })),
    current: file.guestTeamId ?? '',
    clientFileId: file.id,
    requiredMessage: messages.errors.requiredField,
    backLabel: messages.actions.cancel,
  });
}

export function firmTeamsCard(language: Language, teams: { team: FirmTeam; files: ClientFile[] }[], banner = ''): AdaptiveCard {
  const t = messagesFor(language).guest;
  return renderCard('firmTeams', {
    t,
    banner,
    teams: teams.map(({ team, files }) => ({
      teamId: team.teamId,
      name: team.displayName,
      mark: team.internal ? t.internalMark : '',
      files: files.map((file) => `${file.code} – ${file.companyName}`).join(', '),
      toggleLabel: team.internal ? t.markClient : t.markInternal,
      toggleTo: team.internal ? 'false' : 'true',
    })),
  });
}

export function revokeCard(language: Language, contact: Contact, teamName?: string, openOffers = 0): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.guest;
  return renderCard('revokeGuest', {
    t,
    offers: openOffers > 0 ? format(messages.engagement.revokeOffers, { count: String(openOffers) }) : '',
    title: format(t.revokeTitle, { name: contactDisplayName(contact) }),
    state: describeGuest(language, contact.guest, teamName).text,
    contactId: contact.id,
    choices: (['removedFromTeam', 'blocked', 'deleted'] as const).map((value) => ({ title: t.revocations[value], value })),
    requiredMessage: messages.errors.requiredField,
    cancelLabel: messages.actions.cancel,
  });
}
