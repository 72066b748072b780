import assert from 'node:assert/strict';
import { addWorkingDays, allows, lifecycle, movesFor, parseSearch, supportStates, validateMoveText, validateSupportInput } from '../../bot/domain/support/supportRequest.js';

describe('support requests: the lifecycle table and its rules', () => {
  it('follows seed 004: brouillon → en cours ⇄ action requise → résolue → clôturée, or back to en cours', () => {
    assert.equal(lifecycle.send.to, 'inProgress');
    assert.equal(lifecycle.askInformation.to, 'actionRequired');
    assert.equal(lifecycle.reply.to, 'inProgress');
    assert.equal(lifecycle.proposeSolution.to, 'resolved');
    assert.equal(lifecycle.accept.to, 'closed');
    assert.equal(lifecycle.refuse.to, 'inProgress');
    assert.ok(lifecycle.refuse.needsText, 'a refusal needs its reason');
    assert.equal(lifecycle.autoClose.by, 'system');
  });

  it('lets each role make only its own moves, and nothing on a closed request', () => {
    assert.deepEqual(movesFor('closed', 'support'), []);
    assert.deepEqual(movesFor('closed', 'requester'), []);
    assert.deepEqual(movesFor('resolved', 'requester'), ['accept', 'refuse', 'attach']);
    assert.deepEqual(movesFor('actionRequired', 'requester'), ['reply', 'attach']);
    assert.equal(allows('accept', 'resolved', 'support'), false, 'the support never accepts its own solution');
    assert.equal(allows('proposeSolution', 'draft', 'support'), false, 'the support never touches a draft');
    for (const state of supportStates) assert.equal(allows('autoClose', state, 'system'), state === 'resolved', `autoClose from ${state}`);
  });

  it('needs a subject for a draft, and a category and description to send; reports every field at once', () => {
    const draft = validateSupportInput({ subject: 'Accès' }, 'draft');
    assert.ok(draft.ok && draft.value.category === 'other' && draft.value.description === '');
    const send = validateSupportInput({ category: 'astrologie', subject: '', description: '' }, 'send');
    assert.ok(!send.ok);
    assert.deepEqual(Object.keys(send.errors).sort(), ['category', 'description', 'subject']);
    assert.equal(send.errors.category?.code, 'category.unknown');
    const long = validateSupportInput({ category: 'flow', subject: 'x'.repeat(151), description: 'y' }, 'send');
    assert.ok(!long.ok && long.errors.subject?.code === 'tooLong');
    assert.ok(!validateMoveText('refuse', '   ').ok, 'a blank reason is no reason');
    assert.ok(validateMoveText('accept', undefined).ok);
  });

  it('counts working days Monday to Friday', () => {
    const friday = new Date('2026-12-04T10:00:00Z');
    assert.equal(addWorkingDays(friday, 1).toISOString(), '2026-12-07T10:00:00.000Z', 'Friday + 1 working day: Monday');
    assert.equal(addWorkingDays(new Date('2026-12-01T10:00:00Z'), 1).toISOString(), '2026-12-02T10:00:00.000Z', 'Tuesday + 1: Wednesday');
    assert.equal(addWorkingDays(new Date('2026-12-05T10:00:00Z'), 1).toISOString(), '2026-12-07T10:00:00.000Z', 'sent on Saturday: Monday');
    assert.equal(addWorkingDays(friday, 5).toISOString(), '2026-12-11T10:00:00.000Z');
  });

  it('reads « n° 42 », « #42 » and « 42 » as a number, anything else as words', () => {
    assert.deepEqual(parseSearch('n° 42'), { number: 42, words: [] });
    assert.deepEqual(parseSearch('#42'), { number: 42, words: [] });
    assert.deepEqual(parseSearch('Connexion Échouée'), { words: ['connexion', 'echouee'] });
  });
});
