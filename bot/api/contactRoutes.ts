import type { Server } from 'restify';
import { z } from 'zod';
import { requirements, visibleServiceIds } from '../domain/access/policy.js';
import type { Requirement } from '../domain/access/profiles.js';
import type { ClientFileService } from '../domain/clientFileService.js';
import type { Contact, ContactField } from '../domain/contact.js';
import type { ContactChanges } from '../domain/contactChanges.js';
import type { ContactService } from '../domain/contactService.js';
import type { FieldErrors } from '../domain/errors.js';
import type { GuestEngagement } from '../domain/guestEngagement.js';
import type { GuestInvitations } from '../domain/guestInvitations.js';
import type { OfferCommands } from '../domain/offers/offerCommands.js';
import { guestFates } from '../domain/ports.js';
import type { StaffActor } from '../domain/staffActor.js';
import { apiMessagesFor, issueKey } from '../i18n/apiMessages.js';
import { fieldErrorMessage, type Language } from '../i18n/index.js';
import { problem, refusal, type Problem } from './http/problems.js';
import { json, tabRoute, type TabEdge } from './http/route.js';
import type { TabUser } from './tabAuth.js';
import { fieldLabel } from './http/schemaProblems.js';
import { clientFileParams } from './portfolio.js';

/**
 * The tab's client page acting on one contact, so that staff never switch to the chat for one person:
 * edit (an invited contact's new e-mail answers the identity change's plan to confirm), unlink,
 * delete, invite, remind, revoke; tick the primary contact, add a contact, link an existing one;
 * propose or change an offer; the ending plan of an offer; the guest review. Every rule is the use
 * cases' (the same as the cards'); a route parses, calls and translates.
 */

const objectId = z.string().regex(/^[0-9a-f]{24}$/i, issueKey('id'));
const contactParams = z.object({ id: objectId });
const text = z.string({ invalid_type_error: issueKey('text') }).max(5_000, issueKey('textFarTooLong')).optional();
const fate = z.enum(guestFates as [string, ...string[]], { errorMap: () => ({ message: issueKey('invalid') }) });
const contactFields = { lastName: text, firstName: text, mobile: text, landline: text, email: text, orgRole: text, address1: text, address2: text, address3: text, city: text };

export const contactEditSchema = z
  .object({ ...contactFields, confirmIdentity: z.object({ oldGuestFate: fate, expectedEmail: z.string().max(254) }).strict().optional() })
  .strict(issueKey('notEditable'));
const unlinkSchema = z.object({ clientFileId: objectId, confirmed: z.boolean().default(false) }).strict();
const deleteSchema = z.object({ confirmed: z.boolean().default(false), guestFate: fate.optional() }).strict();
const revokeSchema = z.object({ action: z.enum(['removedFromTeam', 'blocked', 'deleted'], { errorMap: () => ({ message: issueKey('invalid') }) }) }).strict();
const requestSchema = z.object({ requestId: z.string().uuid(issueKey('requestId')) }).strict();
const remindSchema = requestSchema.extend({ clientFileId: objectId }).strict();
const primarySchema = z.object({ contactId: objectId }).strict();
const newContactSchema = z.object({ ...contactFields, requestId: z.string().uuid(issueKey('requestId')), primary: z.boolean().default(false) }).strict();
const linkSchema = z.object({ contactEmail: z.string().max(254), scope: z.string().max(200).optional(), primary: z.boolean().default(false) }).strict();
const proposeSchema = z.object({ contactId: objectId, offerId: z.string().regex(/^[a-z0-9-]{1,40}$/, issueKey('offerId')) }).strict();
const changeSchema = z.object({ expectedVersion: z.number({ invalid_type_error: issueKey('offerVersion') }).int().min(1), offerId: z.string().regex(/^[a-z0-9-]{1,40}$/, issueKey('offerId')) }).strict();
const decisionSchema = z.object({ decision: fate }).strict();

export interface ContactRouteDeps {
  changes: ContactChanges;
  engagement: GuestEngagement;
  contacts: ContactService;
  clientFiles: ClientFileService;
  invitations: GuestInvitations;
  offers: OfferCommands;
}

export function presentContact(contact: Contact) {
  return {
    id: contact.id,
    lastName: contact.lastName,
    firstName: contact.firstName ?? null,
    mobile: contact.mobile,
    landline: contact.landline ?? null,
    email: contact.email,
    orgRole: contact.orgRole ?? null,
    address: { line1: contact.address.line1 ?? null, line2: contact.address.line2 ?? null, line3: contact.address.line3 ?? null, city: contact.address.city ?? null },
    guestState: contact.guest?.state ?? 'notInvited',
    identityChange: contact.identityChange ? { from: contact.identityChange.from, to: contact.identityChange.to, failed: Boolean(contact.identityChange.failure) } : null,
  };
}

function invalidContact(language: Language, errors: FieldErrors<ContactField | 'contact' | 'clientFile' | 'scope'>): Problem {
  const problems = Object.entries(errors).flatMap(([field, error]) => (error ? [{ field, code: error.code, message: fieldErrorMessage(language, error) }] : []));
  const fields = problems.map((entry) => fieldLabel(apiMessagesFor(language), entry.field)).join(apiMessagesFor(language).layout.list);
  return problem(language, 'contact.invalid', { fields }, problems);
}

const missing = (language: Language, requirement: Requirement) => refusal(language, { allowed: false, reason: 'missingProfile', missing: requirement });

export function registerContactRoutes(server: Server, api: TabEdge, deps: ContactRouteDeps): void {
  const staff = (actor: TabUser, access: StaffActor['access']): StaffActor => ({ ...actor, access });

  server.patch(
    '/api/contacts/:id',
    tabRoute(api, {
      requirement: requirements.change('contacts'),
      params: contactParams,
      invalidParams: 'contact.notFound',
      body: contactEditSchema,
      async handle({ actor, access, language, params: { id }, body: { confirmIdentity, ...values } }) {
        const outcome = await deps.changes.edit(staff(actor, access), id, values, confirmIdentity as Parameters<ContactChanges['edit']>[3]);
        switch (outcome.status) {
          case 'invalid':
            return invalidContact(language, outcome.errors);
          case 'confirmIdentityChange': {
            const { plan } = outcome;
            return json({ status: outcome.status, plan: { from: plan.from, to: plan.to, guestState: plan.guestState, openOffers: plan.openOffers, defaultOldGuestFate: plan.defaultOldGuestFate } });
          }
          case 'identityChangeStarted':
          case 'updated':
          case 'unchanged':
            return json({ status: outcome.status, contact: presentContact(outcome.contact) });
          case 'identityChangeInProgress':
            return problem(language, 'contact.identityChangeInProgress');
          case 'changedMeanwhile':
            return problem(language, 'contact.changedMeanwhile');
          case 'refused':
            return missing(language, outcome.missing);
          case 'notFound':
            return problem(language, 'contact.notFound');
        }
      },
    }),
  );

  server.post(
    '/api/contacts/:id/unlink',
    tabRoute(api, {
      requirement: requirements.change('contacts'),
      params: contactParams,
      invalidParams: 'contact.notFound',
      body: unlinkSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const outcome = await deps.changes.unlink(staff(actor, access), id, body.clientFileId, body.confirmed);
        if (outcome.status === 'confirm') return json({ status: 'confirm', openOffers: outcome.openOffers, primary: outcome.primary });
        if (outcome.status === 'done') return json({ status: 'done', endedOffers: outcome.endedOffers });
        if (outcome.status === 'refused') return missing(language, outcome.missing);
        return problem(language, outcome.status === 'notLinked' ? 'contact.notLinked' : 'contact.notFound');
      },
    }),
  );

  server.post(
    '/api/contacts/:id/delete',
    tabRoute(api, {
      requirement: requirements.change('contacts'),
      params: contactParams,
      invalidParams: 'contact.notFound',
      body: deleteSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const outcome = await deps.changes.delete(staff(actor, access), id, body.confirmed ? { guestFate: (body.guestFate ?? 'keep') as never } : null);
        if (outcome.status === 'confirm') return json({ status: 'confirm', files: outcome.files, openOffers: outcome.openOffers, isGuest: outcome.isGuest, defaultFate: outcome.defaultFate });
        if (outcome.status === 'done') return json({ status: 'done', endedOffers: outcome.endedOffers, fate: outcome.fate ?? null });
        if (outcome.status === 'refused') return missing(language, outcome.missing);
        if (outcome.status === 'identityChangeInProgress') return problem(language, 'contact.identityChangeInProgress');
        return problem(language, 'contact.notFound');
      },
    }),
  );

  server.post(
    '/api/contacts/:id/revoke',
    tabRoute(api, {
      requirement: requirements.change('invitations'),
      params: contactParams,
      invalidParams: 'contact.notFound',
      body: revokeSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const outcome = await deps.engagement.revoke(staff(actor, access), id, body.action);
        if (outcome.status === 'done') return json({ status: 'done', endedOffers: outcome.endedOffers });
        if (outcome.status === 'refused') return missing(language, outcome.missing);
        return problem(language, outcome.status === 'notAGuest' ? 'guest.notAGuest' : 'contact.notFound');
      },
    }),
  );

  server.post(
    '/api/contacts/:id/invite',
    tabRoute(api, {
      requirement: requirements.change('invitations'),
      params: contactParams,
      invalidParams: 'contact.notFound',
      body: requestSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const outcome = await deps.invitations.invite(staff(actor, access), { requestId: body.requestId, target: { kind: 'contact', contactId: id } });
        if (outcome.status === 'refused') return missing(language, outcome.missing);
        if (outcome.status === 'contactNotFound') return problem(language, 'contact.notFound');
        return json({ status: 'queued', jobId: outcome.job.id }, outcome.created ? 202 : 200);
      },
    }),
  );

  server.post(
    '/api/contacts/:id/remind',
    tabRoute(api, {
      requirement: requirements.change('invitations'),
      params: contactParams,
      invalidParams: 'contact.notFound',
      body: remindSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const outcome = await deps.invitations.remind(staff(actor, access), { requestId: body.requestId, clientFileIds: [body.clientFileId], contactIds: [id] });
        if (outcome.status === 'refused') return missing(language, outcome.missing);
        if (outcome.status === 'contactNotFound') return problem(language, 'contact.notFound');
        return json({ status: 'queued', jobId: outcome.job.id, total: outcome.job.total }, outcome.created ? 202 : 200);
      },
    }),
  );

  server.post(
    '/api/portfolio/:id/primary',
    tabRoute(api, {
      requirement: requirements.change('clientFiles'),
      params: clientFileParams,
      invalidParams: 'clientFile.notFound',
      body: primarySchema,
      async handle({ actor, access, language, params: { id }, body }) {
        // Another service's file is refused (OtherServiceError: 403) before anything is written.
        if (!(await deps.clientFiles.details(actor.firmId, id, visibleServiceIds(access)))) return problem(language, 'clientFile.notFound');
        const outcome = await deps.clientFiles.setPrimaryContact(actor, id, body.contactId);
        if (outcome === 'clientFileNotFound') return problem(language, 'clientFile.notFound');
        if (outcome === 'notLinked') return problem(language, 'contact.notLinked');
        return json({ status: outcome });
      },
    }),
  );

  server.post(
    '/api/portfolio/:id/contacts',
    tabRoute(api, {
      requirement: requirements.change('contacts'),
      params: clientFileParams,
      invalidParams: 'clientFile.notFound',
      body: newContactSchema,
      async handle({ actor, access, language, params: { id }, body: { requestId, primary, ...values } }) {
        if (!(await deps.clientFiles.details(actor.firmId, id, visibleServiceIds(access)))) return problem(language, 'clientFile.notFound');
        const created = await deps.contacts.create(actor, requestId, values);
        if (created.status === 'invalid') return invalidContact(language, created.errors);
        // A replayed request finds its contact and its link: nothing is written twice.
        const linked = await deps.contacts.link(actor, { contactId: created.record.id, clientFileId: id, primary }, visibleServiceIds(access));
        if (linked.status === 'invalid') return invalidContact(language, linked.errors);
        return json({ status: created.status, contact: presentContact(created.record), primary: linked.primary }, created.status === 'created' ? 201 : 200);
      },
    }),
  );

  server.post(
    '/api/portfolio/:id/links',
    tabRoute(api, {
      requirement: requirements.change('contacts'),
      params: clientFileParams,
      invalidParams: 'clientFile.notFound',
      body: linkSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const linked = await deps.contacts.link(actor, { contactEmail: body.contactEmail, clientFileId: id, scope: body.scope, primary: body.primary }, visibleServiceIds(access));
        if (linked.status === 'invalid') return invalidContact(language, linked.errors);
        return json({ status: linked.status, contact: presentContact(linked.contact), scope: linked.scope, primary: linked.primary });
      },
    }),
  );

  server.post(
    '/api/portfolio/:id/offers',
    tabRoute(api, {
      requirement: requirements.read('offers'),
      params: clientFileParams,
      invalidParams: 'clientFile.notFound',
      body: proposeSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const outcome = await deps.offers.propose(staff(actor, access), { clientFileId: id, contactId: body.contactId, offerId: body.offerId }, 'refuse');
        if (outcome.status === 'refused') return missing(language, outcome.missing);
        if (outcome.status === 'needsApproval') return missing(language, requirements.change('offers'));
        if (outcome.status === 'offerUnknown') return problem(language, 'offer.unknown');
        if (outcome.status === 'clientFileNotFound') return problem(language, 'clientFile.notFound');
        if (outcome.status === 'contactNotFound') return problem(language, 'contact.notFound');
        if (!('subscription' in outcome)) return problem(language, 'contact.notLinked');
        return json({ status: outcome.status, subscription: { id: outcome.subscription.id, version: outcome.subscription.version, offerId: outcome.subscription.offerId, state: outcome.subscription.state } });
      },
    }),
  );

  server.post(
    '/api/offers/subscriptions/:id/change',
    tabRoute(api, {
      requirement: requirements.read('offers'),
      params: contactParams,
      invalidParams: 'offer.notFound',
      body: changeSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const outcome = await deps.offers.change(staff(actor, access), { subscriptionId: id, expectedVersion: body.expectedVersion, offerId: body.offerId }, 'refuse');
        if (outcome.status === 'done') return json({ state: outcome.subscription.state, offerId: outcome.subscription.offerId, version: outcome.subscription.version });
        if (outcome.status === 'refused') return missing(language, outcome.missing);
        if (outcome.status === 'needsApproval') return missing(language, requirements.change('offers'));
        if (outcome.status === 'stale') return problem(language, 'offer.changedMeanwhile');
        if (outcome.status === 'ended') return problem(language, 'offer.alreadyEnded');
        if (outcome.status === 'offerUnknown') return problem(language, 'offer.unknown');
        return problem(language, 'offer.notFound');
      },
    }),
  );

  /** What ending this offer means for the contact's guest access, shown by the tab's confirmation. */
  server.get(
    '/api/offers/subscriptions/:id/ending',
    tabRoute(api, {
      requirement: requirements.read('offers'),
      params: contactParams,
      invalidParams: 'offer.notFound',
      async handle({ actor, access, language, params: { id } }) {
        const plan = await deps.engagement.endingPlanFor(staff(actor, access), id);
        return plan ? json(plan) : problem(language, 'offer.notFound');
      },
    }),
  );

  server.get(
    '/api/guests/review',
    tabRoute(api, {
      requirement: requirements.read('invitations'),
      async handle({ actor, access, language }) {
        const list = await deps.engagement.reviewList(staff(actor, access));
        if ('status' in list) return missing(language, list.missing);
        return json({
          afterDays: list.afterDays,
          guests: list.entries.map((entry) => ({ contact: presentContact(entry.contact), idleSince: entry.idleSince.toISOString(), idleDays: entry.idleDays })),
        });
      },
    }),
  );

  server.post(
    '/api/guests/:id/review',
    tabRoute(api, {
      requirement: requirements.change('invitations'),
      params: contactParams,
      invalidParams: 'contact.notFound',
      body: decisionSchema,
      async handle({ actor, access, language, params: { id }, body }) {
        const outcome = await deps.engagement.decideReview(staff(actor, access), id, body.decision as never);
        if (outcome.status === 'done') return json({ status: 'done', decision: outcome.decision });
        if (outcome.status === 'refused') return missing(language, outcome.missing);
        return problem(language, outcome.status === 'notDue' ? 'guest.notDue' : 'contact.notFound');
      },
    }),
  );
}
