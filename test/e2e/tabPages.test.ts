import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { Locator, Page } from 'playwright-core';
import { collections } from '../../bot/store/mongo.js';
import { channelMessageActivity, claire, demoFirmId, executeActivity, messageActivity, type Speaker, type TeamChannel } from '../helpers/activities.js';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { seedPortfolio } from '../helpers/portfolioSeed.js';
import { artifacts, openTabBrowser, tabBrowserMissing, type TabBrowser } from '../helpers/tabBrowser.js';

/**
 * The tab's newer pages in a real browser (Debian's chromium driven by playwright-core), in local mode as
 * Claire, the firm's main manager: « Assistance », « Aide », « Paramètres » and the client drawer's contacts.
 * Each test checks what a person sees and what the action wrote; screenshots in test-artifacts/.
 */
const internalTeam: TeamChannel = { threadId: '19:team-cabinet@thread.tacv2', name: 'Cabinet Démo', aadGroupId: 'aaaaaaaa-0000-0000-0000-0000000000aa' };

type InvokeBody = { statusCode: number; type: string; value: unknown };

describe('the tab’s pages in a browser (local mode)', function () {
  this.timeout(180_000);
  let passerelle: TestPasserelle | undefined;
  let client: MongoClient | undefined;
  let db: Db;
  let browser: TabBrowser | undefined;
  let page: Page;

  const conversationOf = (who: Speaker) => `a:personal-${who.id}`;
  const options = (who: Speaker) => ({ serviceUrl: passerelle!.connector.url, from: who, conversationId: conversationOf(who) });
  async function say(text: string, who: Speaker = claire) {
    const mark = passerelle!.connector.sent.length;
    await passerelle!.post(messageActivity(text, options(who)));
    const reply = passerelle!.connector.since(mark).find((sent) => sent.conversationId === conversationOf(who));
    assert.ok(reply, `the bot answers "${text}" to ${who.name}`);
    return reply.activity;
  }
  async function execute(verb: string, data: Record<string, unknown>, who: Speaker = claire, replyToId = 'card-1') {
    const response = await passerelle!.post(executeActivity(verb, data, { ...options(who), replyToId }));
    assert.equal(response.status, 200, `invoke ${verb}`);
    return response.body as InvokeBody;
  }
  const cardOf = (reply: { attachments?: { content: unknown }[] }) => reply.attachments?.[0]?.content;
  /** Sends a support request as a person does from « nouvelle demande », past the articles that may answer it. */
  async function sendRequest(fields: Record<string, string>, replyToId: string) {
    const form = cardOf(await say('nouvelle demande'));
    const submit = cardActions(form).find((action) => action.verb === 'client.supportSubmit' && action.data.mode === 'send');
    assert.ok(submit, 'the form offers « Envoyer »');
    let answer = await execute('client.supportSubmit', { ...submit.data, ...fields }, claire, replyToId);
    const anyway = cardActions(answer.value).find((action) => action.verb === 'client.supportSubmit' && action.data.mode === 'send' && action.data.confirmed === 'true');
    if (anyway) answer = await execute('client.supportSubmit', { ...submit.data, ...fields, ...anyway.data }, claire, replyToId);
    assert.match(cardText(answer.value), /envoyée au support/, `the request « ${fields.subject} » is sent`);
  }
  const api = async (path: string) => {
    const response = await fetch(`${passerelle!.server.url}${path}`);
    const text = await response.text();
    return { status: response.status, text, contentType: response.headers.get('content-type') ?? '', body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined) as Record<string, any> };
  };

  before(async function () {
    const missing = tabBrowserMissing();
    if (missing) {
      console.warn(`      ${missing}`);
      this.skip();
    }
    passerelle = await startTestPasserelle({ backgroundWork: false, env: { TAB_LOCAL_USER: `${demoFirmId}|${claire.aadObjectId}|${claire.name}|staff-claire@cabinet-demo.test` } });
    client = new MongoClient(passerelle.mongoUri);
    db = client.db(passerelle.database);
    await say('aide'); // Claire, the firm's first user: its main manager, who holds every profile.
    await passerelle.post(channelMessageActivity('aide', internalTeam, { serviceUrl: passerelle.connector.url }));
    const overview = cardOf(await say('équipes'));
    await execute('teams.setInternal', cardActions(overview).find((action) => action.data.teamId === internalTeam.aadGroupId)!.data);
    await seedPortfolio(db, demoFirmId, [
      {
        code: '000100',
        companyName: 'Boulangerie Bernard',
        contacts: [
          { firstName: 'Léa', lastName: 'Bernard', email: 'lea@boulangerie-bernard.test', primary: true },
          { firstName: 'Éric', lastName: 'Bernard', email: 'eric@boulangerie-bernard.test' },
        ],
      },
      { code: '000200', companyName: 'Garage Martin', contacts: [{ firstName: 'Hugo', lastName: 'Martin', email: 'hugo@garage-martin.test', primary: true }] },
    ]);
    browser = await openTabBrowser({ acceptDownloads: true });
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await client?.close();
    await passerelle?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: join(artifacts, `tabpages-failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => undefined);
  });

  describe('« Assistance »', () => {
    const queueTable = () => page.getByRole('table', { name: 'Assistance' });
    const filters = () => page.locator('section[aria-labelledby="support-title"] form');
    const show = () => filters().getByRole('button', { name: 'Afficher' });

    before(async () => {
      await sendRequest({ category: 'signIn', subject: 'Connexion impossible à Teams', description: 'Le code de vérification n’arrive jamais.' }, 'form-1');
      await sendRequest({ category: 'offer', subject: 'Accès au tableau de bord', description: 'Je ne vois pas mes documents.' }, 'form-2');
      await sendRequest({ category: 'flow', subject: 'Question sur Flow', description: 'Comment activer la DSP2 ?' }, 'form-3');
      assert.equal(await db.collection(collections.supportRequests).countDocuments({ firmId: demoFirmId }), 3, 'three requests were sent before the page is opened');
    });

    it('shows the main manager the « Assistance » tab (can.support) with the requests in progress', async function () {
      const me = await api('/api/me');
      assert.equal(me.status, 200, me.text);
      assert.equal(me.body.can.support, true, 'the main manager holds « Assistance – modification »');
      await page.goto(`${passerelle!.server.url}/tab/index.html`);
      await page.getByRole('tab', { name: 'Assistance' }).click();
      await assertText(page.getByRole('status'), '3 demande(s)', 'the default view (« En cours ») counts the three requests sent');
    });

    it('shows the queue with its counts by state, filters by state, and searches by keyword and by number', async () => {
      for (const subject of ['Connexion impossible à Teams', 'Accès au tableau de bord', 'Question sur Flow']) await assertText(queueTable(), subject, `the queue lists « ${subject} »`);
      const stateDropdown = filters().getByRole('combobox').first();
      await stateDropdown.click();
      await assertText(page.getByRole('option'), 'En cours (3)', 'the state list counts the requests in progress');
      await assertText(page.getByRole('option'), 'Clôturée (0)', 'and the closed ones');
      await page.screenshot({ path: join(artifacts, 'tabpages-support-states.png'), fullPage: true });
      await page.getByRole('option', { name: 'Clôturée (0)' }).click();
      await show().click();
      await assertText(page.locator('section[aria-labelledby="support-title"]'), 'Aucune demande dans cette vue.', 'no closed request yet');
      await stateDropdown.click();
      await page.getByRole('option', { name: 'En cours (3)' }).click();
      await filters().getByLabel('Mot-clé ou n°').fill('dsp2');
      await show().click();
      await assertText(page.getByRole('status'), '1 demande(s)', 'one request mentions DSP2 in its description');
      await assertText(queueTable(), 'Question sur Flow', 'the keyword finds the Flow question');
      assert.equal(await queueTable().locator('tbody tr').count(), 1, 'only that request is listed');
      await filters().getByLabel('Mot-clé ou n°').fill('2');
      await show().click();
      await assertText(queueTable(), 'Accès au tableau de bord', 'the number 2 finds the second request');
      assert.equal(await queueTable().locator('tbody tr').count(), 1, 'only request n° 2 is listed');
      await page.screenshot({ path: join(artifacts, 'tabpages-support-search.png'), fullPage: true });
    });

    it('opens a request, answers it from there, and the timeline grows', async () => {
      await page.getByRole('button', { name: 'Ouvrir la demande n° 2' }).click();
      const detail = page.locator('section[aria-labelledby="support-detail-title"]');
      await assertText(detail, 'Demande n° 2 – Accès au tableau de bord', 'the request’s detail');
      await assertText(detail, 'Je ne vois pas mes documents.', 'its description');
      const entriesBefore = await detail.locator('time').count();
      assert.ok(entriesBefore >= 1, `the timeline shows the request sent (${entriesBefore} entries)`);
      const send = detail.getByRole('button', { name: 'Envoyer' });
      assert.equal(await send.isEnabled(), true, '« Envoyer » is enabled for a move the request allows');
      await detail.getByLabel('Votre message').fill('Nous regardons votre espace documentaire.');
      await send.click();
      await assertText(detail, 'Nous regardons votre espace documentaire.', 'the answer is in the timeline');
      await assertText(detail, 'Claire Martin', 'with who answered');
      assert.equal(await settledCount(detail.locator('time'), entriesBefore + 1), entriesBefore + 1, 'the timeline has one more entry');
      assert.equal(await detail.getByLabel('Votre message').inputValue(), '', 'the message box is emptied once sent');
      await page.screenshot({ path: join(artifacts, 'tabpages-support-answer.png'), fullPage: true });
      const stored = await db.collection(collections.supportRequests).findOne({ firmId: demoFirmId, number: 2 });
      assert.ok(JSON.stringify(stored?.timeline).includes('Nous regardons votre espace documentaire.'), 'the answer is stored on request n° 2');
      assert.equal(await db.collection(collections.auditLog).countDocuments({ action: 'support.answered' }), 1, 'the answer is audited once');
      await detail.getByRole('button', { name: 'Fermer' }).click();
      await detail.waitFor({ state: 'hidden' });
    });

    it('exports the view as a CSV with the French header', async () => {
      await filters().getByLabel('Mot-clé ou n°').fill('');
      await show().click();
      await assertText(page.getByRole('status'), '3 demande(s)', 'the whole view again');
      const download = page.waitForEvent('download');
      await filters().getByRole('button', { name: 'Exporter (CSV)' }).click();
      const file = await download;
      assert.equal(file.suggestedFilename(), 'assistance-passerelle.csv', 'the file’s French name');
      const path = await file.path();
      const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.equal(lines[0], 'N°;Objet;Catégorie;État;Dossier;Demandeur;Pris en charge par;Ouverte le;Mise à jour le', 'the French header');
      assert.equal(lines.length, 4, `one line per request in progress: ${lines.join(' | ')}`);
      assert.ok(lines.some((line) => line.startsWith('3;Question sur Flow;Flow;En cours')), `request n° 3 is exported: ${lines.join(' | ')}`);
    });
  });

  describe('« Aide »', () => {
    const searchForm = () => page.getByRole('search');
    const results = () => page.getByRole('list', { name: 'Aide' }).getByRole('listitem');
    async function searchFor(question: string) {
      await searchForm().getByLabel('Votre question').fill(question);
      await searchForm().getByRole('button', { name: 'Rechercher' }).click();
    }

    it('finds the starting article on the client’s Microsoft account first, opens it, and thanks for « Oui »', async () => {
      await page.goto(`${passerelle!.server.url}/tab/index.html`);
      await page.getByRole('tab', { name: 'Aide' }).click();
      await searchFor('invitations des clients');
      const title = 'Le compte Microsoft du client et son invitation dans le tenant du cabinet';
      await assertText(results().first(), title, 'the first result of « invitations des clients »');
      await page.screenshot({ path: join(artifacts, 'tabpages-help-search.png'), fullPage: true });
      await results().first().getByRole('button', { name: `Ouvrir : ${title}` }).click();
      const article = page.locator('article[aria-labelledby="help-article-title"]');
      await assertText(article.getByRole('heading'), title, 'the article is opened');
      const group = article.getByRole('group', { name: 'Cet article vous a-t-il aidé ?' });
      const feedbackBefore = await db.collection(collections.articleFeedback).countDocuments({});
      await group.getByRole('button', { name: 'Oui' }).click();
      await assertText(article, 'Merci pour votre réponse.', 'the reader is thanked');
      assert.equal(await db.collection(collections.articleFeedback).countDocuments({}), feedbackBefore + 1, 'the answer is stored once');
      await page.screenshot({ path: join(artifacts, 'tabpages-help-article.png'), fullPage: true });
      await article.getByRole('button', { name: 'Retour aux résultats' }).click();
    });

    it('refuses a new article without a title, writing nothing; a valid draft is saved, then published and found', async () => {
      const articlesBefore = await db.collection(collections.articles).countDocuments({ firmId: demoFirmId });
      await searchForm().getByRole('button', { name: 'Nouvel article' }).click();
      const form = page.locator('form[aria-labelledby="help-form-title"]');
      await assertText(form.getByRole('heading'), 'Nouvel article', 'the article form');
      await form.getByLabel('Texte (Markdown : **gras**, listes « - »)').fill('Ouvrez **Paramètres** puis changez le délai de relance.');
      await form.getByRole('button', { name: 'Enregistrer' }).click();
      const titleField = form.locator('.fui-Field').filter({ has: page.getByLabel('Titre') }).first();
      await assertText(titleField, 'Ce champ est obligatoire. Merci de le renseigner.', 'the server’s message under the empty title, not the browser’s bubble');
      await page.screenshot({ path: join(artifacts, 'tabpages-help-new-error.png'), fullPage: true });
      assert.equal(await db.collection(collections.articles).countDocuments({ firmId: demoFirmId }), articlesBefore, 'an article without a title writes nothing');
      await form.getByLabel('Titre').fill('Changer le délai des relances kangourou');
      await form.getByLabel('Mots-clés (séparés par des virgules)').fill('relance, délai');
      await form.getByRole('button', { name: 'Enregistrer' }).click();
      const article = page.locator('article[aria-labelledby="help-article-title"]');
      await assertText(article.getByRole('heading'), 'Changer le délai des relances kangourou', 'the saved article is shown');
      await assertText(article, 'Brouillon', 'as a draft');
      const stored = await db.collection(collections.articles).findOne({ firmId: demoFirmId, title: 'Changer le délai des relances kangourou' });
      assert.equal(stored?.state, 'draft', 'stored as a draft');
      await article.getByRole('button', { name: 'Publier' }).click();
      await assertText(article, 'Publié', 'published');
      assert.equal((await db.collection(collections.articles).findOne({ _id: stored!._id }))?.state, 'published', 'stored as published');
      await article.getByRole('button', { name: 'Retour aux résultats' }).click();
      await searchFor('kangourou');
      await assertText(results().first(), 'Changer le délai des relances kangourou', 'the published article is found');
      await page.screenshot({ path: join(artifacts, 'tabpages-help-published.png'), fullPage: true });
    });
  });

  describe('« Paramètres »', () => {
    const reminderLabel = 'Relancer après (jours sans acceptation)';
    const guestSection = () => page.getByRole('group', { name: 'Relances des invitations' });
    const catalogue = () => page.getByRole('group', { name: 'Catalogue des offres' });
    const settingsNow = async () => {
      const answer = await api('/api/settings');
      assert.equal(answer.status, 200, answer.text);
      return answer.body;
    };
    async function openSettings() {
      await page.goto(`${passerelle!.server.url}/tab/index.html`);
      await page.getByRole('tab', { name: 'Paramètres' }).click();
      await guestSection().getByLabel(reminderLabel).waitFor();
    }
    async function saveGuestSection() {
      await guestSection().getByRole('button', { name: 'Enregistrer' }).click();
      const dialog = page.getByRole('dialog');
      await assertText(dialog, '« Relances des invitations » sera modifié pour tout le cabinet', 'the save asks for a confirmation');
      await dialog.getByRole('button', { name: 'Confirmer' }).click();
      await dialog.waitFor({ state: 'hidden' });
    }

    it('refuses 0 reminder days with a message under the field and writes nothing; a valid change is saved and audited', async () => {
      const before = await settingsNow();
      const oldDays = String(before.guestPolicy.reminderAfterDays);
      await openSettings();
      assert.equal(await guestSection().getByLabel(reminderLabel).inputValue(), oldDays, 'the field shows the stored delay');
      await guestSection().getByLabel(reminderLabel).fill('0');
      await saveGuestSection();
      const field = guestSection().locator('.fui-Field').filter({ has: page.getByLabel(reminderLabel) }).first();
      await assertText(field, '1', 'a message under the field says the accepted range');
      const underField = (await field.innerText()).replace(reminderLabel, '').trim();
      assert.ok(underField.length > 1, `an error is shown under « ${reminderLabel} »: « ${underField} »`);
      await page.screenshot({ path: join(artifacts, 'tabpages-settings-error.png'), fullPage: true });
      const afterError = await settingsNow();
      assert.equal(afterError.version, before.version, 'nothing written: same version');
      assert.equal(String(afterError.guestPolicy.reminderAfterDays), oldDays, 'nothing written: same delay');
      await page.reload();
      await page.getByRole('tab', { name: 'Paramètres' }).click();
      assert.equal(await guestSection().getByLabel(reminderLabel).inputValue(), oldDays, 'after a reload the old delay is shown');

      const newDays = oldDays === '5' ? '6' : '5';
      await guestSection().getByLabel(reminderLabel).fill(newDays);
      await saveGuestSection();
      await assertText(page.getByRole('status'), '« Relances des invitations » enregistré.', 'the save is confirmed');
      assert.equal(String((await settingsNow()).guestPolicy.reminderAfterDays), newDays, 'the new delay is stored');
      await page.getByRole('tab', { name: 'Journal d’audit' }).click();
      await assertText(page.getByRole('table', { name: 'Journal d’audit' }), 'Politique de relance modifiée', 'the change is in the audit log');
      await page.screenshot({ path: join(artifacts, 'tabpages-settings-journal.png'), fullPage: true });
    });

    it('asks a name for a new offer; a valid one is proposed from the portfolio; a retired one shows « Retirée »', async () => {
      await openSettings();
      const offersBefore = (await settingsNow()).offers.length;
      await catalogue().getByRole('button', { name: 'Ajouter une offre' }).click();
      let dialog = page.getByRole('dialog');
      await assertText(dialog, 'Nouvelle offre', 'the offer form');
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      const nameField = dialog.locator('.fui-Field').filter({ has: offerNameBox(page) }).first();
      await assertText(nameField, 'obligatoire', 'the error under the empty name');
      assert.equal((await settingsNow()).offers.length, offersBefore, 'an offer without a name writes nothing');
      await page.screenshot({ path: join(artifacts, 'tabpages-offer-error.png'), fullPage: true });
      await offerNameBox(dialog).fill('Pack Social');
      await dialog.getByLabel('Description (carte de proposition, onglet, carte du client)').fill('La paie et les déclarations sociales.');
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await assertText(page.getByRole('status'), 'Offre « Pack Social » enregistrée', 'the new offer is confirmed');
      const row = () => catalogue().getByRole('row').filter({ hasText: 'Pack Social' });
      await assertText(row(), 'Proposée', 'the new offer is proposed');
      assert.equal((await settingsNow()).offers.length, offersBefore + 1, 'the offer is stored');

      await page.getByRole('tab', { name: 'Portefeuille' }).click();
      await page.getByRole('checkbox', { name: 'Sélectionner Garage Martin' }).check();
      await page.getByRole('button', { name: 'Proposer une offre' }).click();
      assert.equal(await page.getByRole('menuitem', { name: 'Pack Social' }).isVisible(), true, 'the new offer is in the bulk « Proposer une offre » list');
      await page.screenshot({ path: join(artifacts, 'tabpages-offer-bulk.png'), fullPage: true });
      await page.keyboard.press('Escape');
      await page.getByRole('checkbox', { name: 'Sélectionner Garage Martin' }).uncheck();

      await page.getByRole('tab', { name: 'Paramètres' }).click();
      await row().getByRole('button', { name: 'Retirer' }).click();
      dialog = page.getByRole('dialog');
      await assertText(dialog, 'Retirer l’offre « Pack Social » ?', 'retiring asks for a confirmation');
      await dialog.getByRole('button', { name: 'Confirmer' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await assertText(row(), 'Retirée', 'the offer shows « Retirée »');
      assert.equal(await row().getByRole('button', { name: 'Proposer à nouveau' }).isVisible(), true, 'a retired offer can be proposed again');
      const stored = (await settingsNow()).offers.find((offer: { name: string }) => offer.name === 'Pack Social');
      assert.equal(stored?.retired, true, 'the offer is stored as retired');
      await page.screenshot({ path: join(artifacts, 'tabpages-offer-retired.png'), fullPage: true });
    });
  });
});

/** The offer form's name: a required field, whose label reads « Nom * » to assistive technologies. */
function offerNameBox(scope: Page | Locator): Locator {
  return scope.getByRole('textbox', { name: /^Nom( \*)?$/ });
}

/** The locator's count once it reaches the expected one, or what it is after 10 s: the page redraws as answers arrive. */
async function settledCount(locator: Locator, expected: number): Promise<number> {
  let count = await locator.count();
  for (let attempt = 0; attempt < 100 && count !== expected; attempt++) {
    await new Promise((done) => setTimeout(done, 100));
    count = await locator.count();
  }
  return count;
}

async function assertText(locator: Locator, expected: string, message: string): Promise<void> {
  try {
    await locator.filter({ hasText: expected }).first().waitFor({ timeout: 10_000 });
  } catch {
    const actual = await locator.first().textContent().catch(() => '(absent)');
    assert.fail(`${message}: expected "${expected}", saw "${actual}"`);
  }
}
