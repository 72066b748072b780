import assert from 'node:assert/strict';
import { describeRequest } from '../../bot/cards/accessViews.js';
import type { AccessRequest, RequestedOffer } from '../../bot/domain/access/ports.js';

function paidOfferRequest(offer: RequestedOffer): AccessRequest {
  return {
    firmId: 'firm',
    number: 7,
    kind: 'paidOffer',
    requester: { userId: 'user', email: 'paul@cabinet.test', displayName: 'Paul Durand' },
    offer,
    status: 'pending',
    createdAt: new Date('2026-01-05T09:00:00Z'),
  };
}

const target = { clientFileId: 'file', contactId: 'contact', contactName: 'Léa Bernard', clientFileCode: '000100' };

/** A paid-offer request reads as the operation asked, in the reader's language; older requests stay readable. */
describe('what a paid-offer request asks, as people read it', () => {
  it('names a change from one offer to another, not an activation', () => {
    const change = paidOfferRequest({ ...target, operation: 'change', subscriptionId: 'sub', expectedVersion: 3, fromOfferId: 'start', fromOfferName: 'Start', offerId: 'consultation', offerName: 'Consultation' });
    assert.equal(describeRequest('fr', change), 'changement de l’offre Start en Consultation – Léa Bernard (dossier 000100)');
    assert.equal(describeRequest('en', change), 'change of the offer Start to Consultation – Léa Bernard (file 000100)');
  });

  it('names an end and an activation', () => {
    const end = paidOfferRequest({ ...target, operation: 'end', subscriptionId: 'sub', expectedVersion: 2, offerId: 'consultation', offerName: 'Consultation' });
    assert.equal(describeRequest('en', end), 'end of the paid offer Consultation – Léa Bernard (file 000100)');
    const activation = paidOfferRequest({ ...target, operation: 'activate', offerId: 'coproduction', offerName: 'Co-production' });
    assert.equal(describeRequest('fr', activation), 'activation de l’offre payante Co-production – Léa Bernard (dossier 000100)');
  });

  it('reads a request stored before operations were recorded as the activation it was', () => {
    const older = paidOfferRequest({ clientFileId: 'file', contactId: 'contact', offerId: 'consultation', summary: 'Consultation – Léa Bernard (dossier 000100)' });
    assert.equal(describeRequest('fr', older), 'activation de l’offre payante Consultation – Léa Bernard (dossier 000100)');
  });
});
