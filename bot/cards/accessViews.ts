import type { AccessRequest, RequestedOffer } from '../domain/access/ports.js';
import type { ClientFile } from '../domain/clientFile.js';
import { defaultStructureId, type Service, type Structure, type StructureFieldError } from '../domain/access/structures.js';
import { applications, type Membership, type Profile, type Requirement, type Role } from '../domain/access/profiles.js';
import { fieldErrorMessage, format, messagesFor, type Language } from '../i18n/index.js';
import { renderCard, type AdaptiveCard } from './render.js';

export function profileName(language: Language, profile: Profile): string {
  const t = messagesFor(language).access;
  return `${t.applications[profile.application]} – ${t.levels[profile.level]}`;
}

/** Why the user may not do this, and the button to ask for it (the requester comes from Teams, not from this card). */
export function accessRefusedCard(language: Language, reason: 'notAttached' | 'detached' | 'missingProfile' | 'structureInactive', missing?: Requirement): AdaptiveCard {
  const t = messagesFor(language).access;
  const message =
    reason === 'missingProfile' && missing
      ? format(t.refusedMissingProfile, { application: t.applications[missing.application], level: t.levels[missing.level] })
      : reason === 'structureInactive'
        ? t.refusedStructureInactive
        : reason === 'detached'
          ? t.refusedDetached
          : t.refusedNotAttached;
  const request = reason === 'missingProfile' && missing ? { kind: 'profile', application: missing.application, level: missing.level } : { kind: 'join' };
  return renderCard('accessRefused', {
    message,
    // Nothing to ask for in a deactivated structure: only its administrators can reopen it.
    canRequest: reason !== 'structureInactive',
    commentLabel: t.requestComment,
    requestLabel: reason === 'missingProfile' ? t.requestProfile : t.requestJoin,
    request,
  });
}

/** `services`: the structure's services, to name those the user is attached to. */
export function myRightsCard(language: Language, membership: Membership | null, role: Role | null, pendingCount: number | null, services: Service[] = []): AdaptiveCard {
  const t = messagesFor(language).access;
  const attached = membership?.status === 'attached';
  const names = new Map(services.map((service) => [service.id, service.name]));
  return renderCard('myRights', {
    title: t.myRightsTitle,
    role: format(t.myRole, { role: role ? t.roles[role] : t.refusedNotAttached }),
    attachment: !attached ? '' : membership.services.length ? format(t.memberIn, { services: membership.services.map((id) => names.get(id) ?? id).join(', ') }) : t.memberWhole,
    profilesTitle: t.profilesTitle,
    noProfile: t.noProfile,
    profiles: (membership?.status === 'attached' ? membership.profiles : []).map((profile) => ({ line: profileName(language, profile) })),
    pending: pendingCount ? format(t.pendingCounter, { count: pendingCount }) : '',
  });
}

export function describeRequest(language: Language, request: AccessRequest): string {
  const t = messagesFor(language).access;
  if (request.kind === 'join') return request.service ? format(t.requestJoinServiceWhat, { service: request.serviceName ?? '' }) : t.requestJoinWhat;
  if (request.kind === 'paidOffer') return describeRequestedOffer(language, request.offer);
  return format(t.requestProfileWhat, { application: t.applications[request.profile!.application], level: t.levels[request.profile!.level] });
}

/** The exact offer operation asked: an activation, a change from one offer to another, or an end. */
function describeRequestedOffer(language: Language, offer: RequestedOffer | undefined): string {
  const t = messagesFor(language).access;
  // Older requests kept only a French summary of an activation.
  if (!offer?.offerName) return format(t.requestPaidOfferWhat, { offer: offer?.summary ?? '' });
  const params = { offer: offer.offerName, name: offer.contactName ?? '', code: offer.clientFileCode ?? '' };
  if (offer.operation === 'change') return format(t.requestOfferChangeWhat, { ...params, from: offer.fromOfferName ?? offer.fromOfferId });
  if (offer.operation === 'end') return format(t.requestOfferEndWhat, params);
  return format(t.requestOfferActivateWhat, params);
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

/** An approver's copy of a request once someone decided it: no buttons left, who decided and how. */
export function accessRequestDecidedCard(language: Language, request: AccessRequest): AdaptiveCard {
  const t = messagesFor(language).access;
  const by = request.decision?.by.displayName ?? '';
  return renderCard('accessRequestDecided', {
    title: format(t.requestDecidedTitle, { number: request.number, who: request.requester.displayName }),
    what: describeRequest(language, request),
    decision: request.status === 'approved' ? format(t.requestDecidedApproved, { by }) : format(t.requestDecidedRefused, { by, reason: request.decision?.reason ?? '' }),
    decisionColor: request.status === 'approved' ? 'Good' : 'Attention',
  });
}

export function staffUsersCard(
  language: Language,
  members: Membership[],
  mainManagerEmail: string | null,
  banner?: { text: string; good: boolean },
  structure?: Pick<Structure, 'id' | 'services' | 'displayName' | 'legalName' | 'siret'>,
): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  const serviceNames = new Map((structure?.services ?? []).map((service) => [service.id, service.name]));
  const structureName = structure && structure.id !== defaultStructureId ? structureTitle(language, structure) : undefined;
  return renderCard('staffUsers', {
    title: structureName ? `${t.usersTitle} – ${structureName}` : t.usersTitle,
    structureId: structure?.id ?? defaultStructureId,
    servicesLabel: t.editServices,
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
      services: member.services.length ? format(t.memberIn, { services: member.services.map((id) => serviceNames.get(id) ?? id).join(', ') }) : t.memberWhole,
    })),
  });
}

export function userProfilesCard(language: Language, member: Membership): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  return renderCard('userProfiles', {
    title: format(t.profilesFormTitle, { name: member.displayName }),
    structureId: member.structureId ?? defaultStructureId,
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

type Banner = { text: string; good: boolean };

/** What staff call a structure: their chosen name, the register's, or the default structure's label. */
export function structureTitle(language: Language, structure: Pick<Structure, 'id' | 'displayName' | 'legalName' | 'siret'>): string {
  return structure.displayName ?? structure.legalName ?? (structure.id === defaultStructureId ? messagesFor(language).access.structureDefaultName : (structure.siret ?? structure.id));
}

function serviceLabel(language: Language, service: Service): string {
  return service.active ? service.name : format(messagesFor(language).access.serviceInactiveMark, { name: service.name });
}

/**
 * A structure: the register's fields read-only, what staff may change as a form (administrators
 * only), its status, main manager and services.
 */
export function structureCard(
  language: Language,
  structure: Structure,
  options: { canEdit: boolean; banner?: Banner; errors?: StructureFieldError[]; values?: Record<string, string | undefined> },
): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  const errorOf = (field: string) => {
    const error = options.errors?.find((candidate) => candidate.field === field);
    return error ? fieldErrorMessage(language, { code: error.code, params: error.max ? { max: error.max } : undefined }) : '';
  };
  const valueOf = (field: 'displayName' | 'addressLine' | 'phone' | 'contactEmail') => options.values?.[field] ?? structure[field] ?? '';
  return renderCard('structure', {
    title: format(t.structureTitle, { name: structureTitle(language, structure) }),
    banner: options.banner?.text ?? '',
    bannerColor: options.banner?.good ? 'Good' : 'Attention',
    registerTitle: t.registerTitle,
    register: [
      { title: t.siretLabel, value: structure.siret ?? t.notProvided },
      { title: t.legalNameLabel, value: structure.legalName ?? t.notProvided },
    ],
    status: format(t.statusLine, { status: structure.active ? t.statusActive : t.statusInactive }),
    manager: format(t.mainManagerLine, { email: structure.mainManagerEmail ?? t.nobody }),
    services: format(t.servicesLine, { services: structure.services.map((service) => serviceLabel(language, service)).join(', ') || t.noServices }),
    canEdit: options.canEdit,
    editTitle: t.editTitle,
    fields: (['displayName', 'addressLine', 'phone', 'contactEmail'] as const).map((field) => ({
      id: field,
      label: t[`${field}Label`],
      value: valueOf(field),
      maxLength: field === 'displayName' ? 120 : field === 'addressLine' ? 200 : field === 'phone' ? 40 : 254,
      error: errorOf(field),
    })),
    requiredMessage: messages.errors.requiredField,
    saveLabel: messages.actions.save,
    servicesLabel: t.openServices,
    usersLabel: t.openUsers,
    active: structure.active,
    deactivateLabel: t.deactivateStructure,
    activateLabel: t.activateStructure,
    structureId: structure.id,
    version: structure.version,
  });
}

/** Asked before deactivating: a deactivated structure stops every staff command in it. */
export function structureConfirmCard(language: Language, structure: Structure): AdaptiveCard {
  const t = messagesFor(language).access;
  return renderCard('structureConfirm', {
    title: format(t.confirmDeactivateTitle, { name: structureTitle(language, structure) }),
    text: t.confirmDeactivateText,
    confirmLabel: t.confirmDeactivate,
    keepLabel: t.keepActive,
    structureId: structure.id,
  });
}

/** The firm's structures, with the reader's role in each. */
export function structuresCard(
  language: Language,
  rows: { structure: Structure; role: 'mainManager' | 'user' | null }[],
  banner?: Banner,
): AdaptiveCard {
  const t = messagesFor(language).access;
  return renderCard('structures', {
    title: t.structuresTitle,
    banner: banner?.text ?? '',
    bannerColor: banner?.good ? 'Good' : 'Attention',
    hint: t.structuresHint,
    openLabel: messagesFor(language).actions.open,
    structures: rows.map(({ structure, role }) => ({
      structureId: structure.id,
      line: format(t.structureLine, {
        name: structureTitle(language, structure),
        siret: structure.siret ?? t.notProvided,
        status: structure.active ? t.statusActive : t.statusInactive,
        manager: structure.mainManagerEmail ?? t.nobody,
      }),
      role: format(t.myRoleIn, { role: role ? t.roles[role] : t.notMember }),
    })),
  });
}

/** A structure's services: create, rename, deactivate or reactivate (administrators). */
export function structureServicesCard(language: Language, structure: Structure, options: { canEdit: boolean; banner?: Banner }): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  return renderCard('structureServices', {
    title: format(t.servicesTitle, { name: structureTitle(language, structure) }),
    banner: options.banner?.text ?? '',
    bannerColor: options.banner?.good ? 'Good' : 'Attention',
    intro: t.servicesIntro,
    empty: t.noServices,
    hasServices: structure.services.length > 0,
    canEdit: options.canEdit,
    structureId: structure.id,
    renameLabel: t.renameService,
    newNameLabel: t.renameLabel,
    deactivateLabel: t.deactivateService,
    activateLabel: t.activateService,
    requiredMessage: messages.errors.requiredField,
    createLabel: t.createService,
    newServiceLabel: t.newServiceLabel,
    backLabel: format(t.structureTitle, { name: structureTitle(language, structure) }),
    services: structure.services.map((service, index) => ({
      index,
      serviceId: service.id,
      line: serviceLabel(language, service),
      name: service.name,
      active: service.active,
    })),
  });
}

/** Where one user is attached in a structure: the whole of it, or chosen services. */
export function memberServicesCard(language: Language, structure: Structure, member: Membership, banner?: Banner): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  const names = new Map(structure.services.map((service) => [service.id, service.name]));
  // Deactivated services stay listed for those already in them, so they can be detached from them.
  const choices = structure.services.filter((service) => service.active || member.services.includes(service.id));
  return renderCard('memberServices', {
    title: format(t.memberServicesTitle, { name: member.displayName }),
    banner: banner?.text ?? '',
    bannerColor: banner?.good ? 'Good' : 'Attention',
    current: member.services.length ? format(t.memberIn, { services: member.services.map((id) => names.get(id) ?? id).join(', ') }) : t.memberWhole,
    hasServices: choices.length > 0,
    empty: t.noServices,
    chooseLabel: t.chooseServices,
    choices: choices.map((service) => ({ title: serviceLabel(language, service), value: service.id })),
    selected: member.services.join(','),
    hasCurrent: member.services.length > 0,
    leaveLabel: t.leaveServices,
    leaveChoices: structure.services.filter((service) => member.services.includes(service.id)).map((service) => ({ title: serviceLabel(language, service), value: service.id })),
    requiredMessage: messages.errors.requiredField,
    commentLabel: t.detachServicesComment,
    attachWholeLabel: t.attachWhole,
    attachServicesLabel: t.attachServices,
    detachServicesLabel: t.detachServices,
    backLabel: messages.actions.cancel,
    email: member.email,
    structureId: structure.id,
  });
}

/** The value of the « no service » choice: the file goes back to the whole structure. */
export const noServiceChoice = 'none';

/** Which service a client file is entrusted to: one of the active services, or none. */
export function clientFileServiceCard(language: Language, file: Pick<ClientFile, 'id' | 'code' | 'companyName' | 'serviceId'>, services: Service[], banner = ''): AdaptiveCard {
  const messages = messagesFor(language);
  const t = messages.access;
  const current = services.find((service) => service.id === file.serviceId);
  // A deactivated service the file still has stays listed, so that keeping it is possible.
  const choices = services.filter((service) => service.active || service.id === file.serviceId);
  return renderCard('clientFileService', {
    title: format(t.fileServiceTitle, { code: file.code, name: file.companyName }),
    banner: banner || (choices.length === 0 ? t.fileServiceNoServices : ''),
    current: format(t.fileServiceCurrent, { service: current ? serviceLabel(language, current) : t.fileServiceNone }),
    intro: t.fileServiceIntro,
    chooseLabel: t.chooseServices,
    selected: file.serviceId ?? noServiceChoice,
    choices: [{ title: t.fileServiceNone, value: noServiceChoice }, ...choices.map((service) => ({ title: serviceLabel(language, service), value: service.id }))],
    requiredMessage: messages.errors.requiredField,
    saveLabel: messages.actions.save,
    cancelLabel: messages.actions.cancel,
    clientFileId: file.id,
  });
}
