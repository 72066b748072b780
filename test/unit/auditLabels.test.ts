import assert from 'node:assert/strict';
import { auditActions, type AuditAction } from '../../bot/domain/audit.js';
import type { AuditNames } from '../../bot/domain/auditNames.js';
import { auditDetailsText } from '../../bot/i18n/auditDetails.js';
import { auditActionLabel, auditActionLabels } from '../../bot/i18n/auditLabels.js';

const names: AuditNames = {
  offer: (id) => ({ start: 'Start', consultation: 'Consultation' })[id],
  offerStep: (offerId, stepId) => (offerId === 'start' && stepId === 'widget' ? 'Widget du tableau de bord' : undefined),
  structure: (id) => (id === 'lyon' ? 'Cabinet Demo Lyon' : undefined),
  service: (id) => ({ 'svc-social': 'Social', 'svc-paie': 'Paie' })[id],
  team: (id) => (id === 'team-1' ? 'Boulangerie Bernard – invités' : undefined),
  contact: (id) => (id === 'c-1' ? 'Léa Bernard' : undefined),
};

/** One entry per action, with the details its service records (see the services in bot/domain). */
const recorded: Record<AuditAction, Record<string, unknown> | undefined> = {
  'clientFile.created': { code: '000001' },
  'clientFile.updated': { code: '000001', before: { companyName: 'Boulangerie', equipment: { mandate: 'none' } }, after: { companyName: 'Boulangerie Bernard', equipment: { mandate: 'signed' } } },
  'clientFile.import.created': { code: '000001', line: 2 },
  'clientFile.import.updated': { code: '000001', line: 3 },
  'clientFile.primaryContactSet': { previousPrimaryContactId: 'c-1' },
  'clientFile.guestTeamChosen': { teamId: 'team-1', previousTeamId: null },
  'clientFile.serviceAssigned': { code: '000001', before: null, after: 'svc-social' },
  'contact.created': undefined,
  'contact.import.created': { line: 2 },
  'contact.import.updated': { line: 4 },
  'contact.linked': { scope: 'Ventes', previousScope: null, line: 2 },
  'contact.linkScopeChanged': { scope: '-', previousScope: 'Ventes' },
  'contact.legacyMigrated': { before: 'lea@old.fr', after: 'lea@bernard.fr' },
  'contact.updated': { before: { mobile: '0612345678', address: { city: 'Lyon' } }, after: { mobile: '0698765432', address: { city: 'Caen' } } },
  'contact.identityChangeRequested': { before: 'lea@old.fr', after: 'lea@bernard.fr', action: 'blocked', offersCarriedOver: 1 },
  'contact.identityChangeCompleted': { before: 'lea@old.fr', after: 'lea@bernard.fr' },
  'contact.identityChangeFailed': { reason: 'invitationsDisabled' },
  'contact.unlinked': { endedOffers: 1 },
  'contact.deleted': { contactName: 'Léa Bernard', endedOffers: 2, action: 'deleted' },
  'contact.legacyFlagged': { flagged: true },
  'import.done': { filesCreated: 2, filesUpdated: 0, filesUnchanged: 1, contactsCreated: 3, contactsUpdated: 0, contactsUnchanged: 0, linksCreated: 3, rowsWithErrors: 1 },
  'guest.invited': { directoryUserId: 'u-1', personalMessage: true },
  'guest.foundInDirectory': { directoryUserId: 'u-1', state: 'accepted' },
  'guest.reminded': { reminder: 2, requestedByStaff: true },
  'guest.accepted': { directoryUserId: 'u-1' },
  'guest.joinedTeam': { teamId: 'team-1' },
  'guest.teamRefused': { teamId: 'team-1', reason: 'teamIsInternal' },
  'guest.failed': { reason: 'invitationsDisabled' },
  'guest.revoked': { action: 'blocked', teamId: 'team-1', endedOffers: 1 },
  'guest.keptAtEnd': { subscriptionId: 's-1' },
  'guest.reviewKept': { decision: 'keep', inactiveDays: 45 },
  'offer.proposed': { subscriptionId: 's-1', offerId: 'start', state: 'waitingForGuest', reopened: true },
  'offer.changed': { subscriptionId: 's-1', before: 'start', after: 'consultation' },
  'offer.ended': { subscriptionId: 's-1', offerId: 'start', before: 'active' },
  'offer.stepDone': { subscriptionId: 's-1', offerId: 'start', stepId: 'widget' },
  'offer.activated': { subscriptionId: 's-1', offerId: 'start' },
  'offer.acknowledgedByClient': { subscriptionId: 's-1', offerId: 'start' },
  'shine.activated': { purchases: true, sales: false, billingMode: 'firmRebills', plan: 'plus', alias: true },
  'shine.emailSent': { subject: 'Votre facturation avec Shine' },
  'shine.emailFailed': { subject: 'Votre facturation avec Shine' },
  'shine.emailPrepared': { subject: 'Votre facturation avec Shine' },
  'flow.stepDone': { step: 'settingsChecked' },
  'flow.appAuthorisedForFirm': undefined,
  'firm.renamed': { before: 'Cabinet Dupont', after: 'Fiduciaire Dupont & Associés' },
  'firm.offerAdded': { offerId: 'paie', offerName: 'Paie' },
  'firm.offerChanged': { offerId: 'start', offerName: 'Start+', before: { name: 'Start', priceNote: null, steps: ['Initialiser le widget', 'Activation de l’extension'] }, after: { name: 'Start+', priceNote: 'Gratuit', steps: ['Initialiser le widget'] } },
  'firm.offerRetired': { offerId: 'consultation', offerName: 'Consultation' },
  'firm.offerReinstated': { offerId: 'consultation', offerName: 'Consultation' },
  'firm.offerRemoved': { offerId: 'paie', offerName: 'Paie' },
  'firm.guestPolicyChanged': { before: { reminderAfterDays: 7, maxReminders: 3, allowSharedGuestTeams: false }, after: { reminderAfterDays: 5, maxReminders: 3, allowSharedGuestTeams: false } },
  'firm.engagementPolicyChanged': { before: { guestFateAtEnd: 'keep', reviewAfterDays: 30 }, after: { guestFateAtEnd: 'removeFromTeam', reviewAfterDays: 30 } },
  'firm.supportPolicyChanged': { before: { firstAnswerWithinWorkingDays: 1, autoCloseAfterDays: 7 }, after: { channel: { teamId: 'team-1', channelId: '19:x' }, firstAnswerWithinWorkingDays: 2, autoCloseAfterDays: 7 } },
  'firm.partnerDefaultsChanged': { before: { shine: { purchases: true, sales: true, billingMode: 'shineBillsClient', plan: 'start' } }, after: { shine: { purchases: true, sales: false, billingMode: 'firmRebills', plan: 'plus' } } },
  'access.bootstrapped': { email: 'claire@cabinet.fr' },
  'access.mainManagerClaimed': { structureId: 'default', email: 'claire@cabinet.fr' },
  'access.attached': { email: 'paul@cabinet.fr', structureId: 'lyon', before: { status: 'detached', profiles: [], services: [] }, after: { profiles: [{ application: 'offers', level: 'modification' }], services: ['svc-paie'] } },
  'access.profilesChanged': { email: 'paul@cabinet.fr', structureId: 'default', before: [{ application: 'offers', level: 'consultation' }], after: [{ application: 'offers', level: 'modification' }] },
  'access.detached': { email: 'paul@cabinet.fr', structureId: 'default', comment: 'Départ' },
  'access.servicesChanged': { email: 'paul@cabinet.fr', structureId: 'default', before: [], after: ['svc-social', 'svc-paie'] },
  'access.detachedFromServices': { email: 'paul@cabinet.fr', structureId: 'default', services: ['svc-paie'], comment: 'Réorganisation' },
  'access.mainManagerTransferred': { structureId: 'lyon', before: 'claire@cabinet.fr', after: 'paul@cabinet.fr' },
  'access.requested': { number: 1, kind: 'profile', profile: { application: 'offers', level: 'modification' }, service: null },
  'access.requestApproved': { number: 1, kind: 'join', service: 'svc-social' },
  'access.requestRefused': { number: 2, reason: 'Pas pour ce dossier' },
  'structure.created': { structureId: 'lyon', siret: '73282932000074', legalName: 'Cabinet Demo Lyon', mainManager: 'claire@cabinet.fr' },
  'structure.updated': { structureId: 'lyon', before: { displayName: null, phone: '0102030405' }, after: { displayName: 'Lyon', phone: '0102030405' } },
  'structure.deactivated': { structureId: 'lyon' },
  'structure.reactivated': { structureId: 'lyon' },
  'structure.serviceCreated': { structureId: 'default', serviceId: 'svc-social', name: 'Social' },
  'structure.serviceRenamed': { structureId: 'default', serviceId: 'svc-social', before: 'Sociale', after: 'Social' },
  'structure.serviceDeactivated': { structureId: 'default', serviceId: 'svc-paie', name: 'Paie' },
  'structure.serviceReactivated': { structureId: 'default', serviceId: 'svc-paie', name: 'Paie' },
  'article.created': { articleId: '65a000000000000000000030', articleTitle: 'Accepter l’invitation' },
  'article.edited': { articleId: '65a000000000000000000030', articleTitle: 'Accepter l’invitation', changed: ['title', 'keywords'] },
  'article.published': { articleId: '65a000000000000000000030', articleTitle: 'Accepter l’invitation' },
  'article.archived': { articleId: '65a000000000000000000030', articleTitle: 'Accepter l’invitation' },
  'support.created': { number: 42 },
  'support.draftSaved': { number: 42 },
  'support.sent': { number: 42 },
  'support.taken': { number: 42 },
  'support.answered': { number: 42 },
  'support.informationRequested': { number: 42 },
  'support.requesterAnswered': { number: 42 },
  'support.solutionProposed': { number: 42 },
  'support.accepted': { number: 42 },
  'support.refused': { number: 42 },
  'support.reassigned': { number: 42 },
  'support.closeWarned': { number: 42 },
  'support.autoClosed': { number: 42 },
  'support.reminded': { number: 42 },
  'support.articleDrafted': { number: 42 },
  'support.filesAttached': { number: 42 },
};

/** What a reader must never see: JSON, detail keys, ids, codes of actions, states or profiles. */
const raw = /[{}"[\]]|offerId|subscriptionId|structureId|serviceId|svc-|teamId|team-1|previous[A-Z]|\b(?:clientFile|contact|guest|offer|shine|flow|access|structure|import)\.[a-zA-Z]|waitingForGuest|firmRebills|invitationsDisabled|teamIsInternal|settingsChecked|application|\bmodification\b(?= *[,}])/;

describe('audit labels (bot/i18n/auditLabels.ts)', () => {
  for (const language of ['fr', 'en'] as const) {
    it(`names every action the code records in ${language}, each differently and never by its code`, () => {
      const labels = auditActionLabels[language];
      for (const action of auditActions) {
        const label = labels[action];
        assert.ok(typeof label === 'string' && label.trim().length > 0, `${action} has no ${language} label`);
        assert.notEqual(label, action, `${action}'s ${language} label is its code`);
      }
      const seen = new Map<string, string>();
      for (const action of auditActions) {
        assert.equal(seen.get(labels[action]), undefined, `${action} and ${seen.get(labels[action])} share the ${language} label « ${labels[action]} »`);
        seen.set(labels[action], action);
      }
    });

    it(`renders the details of every action readably in ${language}: names, labels, before → after, no JSON nor codes`, () => {
      for (const action of auditActions) {
        const text = auditDetailsText(language, { action, details: recorded[action] }, names);
        assert.doesNotMatch(text, raw, `${action} in ${language} reads « ${text} »`);
      }
    });
  }

  it('has no label left over for an action the code no longer records', () => {
    for (const language of ['fr', 'en'] as const) {
      assert.deepEqual(Object.keys(auditActionLabels[language]).sort(), [...auditActions].sort(), `${language} labels exactly the recorded actions`);
    }
  });

  it('reads changes with the names behind the ids, in the reader’s language', () => {
    assert.equal(auditDetailsText('fr', { action: 'offer.changed', details: recorded['offer.changed'] }, names), 'Offre : Start → Consultation');
    assert.equal(auditDetailsText('en', { action: 'offer.changed', details: recorded['offer.changed'] }, names), 'Offer: Start → Consultation');
    assert.equal(
      auditDetailsText('fr', { action: 'access.profilesChanged', details: recorded['access.profilesChanged'] }, names),
      'Utilisateur : paul@cabinet.fr · Structure : Structure principale du cabinet · Profils : Offres – consultation → Offres – modification',
    );
    assert.equal(
      auditDetailsText('en', { action: 'access.servicesChanged', details: recorded['access.servicesChanged'] }, names),
      'User: paul@cabinet.fr · Structure: The firm’s main structure · Services: the whole structure → Social, Paie',
    );
    assert.equal(
      auditDetailsText('fr', { action: 'clientFile.updated', details: recorded['clientFile.updated'] }, names),
      'Raison sociale : Boulangerie → Boulangerie Bernard · Mandat : aucun → signé',
    );
    assert.equal(auditDetailsText('en', { action: 'access.requested', details: recorded['access.requested'] }, names), 'Request no. 1 – profile · Profile: Offers – modification');
    assert.equal(
      auditDetailsText('fr', { action: 'access.requested', details: { number: 4, kind: 'paidOffer', profile: null, service: null, operation: 'change', offerId: 'consultation', fromOfferId: 'start' } }, names),
      'Demande n° 4 – offre payante · Opération : changement d’offre · Offre : Consultation · Offre actuelle : Start',
      'a paid-offer request names its operation and both offers',
    );
    assert.equal(auditDetailsText('fr', { action: 'guest.foundInDirectory', details: recorded['guest.foundInDirectory'] }, names), 'État : invitation acceptée');
    assert.equal(auditDetailsText('fr', { action: 'offer.proposed', details: recorded['offer.proposed'] }, names), 'Offre : Start · État : en attente de l’acceptation de l’invitation · Abonnement terminé rouvert');
  });

  it('keeps the code of an action no longer recorded, found in older entries', () => {
    assert.equal(auditActionLabel('fr', 'offer.retired'), 'offer.retired');
    assert.equal(auditActionLabel('en', 'offer.proposed'), 'Offer proposed');
  });
});
