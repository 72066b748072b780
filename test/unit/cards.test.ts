import assert from 'node:assert/strict';
import * as AC from 'adaptivecards';
import { templateNames, templateSource, type AdaptiveCard, type TemplateName } from '../../bot/cards/render.js';
import {
  auditLogCard,
  clientFileDetailsCard,
  clientFileFormCard,
  clientFileResultsCard,
  commandsCard,
  contactDetailsCard,
  contactFormCard,
  contactResultsCard,
  linkFormCard,
  orgRolesCard,
} from '../../bot/cards/views.js';
import type { ClientFile } from '../../bot/domain/clientFile.js';
import type { Contact } from '../../bot/domain/contact.js';
import { defaultOrgRoles } from '../../bot/domain/catalogues.js';
import { flowChecklistCard, shineCard } from '../../bot/cards/partnerViews.js';
import { clientOnboardingCard, legacyAccessesCard, offerClientCard, offerProposalCard, offerStaffCard } from '../../bot/cards/offerViews.js';
import { defaultOfferCatalogue } from '../../bot/domain/offers/catalogue.js';
import { firmSettingsCard, offerSettingsCard } from '../../bot/cards/settingsViews.js';
import { defaultEngagementPolicy, defaultGuestPolicy, defaultPartnerDefaults, defaultSupportPolicy } from '../../bot/domain/firmSettingsService.js';
import type { FirmSettingsView } from '../../bot/domain/settings/firmSettingsAdministration.js';
import {
  accessRefusedCard,
  accessRequestDecidedCard,
  accessRequestsCard,
  clientFileServiceCard,
  memberServicesCard,
  myRightsCard,
  staffUsersCard,
  structureCard,
  structureConfirmCard,
  structureServicesCard,
  structuresCard,
  userProfilesCard,
} from '../../bot/cards/accessViews.js';
import type { Structure } from '../../bot/domain/access/structures.js';
import { deleteContactCard, guestReviewCard, identityChangeCard, offerEndGuestCard, reviewDecisionCard, unlinkCard } from '../../bot/cards/journeyViews.js';
import { helpArticleCard, helpArticleFormCard, helpArticlesCard, helpResultsCard } from '../../bot/cards/helpViews.js';
import type { Article } from '../../bot/domain/help/article.js';
import { supportFormCard, supportListCard, supportRequestCard } from '../../bot/cards/supportViews.js';
import type { SupportRequest } from '../../bot/domain/support/supportRequest.js';
import { bulkInvitePreviewCard, chooseTeamCard, firmTeamsCard, guestWelcomeCard, invitePreviewCard, jobProgressCard, revokeCard } from '../../bot/cards/guestViews.js';

const stamp = { userId: 'u1', displayName: 'Claire Martin', at: new Date('2026-11-02T09:00:00Z') };
const file: ClientFile = {
  id: '65a000000000000000000001', firmId: 'f', code: '000001', companyName: 'Boulangerie Bernard', legalForm: 'SARL', siret: '73282932000074',
  apeCode: '1071C', taxRegime: 'Réel simplifié', primaryContactId: '65a000000000000000000002', searchTokens: [], equipment: { mandate: 'none', einvoicingRegistration: 'none', reformAwareness: false }, collection: {}, creationRequestId: 'r', created: stamp, updatedAt: stamp.at,
};
const team = { firmId: 'f', teamId: 'bbbbbbbb-0000-0000-0000-000000000002', displayName: 'Client – Boulangerie Bernard', internal: false, conversationId: '19:t@thread.tacv2' };
const job = {
  id: '65a000000000000000000010', firmId: 'f', requestId: 'r', createdBy: stamp, createdAt: stamp.at, total: 40,
  counts: { done: 20, failed: 1, skipped: 3 }, status: 'running' as const,
};
const member = { firmId: 'f', userId: 'u1', email: 'claire@cabinet.fr', displayName: 'Claire Martin', services: [], profiles: [{ application: 'clientFiles' as const, level: 'modification' as const }], status: 'attached' as const };
const structure: Structure = {
  firmId: 'f', id: '44306184100047', siret: '44306184100047', legalName: 'Cabinet Démo Lyon SAS', displayName: 'Cabinet Démo Lyon', addressLine: '1 place Bellecour, 69002 Lyon',
  phone: '+33478000000', contactEmail: 'lyon@cabinet-demo.fr', active: true, mainManagerEmail: 'claire@cabinet.fr', version: 2,
  services: [{ id: 'svc-social', name: 'Pôle social', active: true }, { id: 'svc-tpe', name: 'Pôle TPE', active: false }],
};
const contact: Contact = {
  id: '65a000000000000000000002', firmId: 'f', lastName: 'Bernard', firstName: 'Léa', mobile: '+33612345678', email: 'lea@boulangerie-bernard.fr',
  orgRole: "Chef d'entreprise", address: { line1: '1 rue du Four', city: 'Lyon' }, searchTokens: [], creationRequestId: 'r', created: stamp, updatedAt: stamp.at,
};

const article: Article = {
  id: '65a000000000000000000030', firmId: 'f', title: 'Accepter l’invitation de votre cabinet', body: 'Ouvrez l’e-mail.\n\n- Vous avez un compte : connectez-vous.\n- Sinon : créez-le.',
  product: 'microsoft365', domain: 'accounts', keywords: ['invitation'], audience: 'clients', language: 'fr', state: 'published', author: stamp, updated: stamp, version: 2,
  history: [{ version: 1, action: 'created', by: stamp }, { version: 2, action: 'edited', by: stamp, changed: ['title'] }],
};

const supportRequest: SupportRequest = {
  id: '65a000000000000000000030', firmId: 'f', number: 42, creationRequestId: 'r', category: 'signIn', clientFileId: file.id, subject: 'Connexion impossible', description: 'Le code ne arrive pas',
  attachments: [], state: 'resolved', requester: { kind: 'client', userId: 'g1', displayName: 'Léa Bernard', contactId: contact.id }, assignee: { userId: 'u1', displayName: 'Claire Martin' },
  timeline: [{ kind: 'sent', by: stamp }, { kind: 'solutionProposed', by: stamp, text: 'Réinitialisez le mot de passe', attachments: [{ name: 'capture.png', url: 'https://example.test/capture.png' }] }],
  version: 3, created: stamp, updatedAt: stamp.at, autoCloseAt: stamp.at, searchTokens: [],
};

const subscription = {
  id: '65a000000000000000000020', firmId: 'f', clientFileId: file.id, contactId: contact.id, offerId: 'start', state: 'active' as const, version: 3,
  steps: [{ id: 'widgetInitialised', done: stamp }], proposed: stamp, activatedAt: stamp.at,
};
const offerContext = { subscription, offer: defaultOfferCatalogue[0]!, catalogue: defaultOfferCatalogue, contact, clientFile: file, refreshUserIds: ['8:orgid:u1'] };

/** Parses a card with the official adaptivecards library and returns every problem it reports. */
function problemsOf(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems = Array.from({ length: context.eventCount }, (_, index) => context.getEventAt(index).message);
  const validation = parsed.validateProperties();
  for (let index = 0; index < validation.validationEvents.length; index++) problems.push(validation.validationEvents[index]!.message);
  return problems;
}

const settingsView: FirmSettingsView = {
  settings: {
    firmId: 'f', name: 'Fiduciaire Dupont', orgRoles: [...defaultOrgRoles], guestPolicy: defaultGuestPolicy, engagementPolicy: defaultEngagementPolicy, supportPolicy: defaultSupportPolicy,
    partnerDefaults: defaultPartnerDefaults, version: 3,
    offerCatalogue: [defaultOfferCatalogue[0]!, { ...defaultOfferCatalogue[2]!, retired: true, description: 'Pour les clients autonomes', priceNote: '50 € HT / mois' }],
  },
  displayName: 'Fiduciaire Dupont',
  offersInUse: ['start'],
  teams: [{ teamId: team.teamId, displayName: team.displayName }],
};

const samples: Record<string, [TemplateName, () => AdaptiveCard]> = {
  'welcome (fr)': ['commands', () => commandsCard('fr', 'welcome')],
  'help (en)': ['commands', () => commandsCard('en', 'help')],
  'client file form with errors': ['clientFileForm', () =>
    clientFileFormCard('fr', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60', values: { code: 'A B' }, errors: { code: { code: 'code.format' }, siret: { code: 'siret.checksum' } } })],
  'client file details': ['clientFileDetails', () => clientFileDetailsCard('fr', { file, contacts: [{ contact, scope: '-', primary: true }, { contact: { ...contact, id: '65a000000000000000000003', firstName: 'Paul' }, scope: 'Ventes', primary: false }] }, 'Dossier créé')],
  'client file without contacts (en)': ['clientFileDetails', () => clientFileDetailsCard('en', { file: { ...file, siret: undefined }, contacts: [] })],
  'contact form': ['contactForm', () => contactFormCard('fr', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60', orgRoles: defaultOrgRoles, clientFile: file, errors: { mobile: { code: 'phone.notMobile' } } })],
  'contact details': ['contactDetails', () => contactDetailsCard('fr', { contact, clientFiles: [{ file, scope: '-', primary: true }], history: [{ id: 'e1', firmId: 'f', actor: stamp, action: 'guest.invited', contactId: contact.id }] })],
  'link form from a file': ['linkForm', () => linkFormCard('fr', { clientFile: file, errors: { contact: { code: 'contact.notFound' } } })],
  'link form empty': ['linkForm', () => linkFormCard('en', {})],
  'client file results': ['searchResults', () => clientFileResultsCard('fr', 'bou', [file, { ...file, id: '65a000000000000000000009', code: '000002', companyName: 'Boucherie' }], true)],
  'contact results': ['searchResults', () => contactResultsCard('fr', 'ber', [contact], false)],
  'org roles': ['orgRoles', () => orgRolesCard('fr', defaultOrgRoles, { text: 'Rôle ajouté', good: true })],
  'invite preview (absent from the directory)': ['invitePreview', () => invitePreviewCard('fr', { contact, existing: null, clientFiles: [{ file, team }] }, '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60')],
  'invite preview (staff account, en)': ['invitePreview', () =>
    invitePreviewCard('en', { contact, existing: { id: 'u', userType: 'Member' }, clientFiles: [] }, '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60')],
  'bulk invite preview': ['bulkInvitePreview', () => bulkInvitePreviewCard('fr', Array.from({ length: 12 }, () => contact), { kind: 'notInvited' }, '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60')],
  'bulk invite preview, nobody': ['bulkInvitePreview', () => bulkInvitePreviewCard('fr', [], { kind: 'clientFiles', ids: [file.id] }, '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60')],
  'job progress with failures': ['jobProgress', () =>
    jobProgressCard('fr', job, [{ id: 'i1', jobId: job.id, firmId: 'f', contactId: contact.id, status: 'failed', attempts: 1, outcome: 'invitationsDisabled', name: 'Léa Bernard' }])],
  'guest welcome': ['guestWelcome', () => guestWelcomeCard('fr', 'Cabinet Démo', { contact, clientFile: file, directoryUserId: 'aaaaaaaa-0000-0000-0000-000000000005' })],
  'choose team': ['chooseTeam', () => chooseTeamCard('fr', file, [team, { ...team, teamId: 't2', displayName: 'Cabinet Démo', internal: true }], 'Refusé')],
  'choose team, none known': ['chooseTeam', () => chooseTeamCard('en', file, [])],
  'firm teams': ['firmTeams', () => firmTeamsCard('fr', [{ team, files: [file] }, { team: { ...team, teamId: 't2', internal: true }, files: [] }])],
  'access refused, missing profile': ['accessRefused', () => accessRefusedCard('fr', 'missingProfile', { application: 'offers', level: 'modification' })],
  'access refused, not attached (en)': ['accessRefused', () => accessRefusedCard('en', 'notAttached')],
  'my rights': ['myRights', () => myRightsCard('fr', member, 'mainManager', 2)],
  'my rights in services (en)': ['myRights', () => myRightsCard('en', { ...member, services: ['svc-social'] }, 'user', null, structure.services)],
  'access requests': [
    'accessRequests',
    () => accessRequestsCard('fr', [{ firmId: 'f', number: 3, kind: 'profile', profile: { application: 'offers', level: 'modification' }, requester: { userId: 'u2', email: 'paul@cabinet.fr', displayName: 'Paul Durand' }, comment: 'Pour les offres', status: 'pending', createdAt: stamp.at }], { text: 'Demande n° 2 approuvée.', good: true }),
  ],
  'an approver’s copy of a refused request (en)': [
    'accessRequestDecided',
    () => accessRequestDecidedCard('en', { firmId: 'f', number: 3, kind: 'profile', profile: { application: 'offers', level: 'modification' }, requester: { userId: 'u2', email: 'paul@cabinet.fr', displayName: 'Paul Durand' }, status: 'refused', createdAt: stamp.at, decision: { by: stamp, reason: 'Réservé aux associés' } }),
  ],
  'staff users': ['staffUsers', () => staffUsersCard('fr', [member, { ...member, email: 'old@cabinet.fr', status: 'detached', detachComment: 'Départ' }], member.email)],
  'user profiles': ['userProfiles', () => userProfilesCard('fr', member)],
  'structure, editable, with a field error': ['structure', () => structureCard('fr', structure, { canEdit: true, errors: [{ field: 'phone', code: 'phone.invalid' }], values: { phone: '12' }, banner: { text: 'Corrigez', good: false } })],
  'structure, read only and deactivated (en)': ['structure', () => structureCard('en', { ...structure, id: 'default', siret: undefined, legalName: undefined, displayName: undefined, active: false }, { canEdit: false })],
  'structure deactivation confirmation': ['structureConfirm', () => structureConfirmCard('fr', structure)],
  'structures of the firm': ['structures', () => structuresCard('fr', [{ structure, role: 'mainManager' }, { structure: { ...structure, id: '73282932000074', active: false }, role: null }], { text: 'Structure créée', good: true })],
  'structure services': ['structureServices', () => structureServicesCard('fr', structure, { canEdit: true, banner: { text: 'Service créé', good: true } })],
  'structure services, none, read only (en)': ['structureServices', () => structureServicesCard('en', { ...structure, services: [] }, { canEdit: false })],
  'member services': ['memberServices', () => memberServicesCard('fr', structure, { ...member, services: ['svc-social'] }, { text: 'Enregistré', good: true })],
  'member services, none yet (en)': ['memberServices', () => memberServicesCard('en', { ...structure, services: [] }, member)],
  'client file service': ['clientFileService', () => clientFileServiceCard('fr', { ...file, serviceId: 'svc-tpe' }, structure.services)],
  'client file service, no service yet (en)': ['clientFileService', () => clientFileServiceCard('en', file, [])],
  'staff users with services': ['staffUsers', () => staffUsersCard('fr', [{ ...member, services: ['svc-tpe'] }], member.email, undefined, structure)],
  'offer proposal': ['offerProposal', () => offerProposalCard('fr', contact, [file], defaultOfferCatalogue, { banner: 'Corrigez' })],
  'offer, staff view with steps': ['offerStaff', () => offerStaffCard('fr', { ...offerContext, banner: { text: 'Offre Start activée', good: true } })],
  'offer, client view': ['offerClient', () => offerClientCard('fr', { ...offerContext, firmName: 'Cabinet Démo', link: 'https://teams.microsoft.com', acknowledged: false })],
  'offer, client view once ended (en)': ['offerClient', () => offerClientCard('en', { ...offerContext, subscription: { ...subscription, state: 'ended' }, firmName: 'Cabinet Démo', link: 'https://teams.microsoft.com', acknowledged: true })],
  'firm settings (fr)': ['firmSettings', () => firmSettingsCard('fr', settingsView, { banner: { text: 'Corrigez', good: false }, values: { reminderAfterDays: '99' }, errors: { 'guestPolicy.reminderAfterDays': { code: 'number.range', params: { min: 1, max: 60 } } } })],
  'firm settings (en)': ['firmSettings', () => firmSettingsCard('en', { ...settingsView, settings: { ...settingsView.settings, flowAppAuthorised: stamp } })],
  'client onboarding (en)': ['clientOnboarding', () => clientOnboardingCard('en', 'Fiduciaire Dupont', contact, [
    { clientFile: file, offer: defaultOfferCatalogue[0]!, state: 'active', firmSteps: { done: 1, total: 2 }, expected: 'offerNextStep' },
    { clientFile: file, offer: defaultOfferCatalogue[1]!, state: 'waitingForGuest', firmSteps: { done: 0, total: 0 }, expected: 'acceptInvitation' },
  ])],
  'client onboarding, nothing yet (fr)': ['clientOnboarding', () => clientOnboardingCard('fr', 'Fiduciaire Dupont', contact, [])],
  'new offer form': ['offerSettings', () => offerSettingsCard('fr', 2, undefined)],
  'offer form with errors': ['offerSettings', () => offerSettingsCard('en', 2, defaultOfferCatalogue[0], { values: { clientLink: 'ftp://x' }, errors: { 'offer.clientLink': { code: 'url.invalid' } } })],
  'legacy accesses': ['legacyAccesses', () => legacyAccessesCard('fr', [{ contact: { ...contact, email: 'lea.bernard@onloop.onmicrosoft.com' }, kind: 'legacyStart' }], { text: 'Migré', good: true })],
  'flow checklist at step 3': [
    'flowChecklist',
    () => flowChecklistCard('fr', file, {
      setup: { id: 'x', firmId: 'f', clientFileId: file.id, app: 'flow', version: 3, steps: { appAuthorised: stamp, settingsChecked: stamp } },
      steps: [
        { id: 'appAuthorised', state: 'done', done: stamp },
        { id: 'settingsChecked', state: 'done', done: stamp },
        { id: 'usersInvited', state: 'next', accepted: { accepted: 1, total: 2 } },
        { id: 'flowActivated', state: 'waiting' },
        { id: 'dsp2Activated', state: 'waiting' },
      ],
      complete: false,
    }),
  ],
  'shine refused': ['shineActivation', () => shineCard('fr', file, { refusal: 'siretRequired' })],
  'shine activation form with alias': [
    'shineActivation',
    () => shineCard('fr', file, { preparation: { file, primary: contact, proposedEmail: 'lea+alias1@boulangerie-bernard.fr', aliasNeeded: true, emailSubject: 'Shine', emailBody: 'Bonjour', defaults: { purchases: true, sales: false, billingMode: 'firmRebills', plan: 'plus' } } }),
  ],
  'audit log': ['auditLog', () => auditLogCard('fr', 'Journal du dossier 000001', [{ entry: { id: 'e2', firmId: 'f', actor: stamp, action: 'guest.invited' }, clientFile: '000001 – Boulangerie Bernard', contact: 'Léa Bernard' }])],
  'audit log, empty (en)': ['auditLog', () => auditLogCard('en', 'Log', [])],
  'help results': ['helpResults', () => helpResultsCard('fr', { query: 'inviter', product: 'microsoft365' }, { language: 'fr', emptyQuestion: false, results: [{ id: article.id, title: article.title, product: 'microsoft365', domain: 'accounts', language: 'fr', excerpt: 'Ouvrez l’e-mail.' }] })],
  'help results, none (en)': ['helpResults', () => helpResultsCard('en', { query: 'zzz' }, { language: 'en', emptyQuestion: false, results: [] })],
  'help article for a client': ['helpArticle', () => helpArticleCard('fr', { article, canEdit: false }, { echo: { query: 'inviter' } })],
  'help article for an editor': ['helpArticle', () => helpArticleCard('en', { article: { ...article, state: 'draft' }, canEdit: true, feedback: { helpful: 3, notHelpful: 1 } }, { banner: { text: 'Saved', good: true } })],
  'help article form with errors': ['helpArticleForm', () => helpArticleFormCard('fr', { article, values: { title: '', body: 'x' }, errors: { title: { code: 'required' }, product: { code: 'article.unknownChoice' } } })],
  'help articles (editors)': ['helpArticles', () => helpArticlesCard('fr', [article])],
  'support form with errors and suggestions': ['supportForm', () => supportFormCard('fr', { creationRequestId: 'r', showClientFile: true, values: { subject: '' }, errors: { subject: { code: 'required' } }, suggestions: [{ id: 'a1', title: 'Se connecter', product: 'teams', domain: 'connexion' }] })],
  'support draft (en)': ['supportForm', () => supportFormCard('en', { creationRequestId: 'r', showClientFile: false, draft: { ...supportRequest, state: 'draft' } })],
  'support request, requester view': ['supportRequest', () => supportRequestCard('fr', supportRequest, { moves: ['accept', 'refuse'], refreshUserIds: ['8:orgid:g1'], clientFileLabel: '000001 – Boulangerie Bernard' })],
  'support request, support view': ['supportRequest', () => supportRequestCard('fr', { ...supportRequest, state: 'inProgress' }, { moves: ['take', 'answer', 'askInformation', 'proposeSolution', 'reassign'], refreshUserIds: [], assignees: [{ userId: 'u1', displayName: 'Claire Martin' }], banner: { text: 'C’est fait.', good: true } })],
  'support list': ['supportList', () => supportListCard('fr', { scope: 'mine', items: [supportRequest], counts: { resolved: 1 }, isSupport: true })],
  'support queue, empty (en)': ['supportList', () => supportListCard('en', { scope: 'queue', items: [], counts: {}, isSupport: true, search: 'vpn' })],
  'revoke guest': ['revokeGuest', () => revokeCard('fr', { ...contact, guest: { state: 'member', invitationCount: 1, checks: 0, teamId: team.teamId, memberAt: stamp.at } }, team.displayName)],
  'revoke guest with offers (en)': ['revokeGuest', () => revokeCard('en', { ...contact, guest: { state: 'invited', invitationCount: 1, checks: 0 } }, undefined, 2)],
  'contact edit form': ['contactForm', () => contactFormCard('fr', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60', orgRoles: defaultOrgRoles, editing: contact, values: { lastName: 'Bernard', email: 'lea@' }, errors: { email: { code: 'email.invalid' } } })],
  'contact details during an identity change (en)': ['contactDetails', () => contactDetailsCard('en', { contact: { ...contact, identityChange: { id: 'c', from: 'old@bernard.fr', to: contact.email, requested: stamp, offersCarriedOver: 1, failure: { reason: 'invitationsDisabled', at: stamp.at } } }, clientFiles: [], history: [] })],
  'identity change confirmation': ['identityChange', () =>
    identityChangeCard('fr', { contact: { ...contact, guest: { state: 'member', invitationCount: 1, checks: 0, memberAt: stamp.at } }, from: contact.email, to: 'lea.bernard@gmail.com', guestState: 'member', openOffers: 1, defaultOldGuestFate: 'block' }, { lastName: 'Bernard', email: 'lea.bernard@gmail.com' })],
  'last offer ending: the guest’s fate (en)': ['offerEndGuest', () => offerEndGuestCard('en', { contact, offerName: 'Start', clientFileCode: '000001', subscriptionId: subscription.id, version: 3, defaultFate: 'keep' })],
  'unlink, choose the file': ['contactUnlink', () => unlinkCard('fr', { contact, files: [file, { ...file, id: '65a000000000000000000009', code: '000002' }] })],
  'unlink, confirm': ['contactUnlink', () => unlinkCard('fr', { contact, confirm: { file, openOffers: 1, primary: true } })],
  'delete a guest contact': ['contactDelete', () => deleteContactCard('fr', { contact: { ...contact, guest: { state: 'accepted', invitationCount: 1, checks: 0, acceptedAt: stamp.at } }, files: 2, openOffers: 1, isGuest: true, defaultFate: 'removeFromTeam' })],
  'delete a contact never invited (en)': ['contactDelete', () => deleteContactCard('en', { contact, files: 0, openOffers: 0, isGuest: false, defaultFate: 'keep' })],
  'guest review': ['guestReview', () => guestReviewCard('fr', { entries: Array.from({ length: 17 }, (_, index) => ({ contact: { ...contact, id: `65a0000000000000000001${String(index).padStart(2, '0')}` }, idleSince: stamp.at, idleDays: 40 })), afterDays: 30, banner: 'Décision enregistrée' })],
  'guest review, nobody (en)': ['guestReview', () => guestReviewCard('en', { entries: [], afterDays: 30 })],
  'review decision': ['reviewDecision', () => reviewDecisionCard('fr', { contact, idleSince: stamp.at, idleDays: 40 }, 'block')],
};

describe('Adaptive Card templates', () => {
  for (const name of templateNames) {
    it(`template ${name} is schema 1.5 JSON the adaptivecards library parses`, () => {
      const source = templateSource(name) as { version?: string; type?: string };
      assert.equal(source.type, 'AdaptiveCard');
      assert.equal(source.version, '1.5', 'Teams renders up to schema 1.5');
    });
  }

  for (const [name, [, build]] of Object.entries(samples)) {
    it(`${name}: expands fully and parses without warnings`, () => {
      const card = build();
      const json = JSON.stringify(card);
      assert.doesNotMatch(json, /\$\{/, 'no unexpanded template expression may reach Teams');
      assert.deepEqual(problemsOf(card), [], 'the adaptivecards library reports no problem');
    });
  }

  it('every template has at least one sample above', () => {
    const sampled = new Set(Object.values(samples).map(([template]) => template));
    assert.deepEqual(templateNames.filter((name) => !sampled.has(name)), [], 'templates without a sample');
  });

  it('detects a broken card, so the check above can fail', () => {
    assert.notDeepEqual(problemsOf({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Bogus' }] }), []);
  });

  it('shows field errors next to their field and keeps what was typed', () => {
    const card = clientFileFormCard('fr', { requestId: '5f0e1c1e-7a1b-4c7e-9a51-1d2c3b4a5f60', values: { siret: '123' }, errors: { siret: { code: 'siret.format' } } });
    const body = card.body as { id?: string; text?: string; value?: string }[];
    const siretIndex = body.findIndex((element) => element.id === 'siret');
    assert.equal(body[siretIndex]!.value, '123');
    assert.match(String(body[siretIndex + 1]!.text), /14 chiffres/);
  });

  it('a primary contact offers no "make primary" button; the others do', () => {
    const json = JSON.stringify(samples['client file details']![1]());
    assert.equal(json.match(/clientFile\.setPrimary/g)?.length, 1);
  });
});
