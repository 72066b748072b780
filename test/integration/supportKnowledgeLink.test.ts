import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import type { AccessContext } from '../../bot/domain/access/policy.js';
import { KnowledgeBase } from '../../bot/domain/help/knowledgeBase.js';
import { SupportRequests } from '../../bot/domain/support/supportRequests.js';
import { collections, ensureIndexes } from '../../bot/store/mongo.js';
import { createStores } from '../../bot/store/stores.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from '../helpers/mongo.js';

/** The support requests with the firm's knowledge base (its starting articles): articles before sending, an article from a solution. */
describe('support requests and the knowledge base (bot/domain/help/knowledgeBaseLink.ts)', function () {
  this.timeout(30_000);
  let client: MongoClient;
  let db: Db;
  let uri: string;
  const database = uniqueDatabaseName('support_kb');
  const firmId = '44444444-4444-4444-4444-444444444444';
  const administrator: AccessContext = { membership: { firmId, email: 'claire@cabinet.test', displayName: 'Claire', userId: 'claire', services: [], profiles: [{ application: 'organisation', level: 'modification' }], status: 'attached' }, role: 'mainManager' };
  let support: SupportRequests;

  before(async () => {
    uri = await testMongoUri();
    client = new MongoClient(uri);
    db = client.db(database);
    await ensureIndexes(db);
    const stores = createStores(db);
    const knowledgeBase = new KnowledgeBase({ articles: stores.articles, now: () => new Date() });
    support = new SupportRequests({
      store: stores.supportRequests,
      clientFiles: { findById: async () => null, findByCode: async () => null },
      directory: { clientOf: async () => null, supportStaff: async () => [] },
      policy: async () => ({ firstAnswerWithinWorkingDays: 1, autoCloseAfterDays: 7 }),
      notifier: { changed: async () => undefined, closeWarning: async () => undefined, firstAnswerReminder: async () => undefined },
      knowledgeBase,
      now: () => new Date(),
    });
  });
  after(async () => {
    await client?.close();
    await dropDatabase(uri, database).catch(() => undefined);
  });

  const claire = () => support.staff({ firmId, userId: 'claire', displayName: 'Claire Martin', access: administrator });
  const count = () => db.collection(collections.supportRequests).countDocuments({ firmId });

  it('shows the matching articles before sending and writes nothing; sent anyway once confirmed', async () => {
    const input = { creationRequestId: 'c9a4f0a4-8a55-4a0e-9d1b-2d6f1c1f0001', category: 'invitation', subject: 'Le client n’a pas reçu l’invitation', description: 'Il ne trouve pas l’e-mail d’invitation.', send: true, language: 'fr' as const };
    const first = await support.create(claire(), input);
    assert.equal(first.status, 'suggestions');
    const titles = first.status === 'suggestions' ? first.articles.map((article) => article.title) : [];
    assert.ok(titles.length > 0 && titles.some((title) => /invitation/i.test(title)), `a starting article on invitations comes first among: ${titles.join(' | ')}`);
    assert.equal(await count(), 0, 'nothing written while the person reads the articles');
    const sent = await support.create(claire(), { ...input, confirmed: true });
    assert.equal(sent.status, 'done');
    assert.equal(sent.status === 'done' && sent.request.state, 'inProgress');
    const again = await support.create(claire(), { ...input, confirmed: true });
    assert.ok(again.status === 'done' && again.repeated, 'the same submission twice creates one request');
    assert.equal(await count(), 1);
  });

  it('sends at once when no article matches', async () => {
    const sent = await support.create(claire(), { creationRequestId: 'c9a4f0a4-8a55-4a0e-9d1b-2d6f1c1f0002', category: 'other', subject: 'Imprimante bloquée', description: 'Le toner est vide.', send: true, language: 'fr' });
    assert.equal(sent.status, 'done');
  });

  it('turns a solved request into a draft article in one step, once', async () => {
    const listing = await support.list(claire(), { scope: 'queue', search: 'imprimante' });
    assert.ok(!('status' in listing));
    const target = listing.items[0]!;
    const early = await support.draftArticle(claire(), target.id, 'fr');
    assert.equal(early.status, 'notAllowed', 'a request not solved yet makes no article');
    const solved = await support.act(claire(), target.id, target.version, 'proposeSolution', { text: 'Remplacez la cartouche de toner.' });
    assert.equal(solved.status, 'done');
    const article = await support.draftArticle(claire(), target.id, 'fr');
    assert.equal(article.status, 'done');
    const articleId = article.status === 'done' ? article.request.articleId : undefined;
    const stored = await db.collection(collections.articles).find({ firmId, fromRequestId: target.id }).toArray();
    assert.equal(stored.length, 1, 'one draft article, from this request');
    assert.equal(stored[0]!._id.toHexString(), articleId, 'the request names its article');
    assert.deepEqual({ title: stored[0]!.title, body: stored[0]!.body, state: stored[0]!.state }, { title: 'Imprimante bloquée', body: 'Le toner est vide.\n\nRemplacez la cartouche de toner.', state: 'draft' });
    const twice = await support.draftArticle(claire(), target.id, 'fr');
    assert.ok(twice.status === 'done' && twice.repeated, 'once only');
    assert.equal(await db.collection(collections.articles).countDocuments({ firmId, fromRequestId: target.id }), 1);
    assert.equal(await db.collection(collections.auditLog).countDocuments({ firmId, action: 'support.articleDrafted' }), 1);
  });
});
