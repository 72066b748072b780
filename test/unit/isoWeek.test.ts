import assert from 'node:assert/strict';
import { isoWeek } from '../../bot/domain/weeklyNotices.js';

/** The weekly guest review is claimed once per ISO 8601 week: the week's name must follow the standard at year ends. */
describe('the ISO week of a weekly notice', () => {
  it('names the week of a date as ISO 8601 does', () => {
    assert.equal(isoWeek(new Date('2026-12-04T18:00:00Z')), '2026-W49');
    assert.equal(isoWeek(new Date('2026-12-28T00:00:00Z')), '2026-W53', '2026 starts on a Thursday: it has 53 weeks');
    assert.equal(isoWeek(new Date('2027-01-01T12:00:00Z')), '2026-W53', 'a Friday 1 January belongs to the year before');
    assert.equal(isoWeek(new Date('2027-01-04T00:00:00Z')), '2027-W01');
  });

  it('gives a Monday and the Sunday before it different weeks, so a new week is a new notice', () => {
    assert.notEqual(isoWeek(new Date('2026-12-06T23:59:00Z')), isoWeek(new Date('2026-12-07T00:00:00Z')));
  });
});
