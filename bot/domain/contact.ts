import type { ActorStamp } from './actor.js';
import type { GuestMembership, GuestOnboarding } from './guest.js';
import type { GuestFate } from './ports.js';
import { fieldLimits } from './catalogues.js';
import { FormChecker, type Validation } from './form.js';
import { checkEmail, checkMobilePhone, checkPhone, searchTokens } from './fieldRules.js';

/** A person at a client company ("interlocuteur"). The e-mail is unique in the firm: it is the guest's identity. */
export interface Contact extends ValidContact {
  id: string;
  firmId: string;
  searchTokens: string[];
  creationRequestId: string;
  created: ActorStamp;
  updatedAt: Date;
  /** Absent until the contact is first invited. */
  guest?: GuestOnboarding;
  /** Old Co-production access with a paid Microsoft 365 licence, kept but to be reviewed. */
  legacyCoproductionLicence?: boolean;
  /** A change of e-mail of an invited contact, until its directory steps are all done (bot/domain/identityChange.ts). */
  identityChange?: IdentityChange;
  /** The latest decision of a guest review (kept: not listed again before the review delay has passed anew). */
  review?: { decision: 'keep'; by: { userId: string; displayName: string; at: Date } };
}

/**
 * The e-mail of an invited contact is their guest identity: changing it is one recorded operation.
 * The contact holds the new address at once; the old guest's fate and the invitation of the new
 * address are done by a durable job, and the record stays here (visible) until both are done.
 */
export interface IdentityChange {
  /** The operation's id: its job's request id and its audit entries' reference. */
  id: string;
  from: string;
  to: string;
  requested: ActorStamp;
  /** The previous guest account and what becomes of it; absent when there was none in the directory. */
  oldGuest?: { directoryUserId: string; memberships: GuestMembership[]; fate: GuestFate; done: boolean };
  /** Offers moved back to « waiting for the guest »: they start again when the new address accepts. */
  offersCarriedOver: number;
  /** The last step that failed for good (the job stops; staff see it on the contact's card). */
  failure?: { reason: string; at: Date };
}

export interface ContactAddress {
  line1?: string;
  line2?: string;
  line3?: string;
  city?: string;
}

export const contactFields = ['lastName', 'firstName', 'mobile', 'landline', 'email', 'orgRole', 'address1', 'address2', 'address3', 'city'] as const;
export type ContactField = (typeof contactFields)[number];
export type ContactInput = Partial<Record<ContactField, string>>;

/** What staff enter for a contact, once checked. */
export interface ValidContact {
  lastName: string;
  firstName?: string;
  mobile: string;
  landline?: string;
  email: string;
  orgRole?: string;
  address: ContactAddress;
}

export function validateContact(input: ContactInput, firmOrgRoles: readonly string[]): Validation<ValidContact, ContactField> {
  const form = new FormChecker<ContactField>();
  const lastName = form.text('lastName', input.lastName, { required: true, max: fieldLimits.personName });
  const firstName = form.text('firstName', input.firstName, { required: false, max: fieldLimits.personName });
  const mobileText = form.text('mobile', input.mobile, { required: true, max: 30 });
  const mobile = mobileText === undefined ? undefined : form.take('mobile', checkMobilePhone(mobileText));
  const landline = form.optional('landline', input.landline, checkPhone);
  const emailText = form.text('email', input.email, { required: true, max: 254 });
  const email = emailText === undefined ? undefined : form.take('email', checkEmail(emailText));
  const orgRole = form.choice('orgRole', input.orgRole, firmOrgRoles, 'orgRole.unknown');
  const address: ContactAddress = {
    line1: form.text('address1', input.address1, { required: false, max: fieldLimits.addressLine }),
    line2: form.text('address2', input.address2, { required: false, max: fieldLimits.addressLine }),
    line3: form.text('address3', input.address3, { required: false, max: fieldLimits.addressLine }),
    city: form.text('city', input.city, { required: false, max: fieldLimits.city }),
  };
  if (form.hasErrors || !lastName || !mobile || !email) return { ok: false, errors: form.errors };
  return { ok: true, value: { lastName, firstName, mobile, landline, email, orgRole, address } };
}

export function contactSearchTokens(contact: Pick<ValidContact, 'lastName' | 'firstName' | 'email'>): string[] {
  return searchTokens(contact.lastName, contact.firstName, contact.email.split('@')[0]);
}

export function contactDisplayName(contact: Pick<Contact, 'firstName' | 'lastName'>): string {
  return [contact.firstName, contact.lastName].filter(Boolean).join(' ');
}
