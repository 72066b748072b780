import type { AccessRequest } from '../domain/access/ports.js';
import { applications, type Membership, type Profile, type Requirement, type Role } from '../domain/access/profiles.js';
import { format, messagesFor, type Language } from '../i18n/index.js';
import { renderCard, type AdaptiveCard } from './render.js';

export function profileName(language: Language, profile: Profile): string {
  const t = messagesFor(language).access;
  return `${t.applications[profile.application]} – ${t.levels[profile.level]}`;
}

/** Why the user may not do this, and the button to ask for it (the requester comes from Teams, not from this card). */
export function accessRefusedCard(language: Language, reason: 'notAttached' | 'detached' | 'missingProfile', missing?: Requirement): AdaptiveCard {
  const t = messagesFor(language).access;
  const message =
    reason === 'missingProfile' && missing
      ? format(t.refusedMissingProfile, { application: t.applications[missing.application], level: t.levels[missing.level] })
      : reason === 'detached'
        ? t.refusedDetached
        : t.refusedNotAttached;
  const request = reason === 'missingProfile' && missing ? { kind: 'profile', application: missing.application, level: missing.level } : { kind: 'join' };
  return renderCard('accessRefused', {
    message,
    canRequest: true,
    commentLabel: t.requestComment,
    requestLabel: reason === 'missingProfile' ? t.requestProfile : t.requestJoin,
    request,
  });
}

export function myRightsCard(language: Language, membership: Membership | null, role: Role | null, pendingCount: number | null): AdaptiveCard {
  const t = messagesFor(language).access;
  return renderCard('myRights', {
    title: t.myRightsTitle,
    role: format(t.myRole, { role: role ? t.roles[role] : t.refusedNotAttached }),
    profilesTitle: t.profilesTitle,
    noProfile: t.noProfile,
    profiles: (membership?.status === 'attached' ? membership.profiles : []).map((profile) => ({ line: profileName(language, profile) })),
    pending: pendingCount ? format(t.pendingCounter, { count: pendingCount }) : '',
  });
}

export function describeRequest(language: Language, request: AccessRequest): string {
  const t = messagesFor(language).access;
  if (request.kind === 'join') return t.requestJoinWhat;
  if (request.kind === 'paidOffer') return format(t.requestPaidOfferWhat, { offer: request.offer?.summary ?? '' });
  return format(t.requestProfileWhat, { application: t.applications[request.profile!.application], level: t.levels[request.profile!.level] });
}

export function accessRequestsCard(language: Language, requests: AccessRequest[], banner?: { text: string; good: boolean }): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  return renderCard('accessRequests', {
    title: format(t.requestsTitle, { count: requests.length }),
    banner: banner?.text ?? '',
    bannerColor: banner?.good ? 'Good' : 'Attention',
    noRequests: t.noRequests,
    approveLabel: t.approve,
    refuseLabel: t.refuse,
    reasonLabel: t.refuseReason,
    requiredMessage: messages.errors.requiredField,
    requests: requests.map((request) => ({
      number: request.number,
      line: format(t.requestLine, { number: request.number, who: request.requester.displayName, email: request.requester.email, what: describeRequest(language, request) }),
      comment: request.comment ? format(t.requestCommentLine, { comment: request.comment }) : '',
    })),
  });
}

export function staffUsersCard(language: Language, members: Membership[], mainManagerEmail: string | null, banner?: { text: string; good: boolean }): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  return renderCard('staffUsers', {
    title: t.usersTitle,
    banner: banner?.text ?? '',
    bannerColor: banner?.good ? 'Good' : 'Attention',
    hint: `${t.attachUsage} ${t.transferUsage}`,
    editLabel: t.editProfiles,
    detachLabel: t.detach,
    commentLabel: t.detachComment,
    requiredMessage: messages.errors.requiredField,
    users: members.map((member, index) => ({
      index,
      email: member.email,
      attached: member.status === 'attached',
      line:
        member.status === 'attached'
          ? format(t.userLine, { name: member.displayName, email: member.email, role: t.roles[member.email === mainManagerEmail ? 'mainManager' : 'user'] })
          : format(t.detachedLine, { name: member.displayName, email: member.email, comment: member.detachComment ?? '' }),
      profiles: member.profiles.map((profile) => profileName(language, profile)).join(' · ') || t.noProfile,
    })),
  });
}

export function userProfilesCard(language: Language, member: Membership): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  return renderCard('userProfiles', {
    title: format(t.profilesFormTitle, { name: member.displayName }),
    intro: t.profilesFormIntro,
    email: member.email,
    expected: JSON.stringify(member.profiles),
    requiredMessage: messages.errors.requiredField,
    saveLabel: messages.actions.save,
    cancelLabel: messages.actions.cancel,
    levels: (['none', 'consultation', 'modification'] as const).map((level) => ({ title: t.levels[level], value: level })),
    applications: applications.map((application) => ({
      id: `profile_${application}`,
      label: t.applications[application],
      value: member.profiles.find((profile) => profile.application === application)?.level ?? 'none',
    })),
  });
}
