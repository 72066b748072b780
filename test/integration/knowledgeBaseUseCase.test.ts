import assert from 'node:assert/strict';
import { MongoClient, type Db } from 'mongodb';
import type { AccessContext } from '../../bot/domain/access/policy.js';
import type { Profile } from '../../bot/domain/access/profiles.js';
import { editArticles, KnowledgeBase, KnowledgeBaseRefusedError } from '../../bot/domain/help/knowledgeBase.js';
import type { StaffActor } from '../../bot/domain/staffActor.js';
import { createStores } from '../../bot/store/stores.js';
import { collections, ensureIndexes } from '../../bot/store/mongo.js';
import {
  ArchiveArticleAction,
  ArticlesCommand,
  OpenArticleEditorAction,
  PublishArticleAction,
  SaveArticleAction,
} from '../../bot/teams/actions/helpActions.js';
import { HelpCommand } from '../../bot/teams/commands/helpCommand.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from '../helpers/mongo.js';

const firmId = '66666666-6666-6666-6666-666666666666';

function staff(userId: string, profiles: Profile[], role: AccessContext['role'] = 'user'): StaffActor {
  return {
    firmId,
    userId,
    displayName: `Collaborateur ${userId}`,
    access: { role, membership: { firmId, email: `${userId}@cabinet.test`, displayName: userId, services: [], profiles, status: 'attached' } },
  };
}

const editor = staff('editor', [{ application: 'knowledgeBase', level: 'modification' }]);
const reader = staff('reader', [{ application: 'knowledgeBase', level: 'consultation' }, { application: 'clientFiles', level: 'modification' }]);
const content = { title: 'Changer de formule Shine', body: 'Ouvrez le Shine du client depuis le portefeuille.', product: 'shine', domain: 'activation', audience: 'staff', language: 'fr', keywords: ['formule'] };

describe('the knowledge base use case: the profile, the lifecycle, feedback and the support requests’ side', function () {
  this.timeout(60_000);
  let uri: string;
  let database: string;
  let client: MongoClient;
  let db: Db;
  let knowledgeBase: KnowledgeBase;

  before(async () => {
    uri = await testMongoUri();
    database = uniqueDatabaseName('kb_use_case');
    client = new MongoClient(uri);
    db = client.db(database);
    await ensureIndexes(db);
    knowledgeBase = new KnowledgeBase({ articles: createStores(db).articles, now: () => new Date() });
  });
  after(async () => {
    await client?.close();
    await dropDatabase(uri, database).catch(() => undefined);
  });

  it('only « Base de connaissances – modification » (or an administrator) creates, edits, publishes and archives', async () => {
    const count = () => db.collection(collections.articles).countDocuments({ firmId, starterKey: { $exists: false } });
    assert.deepEqual(await knowledgeBase.create(reader, content), { ok: false, refusal: 'notPermitted' });
    assert.equal(await count(), 0, 'nothing written without the profile');
    const created = await knowledgeBase.create(editor, content);
    assert.ok(created.ok);
    const id = created.value.id;
    assert.deepEqual(await knowledgeBase.edit(reader, id, 1, { ...content, title: 'Autre' }), { ok: false, refusal: 'notPermitted' });
    assert.deepEqual(await knowledgeBase.publish(reader, id, 1), { ok: false, refusal: 'notPermitted' });
    assert.deepEqual(await knowledgeBase.archive(reader, id, 1), { ok: false, refusal: 'notPermitted' });
    const administrator = staff('admin', [], 'mainManager');
    assert.equal((await knowledgeBase.publish(administrator, id, 1)).ok, true, 'the main manager may');
    assert.deepEqual((await knowledgeBase.listForEditors(reader, { language: 'fr' })).ok, false);
  });

  it('holds each Teams verb’s declared requirement to the use case’s', () => {
    const help = { knowledgeBase, readers: undefined as never };
    const editing = [new OpenArticleEditorAction(help), new SaveArticleAction(help), new PublishArticleAction(help), new ArchiveArticleAction(help), new ArticlesCommand(help)];
    for (const handler of editing) {
      assert.deepEqual(handler.requires, editArticles, `${'verb' in handler ? handler.verb : handler.name} declares « Base de connaissances – modification »`);
    }
    assert.equal(new HelpCommand(knowledgeBase).requires, 'anyone', 'searching needs nothing');
  });

  it('writes nothing on bad input and says what is wrong on each field', async () => {
    const created = await knowledgeBase.create(editor, { ...content, title: 'Brouillon' });
    assert.ok(created.ok);
    const before = await db.collection(collections.articles).findOne({ title: 'Brouillon' });
    const bad = await knowledgeBase.edit(editor, created.value.id, 1, { ...content, title: '', audience: 'tous' });
    assert.equal(bad.ok, false);
    assert.deepEqual(!bad.ok && bad.errors, { title: { code: 'required' }, audience: { code: 'article.unknownChoice' } });
    const after = await db.collection(collections.articles).findOne({ title: 'Brouillon' });
    assert.deepEqual(after, before, 'the stored article is untouched');
    assert.deepEqual(await knowledgeBase.edit(editor, created.value.id, 7, content), { ok: false, refusal: 'changedMeanwhile' });
    assert.deepEqual(await knowledgeBase.edit(editor, 'ffffffffffffffffffffffff', 1, content), { ok: false, refusal: 'notFound' });
    assert.deepEqual(await knowledgeBase.archive(editor, 'not-an-id', 1), { ok: false, refusal: 'notFound' });
  });

  it('counts one answer per reader and article, and a changed mind moves it', async () => {
    const created = await knowledgeBase.create(editor, { ...content, title: 'Avis', audience: 'both' });
    assert.ok(created.ok);
    assert.ok((await knowledgeBase.publish(editor, created.value.id, 1)).ok);
    const client1 = { firmId, userId: 'guest-1', displayName: 'Client', kind: 'client' as const, language: 'fr' as const };
    const answers = await Promise.all([1, 2, 3].map(() => knowledgeBase.recordFeedback(client1, created.value.id, true)));
    assert.deepEqual(answers.map((answer) => answer.ok && answer.value).sort(), ['recorded', 'unchanged', 'unchanged'], 'a card submitted three times counts once');
    assert.deepEqual(await knowledgeBase.recordFeedback(client1, created.value.id, false), { ok: true, value: 'changed' });
    const view = await knowledgeBase.open({ ...editor, kind: 'staff', language: 'fr' }, created.value.id);
    assert.deepEqual(view?.feedback, { helpful: 0, notHelpful: 1 });
    const staffOnly = await knowledgeBase.create(editor, { ...content, title: 'Réservé' });
    assert.ok(staffOnly.ok && (await knowledgeBase.publish(editor, staffOnly.value.id, 1)).ok);
    assert.deepEqual(await knowledgeBase.recordFeedback(client1, staffOnly.ok ? staffOnly.value.id : '', true), { ok: false, refusal: 'notFound' }, 'no feedback on an article a client cannot read');
  });

  it('turns a solved request into one draft, however often it is asked, and refuses without the profile', async () => {
    const draft = { title: 'Invitation bloquée par le pare-feu', body: 'Autorisez invitations@microsoft.com.', language: 'fr' as const, keywords: ['pare-feu'], fromRequestId: 'request-42' };
    const first = await knowledgeBase.draftFromSolution(editor, draft);
    const second = await knowledgeBase.draftFromSolution(editor, draft);
    assert.equal(second.id, first.id, 'the same draft');
    assert.equal(await db.collection(collections.articles).countDocuments({ firmId, fromRequestId: 'request-42' }), 1);
    const stored = await db.collection(collections.articles).findOne({ fromRequestId: 'request-42' });
    assert.equal(stored?.state, 'draft');
    await assert.rejects(knowledgeBase.draftFromSolution(reader, { ...draft, fromRequestId: 'request-43' }), (error: unknown) => error instanceof KnowledgeBaseRefusedError && error.refusal === 'notPermitted');
    await assert.rejects(knowledgeBase.draftFromSolution(editor, { ...draft, title: '', fromRequestId: 'request-44' }), (error: unknown) => error instanceof KnowledgeBaseRefusedError && error.refusal === 'invalid');
    const suggestions = await knowledgeBase.suggest(firmId, 'client', 'fr', 'je n’arrive pas à accepter l’invitation', 3);
    assert.ok(suggestions.length > 0 && suggestions.length <= 3);
    assert.equal(suggestions[0]!.title, 'Accepter l’invitation de votre cabinet');
  });
});
