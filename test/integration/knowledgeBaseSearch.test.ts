import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import { KnowledgeBase, type HelpReaderIdentity } from '../../bot/domain/help/knowledgeBase.js';
import { starterArticles } from '../../bot/domain/help/starterArticles.js';
import { createStores } from '../../bot/store/stores.js';
import { ensureIndexes } from '../../bot/store/mongo.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from '../helpers/mongo.js';

const firmId = '44444444-4444-4444-4444-444444444444';

/**
 * Real questions staff and clients type, each with the starting article that must come first. The
 * words are the readers', not the articles': plurals, verb forms, missing accents, capitals.
 */
const questions: { reader: 'staff' | 'client'; language: 'fr' | 'en'; text: string; first: string }[] = [
  { reader: 'staff', language: 'fr', text: 'quelle offre donne accès au dossier comptable en lecture seule', first: 'offers.fr' },
  { reader: 'staff', language: 'fr', text: 'différence entre les offres Start et Co-production', first: 'offers.fr' },
  { reader: 'client', language: 'fr', text: 'est-ce que l’offre start est gratuite', first: 'offers.fr' },
  { reader: 'staff', language: 'fr', text: 'invitations des clients dans le tenant', first: 'microsoftAccount.fr' },
  { reader: 'staff', language: 'fr', text: 'le client n’a pas de compte microsoft', first: 'microsoftAccount.fr' },
  { reader: 'client', language: 'fr', text: 'comment accepter l’invitation du cabinet', first: 'acceptInvitation.fr' },
  { reader: 'client', language: 'fr', text: 'je ne reçois pas l’email d’invitation', first: 'acceptInvitation.fr' },
  { reader: 'staff', language: 'fr', text: 'etapes mise en route FLOW', first: 'flowSteps.fr' },
  { reader: 'staff', language: 'fr', text: 'activer le protocole bancaire dsp2', first: 'flowSteps.fr' },
  { reader: 'staff', language: 'fr', text: 'activation de shine achats et ventes', first: 'shineActivation.fr' },
  { reader: 'staff', language: 'fr', text: 'choisir la formule et le mode de facturation', first: 'shineActivation.fr' },
  { reader: 'staff', language: 'fr', text: 'le siret est obligatoire pour shine', first: 'shinePrerequisites.fr' },
  { reader: 'staff', language: 'fr', text: 'un dirigeant avec plusieurs entreprises alias', first: 'shinePrerequisites.fr' },
  { reader: 'staff', language: 'fr', text: 'transférer le rôle de gestionnaire principal', first: 'structures.fr' },
  { reader: 'staff', language: 'fr', text: 'rattacher un utilisateur et lui donner des profils', first: 'structures.fr' },
  { reader: 'client', language: 'fr', text: 'faire une demande au support', first: 'askForHelp.fr' },
  { reader: 'staff', language: 'en', text: 'which offer lets the client keep their books', first: 'offers.en' },
  { reader: 'staff', language: 'en', text: 'inviting clients as guests of the tenant', first: 'microsoftAccount.en' },
  { reader: 'client', language: 'en', text: 'how do I accept the invitation', first: 'acceptInvitation.en' },
  { reader: 'staff', language: 'en', text: 'flow setup steps', first: 'flowSteps.en' },
  { reader: 'staff', language: 'en', text: 'activating Shine billing mode and plans', first: 'shineActivation.en' },
  { reader: 'staff', language: 'en', text: 'SIRET required primary contact Shine', first: 'shinePrerequisites.en' },
  { reader: 'staff', language: 'en', text: 'hand over the main manager role', first: 'structures.en' },
  { reader: 'client', language: 'en', text: 'asking the support for help', first: 'askForHelp.en' },
];

describe('knowledge base search on the starting articles', function () {
  this.timeout(60_000);
  let uri: string;
  let database: string;
  let client: MongoClient;
  let db: Db;
  let knowledgeBase: KnowledgeBase;
  const titleOfKey = new Map(starterArticles.map((starter) => [starter.key, starter.content.title]));

  before(async () => {
    uri = await testMongoUri();
    database = uniqueDatabaseName('kb_search');
    client = new MongoClient(uri);
    db = client.db(database);
    await ensureIndexes(db);
    knowledgeBase = new KnowledgeBase({ articles: createStores(db).articles, now: () => new Date() });
  });
  after(async () => {
    await client?.close();
    await dropDatabase(uri, database).catch(() => undefined);
  });

  const reader = (kind: 'staff' | 'client', language: 'fr' | 'en'): HelpReaderIdentity => ({ firmId, userId: `${kind}-1`, displayName: 'Lecteur', kind, language });

  for (const question of questions) {
    it(`${question.reader} (${question.language}) « ${question.text} » → ${question.first}`, async () => {
      const answer = await knowledgeBase.search(reader(question.reader, question.language), { text: question.text });
      const titles = answer.results.map((result) => result.title);
      assert.equal(titles[0], titleOfKey.get(question.first), `first result for « ${question.text} »; got ${JSON.stringify(titles)}`);
    });
  }

  it('a client never gets an article meant for staff, whatever they search', async () => {
    const staffOnly = new Set(starterArticles.filter((starter) => starter.content.audience === 'staff').map((starter) => starter.content.title));
    for (const text of ['Flow DSP2', 'Shine SIRET alias', 'gestionnaire principal structure', 'compte Microsoft tenant invité', 'main manager', 'Shine billing']) {
      for (const language of ['fr', 'en'] as const) {
        const answer = await knowledgeBase.search(reader('client', language), { text, limit: 20 });
        const leaked = answer.results.filter((result) => staffOnly.has(result.title));
        assert.deepEqual(leaked, [], `« ${text} » (${language}) shows a client staff-only articles`);
      }
    }
    const staffAnswer = await knowledgeBase.search(reader('staff', 'fr'), { text: 'Flow DSP2' });
    assert.ok(staffAnswer.results.some((result) => staffOnly.has(result.title)), 'staff do find staff articles (the check above can fail)');
  });

  it('filters by product and domain', async () => {
    const shineOnly = await knowledgeBase.search(reader('staff', 'fr'), { text: 'activer', product: 'shine', limit: 20 });
    assert.ok(shineOnly.results.length >= 2, 'both Shine articles speak of activating');
    assert.ok(shineOnly.results.every((result) => result.product === 'shine'), `only Shine: ${JSON.stringify(shineOnly.results.map((r) => r.product))}`);
    const organisation = await knowledgeBase.search(reader('staff', 'fr'), { text: 'demande', domain: 'organisation', limit: 20 });
    assert.deepEqual(organisation.results.map((result) => result.domain), ['organisation']);
  });

  it('ignores case and accents both ways, and stopwords alone find nothing', async () => {
    const accented = await knowledgeBase.search(reader('staff', 'fr'), { text: 'ÉTAPES PRÉREQUIS' });
    const plain = await knowledgeBase.search(reader('staff', 'fr'), { text: 'etapes prerequis' });
    assert.deepEqual(plain.results.map((r) => r.id), accented.results.map((r) => r.id));
    assert.ok(accented.results.length > 0);
    const empty = await knowledgeBase.search(reader('staff', 'fr'), { text: 'le la les de des' });
    assert.equal(empty.emptyQuestion, true);
    assert.deepEqual(empty.results, []);
  });

  it('seeds each firm once, even when two servers seed at the same time', async () => {
    const other = '55555555-5555-5555-5555-555555555555';
    const second = new KnowledgeBase({ articles: createStores(db).articles, now: () => new Date() });
    await Promise.all([knowledgeBase.ensureStarterArticles(other), second.ensureStarterArticles(other)]);
    await new KnowledgeBase({ articles: createStores(db).articles, now: () => new Date() }).ensureStarterArticles(other);
    const count = await db.collection('articles').countDocuments({ firmId: other });
    assert.equal(count, starterArticles.length, 'one article per starting key');
  });
});
