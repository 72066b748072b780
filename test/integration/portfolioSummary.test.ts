import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { portfolioSummaryVersion, summariseFile, type PortfolioSummary } from '../../bot/domain/portfolioSummary.js';
import { collections } from '../../bot/store/mongo.js';
import { MongoPortfolioSummaryStore } from '../../bot/store/portfolioRepository.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio, withDatabase } from '../helpers/portfolioSeed.js';
import { testMongoUri, uniqueDatabaseName, dropDatabase } from '../helpers/mongo.js';

const firm = '11111111-1111-1111-1111-111111111111';

describe('portfolio summaries in MongoDB', function () {
  this.timeout(60_000);

  it('keeps the summary read from the newest records when two refreshes race', async () => {
    const uri = await testMongoUri();
    const name = uniqueDatabaseName('summary_race');
    try {
      await withDatabase(uri, name, async (db) => {
        const [seeded] = await seedPortfolio(db, firm, [{ code: '000001', companyName: 'Boulangerie', contacts: [{ lastName: 'Bernard', email: 'lea@example.test', state: 'invited' }] }]);
        const store = new MongoPortfolioSummaryStore(db);
        const sources = await store.sourcesOf(firm, [seeded!.id]);
        const fresh = summariseFile(sources.files[0]!, sources);
        const older: PortfolioSummary = { ...fresh, contactCount: 0, states: {}, stateList: [] };
        await store.saveSummary(firm, seeded!.id, fresh, Date.now() + 60_000);
        await store.saveSummary(firm, seeded!.id, older, Date.now());
        const stored = await db.collection(collections.clientFiles).findOne({ _id: new ObjectId(seeded!.id) });
        assert.equal(stored?.portfolio?.contactCount, 1, 'the refresh that read older records did not overwrite');
        assert.deepEqual(stored?.portfolio?.states, { invited: 1 });
        assert.deepEqual(await store.sourcesOf('22222222-2222-2222-2222-222222222222', [seeded!.id]), { files: [], links: [], contacts: [], subscriptions: [], flows: [], shines: [] }, 'another firm reads nothing of it');
      });
    } finally {
      await dropDatabase(uri, name).catch(() => undefined);
    }
  });

  describe('at start-up', () => {
    let passerelle: TestPasserelle | undefined;
    after(async () => {
      await passerelle?.stop();
    });

    it('summarises files written before summaries existed, then serves them in the table', async () => {
      const uri = await testMongoUri();
      const database = uniqueDatabaseName('summary_rebuild');
      await withDatabase(uri, database, async (db) => {
        const [seeded] = await seedPortfolio(db, firm, [{ code: '000007', companyName: 'Atelier Ancien', contacts: [{ lastName: 'Durand', email: 'durand@example.test', state: 'accepted', primary: true }] }]);
        // As an older version left it: no summary at all.
        await db.collection(collections.clientFiles).updateOne({ _id: new ObjectId(seeded!.id) }, { $unset: { portfolio: '', portfolioReadAt: '' } });
      });
      passerelle = await startTestPasserelle({ backgroundWork: false, mongoUri: uri, database, env: { TAB_LOCAL_USER: `${firm}|aaaaaaaa-0000-0000-0000-000000000001|Claire Martin|claire.martin@cabinet-demo.test` } });
      let item: { code: string; contacts: { count: number; primary: { name: string } | null; states: Record<string, number> } } | undefined;
      for (let attempt = 0; attempt < 50; attempt++) {
        const body = (await (await fetch(`${passerelle.server.url}/api/portfolio`)).json()) as { items: NonNullable<typeof item>[] };
        item = body.items[0];
        if (item?.contacts.count === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(item?.code, '000007');
      assert.equal(item?.contacts.count, 1, 'the background rebuild summarised the old file');
      assert.equal(item?.contacts.primary?.name, 'Durand');
      assert.deepEqual(item?.contacts.states, { accepted: 1 });
      const stored = await withDatabase(uri, database, (db) => db.collection(collections.clientFiles).findOne({ code: '000007' }));
      assert.equal(stored?.portfolio?.version, portfolioSummaryVersion);
    });
  });
});
