import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import type { AccessContext } from '../../bot/domain/access/policy.js';
import type { KnowledgeBaseLink } from '../../bot/domain/help/knowledgeBaseLink.js';
import { SupportRequests } from '../../bot/domain/support/supportRequests.js';
import { collections, ensureIndexes } from '../../bot/store/mongo.js';
import { createStores } from '../../bot/store/stores.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from '../helpers/mongo.js';

/** The support requests with a knowledge base connected: articles before sending, an article from a solution. */
describe('support requests and the knowledge base (bot/domain/help/knowledgeBaseLink.ts)', function () {
  this.timeout(30_000);
  let client: MongoClient;
  let db: Db;
  let uri: string;
  const database = uniqueDatabaseName('support_kb');
  const firmId = '44444444-4444-4444-4444-444444444444';
  const suggested: string[] = [];
  const drafted: { title: string; body: string; fromRequestId: string }[] = [];
  const knowledgeBase: KnowledgeBaseLink = {
    async suggest(_firm, reader, _language, text) {
      suggested.push(`${reader}:${text}`);
      return /mot de passe/i.test(text) ? [{ id: 'a1', title: 'Réinitialiser son mot de passe Microsoft', product: 'microsoft', domain: 'connexion' }] : [];
    },
    async draftFromSolution(_actor, draft) {
      drafted.push(draft);
      return { id: `article-${drafted.length}` };
    },
  };
  const administrator: AccessContext = { membership: { firmId, email: 'claire@cabinet.test', displayName: 'Claire', userId: 'claire', services: [], profiles: [{ application: 'organisation', level: 'modification' }], status: 'attached' }, role: 'mainManager' };
  let support: SupportRequests;

  before(async () => {
    uri = await testMongoUri();
    client = new MongoClient(uri);
    db = client.db(database);
    await ensureIndexes(db);
    support = new SupportRequests({
      store: createStores(db).supportRequests,
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
    const input = { creationRequestId: 'c9a4f0a4-8a55-4a0e-9d1b-2d6f1c1f0001', category: 'signIn', subject: 'Mot de passe oublié', description: 'Je ne peux plus me connecter.', send: true, language: 'fr' as const };
    const first = await support.create(claire(), input);
    assert.equal(first.status, 'suggestions');
    assert.deepEqual(first.status === 'suggestions' && first.articles.map((article) => article.id), ['a1']);
    assert.deepEqual(suggested, ['staff:Mot de passe oublié'], 'staff read the staff’s articles');
    assert.equal(await count(), 0, 'nothing written while the person reads the articles');
    const sent = await support.create(claire(), { ...input, confirmed: true });
    assert.equal(sent.status, 'done');
    assert.equal(sent.status === 'done' && sent.request.state, 'inProgress');
    const again = await support.create(claire(), { ...input, confirmed: true });
    assert.ok(again.status === 'done' && again.repeated, 'the same submission twice creates one request');
    assert.equal(await count(), 1);
  });

  it('sends at once when no article matches', async () => {
    const sent = await support.create(claire(), { creationRequestId: 'c9a4f0a4-8a55-4a0e-9d1b-2d6f1c1f0002', category: 'flow', subject: 'DSP2 refusée', description: 'La banque refuse.', send: true, language: 'fr' });
    assert.equal(sent.status, 'done');
  });

  it('turns a solved request into a draft article in one step, once', async () => {
    const listing = await support.list(claire(), { scope: 'queue', search: 'dsp2' });
    assert.ok(!('status' in listing));
    const target = listing.items[0]!;
    const early = await support.draftArticle(claire(), target.id, 'fr');
    assert.equal(early.status, 'notAllowed', 'a request not solved yet makes no article');
    const solved = await support.act(claire(), target.id, target.version, 'proposeSolution', { text: 'Renouvelez le consentement DSP2 dans Flow.' });
    assert.equal(solved.status, 'done');
    const article = await support.draftArticle(claire(), target.id, 'fr');
    assert.equal(article.status, 'done');
    assert.equal(article.status === 'done' && article.request.articleId, 'article-1');
    assert.deepEqual(drafted.map((draft) => ({ title: draft.title, body: draft.body, from: draft.fromRequestId })), [{ title: 'DSP2 refusée', body: 'La banque refuse.\n\nRenouvelez le consentement DSP2 dans Flow.', from: target.id }]);
    const twice = await support.draftArticle(claire(), target.id, 'fr');
    assert.ok(twice.status === 'done' && twice.repeated, 'once only');
    assert.equal(drafted.length, 1);
    assert.equal(await db.collection(collections.auditLog).countDocuments({ firmId, action: 'support.articleDrafted' }), 1);
  });
});
