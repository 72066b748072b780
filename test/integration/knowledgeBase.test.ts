import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { claire, executeActivity, messageActivity, paul, type Speaker } from '../helpers/activities.js';
import { collections } from '../../bot/store/mongo.js';
import { starterArticles } from '../../bot/domain/help/starterArticles.js';

type InvokeBody = { statusCode: number; type: string; value: unknown };
const lea: Speaker = { id: '29:guest-lea', name: 'Léa Bernard (Invité)', aadObjectId: 'cccccccc-0000-0000-0000-000000000009' };
const staffOnlyTitles = starterArticles.filter((starter) => starter.content.audience === 'staff').map((starter) => starter.content.title);

describe('the knowledge base through the bot: « aide <mots> », articles, feedback and editing', function () {
  this.timeout(90_000);
  let passerelle: TestPasserelle;

  before(async () => {
    passerelle = await startTestPasserelle({ backgroundWork: false });
    passerelle.connector.guests.add(lea.id);
  });
  after(async () => {
    await passerelle?.stop();
  });

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  async function say(text: string, who: Speaker = claire) {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    const reply = passerelle.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers "${text}"`);
    return reply.activity as { text?: string; attachments?: { content: unknown }[] };
  }
  async function execute(verb: string, data: Record<string, unknown>, who: Speaker = claire) {
    const response = await passerelle.post(executeActivity(verb, data, { serviceUrl: passerelle.connector.url, from: who, conversationId: conversationOf(who) }));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return response.body as InvokeBody;
  }
  const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;
  const resultTitles = (card: unknown) => cardActions(card).filter((action) => action.verb === 'help.open').map((action) => action.data.articleId as string);
  async function collection(name: string) {
    const client = new MongoClient(passerelle.mongoUri);
    return { client, collection: client.db(passerelle.database).collection(name) };
  }
  async function articleIdOf(key: string): Promise<string> {
    const { client, collection: articles } = await collection(collections.articles);
    try {
      const found = await articles.findOne({ starterKey: key });
      assert.ok(found, `starting article ${key} is stored`);
      return found._id.toHexString();
    } finally {
      await client.close();
    }
  }

  it('« aide » alone still lists the commands', async () => {
    const card = cardOf(await say('aide'));
    assert.match(cardText(card), /Commandes de Passerelle/);
    assert.match(cardText(card), /aide \[mots\]/, 'the list says help takes words');
  });

  it('« aide <mots> » answers a card with the best article first, filters and an open button per article', async () => {
    const card = cardOf(await say('aide invitations des clients dans le tenant'));
    assert.match(cardText(card), /Aide : « invitations des clients dans le tenant »/);
    const ids = resultTitles(card);
    assert.ok(ids.length > 0, 'results are listed');
    assert.equal(ids[0], await articleIdOf('microsoftAccount.fr'), 'the invitation article comes first');
    const inputs = JSON.stringify(card);
    assert.match(inputs, /"id":"product"/, 'a product filter');
    assert.match(inputs, /"id":"domain"/, 'a domain filter');
    const filtered = (await execute('help.search', { query: 'activer', product: 'shine' })).value;
    const shineIds = resultTitles(filtered);
    assert.ok(shineIds.length >= 2, 'both Shine articles');
    assert.match(cardText(filtered), /Shine · Mise en route des applications/);
    assert.doesNotMatch(cardText(filtered), /Cegid Flow ·/, 'the Flow article is filtered out');
    assert.match(cardText(cardOf(await say('help invite a client'))), /Aide : « invite a client »/, '« help <words> » searches too');
  });

  it('a client (guest) searches the articles meant for clients, never a staff-only one', async () => {
    const card = cardOf(await say('aide accepter l’invitation', lea));
    assert.equal(resultTitles(card)[0], await articleIdOf('acceptInvitation.fr'));
    for (const question of ['aide Flow DSP2 étapes', 'aide Shine SIRET alias', 'aide gestionnaire principal', 'aide compte Microsoft invité tenant']) {
      const text = cardText(cardOf(await say(question, lea)));
      for (const title of staffOnlyTitles) assert.ok(!text.includes(title), `« ${question} » shows the client « ${title} »`);
    }
    const staffArticle = await articleIdOf('flowSteps.fr');
    const opened = await execute('help.open', { articleId: staffArticle }, lea);
    assert.match(String(opened.value), /n’existe pas ou ne vous est pas destiné/, 'a staff article cannot be opened by a client');
    assert.match(String((await say('aide', lea)).text), /Écrivez « aide » suivi de votre question/);
    assert.match(String((await say('dossier 000001', lea)).text), /en tant qu’invité/, 'other commands stay closed to guests');
  });

  it('« Cet article vous a-t-il aidé ? » counts once per reader and article', async () => {
    const id = await articleIdOf('acceptInvitation.fr');
    const article = (await execute('help.open', { articleId: id }, lea)).value;
    assert.match(cardText(article), /Cet article vous a-t-il aidé \?/);
    assert.ok(!cardActions(article).some((action) => action.verb === 'help.openEditor'), 'a client gets no editing button');
    const yes = cardActions(article).find((action) => action.verb === 'help.feedback' && action.data.helpful === true)!;
    assert.match(cardText((await execute('help.feedback', yes.data, lea)).value), /Merci pour votre réponse/);
    assert.match(cardText((await execute('help.feedback', yes.data, lea)).value), /déjà enregistrée/);
    await execute('help.feedback', yes.data, claire);
    const { client, collection: feedback } = await collection(collections.articleFeedback);
    try {
      assert.equal(await feedback.countDocuments({ articleId: id, helpful: true }), 2, 'Léa once, Claire once');
    } finally {
      await client.close();
    }
    assert.match(cardText((await execute('help.open', { articleId: id })).value), /Lecteurs aidés : 2 · non aidés : 0/, 'the editor sees the count');
  });

  let draftId = '';

  it('an editor creates a draft (bad input: each field says what to fix, nothing written), publishes it, readers find it, then archives it', async () => {
    const list = cardOf(await say('articles'));
    assert.match(cardText(list), /Articles d’aide du cabinet/);
    const form = (await execute('help.openEditor', {})).value;
    const save = cardActions(form).find((action) => action.verb === 'help.save')!;
    const bad = (await execute('help.save', { ...save.data, title: '', body: 'Texte', product: 'fax', domain: 'offers', audience: 'clients', language: 'fr', keywords: '' })).value;
    assert.match(cardText(bad), /Corrigez les champs signalés : rien n’a été enregistré/);
    assert.match(cardText(bad), /Ce champ est obligatoire/, 'the empty title');
    assert.match(cardText(bad), /Choisissez une valeur dans la liste/, 'the unknown product');
    const { client, collection: articles } = await collection(collections.articles);
    try {
      assert.equal(await articles.countDocuments({ starterKey: { $exists: false } }), 0, 'nothing written on bad input');
      const created = (await execute('help.save', {
        ...save.data, title: 'Relancer une invitation expirée', body: 'Écrivez « inviter <e-mail> » : une nouvelle invitation part.', product: 'microsoft365', domain: 'accounts', audience: 'both', language: 'fr', keywords: 'relance, expirée',
      })).value;
      assert.match(cardText(created), /Brouillon enregistré/);
      const stored = await articles.findOne({ title: 'Relancer une invitation expirée' });
      assert.ok(stored);
      draftId = stored._id.toHexString();
      assert.equal(stored.state, 'draft');
      assert.doesNotMatch(cardText(cardOf(await say('aide relancer invitation expirée', lea))), /Relancer une invitation expirée/, 'a draft is not read');
      const publish = cardActions(created).find((action) => action.verb === 'help.publish')!;
      assert.match(cardText((await execute('help.publish', publish.data)).value), /Article publié/);
      assert.equal(resultTitles(cardOf(await say('aide relances des invitations expirées', lea)))[0], draftId, 'published, clients find it');
      const edit = (await execute('help.openEditor', { articleId: draftId })).value;
      const resave = cardActions(edit).find((action) => action.verb === 'help.save')!;
      const edited = (await execute('help.save', { ...resave.data, title: 'Relancer une invitation', body: 'Écrivez « inviter <e-mail> ».', product: 'microsoft365', domain: 'accounts', audience: 'both', language: 'fr', keywords: 'relance' })).value;
      assert.match(cardText(edited), /Article enregistré/);
      assert.match(cardText(edited), /Version 3 · modifié · .* · Claire Martin \(Titre, Texte, Mots-clés\)/, 'the history says who changed which fields');
      const stale = (await execute('help.save', { ...resave.data, title: 'Autre titre', body: 'x', product: 'microsoft365', domain: 'accounts', audience: 'both', language: 'fr' })).value;
      assert.match(cardText(stale), /modifié cet article entre-temps/, 'an edit on an old version is refused');
      const archive = cardActions(edited).find((action) => action.verb === 'help.archive')!;
      assert.match(cardText((await execute('help.archive', archive.data)).value), /Article archivé/);
      assert.doesNotMatch(cardText(cardOf(await say('aide relancer invitation', lea))), /Relancer une invitation/, 'archived, it is no longer found');
      const history = (await articles.findOne({ _id: stored._id }))!.history as { action: string; by: { displayName: string } }[];
      assert.deepEqual(history.map((entry) => entry.action), ['created', 'published', 'edited', 'archived']);
    } finally {
      await client.close();
    }
    const audit = await collection(collections.auditLog);
    try {
      for (let attempt = 0; attempt < 20 && (await audit.collection.countDocuments({ action: 'article.archived' })) === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
      const actions = (await audit.collection.find({ action: /^article\./ }).toArray()).map((entry) => entry.action).sort();
      assert.deepEqual(actions, ['article.archived', 'article.created', 'article.edited', 'article.published'], 'each change is in the audit log');
    } finally {
      await audit.client.close();
    }
  });

  it('staff without « Base de connaissances – modification » read but cannot write', async () => {
    assert.match(cardText(cardOf(await say(`rattacher ${'staff-paul@cabinet-demo.test'}`))), /.+/);
    assert.ok(resultTitles(cardOf(await say('aide étapes Flow', paul))).length > 0, 'Paul searches');
    assert.match(cardText(cardOf(await say('articles', paul))), /Base de connaissances – modification/, 'the editors’ list is refused with the missing profile');
    const refused = (await execute('help.openEditor', {}, paul)).value;
    assert.match(cardText(refused), /Base de connaissances – modification/);
    const forged = (await execute('help.publish', { articleId: draftId, version: 4 }, paul)).value;
    assert.match(cardText(forged), /Base de connaissances – modification/, 'a forged publish is refused too');
    const opened = (await execute('help.open', { articleId: await articleIdOf('flowSteps.fr') }, paul)).value;
    assert.ok(!cardActions(opened).some((action) => action.verb === 'help.openEditor'), 'no editing button without the profile');
  });
});
