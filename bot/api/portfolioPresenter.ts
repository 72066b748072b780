import type { AuditEntry } from '../domain/ports.js';
import { presentAuditText, type AuditWording } from './auditPresenter.js';
import type { GuestOnboarding } from '../domain/guest.js';
import type { OfferSubscription } from '../domain/offers/subscription.js';
import type { PortfolioClientDetails, PortfolioPage } from '../domain/portfolio.js';

/** What the tab receives: only these fields leave the server (no search tokens, request ids or internals). */
export function presentPortfolioPage(page: PortfolioPage) {
  return {
    items: page.rows.map(({ file, summary }) => ({
      id: file.id,
      code: file.code,
      companyName: file.companyName,
      legalForm: file.legalForm ?? null,
      siret: file.siret ?? null,
      // A file not summarised yet (the background rebuild after an upgrade) shows no contacts rather than wrong ones.
      summarised: summary !== null,
      contacts: { count: summary?.contactCount ?? 0, primary: summary?.primary ?? null, states: summary?.states ?? {} },
      offers: summary?.offers ?? [],
      flow: summary?.flow ?? null,
      shine: summary?.shine ?? null,
      equipment: file.equipment,
      collection: file.collection,
      notes: file.notes ?? null,
    })),
    total: page.total,
    page: page.page,
    pageSize: page.pageSize,
  };
}

export type PortfolioPageView = ReturnType<typeof presentPortfolioPage>;

const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

function presentGuest(guest: GuestOnboarding | undefined) {
  if (!guest) return { state: 'notInvited' as const };
  return {
    state: guest.state,
    invitedAt: iso(guest.invitedAt),
    lastInvitedAt: iso(guest.lastInvitedAt),
    invitationCount: guest.invitationCount,
    acceptedAt: iso(guest.acceptedAt),
    memberAt: iso(guest.memberAt),
    failure: guest.failure ? { reason: guest.failure.reason, at: iso(guest.failure.at) } : null,
    revoked: guest.revoked ? { action: guest.revoked.action, at: iso(guest.revoked.at) } : null,
  };
}

/** A line of the file's history, labelled and described in the reader's language (bot/i18n/auditLabels.ts). */
function presentHistory(entry: AuditEntry, wording: AuditWording) {
  return {
    at: entry.actor.at.toISOString(),
    action: entry.action,
    ...presentAuditText(entry, wording),
    by: entry.actor.displayName,
    contactId: entry.contactId ?? null,
  };
}

export function presentPortfolioClient(details: PortfolioClientDetails, wording: AuditWording) {
  const { file } = details;
  return {
    id: file.id,
    code: file.code,
    companyName: file.companyName,
    legalForm: file.legalForm ?? null,
    siret: file.siret ?? null,
    apeCode: file.apeCode ?? null,
    taxRegime: file.taxRegime ?? null,
    equipment: file.equipment,
    collection: file.collection,
    notes: file.notes ?? null,
    // The version the tab edits: sent back as expectedUpdatedAt so a concurrent change is detected.
    updatedAt: file.updatedAt.toISOString(),
    createdAt: file.created.at.toISOString(),
    createdBy: file.created.displayName,
    guestTeam: details.guestTeam ? { id: details.guestTeam.teamId, name: details.guestTeam.displayName } : null,
    contacts: details.contacts.map(({ contact, scope, primary }) => ({
      id: contact.id,
      firstName: contact.firstName ?? null,
      lastName: contact.lastName,
      email: contact.email,
      mobile: contact.mobile,
      landline: contact.landline ?? null,
      orgRole: contact.orgRole ?? null,
      address: { line1: contact.address.line1 ?? null, line2: contact.address.line2 ?? null, line3: contact.address.line3 ?? null, city: contact.address.city ?? null },
      identityChange: contact.identityChange ? { from: contact.identityChange.from, to: contact.identityChange.to, failed: Boolean(contact.identityChange.failure) } : null,
      scope,
      primary,
      guest: presentGuest(contact.guest),
      offer: presentOffer(details.subscriptions.find((subscription) => subscription.contactId === contact.id)),
    })),
    flow: details.summary?.flow ?? null,
    shine: details.summary?.shine ?? null,
    history: details.history.map((entry) => presentHistory(entry, wording)),
  };
}

/** A contact's offer on the file: which, where it stands, since when. */
function presentOffer(subscription: OfferSubscription | undefined) {
  if (!subscription) return null;
  return {
    id: subscription.id,
    version: subscription.version,
    offerId: subscription.offerId,
    state: subscription.state,
    since: iso(subscription.state === 'ended' ? subscription.ended?.at : subscription.activatedAt ?? subscription.proposed.at),
    stepsDone: subscription.steps.length,
  };
}

export type PortfolioClientView = ReturnType<typeof presentPortfolioClient>;
