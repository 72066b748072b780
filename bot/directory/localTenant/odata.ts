import type { User } from '@microsoft/microsoft-graph-types';

/**
 * The few OData forms the local tenant understands: exactly what GraphDirectory sends.
 * Anything else is refused like Graph refuses an unsupported query.
 */

const literal = "'((?:[^']|'')*)'";

export function unquote(value: string): string {
  return value.replace(/''/g, "'");
}

export interface EmailClause {
  property: 'mail' | 'otherMails';
  value: string;
}

/** `mail eq '..'`, `otherMails/any(x:x eq '..')`, joined by `or`; null when the filter is anything else. */
export function parseUserEmailFilter(filter: string): EmailClause[] | null {
  const mailClause = new RegExp(`^mail\\s+eq\\s+${literal}`, 'i');
  const otherMailsClause = new RegExp(`^otherMails/any\\(\\s*(\\w+)\\s*:\\s*\\1\\s+eq\\s+${literal}\\s*\\)`, 'i');
  const clauses: EmailClause[] = [];
  let rest = filter.trim();
  for (;;) {
    const mail = mailClause.exec(rest);
    const other = mail ? null : otherMailsClause.exec(rest);
    if (mail) clauses.push({ property: 'mail', value: unquote(mail[1]!) });
    else if (other) clauses.push({ property: 'otherMails', value: unquote(other[2]!) });
    else return null;
    rest = rest.slice((mail ?? other)![0].length).trim();
    if (rest === '') return clauses;
    const or = /^or\s+/i.exec(rest);
    if (!or) return null;
    rest = rest.slice(or[0].length);
  }
}

/** `(microsoft.graph.aadUserConversationMember/userId eq '..')`, parentheses optional. */
export function parseMemberUserIdFilter(filter: string): string | null {
  const match = new RegExp(`^\\(?\\s*microsoft\\.graph\\.aadUserConversationMember/userId\\s+eq\\s+${literal}\\s*\\)?$`, 'i').exec(filter.trim());
  return match ? unquote(match[1]!) : null;
}

/** What Graph returns for a user when no $select is given. */
export const defaultUserProperties = [
  'businessPhones',
  'displayName',
  'givenName',
  'id',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
] as const;

/** Properties the local tenant knows; others in $select are refused as Graph does. */
export const knownUserProperties = new Set<string>([
  ...defaultUserProperties,
  'accountEnabled',
  'createdDateTime',
  'creationType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'otherMails',
  'userType',
]);

export type SelectResult = { ok: true; properties: string[] | null } | { ok: false; unknown: string };

export function parseSelect(select: string | null): SelectResult {
  if (select === null) return { ok: true, properties: null };
  const properties = select.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = properties.find((name) => !knownUserProperties.has(name));
  return unknown ? { ok: false, unknown } : { ok: true, properties };
}

/** Keeps the selected properties (unset ones as null, like Graph); externalUserState only when selected. */
export function projectUser(user: User, properties: string[] | null): Record<string, unknown> {
  const names = properties ?? [...defaultUserProperties];
  const source = user as Record<string, unknown>;
  return Object.fromEntries(names.map((name) => [name, source[name] ?? (name === 'businessPhones' || name === 'otherMails' ? [] : null)]));
}
