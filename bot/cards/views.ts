import type { ClientFileDetails } from '../domain/clientFileService.js';
import type { ContactDetails } from '../domain/contactService.js';
import type { ClientFile } from '../domain/clientFile.js';
import { contactDisplayName, type Contact } from '../domain/contact.js';
import { legalForms, taxRegimes, unlimitedScope } from '../domain/catalogues.js';
import type { FieldErrors } from '../domain/errors.js';
import type { AuditEntry } from '../domain/ports.js';
import { noAuditNames, type AuditNames } from '../domain/auditNames.js';
import { auditDetailsText } from '../i18n/auditDetails.js';
import { auditActionLabel } from '../i18n/auditLabels.js';
import { fieldErrorMessage, format, messagesFor, type Language, type Messages } from '../i18n/index.js';
import { legacyKindOf } from '../domain/offers/legacy.js';
import { renderCard, type AdaptiveCard } from './render.js';
import { describeGuest, failureText, formatDate } from './guestViews.js';

/**
 * Presenters: turn domain records into the typed data of each card template. Every key a template
 * reads is always present (empty string when there is nothing to show) so no "${...}" leaks through.
 */
type Choice = { title: string; value: string };

/** No empty choice: a compact, optional ChoiceSet already lets the user leave it blank (its placeholder). */
function choicesOf(values: readonly string[]): Choice[] {
  return values.map((value) => ({ title: value, value }));
}

function errorTexts<Field extends string>(language: Language, fields: readonly Field[], errors: FieldErrors<Field>): Record<Field, string> {
  return Object.fromEntries(fields.map((field) => [field, errors[field] ? fieldErrorMessage(language, errors[field]!) : ''])) as Record<Field, string>;
}

function filled<Field extends string>(fields: readonly Field[], values: Partial<Record<Field, string>>): Record<Field, string> {
  return Object.fromEntries(fields.map((field) => [field, values[field] ?? ''])) as Record<Field, string>;
}

export function formatSiret(siret: string | undefined): string | undefined {
  return siret ? `${siret.slice(0, 3)} ${siret.slice(3, 6)} ${siret.slice(6, 9)} ${siret.slice(9)}` : undefined;
}

export function formatPhone(e164: string | undefined): string | undefined {
  if (!e164) return undefined;
  const french = /^\+33(\d)(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(e164);
  return french ? `0${french.slice(1).join(' ')}` : e164;
}

export function commandsCard(language: Language, kind: 'welcome' | 'help'): AdaptiveCard {
  const t = messagesFor(language);
  const commands = Object.values(t.commands).map(({ usage, description }) => ({ usage, description }));
  return renderCard('commands', {
    title: kind === 'welcome' ? t.welcome.title : t.help.title,
    intro: kind === 'welcome' ? t.welcome.intro : t.help.intro,
    hint: kind === 'welcome' ? t.welcome.startHint : '',
    commands,
    actions: t.actions,
  });
}

export const clientFileFormFields = ['code', 'companyName', 'legalForm', 'siret', 'apeCode', 'taxRegime'] as const;

export function clientFileFormCard(
  language: Language,
  form: { requestId: string; values?: Partial<Record<(typeof clientFileFormFields)[number], string>>; errors?: FieldErrors },
): AdaptiveCard {
  const t = messagesFor(language);
  const errors = form.errors ?? {};
  return renderCard('clientFileForm', {
    t: t.clientFile,
    banner: Object.keys(errors).length > 0 ? t.errors.formHasErrors : '',
    values: filled(clientFileFormFields, form.values ?? {}),
    errors: errorTexts(language, clientFileFormFields, errors),
    legalForms: choicesOf(legalForms),
    taxRegimes: choicesOf(taxRegimes),
    requestId: form.requestId,
    submitLabel: t.actions.create,
    requiredMessage: t.errors.requiredField,
    choosePlaceholder: t.errors.chooseOptional,
  });
}

export function clientFileDetailsCard(language: Language, details: ClientFileDetails, banner = ''): AdaptiveCard {
  const t = messagesFor(language);
  const { file } = details;
  const none = t.clientFile.none;
  return renderCard('clientFileDetails', {
    t: t.clientFile,
    actions: t.actions,
    banner,
    title: format(t.clientFile.detailsTitle, { code: file.code, name: file.companyName }),
    clientFileId: file.id,
    inviteAllLabel: t.guest.inviteAll,
    chooseTeamLabel: t.guest.chooseTeam,
    moreLabel: t.actions.more,
    facts: [
      { title: t.clientFile.code, value: file.code },
      { title: t.clientFile.companyName, value: file.companyName },
      { title: t.clientFile.legalForm, value: file.legalForm ?? none },
      { title: t.clientFile.siret, value: formatSiret(file.siret) ?? none },
      { title: t.clientFile.apeCode, value: file.apeCode ?? none },
      { title: t.clientFile.taxRegime, value: file.taxRegime ?? none },
      { title: t.guest.teamLabel, value: details.guestTeam?.displayName ?? t.guest.teamNone },
    ],
    contacts: details.contacts.map(({ contact, scope, primary }) => ({
      guestLine: `${t.guest.stateLabel} : ${describeGuest(language, contact.guest, details.guestTeam?.displayName).text}`,
      guestColor: describeGuest(language, contact.guest).color,
      id: contact.id,
      name: contactDisplayName(contact),
      primaryBadge: primary ? ` – ${t.clientFile.primary}` : '',
      isPrimary: primary,
      line: [contact.orgRole, contact.email, formatPhone(contact.mobile), `${t.clientFile.scope} : ${scope}`].filter(Boolean).join(' · '),
    })),
  });
}

export const contactFormFields = ['lastName', 'firstName', 'mobile', 'landline', 'email', 'orgRole', 'address1', 'address2', 'address3', 'city'] as const;

export function contactFormCard(
  language: Language,
  form: {
    requestId: string;
    orgRoles: readonly string[];
    /** When the form was opened from a client file, the new contact is linked to it. */
    clientFile?: ClientFile;
    values?: Partial<Record<(typeof contactFormFields)[number], string>>;
    errors?: FieldErrors;
    /** Editing this contact rather than creating one. */
    editing?: Contact;
  },
): AdaptiveCard {
  const t = messagesFor(language);
  const errors = form.errors ?? {};
  return renderCard('contactForm', {
    t: t.contact,
    formTitle: form.editing ? format(t.engagement.editTitle, { name: contactDisplayName(form.editing) }) : t.contact.formTitle,
    formIntro: form.editing
      ? t.engagement.editIntro
      : form.clientFile
        ? `${t.clientFile.formIntro} ${format(t.clientFile.detailsTitle, { code: form.clientFile.code, name: form.clientFile.companyName })}`
        : t.clientFile.formIntro,
    contactId: form.editing?.id ?? '',
    saveLabel: t.engagement.save,
    banner: Object.keys(errors).length > 0 ? t.errors.formHasErrors : '',
    values: filled(contactFormFields, form.values ?? {}),
    errors: errorTexts(language, contactFormFields, errors),
    orgRoles: choicesOf(form.orgRoles),
    requestId: form.requestId,
    clientFileId: form.clientFile?.id ?? '',
    submitLabel: t.actions.create,
    requiredMessage: t.errors.requiredField,
    choosePlaceholder: t.errors.chooseOptional,
  });
}

export function contactDetailsCard(language: Language, details: ContactDetails, banner = ''): AdaptiveCard {
  const t = messagesFor(language);
  const { contact } = details;
  const none = t.clientFile.none;
  const address = [contact.address.line1, contact.address.line2, contact.address.line3, contact.address.city].filter(Boolean).join(', ');
  return renderCard('contactDetails', {
    t: { ...t.contact, historyTitle: t.history.title },
    history: details.history.map((entry) => ({
      line: format(t.history.line, { date: formatDate(language, entry.actor.at), action: auditActionLabel(language, entry.action), who: entry.actor.displayName }),
    })),
    actions: t.actions,
    banner,
    title: format(t.contact.detailsTitle, { name: contactDisplayName(contact) }),
    contactId: contact.id,
    facts: [
      { title: t.contact.email, value: contact.email },
      { title: t.contact.mobile, value: formatPhone(contact.mobile) ?? none },
      { title: t.contact.landline, value: formatPhone(contact.landline) ?? none },
      { title: t.contact.orgRole, value: contact.orgRole ?? none },
      { title: t.contact.address, value: address || none },
      { title: t.guest.stateLabel, value: describeGuest(language, contact.guest, details.guestTeam?.displayName).text },
      ...identityChangeFact(language, contact),
      // Seed 000: an old access is listed on the contact's card, Co-production's kept and flagged.
      ...(legacyKindOf(contact) ? [{ title: t.offers.legacyLabel, value: t.offers[legacyKindOf(contact)!] }] : []),
    ],
    legacyFlagLabel: contact.legacyCoproductionLicence ? t.offers.legacyUnflag : t.offers.legacyFlag,
    legacyFlagValue: contact.legacyCoproductionLicence ? 'false' : 'true',
    inviteLabel: t.guest.invite,
    proposeLabel: t.offers.propose,
    revokeLabel: t.guest.revokeConfirm,
    canInvite: !contact.guest || contact.guest.state === 'failed' || contact.guest.state === 'revoked',
    canRevoke: Boolean(contact.guest && ['invited', 'accepted', 'member'].includes(contact.guest.state)),
    editLabel: t.engagement.edit,
    unlinkLabel: t.engagement.unlink,
    deleteLabel: t.engagement.delete,
    clientFiles: details.clientFiles.map(({ file, scope, primary }) => ({
      id: file.id,
      code: file.code,
      name: file.companyName,
      primaryBadge: primary ? ` – ${t.clientFile.primary}` : '',
      scopeLabel: `${t.clientFile.scope} : ${scope}`,
    })),
    otherServiceFiles: !details.otherServiceFiles ? '' : details.otherServiceFiles === 1 ? t.contact.otherServiceFile : format(t.contact.otherServiceFiles, { count: details.otherServiceFiles }),
  });
}

export const linkFormFields = ['contact', 'clientFile', 'scope'] as const;

export function linkFormCard(
  language: Language,
  form: {
    contact?: Contact;
    clientFile?: ClientFile;
    values?: { contactEmail?: string; clientFileCode?: string; scope?: string; primary?: string };
    errors?: FieldErrors;
  },
): AdaptiveCard {
  const t = messagesFor(language);
  const errors = form.errors ?? {};
  const context = [
    form.contact ? `${t.contact.detailsTitle.replace('{name}', contactDisplayName(form.contact))} (${form.contact.email})` : '',
    form.clientFile ? format(t.clientFile.detailsTitle, { code: form.clientFile.code, name: form.clientFile.companyName }) : '',
  ].filter(Boolean).join(' · ');
  return renderCard('linkForm', {
    t: t.link,
    context,
    banner: Object.keys(errors).length > 0 ? t.errors.formHasErrors : '',
    askContact: !form.contact,
    askClientFile: !form.clientFile,
    contactId: form.contact?.id ?? '',
    clientFileId: form.clientFile?.id ?? '',
    values: {
      contactEmail: form.values?.contactEmail ?? '',
      clientFileCode: form.values?.clientFileCode ?? '',
      scope: form.values?.scope || unlimitedScope,
      primary: form.values?.primary === 'true' ? 'true' : 'false',
    },
    errors: errorTexts(language, linkFormFields, errors),
    submitLabel: t.actions.save,
    requiredMessage: t.errors.requiredField,
  });
}

export function clientFileResultsCard(language: Language, query: string, files: ClientFile[], more: boolean): AdaptiveCard {
  const t = messagesFor(language);
  return renderCard('searchResults', {
    title: format(t.clientFile.searchResultsTitle, { query }),
    openLabel: t.actions.open,
    items: files.map((file) => ({
      heading: `${file.code} – ${file.companyName}`,
      subheading: [file.legalForm, formatSiret(file.siret)].filter(Boolean).join(' · '),
      verb: 'clientFile.show',
      data: { clientFileId: file.id },
    })),
    footer: more ? t.clientFile.moreResults : '',
  });
}

export function contactResultsCard(language: Language, query: string, contacts: Contact[], more: boolean, verb = 'contact.show'): AdaptiveCard {
  const t = messagesFor(language);
  return renderCard('searchResults', {
    title: format(t.contact.searchResultsTitle, { query }),
    openLabel: t.actions.open,
    items: contacts.map((contact) => ({
      heading: contactDisplayName(contact),
      subheading: [contact.orgRole, contact.email, describeGuest(language, contact.guest).text].filter(Boolean).join(' · '),
      verb,
      data: { contactId: contact.id },
    })),
    footer: more ? t.clientFile.moreResults : '',
  });
}

export function orgRolesCard(language: Language, roles: readonly string[], banner?: { text: string; good: boolean }): AdaptiveCard {
  const t: Messages = messagesFor(language);
  return renderCard('orgRoles', {
    t: t.orgRoles,
    actions: t.actions,
    banner: banner?.text ?? '',
    bannerColor: banner?.good ? 'Good' : 'Attention',
    roles: roles.map((name) => ({ name })),
  });
}

/** The latest audit entries, as staff read them: when, what, who, on which file and contact. */
export function auditLogCard(
  language: Language,
  title: string,
  entries: { entry: AuditEntry; clientFile?: string; contact?: string }[],
  names: AuditNames = noAuditNames,
): AdaptiveCard {
  const t = messagesFor(language);
  return renderCard('auditLog', {
    title,
    empty: t.history.empty,
    hint: t.history.exportHint,
    entries: entries.map(({ entry, clientFile, contact }) => ({
      line: [format(t.history.line, { date: formatDate(language, entry.actor.at), action: auditActionLabel(language, entry.action), who: entry.actor.displayName }), clientFile, contact].filter(Boolean).join(' · '),
      details: auditDetailsText(language, entry, names),
    })),
  });
}

/** The change of address under way (or failed) on a contact's card: never half-done silently. */
function identityChangeFact(language: Language, contact: Contact): { title: string; value: string }[] {
  const change = contact.identityChange;
  if (!change) return [];
  const t = messagesFor(language).engagement;
  const params = { from: change.from, to: change.to };
  return [{
    title: t.identityLabel,
    value: change.failure ? format(t.identityFailed, { ...params, reason: failureText(language, change.failure.reason) }) : format(t.identityPending, params),
  }];
}
