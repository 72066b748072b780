import assert from 'node:assert/strict';
import { cardActions, cardText, startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { demoFirmId, executeActivity, messageActivity } from '../helpers/activities.js';
import { auditActions } from '../../bot/domain/audit.js';

describe('Audit log search and export (GET /api/audit)', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;

  before(async () => {
    passerelle = await startTestPasserelle({
      backgroundWork: false,
      env: { TAB_LOCAL_USER: `${demoFirmId}|aaaaaaaa-0000-0000-0000-000000000001|Claire Martin|staff-claire@cabinet-demo.test` },
    });
    const say = async (text: string) => {
      const mark = passerelle.connector.sent.length;
      await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url }));
      return passerelle.connector.since(mark)[0]!.activity;
    };
    for (const [code, name] of [['000001', 'Boulangerie Bernard'], ['000002', 'Garage Martin']]) {
      const form = cardActions((await say('nouveau dossier')).attachments?.[0]?.content).find((action) => action.verb === 'clientFile.create')!;
      await passerelle.post(executeActivity('clientFile.create', { ...form.data, code, companyName: name }, { serviceUrl: passerelle.connector.url }));
    }
    // Entries whose details name things by id: a service, then a file entrusted to it.
    await say('créer service Social');
    await say('service 000002 Social');
  });
  after(async () => {
    await passerelle?.stop();
  });

  const get = (query: string, headers: Record<string, string> = {}) => fetch(`${passerelle.server.url}/api/audit${query}`, { headers });

  it('lists the firm’s entries, newest first, with the file they concern', async () => {
    const response = await get('');
    assert.equal(response.status, 200);
    const { entries } = (await response.json()) as { entries: { label: string; clientFile: string; who: string }[] };
    const created = entries.filter((entry) => entry.label === 'Dossier créé');
    assert.deepEqual(created.map((entry) => entry.clientFile), ['000002 – Garage Martin', '000001 – Boulangerie Bernard']);
    assert.ok(created.every((entry) => entry.who === 'Claire Martin'));
  });

  it('filters by date and refuses a malformed one in French', async () => {
    const future = await (await get('?from=01/01/2099')).json() as { entries: unknown[] };
    assert.equal(future.entries.length, 0);
    const bad = await get('?from=32/13/2026');
    assert.equal(bad.status, 400);
    assert.match(String(((await bad.json()) as { message: string }).message), /date inexistante|date attendue/);
  });

  it('shows the latest entries of a client file in Teams with « journal dossier »', async () => {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity('journal dossier 000001', { serviceUrl: passerelle.connector.url }));
    const card = passerelle.connector.since(mark)[0]!.activity.attachments?.[0]?.content;
    const text = cardText(card);
    assert.match(text, /Journal du dossier 000001 – Boulangerie Bernard[\s\S]*Dossier créé · Claire Martin · 000001 – Boulangerie Bernard/);
    assert.doesNotMatch(text, /Garage Martin/);
  });

  it('exports CSV for Excel: BOM, « ; » separators, French dates', async () => {
    const response = await get('?format=csv');
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /text\/csv/);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM so Excel reads the accents');
    const [header, ...lines] = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    assert.equal(header, 'Date;Qui;Action;Dossier;Interlocuteur;Détails');
    assert.ok(lines.some((line) => /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2};Claire Martin;Dossier créé;000001 – Boulangerie Bernard;/.test(line)), lines.join('\n'));
  });

  it('exports labels and readable details, never a code nor raw JSON', async () => {
    const text = Buffer.from(await (await get('?format=csv')).arrayBuffer()).subarray(3).toString('utf8');
    const lines = text.trim().split('\r\n').slice(1);
    assert.ok(lines.some((line) => /;Service créé;;;Structure : Structure principale du cabinet · Service : Social$/.test(line)), `the service's creation names it:\n${text}`);
    assert.ok(lines.some((line) => /;Confié à un service;000002 – Garage Martin;;Service : aucun \(toute la structure\) → Social$/.test(line)), `the assignment says from where to where, by name:\n${text}`);
    for (const line of lines) {
      assert.doesNotMatch(line, /[{}]|":/, `no raw JSON in « ${line} »`);
      const code = auditActions.find((action) => line.includes(action));
      assert.equal(code, undefined, `no action code in « ${line} »`);
    }
  });

  it('answers in English, labels and details, when the tab says the user reads English', async () => {
    const { entries } = (await (await get('', { 'Accept-Language': 'en-US' })).json()) as { entries: { action: string; label: string; details: string }[] };
    const assigned = entries.find((entry) => entry.action === 'clientFile.serviceAssigned');
    assert.deepEqual(assigned && { label: assigned.label, details: assigned.details }, { label: 'Entrusted to a service', details: 'Service: none (the whole structure) → Social' });
  });

  it('exports the CSV in English for an English reader: file name, header, labels, details and dates', async () => {
    const response = await get('?format=csv', { 'Accept-Language': 'en-US' });
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-disposition')), /filename="passerelle-audit-log\.csv"/, 'the file is named in English');
    const [header, ...lines] = Buffer.from(await response.arrayBuffer()).subarray(3).toString('utf8').trim().split('\r\n');
    assert.equal(header, 'Date;Who;Action;Client file;Contact;Details');
    assert.ok(
      lines.some((line) => /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2};Claire Martin;Entrusted to a service;000002 – Garage Martin;;Service: none \(the whole structure\) → Social$/.test(line)),
      `an English date, label and details on the assignment's line:\n${lines.join('\n')}`,
    );
    assert.ok(lines.every((line) => !/Dossier créé|Service créé|aucun/.test(line)), `no French label nor detail left:\n${lines.join('\n')}`);
  });

  it('shows the details under each line of the « journal » card', async () => {
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity('journal dossier 000002', { serviceUrl: passerelle.connector.url }));
    const text = cardText(passerelle.connector.since(mark)[0]!.activity.attachments?.[0]?.content);
    assert.match(text, /Confié à un service · Claire Martin · 000002 – Garage Martin\s+Service : aucun \(toute la structure\) → Social/);
  });
});
