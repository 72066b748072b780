import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { artifacts, openTabBrowser, tabBrowserMissing, type TabBrowser } from '../helpers/tabBrowser.js';
import { seedPortfolio, siretFrom, withDatabase, type SeedFile } from '../helpers/portfolioSeed.js';

/**
 * The dashboard tab in a real browser (Debian's chromium driven by playwright-core), in local mode: no Teams,
 * the API runs as TAB_LOCAL_USER. Searches, pages, filters, opens a client; keeps screenshots in test-artifacts/.
 */
const firm = '11111111-1111-1111-1111-111111111111';

const companies = [
  'Boucherie Lefèvre', 'Café des Arts', 'Cordonnerie Martin', 'Fleurs d’Élise', 'Garage du Centre', 'Imprimerie Moderne',
  'Librairie Œdipe', 'Menuiserie Girard', 'Opticien Vision+', 'Pharmacie Saint-Éloi', 'Plomberie Roussel', 'Pressing Étoile',
  'Restaurant Le Zinc', 'Salon Coiffure Amélie', 'Taxi Durand', 'Traiteur Ségolène', 'Vins & Terroirs', 'Atelier Céramique',
  'Auto-école Prévost', 'Brasserie du Port', 'Chocolaterie Noémie', 'Électricité Benoît', 'Épicerie Fine Hugo', 'Ferronnerie Jérôme',
  'Horlogerie Mathis', 'Jardinerie Chloé', 'Kiosque Presse', 'Laverie Express', 'Maçonnerie Lucas', 'Nettoyage Pro',
  'Papeterie Inès', 'Quincaillerie Rémi', 'Serrurerie Zoé', 'Tabac Presse Gare', 'Vétérinaire Océane', 'Yoga Studio Manon',
];
const states = ['notInvited', 'invited', 'accepted', 'member', 'failed'] as const;

function seedFiles(): SeedFile[] {
  const files: SeedFile[] = [
    {
      code: '000001',
      companyName: 'Boulangerie Bérnard & Fils',
      legalForm: 'SARL',
      siret: '73282932000074',
      contacts: [
        { firstName: 'Léa', lastName: 'Bernard', email: 'lea@boulangerie-bernard.test', state: 'member', primary: true },
        { firstName: 'Éric', lastName: 'Bernard', email: 'eric@boulangerie-bernard.test', state: 'invited' },
      ],
    },
  ];
  companies.forEach((companyName, index) => {
    const n = index + 2;
    files.push({
      code: String(n).padStart(6, '0'),
      companyName,
      legalForm: ['SAS', 'SARL', 'EI', 'EURL'][n % 4],
      siret: n % 6 === 0 ? undefined : siretFrom(1000 + n),
      contacts: [
        { firstName: 'Camille', lastName: `Durand${n}`, email: `camille${n}@client${n}.test`, state: states[n % states.length], primary: n % 3 !== 0 },
        ...(n % 4 === 0 ? [{ firstName: 'Sacha', lastName: `Morel${n}`, email: `sacha${n}@client${n}.test`, state: states[(n + 2) % states.length] }] : []),
      ],
    });
  });
  return files;
}

describe('dashboard tab in a browser (local mode)', function () {
  this.timeout(120_000);
  let passerelle: TestPasserelle | undefined;
  let browser: TabBrowser | undefined;
  let page: Page;

  before(async function () {
    const missing = tabBrowserMissing();
    if (missing) {
      console.warn(`      ${missing}`);
      this.skip();
    }
    passerelle = await startTestPasserelle({ env: { TAB_LOCAL_USER: `${firm}|aaaaaaaa-0000-0000-0000-000000000001|Claire Martin|claire.martin@cabinet-demo.test` } });
    await withDatabase(passerelle.mongoUri, passerelle.database, (db) => seedPortfolio(db, firm, seedFiles()));
    browser = await openTabBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await passerelle?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: join(artifacts, `tab-failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => undefined);
  });

  const range = () => page.getByTestId('range');
  const bodyRows = () => page.getByRole('table', { name: 'Clients du cabinet' }).locator('tbody tr');

  it('shows the first page of the portfolio with the total, in French', async () => {
    await page.goto(`${passerelle!.server.url}/tab/index.html`);
    await assertText(range(), '1-10 sur 37', 'the pager should say which rows of how many');
    assert.equal(await bodyRows().count(), 10, 'ten rows on the first page');
    await assertText(page.getByRole('row').nth(1), 'Atelier Céramique', 'sorted by company name');
    assert.ok(await page.getByText('Mode local').isVisible(), 'the local-mode banner is shown outside Teams');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  });

  it('pages forward and changes the page size', async () => {
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await assertText(range(), '11-20 sur 37', 'second page');
    await page.getByLabel('Lignes par page').selectOption('25');
    await assertText(range(), '1-25 sur 37', 'a new page size starts again at page 1');
    // The rows follow the pager within a render: wait for them rather than read a half-drawn table.
    let rows = 0;
    for (let attempt = 0; attempt < 50 && rows !== 25; attempt++) {
      rows = await bodyRows().count();
      if (rows !== 25) await page.waitForTimeout(100);
    }
    assert.equal(rows, 25, 'twenty-five rows once the page size is 25');
  });

  it('searches as you type, ignoring case and accents', async () => {
    await page.getByRole('searchbox').fill('bernard');
    await assertText(range(), '1-1 sur 1', 'one client matches "bernard"');
    await assertText(bodyRows().first(), 'Boulangerie Bérnard & Fils', 'the matching client');
    await assertText(bodyRows().first(), 'Principal : Léa Bernard', 'its primary contact');
    await page.getByRole('searchbox').fill('ELOI');
    await assertText(bodyRows().first(), 'Pharmacie Saint-Éloi', 'accent-insensitive');
    await page.getByRole('searchbox').fill('');
    await assertText(range(), '1-25 sur 37', 'clearing the search shows everything again');
  });

  it('filters by onboarding state and by missing SIRET', async () => {
    // With the keyboard, as a screen-reader user would: open the list, go to the last state, tick it, close.
    await page.getByRole('combobox', { name: 'État d’onboarding' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await assertText(page.getByRole('combobox', { name: 'État d’onboarding' }), 'Échec', 'the chosen state is shown');
    await assertText(range(), '1-9 sur 9', 'clients with a failed invitation');
    await page.screenshot({ path: join(artifacts, 'tab-filter.png'), fullPage: true });
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await assertText(range(), '1-25 sur 37', 'filters cleared');
    await page.getByRole('checkbox', { name: 'SIRET manquant' }).check();
    await assertText(range(), '1-6 sur 6', 'six clients have no SIRET');
    await page.getByRole('checkbox', { name: 'SIRET manquant' }).uncheck();
    await assertText(range(), '1-25 sur 37', 'filter removed');
  });

  it('switches between the onboarding, equipment and collection columns, and remembers the choice', async () => {
    const table = page.getByRole('table', { name: 'Clients du cabinet' });
    await page.getByRole('tab', { name: 'Équipement' }).click();
    for (const header of ['Achat', 'Vente', 'Caisse', 'Mandat', 'Inscription PA', 'Sensi. réforme', 'Notes']) {
      assert.equal(await table.getByRole('columnheader', { name: header, exact: true }).count(), 1, `the equipment view has « ${header} »`);
    }
    await assertText(bodyRows().first(), 'Non', 'nobody was made aware of the reform yet');
    await page.screenshot({ path: join(artifacts, 'tab-equipment.png'), fullPage: true });
    await page.reload();
    assert.equal(await page.getByRole('tab', { name: 'Équipement' }).getAttribute('aria-selected'), 'true', 'the chosen view is kept after a reload');
    await page.getByRole('tab', { name: 'Collecte' }).click();
    assert.equal(await table.getByRole('columnheader', { name: 'E-mail de collecte' }).count(), 1, 'the collection view');
    await page.getByRole('tab', { name: 'Onboarding' }).click();
    assert.equal(await table.getByRole('columnheader', { name: 'Offres' }).count(), 1, 'back to onboarding, with the offers');
    await page.getByLabel('Lignes par page').selectOption('25');
    await assertText(range(), '1-25 sur 37', 'the page size chosen again after the reload');
  });

  it('opens a client with its details, contacts and history', async () => {
    await page.getByRole('searchbox').fill('boulangerie');
    await page.getByRole('button', { name: 'Ouvrir le dossier Boulangerie Bérnard & Fils' }).click();
    const drawer = page.getByRole('dialog');
    await assertText(drawer, 'Léa Bernard', 'the contacts are listed');
    await assertText(drawer, '732 829 320 00074', 'the SIRET is shown');
    await assertText(drawer, 'Membre de l’équipe depuis le', 'the guest state with its date');
    await assertText(drawer, 'Dossier créé', 'the history');
    assert.equal(await drawer.getByRole('checkbox', { name: 'Léa Bernard est le contact principal' }).isChecked(), true);
    await page.screenshot({ path: join(artifacts, 'tab-client.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('searchbox').fill('');
    await assertText(range(), '1-25 sur 37', 'back to the list');
    await page.screenshot({ path: join(artifacts, 'tab-portfolio.png'), fullPage: true });
  });

  it('edits a client from its drawer: errors under the field, then saved and shown', async () => {
    await page.getByRole('searchbox').fill('taxi');
    await assertText(range(), '1-1 sur 1', 'the search applied');
    await page.getByRole('button', { name: 'Ouvrir le dossier Taxi Durand' }).click();
    const drawer = page.getByRole('dialog');
    await assertText(drawer, 'Équipement', 'the equipment section');
    const modify = drawer.getByRole('button', { name: 'Modifier le dossier Taxi Durand' });
    await modify.click();
    await drawer.getByRole('button', { name: 'Annuler' }).click();
    assert.equal(await modify.evaluate((button) => button === document.activeElement), true, 'cancelling gives the focus back to « Modifier »');
    await modify.click();
    await drawer.getByLabel('Raison sociale').fill('Taxi Durand Express');
    await drawer.getByLabel('SIRET').fill('123');
    await drawer.getByRole('combobox', { name: 'Mandat' }).click();
    await page.getByRole('option', { name: 'Mandat envoyé' }).click();
    await drawer.getByRole('button', { name: 'Enregistrer' }).click();
    await assertText(drawer, 'Le SIRET doit comporter exactement 14 chiffres', 'the server’s message under the field');
    await page.screenshot({ path: join(artifacts, 'tab-client-edit-errors.png') });
    await drawer.getByLabel('SIRET').fill('');
    await drawer.getByRole('button', { name: 'Enregistrer' }).click();
    await assertText(drawer, 'Dossier enregistré.', 'saved');
    await assertText(drawer, 'Taxi Durand Express', 'the new name');
    await assertText(drawer, 'Mandat envoyé', 'the new mandate state');
    await assertText(drawer, 'Dossier modifié', 'the edit is in the history');
    await page.screenshot({ path: join(artifacts, 'tab-client-edit.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await assertText(page.getByRole('table', { name: 'Clients du cabinet' }), 'Taxi Durand Express', 'the table shows the new name');
    await page.getByRole('searchbox').fill('');
  });

  it('invites the contacts of selected clients as one job, whose progress survives a reload', async () => {
    await page.getByRole('searchbox').fill('');
    await page.getByRole('checkbox', { name: 'Sélectionner Atelier Céramique' }).check();
    await page.getByRole('checkbox', { name: 'Sélectionner Auto-école Prévost' }).check();
    await assertText(page.getByRole('region', { name: 'Inviter leurs interlocuteurs' }), '2 dossier(s) sélectionné(s)', 'the selection is counted');
    await page.getByRole('button', { name: 'Inviter leurs interlocuteurs' }).click();
    const progress = page.getByTestId('bulk-job');
    await assertText(progress, 'Invitations', 'the job shows its progress');
    await page.reload();
    await assertText(page.getByTestId('bulk-job'), 'Invitations terminées', 'after a reload the same job is followed to its end');
    await page.screenshot({ path: join(artifacts, 'tab-bulk.png'), fullPage: true });
    const invited = passerelle!.tenant.state().invitations.length;
    assert.ok(invited >= 1, `the local tenant received the invitations (${invited})`);
  });

  it('selects every client of a filtered view, beyond its page, and reminds their pending invitations', async () => {
    await page.getByRole('button', { name: 'Fermer' }).click().catch(() => undefined); // the previous job's message, if still shown
    await page.getByRole('combobox', { name: 'État d’onboarding' }).focus();
    await page.keyboard.press('ArrowDown'); // opens the list on « Non invité »
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await assertText(page.getByRole('combobox', { name: 'État d’onboarding' }), 'Invité', 'the chosen state is shown');
    await page.getByLabel('Lignes par page').selectOption('10');
    const total = Number((await range().innerText()).match(/sur (\d+)/)?.[1]);
    assert.ok(total > 10, `more invited clients (${total}) than one page`);
    await page.getByRole('checkbox', { name: 'Sélectionner toute la page' }).check();
    await page.getByRole('button', { name: `Sélectionner les ${total} dossiers de la vue` }).click();
    const bar = page.getByRole('region', { name: 'Inviter leurs interlocuteurs' });
    await assertText(bar, `Les ${total} dossiers de la vue sont sélectionnés`, 'the whole view is selected');
    await page.getByRole('button', { name: 'Relancer les invitations en attente' }).click();
    await assertText(page.getByTestId('bulk-job'), 'Relances terminées', 'the reminders ran as one job to their end');
    await page.screenshot({ path: join(artifacts, 'tab-reminders.png'), fullPage: true });
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
  });

  it('proposes an offer to the primary contacts of selected clients, after a confirmation', async () => {
    await page.getByRole('button', { name: 'Fermer' }).click().catch(() => undefined);
    await page.getByRole('searchbox').fill('atelier');
    await assertText(range(), '1-1 sur 1', 'one client found');
    await page.getByRole('checkbox', { name: 'Sélectionner Atelier Céramique' }).check();
    await page.getByRole('button', { name: 'Proposer une offre' }).click();
    await page.getByRole('menuitem', { name: 'Start' }).click();
    const dialog = page.getByRole('dialog');
    await assertText(dialog, 'Proposer Start au contact principal de 1 dossier(s) ?', 'the proposal asks for a confirmation');
    await dialog.getByRole('button', { name: 'Proposer' }).click();
    await assertText(page.getByTestId('bulk-job'), 'Propositions terminées : 1 proposée(s)', 'the offer was proposed');
    await assertText(bodyRows().first(), 'Start', 'the table shows the offer');
    await page.getByRole('button', { name: 'Ouvrir le dossier Atelier Céramique' }).click();
    await assertText(page.getByRole('dialog'), 'Start', 'the client’s page shows the contact’s offer');
    await page.getByRole('button', { name: 'Terminer l’offre Start de Camille Durand19' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Terminer l’offre' }).click();
    await assertText(page.getByRole('dialog'), 'Offre terminée', 'ended after a confirmation');
    await assertText(page.getByRole('dialog'), 'Terminée le', 'the offer’s state with its date');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.screenshot({ path: join(artifacts, 'tab-offer.png'), fullPage: true });
    await page.getByRole('searchbox').fill('');
  });

  it('activates Shine from « + Ajouter » in the equipment view, or says what is missing', async () => {
    await page.getByRole('button', { name: 'Fermer' }).click().catch(() => undefined);
    await page.getByRole('tab', { name: 'Équipement' }).click();
    await page.getByRole('searchbox').fill('brasserie');
    await assertText(range(), '1-1 sur 1', 'the client without a primary contact');
    await page.getByRole('button', { name: 'Ajouter Shine en achat pour Brasserie du Port' }).click();
    let dialog = page.getByRole('dialog');
    await assertText(dialog, 'Pré-requis : créer un contact principal client pour pouvoir activer Shine.', 'the exact reason of the procedure');
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await page.getByRole('searchbox').fill('boulangerie');
    await assertText(range(), '1-1 sur 1', 'the bakery');
    await page.getByRole('button', { name: 'Ajouter Shine en achat pour Boulangerie Bérnard & Fils' }).click();
    dialog = page.getByRole('dialog');
    await assertText(dialog, 'Mode de facturation', 'the activation form');
    assert.equal(await dialog.getByRole('checkbox', { name: 'Achats' }).isChecked(), true, 'the clicked column is ticked');
    await dialog.getByRole('radio', { name: 'Plus' }).check();
    await dialog.getByRole('radio', { name: 'Cabinet' }).check();
    await page.screenshot({ path: join(artifacts, 'tab-shine.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Activer' }).click();
    await assertText(dialog, 'Shine activé. Envoyez maintenant l’e-mail au client', 'activated; no firm mailbox in this test');
    assert.match(String(await dialog.getByRole('link', { name: 'J’envoie' }).getAttribute('href')), /^mailto:lea%40boulangerie-bernard\.test\?subject=/, 'the e-mail opens in the mail app');
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await assertText(bodyRows().first(), 'Shine Plus', 'Achat now shows the plan');
    await page.getByRole('tab', { name: 'Onboarding' }).click();
    await page.getByRole('searchbox').fill('');
  });

  it('imports a CSV file after a preview of its errors', async () => {
    const file = join(artifacts, 'import.csv');
    writeFileSync(file, 'code;raison_sociale;siret;contact_nom;contact_mobile;contact_email\r\n900001;Nouvelle Société;;Durand;0612345678;durand@nouvelle.fr\r\n900002;Mauvais SIRET;12345678901234;;;\r\n', 'utf8');
    await page.getByRole('button', { name: 'Importer un fichier CSV' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[type="file"]').setInputFiles(file);
    await assertText(dialog, '2 ligne(s) : 1 valide(s), 1 avec erreurs.', 'the preview counts the lines');
    await assertText(dialog, 'Ligne 3', 'the line with a bad SIRET is shown');
    await page.screenshot({ path: join(artifacts, 'tab-import.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Importer les 1 ligne(s) valide(s)' }).click();
    await assertText(dialog, 'Import terminé : 1 dossier(s) créé(s)', 'the import reports what it did');
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await page.getByRole('searchbox').fill('nouvelle');
    await assertText(page.getByRole('table', { name: 'Clients du cabinet' }), 'Nouvelle Société', 'the imported client is in the portfolio');
    await page.getByRole('searchbox').fill('');
  });

  it('shows the audit log of the last days and exports it', async () => {
    await page.getByRole('tab', { name: 'Journal d’audit' }).click();
    const journal = page.getByRole('table', { name: 'Journal d’audit' });
    await assertText(journal, 'Invitation envoyée', 'today’s invitations are in the log');
    await assertText(journal, 'Claire Martin', 'with who did them');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Exporter (CSV)' }).click();
    assert.equal((await download).suggestedFilename(), 'journal-passerelle.csv');
    await page.screenshot({ path: join(artifacts, 'tab-journal.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Portefeuille' }).click();
    await assertText(range(), 'sur', 'back to the portfolio');
  });

  it('speaks English when the locale says so', async () => {
    await page.goto(`${passerelle!.server.url}/tab/index.html?locale=en-US`);
    await assertText(range(), '1-10 of 38', 'English pager (the imported client counts)');
  });
});

async function assertText(locator: import('playwright-core').Locator, expected: string, message: string): Promise<void> {
  try {
    await locator.filter({ hasText: expected }).first().waitFor({ timeout: 10_000 });
  } catch {
    const actual = await locator.first().textContent().catch(() => '(absent)');
    assert.fail(`${message}: expected "${expected}", saw "${actual}"`);
  }
}
