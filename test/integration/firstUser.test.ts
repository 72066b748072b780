import assert from 'node:assert/strict';
import type { Db } from 'mongodb';
import { StaffSessions } from '../../bot/domain/access/staffSessions.js';
import { decide, requirements } from '../../bot/domain/access/policy.js';
import type { MembershipStore } from '../../bot/domain/access/ports.js';
import { ensureIndexes } from '../../bot/store/mongo.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from '../helpers/mongo.js';
import { withDatabase } from '../helpers/portfolioSeed.js';
import { createStores } from '../../bot/store/stores.js';

const firm = '33333333-3333-3333-3333-333333333333';
const nina = { firmId: firm, userId: 'aaaaaaaa-0000-0000-0000-000000000009', displayName: 'Nina Roux', email: 'nina.roux@cabinet-neuf.test' };

/**
 * The first person of a firm opens the tab, which asks several things at once: one request bootstraps
 * the firm while another has already looked for her and not found her yet. That second request must
 * look again rather than refuse her as « not attached ».
 */
describe('the first staff member of a firm, two requests crossing', function () {
  this.timeout(30_000);
  let uri: string;
  let name: string;

  before(async () => {
    uri = await testMongoUri();
    name = uniqueDatabaseName('first_user');
  });
  after(async () => {
    await dropDatabase(uri, name).catch(() => undefined);
  });

  it('finds the person another request has just attached, instead of refusing her', async () => {
    await withDatabase(uri, name, async (db: Db) => {
      await ensureIndexes(db);
      const stores = createStores(db);
      const memberships = stores.memberships;
      const service = (store: MembershipStore) =>
        new StaffSessions({ structures: stores.structures, memberships: store, now: () => new Date() });
      // The first request: bootstraps the firm with Nina as main manager.
      assert.equal(decide(await service(memberships).contextFor(nina), requirements.read('clientFiles')).allowed, true);
      // The crossing request: its look-ups by id and e-mail ran before that insert (they found nothing),
      // its count runs after it (one member).
      let missedOnce = 2;
      const late: MembershipStore = Object.assign(Object.create(memberships) as MembershipStore, {
        findByUserId: async (...args: Parameters<MembershipStore['findByUserId']>) => (missedOnce-- > 0 ? null : memberships.findByUserId(...args)),
        findByEmail: async (...args: Parameters<MembershipStore['findByEmail']>) => (missedOnce-- > 0 ? null : memberships.findByEmail(...args)),
      });
      const context = await service(late).contextFor(nina);
      assert.equal(context.membership?.email, nina.email, 'found on the second look');
      assert.equal(decide(context, requirements.read('clientFiles')).allowed, true);
    });
  });
});
