import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { demoFirmId } from '../helpers/activities.js';

/** A file as Excel saves it in France: « ; », Windows-1252, French dates. */
const csv = [
  'Code;Raison sociale;Forme juridique;SIRET;Code APE;Date entrée;Contact nom;Contact prénom;Contact mobile;Contact email;Contact principal;Limité à',
  '000001;Boulangerie Bérnard;SARL;732 829 320 00074;1071C;03/01/2022;Bernard;Léa;06 12 34 56 78;lea@boulangerie-bernard.fr;oui;-',
  '000001;Boulangerie Bérnard;SARL;732 829 320 00074;1071C;03/01/2022;Bernard;Éric;06 98 76 54 32;eric@boulangerie-bernard.fr;non;Ventes',
  '000002;Garage Martin;SAS;73282932000075;;31/02/2023;Martin;Hugo;0612345678;hugo@garage.fr;oui;-',
  '000003;Café des Arts;EURL;;5610A;;Arts;Zoé;0612345678;;oui;-',
  '000001;Autre nom;SARL;;;;;;;;;',
].join('\r\n');

const windows1252 = (text: string) => Buffer.from([...text].map((char) => ({ é: 0xe9, É: 0xc9, è: 0xe8, à: 0xe0 })[char as 'é'] ?? char.charCodeAt(0)));

describe('CSV import of client files and contacts (/api/import)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;

  before(async () => {
    passerelle = await startTestPasserelle({ env: { TAB_LOCAL_USER: `${demoFirmId}|aaaaaaaa-0000-0000-0000-000000000001|Claire Martin|claire@cabinet.test` } });
  });
  after(async () => {
    await passerelle?.stop();
  });

  const post = async (path: string, bytes: Buffer) => {
    const body = { fileName: 'export.csv', content: bytes.toString('base64'), ...(path === '/api/import' ? { requestId: randomUUID() } : {}) };
    const response = await fetch(`${passerelle.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> & { errors: { line: number; problems: { column: string; message: string }[] }[] } };
    if (path !== '/api/import' || answer.status !== 202) return answer;
    // The import is a job: its report, once finished, has the totals.
    const job = await finishedImport(String(answer.body.id));
    return { status: answer.status, body: { ...job, ...(job.report as Record<string, unknown>) } as typeof answer.body };
  };
  const finishedImport = async (id: string) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const job = (await (await fetch(`${passerelle.server.url}/api/imports/${id}`)).json()) as Record<string, unknown>;
      if (job.status === 'finished') return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`import ${id} not finished in 20 s`);
  };
  const total = async () => ((await (await fetch(`${passerelle.server.url}/api/portfolio?pageSize=100`)).json()) as { total: number }).total;

  it('previews a Windows-1252 file with each line’s errors, and writes nothing', async () => {
    const preview = await post('/api/import/preview', windows1252(csv));
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.lines, 5);
    assert.equal(preview.body.valid, 2);
    const byLine = new Map(preview.body.errors.map((error) => [error.line, error.problems.map((problem) => `${problem.column}: ${problem.message}`).join(' | ')]));
    assert.match(byLine.get(4)!, /siret: .*clé de contrôle/, 'bad SIRET');
    assert.match(byLine.get(4)!, /date_entree: date attendue/, 'impossible French date');
    assert.match(byLine.get(5)!, /contact_email: /, 'missing e-mail');
    assert.match(byLine.get(6)!, /porte déjà la raison sociale « Boulangerie Bérnard »/, 'same code, another name');
    assert.equal(await total(), 0, 'the preview wrote nothing');
  });

  it('imports the valid lines, then a second import changes nothing', async () => {
    const first = await post('/api/import', windows1252(csv));
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(first.body.filesCreated, 1);
    assert.equal(first.body.contactsCreated, 2);
    assert.equal(first.body.linksCreated, 2);
    assert.equal(first.body.rowsWithErrors, 3);
    const client = ((await (await fetch(`${passerelle.server.url}/api/portfolio?search=bernard`)).json()) as { items: { companyName: string; contacts: { count: number; primary: { email: string } } }[] }).items[0]!;
    assert.equal(client.companyName, 'Boulangerie Bérnard', 'accents read from Windows-1252');
    assert.equal(client.contacts.count, 2);
    assert.equal(client.contacts.primary.email, 'lea@boulangerie-bernard.fr');
    const clientId = ((await (await fetch(`${passerelle.server.url}/api/portfolio?search=bernard`)).json()) as { items: { id: string }[] }).items[0]!.id;
    const details = (await (await fetch(`${passerelle.server.url}/api/portfolio/${clientId}`)).json()) as { contacts: { email: string; scope: string }[] };
    assert.equal(details.contacts.find((contact) => contact.email === 'eric@boulangerie-bernard.fr')?.scope, 'Ventes', 'the « Limité à » column is read');

    const again = await post('/api/import', windows1252(csv));
    assert.deepEqual([again.body.filesCreated, again.body.filesUpdated, again.body.filesUnchanged, again.body.contactsCreated, again.body.contactsUpdated, again.body.linksCreated], [0, 0, 1, 0, 0, 0]);
    assert.equal(await total(), 1, 'no duplicate');
  });

  it('updates what changed on a re-import (UTF-8 this time)', async () => {
    const changed = csv.replace('Boulangerie Bérnard;SARL;732 829 320 00074;1071C;03/01/2022;Bernard;Léa', 'Boulangerie Bérnard;SAS;732 829 320 00074;1071C;03/01/2022;Bernard;Léa').split('\r\n').slice(0, 2).join('\r\n');
    const result = await post('/api/import', Buffer.from(`\uFEFF${changed}`, 'utf8'));
    assert.equal(result.body.filesUpdated, 1);
    assert.equal(await total(), 1);
  });

  it('refuses a file without the required columns', async () => {
    const result = await post('/api/import/preview', Buffer.from('nom;prenom\r\nA;B', 'utf8'));
    assert.equal(result.status, 400);
    assert.match(String(result.body.message), /Colonnes obligatoires absentes : code, raison_sociale/);
  });
});
