import assert from 'node:assert/strict';
import { checkNotes, clientFileChanges, hasChanges, validateClientFileEdit, type ClientFileEditable } from '../../bot/domain/clientFileEdit.js';

const current: ClientFileEditable = {
  companyName: 'Boulangerie Bernard',
  legalForm: 'SARL',
  siret: '73282932000074',
  equipment: { purchases: 'Axonaut', mandate: 'none', einvoicingRegistration: 'none', reformAwareness: false },
  collection: {},
};

describe('client file edit rules', () => {
  it('leaves absent keys as they are and clears empty ones', () => {
    const result = validateClientFileEdit(current, { siret: '', equipment: { till: 'Apisoft' } });
    assert.ok(result.ok);
    assert.equal(result.value.siret, undefined);
    assert.ok(!('siret' in result.value), 'a cleared field is absent, not undefined');
    assert.equal(result.value.legalForm, 'SARL');
    assert.deepEqual(result.value.equipment, { purchases: 'Axonaut', till: 'Apisoft', mandate: 'none', einvoicingRegistration: 'none', reformAwareness: false });
  });

  it('reports every problem at once, keyed by field', () => {
    const result = validateClientFileEdit(current, {
      companyName: '  ',
      apeCode: '69',
      taxRegime: 'Forfait',
      equipment: { mandate: 'maybe', einvoicingRegistration: 'done' },
      collection: { collectionEmail: 'factures@', payroll: 'p'.repeat(61) },
      notes: 'n'.repeat(2001),
    });
    assert.ok(!result.ok);
    assert.deepEqual(Object.fromEntries(Object.entries(result.errors).map(([field, error]) => [field, error!.code])), {
      companyName: 'required',
      apeCode: 'ape.format',
      taxRegime: 'taxRegime.unknown',
      'equipment.mandate': 'mandate.unknown',
      'equipment.einvoicingRegistration': 'einvoicingRegistration.unknown',
      'collection.collectionEmail': 'email.invalid',
      'collection.payroll': 'tooLong',
      notes: 'tooLong',
    });
    assert.deepEqual(result.errors.notes?.params, { max: 2000 });
  });

  it('keeps the line breaks of notes, not their trailing blanks or control characters', () => {
    assert.deepEqual(checkNotes('  Rappeler\r\nen janvier.  \n\n\n\nPaie\u0007 ok  '), { ok: true, value: 'Rappeler\nen janvier.\n\nPaie ok' });
    assert.deepEqual(checkNotes(' \n '), { ok: true, value: undefined });
  });

  it('names only what changed, with before and after', () => {
    const result = validateClientFileEdit(current, { companyName: 'Boulangerie Bernard', legalForm: 'SAS', equipment: { mandate: 'sent', purchases: 'Axonaut' } });
    assert.ok(result.ok);
    const changes = clientFileChanges(current, result.value);
    assert.deepEqual(changes, { before: { legalForm: 'SARL', equipment: { mandate: 'none' } }, after: { legalForm: 'SAS', equipment: { mandate: 'sent' } } });
    const same = validateClientFileEdit(current, { companyName: ' Boulangerie  Bernard ' });
    assert.ok(same.ok);
    assert.equal(hasChanges(clientFileChanges(current, same.value)), false, 'the same value, cleaned, is no change');
  });
});
