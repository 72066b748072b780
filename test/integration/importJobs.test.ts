import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { MongoClient, type Db } from 'mongodb';
import { InvitationJobStore } from '../../bot/jobs/invitationJobs.js';
import { collections } from '../../bot/store/mongo.js';
import { demoFirmId } from '../helpers/activities.js';
import { testMongoUri } from '../helpers/mongo.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { freePort } from '../helpers/ports.js';

const localUser = { TAB_LOCAL_USER: `${demoFirmId}|aaaaaaaa-0000-0000-0000-000000000001|Claire Martin|claire@cabinet.test` };
const english = { 'Accept-Language': 'en-GB,en;q=0.9' };

interface ImportView {
  id: string;
  status: string;
  lines: number;
  valid: number;
  refused: number;
  progress: { processed: number; total: number; failed: number };
  report?: Record<string, number>;
  refusedLines: { line: number; code: string | null; problems: { column: string; message: string }[] }[];
}

/** A CSV with `valid` importable lines (each with its contact) after `refused` lines with an impossible SIRET. */
function csvFile(options: { refused?: number; valid: number; prefix?: string }): string {
  const lines = ['code;raison_sociale;siret;contact_nom;contact_mobile;contact_email;contact_principal'];
  for (let index = 0; index < (options.refused ?? 0); index++) lines.push(`R${index};Refusée ${index};12345678901234;;;;`);
  for (let index = 0; index < options.valid; index++) {
    const code = `${options.prefix ?? 'V'}${index}`;
    lines.push(`${code};Société ${code};;Nom ${code};0612345678;${code.toLowerCase()}@client.fr;oui`);
  }
  return lines.join('\r\n');
}

async function send(passerelle: TestPasserelle, path: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${passerelle.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as ImportView & { message?: string; code?: string; lines: number } };
}

const importBody = (csv: string, requestId = randomUUID()) => ({ requestId, fileName: 'export.csv', content: Buffer.from(csv, 'utf8').toString('base64') });

async function view(passerelle: TestPasserelle, id: string): Promise<ImportView> {
  const response = await fetch(`${passerelle.server.url}/api/imports/${id}`);
  assert.equal(response.status, 200, `GET /api/imports/${id}`);
  return (await response.json()) as ImportView;
}

/** Follows the job as the tab does; returns every progress seen and the finished job. */
async function untilFinished(passerelle: TestPasserelle, id: string, timeoutMs = 60_000): Promise<{ seen: number[]; job: ImportView }> {
  const seen: number[] = [];
  for (const started = Date.now(); Date.now() - started < timeoutMs; ) {
    const job = await view(passerelle, id);
    seen.push(job.progress.processed);
    if (job.status === 'finished') return { seen, job };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`import ${id} not finished in ${timeoutMs} ms`);
}

async function withDb<T>(passerelle: TestPasserelle, use: (db: Db) => Promise<T>): Promise<T> {
  const client = new MongoClient(passerelle.mongoUri, { directConnection: true });
  try {
    return await use(client.db(passerelle.database));
  } finally {
    await client.close();
  }
}

const countOf = (passerelle: TestPasserelle, collection: string, filter: object = {}) => withDb(passerelle, (db) => db.collection(collection).countDocuments(filter));

/** Audit entries reach the log through the relay: wait until it has delivered `expected` of them. */
async function auditCount(passerelle: TestPasserelle, action: string, expected: number): Promise<number> {
  let count = 0;
  for (let attempt = 0; attempt < 50; attempt++) {
    count = await countOf(passerelle, collections.auditLog, { action });
    if (count >= expected) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return count;
}

/** A TCP relay to the database that can be cut (every connection dropped, new ones refused) and restored. */
async function cuttableRelay(target: URL): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void> }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => sockets.delete(socket));
        }
        client.pipe(upstream).pipe(client);
      }).listen(port, '127.0.0.1', resolve);
    });
  await listen();
  return {
    port,
    async cut() {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: listen,
  };
}

describe('Imports as durable jobs (whole file checked, background writing, report)', function () {
  this.timeout(180_000);

  describe('limits and large files', () => {
    let passerelle: TestPasserelle;
    before(async () => {
      passerelle = await startTestPasserelle({ env: localUser });
    });
    after(async () => {
      await passerelle?.stop();
    });

    it('refuses a 100,000-line file up front with its count and what to do, and writes nothing', async () => {
      const csv = csvFile({ refused: 100_000, valid: 0 });
      const preview = await send(passerelle, '/api/import/preview', importBody(csv));
      assert.equal(preview.status, 413, JSON.stringify(preview.body));
      assert.equal(preview.body.code, 'import.tooManyLines');
      assert.match(String(preview.body.message), /^100\u202f000 lignes : au plus 50\u202f000 par import, découpez le fichier/, 'the count and the way out, in French');
      const run = await send(passerelle, '/api/import', importBody(csv), english);
      assert.equal(run.status, 413, JSON.stringify(run.body));
      assert.match(String(run.body.message), /^100,000 lines: at most 50,000 per import, split the file/, 'the same in English');
      assert.equal(await countOf(passerelle, collections.jobs), 0, 'no job');
      assert.equal(await countOf(passerelle, collections.importBatches), 0, 'no line stored');
      assert.equal(await countOf(passerelle, collections.clientFiles), 0, 'no client file');
    });

    it('checks a 30,000-line file whole and writes it as a job whose progress the tab can follow', async () => {
      // Most lines are refused so the test stays quick on the stand-in; the valid ones are past the old 20,000 cut.
      const csv = csvFile({ refused: 29_960, valid: 40, prefix: 'L' });
      const preview = await send(passerelle, '/api/import/preview', importBody(csv));
      assert.equal(preview.status, 200, JSON.stringify(preview.body).slice(0, 300));
      assert.deepEqual([preview.body.lines, preview.body.valid], [30_000, 40], 'every line is counted and checked');
      const started = await send(passerelle, '/api/import', importBody(csv));
      assert.equal(started.status, 202, JSON.stringify(started.body).slice(0, 300));
      assert.deepEqual([started.body.lines, started.body.valid, started.body.refused], [30_000, 40, 29_960]);
      assert.equal(started.body.progress.total, 120, 'one job item per 250 lines');
      const { seen, job } = await untilFinished(passerelle, started.body.id);
      assert.ok(seen.every((value, index) => index === 0 || value >= seen[index - 1]!), `progress only grows: ${seen.join(',')}`);
      assert.equal(job.progress.processed, 120, 'every batch processed');
      assert.equal(job.report?.filesCreated, 40, 'the lines after line 20,000 are written');
      assert.equal(job.report?.rowsWithErrors, 29_960);
      assert.equal(await countOf(passerelle, collections.clientFiles), 40);
      assert.equal(await auditCount(passerelle, 'import.done', 1), 1, 'the end of the import is audited once');
    });
  });

  describe('idempotency and report', () => {
    let passerelle: TestPasserelle;
    before(async () => {
      passerelle = await startTestPasserelle({ env: localUser, imports: { batchLines: 5 } });
    });
    after(async () => {
      await passerelle?.stop();
    });

    it('writes once when the same request is sent twice, and a re-import of the same file changes nothing', async () => {
      const csv = csvFile({ valid: 12, prefix: 'D' });
      const request = importBody(csv);
      const [first, second] = await Promise.all([send(passerelle, '/api/import', request), send(passerelle, '/api/import', request)]);
      assert.equal(first.status, 202);
      assert.equal(second.status, 202);
      assert.equal(second.body.id, first.body.id, 'the same request finds the same job');
      const { job } = await untilFinished(passerelle, first.body.id);
      assert.equal(job.report?.filesCreated, 12);
      const again = await send(passerelle, '/api/import', request);
      assert.equal(again.body.id, first.body.id, 'sent again after the end: still the same job');
      assert.equal(await countOf(passerelle, collections.jobs, { kind: 'import' }), 1, 'one job');
      assert.equal(await countOf(passerelle, collections.clientFiles), 12, 'each file once');
      assert.equal(await auditCount(passerelle, 'clientFile.import.created', 12), 12, 'each creation audited once');

      const reimport = await send(passerelle, '/api/import', importBody(csv));
      assert.notEqual(reimport.body.id, first.body.id);
      const { job: unchanged } = await untilFinished(passerelle, reimport.body.id);
      assert.deepEqual(
        [unchanged.report?.filesCreated, unchanged.report?.filesUpdated, unchanged.report?.filesUnchanged, unchanged.report?.contactsCreated, unchanged.report?.contactsUpdated, unchanged.report?.linksCreated],
        [0, 0, 12, 0, 0, 0],
        'a second import of the same file changes nothing',
      );
      assert.equal(await countOf(passerelle, collections.clientFiles), 12);
    });

    it('reports each refused line with its reason, and downloads the report as CSV in French and English', async () => {
      const csv = `${csvFile({ valid: 3, prefix: 'E' })}\r\nF1;Sans interlocuteur;;;;;\r\nF2;Mauvais SIRET;12345678901234;;;;\r\nF3;Mauvaise date;;Nom;0612345678;pas-un-email;oui`;
      const started = await send(passerelle, '/api/import', importBody(csv));
      const { job } = await untilFinished(passerelle, started.body.id);
      assert.equal(job.refused, 2);
      assert.deepEqual(job.refusedLines.map((line) => line.line), [6, 7], 'the refused lines, by number');
      assert.match(job.refusedLines[0]!.problems.map((problem) => `${problem.column}: ${problem.message}`).join(), /siret: .*clé de contrôle/, 'the SIRET’s reason');
      assert.match(job.refusedLines[1]!.problems.map((problem) => problem.column).join(), /contact_email/, 'the e-mail’s reason');

      const french = await fetch(`${passerelle.server.url}/api/imports/${started.body.id}/report`);
      assert.equal(french.status, 200);
      assert.match(String(french.headers.get('content-disposition')), /rapport-import-passerelle\.csv/);
      const frenchLines = (await french.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.equal(frenchLines[0], 'Ligne;Code;Résultat;Dossier;Interlocuteur;Motif du refus', 'French header');
      assert.equal(frenchLines.length, 1 + 6, 'one row per line of the file');
      assert.match(frenchLines[1]!, /^2;E0;importée;créé;e0@client\.fr \(créé\);$/, 'a written line says what it did');
      assert.match(frenchLines[5]!, /^6;F2;refusée;;;siret : .*clé de contrôle/, `a refused line says why: ${frenchLines[5]}`);

      const englishReport = await fetch(`${passerelle.server.url}/api/imports/${started.body.id}/report`, { headers: english });
      const englishLines = (await englishReport.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.match(String(englishReport.headers.get('content-disposition')), /passerelle-import-report\.csv/);
      assert.equal(englishLines[0], 'Line;Code;Result;Client file;Contact;Reason refused', 'English header');
      assert.match(englishLines[4]!, /^5;F1;imported;created;;$/, 'a file without contact');
      assert.match(englishLines[5]!, /^6;F2;refused;;;siret: /, 'English reason');
    });

    it('answers 404 for an import that does not exist', async () => {
      const response = await fetch(`${passerelle.server.url}/api/imports/0123456789abcdef01234567`);
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { code: string }).code, 'import.notFound');
    });
  });

  describe('across a restart', () => {
    it('a server stopped mid-job and another on the same database finish it, each file written once', async () => {
      const first = await startTestPasserelle({ env: localUser, imports: { batchLines: 10 }, runner: { concurrency: 1, batchSize: 1 } });
      const { mongoUri, database } = first;
      let second: TestPasserelle | undefined;
      try {
        const started = await send(first, '/api/import', importBody(csvFile({ valid: 120, prefix: 'S' })));
        assert.equal(started.status, 202);
        assert.equal(started.body.progress.total, 12);
        for (let attempt = 0; (await view(first, started.body.id)).progress.processed < 2; attempt++) {
          assert.ok(attempt < 600, 'the first server writes some batches');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await first.server.stop();
        await first.connector.stop();
        await first.tenant.stop();
        // A server that died holding the next batch: its lease expires and the batch is taken back.
        await withDb(first, async (db) => {
          const held = await new InvitationJobStore(db).claim('dead-server', 1, new Date(), 500);
          assert.equal(held.length, 1, 'a batch was left to write');
        });
        const stoppedAt = (await withDb(first, (db) => db.collection(collections.importBatches).countDocuments({ written: { $exists: true } })));
        assert.ok(stoppedAt >= 2 && stoppedAt < 12, `stopped mid-job (${stoppedAt} of 12 batches written)`);

        second = await startTestPasserelle({ env: localUser, mongoUri, database, imports: { batchLines: 10 } });
        const { job } = await untilFinished(second, started.body.id);
        assert.equal(job.progress.processed, 12);
        assert.equal(job.report?.filesCreated, 120, 'every file counted once as created');
        assert.equal(job.report?.contactsCreated, 120);
        assert.equal(await countOf(second, collections.clientFiles), 120, 'each file written once');
        assert.equal(await countOf(second, collections.contacts), 120, 'each contact written once');
        assert.equal(await auditCount(second, 'clientFile.import.created', 120), 120, 'each creation audited once');
        assert.equal(await auditCount(second, 'import.done', 1), 1, 'the end audited once');
      } finally {
        await second?.stop();
      }
    });
  });

  describe('through a database outage', () => {
    it('an import cut by an outage resumes when the database is back: each file written once and counted once', async () => {
      const relay = await cuttableRelay(new URL(await testMongoUri()));
      const passerelle = await startTestPasserelle({
        env: localUser, mongoUri: `mongodb://127.0.0.1:${relay.port}/?directConnection=true&serverMonitoringMode=poll`, imports: { batchLines: 10 }, runner: { leaseMs: 1_500 },
      });
      try {
        const started = await send(passerelle, '/api/import', importBody(csvFile({ valid: 200, prefix: 'P' })));
        assert.equal(started.status, 202);
        let processed = 0;
        for (let attempt = 0; processed < 2; attempt++) {
          assert.ok(attempt < 600, 'some batches are written before the outage');
          await new Promise((resolve) => setTimeout(resolve, 50));
          processed = (await view(passerelle, started.body.id)).progress.processed;
        }
        await relay.cut();
        assert.ok(processed < 20, `cut mid-job (${processed} of 20 batches)`);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const during = await fetch(`${passerelle.server.url}/api/imports/${started.body.id}`);
        assert.equal(during.status, 503, 'the outage is said as such');
        await relay.restore();
        const { job } = await untilFinished(passerelle, started.body.id, 90_000);
        assert.equal(job.progress.processed, 20);
        assert.equal(job.progress.failed, 0, 'no batch given up');
        assert.equal(job.report?.filesCreated, 200, 'every file counted once, as created, even one written just before the cut');
        assert.equal(job.report?.contactsCreated, 200);
        assert.equal(await countOf(passerelle, collections.clientFiles), 200, 'each file written once');
        assert.equal(await countOf(passerelle, collections.contacts), 200, 'each contact written once');
        assert.equal(await auditCount(passerelle, 'clientFile.import.created', 200), 200, 'each creation audited once');
        assert.equal(await auditCount(passerelle, 'import.done', 1), 1, 'the end audited once');
      } finally {
        await passerelle.stop();
        await relay.cut();
      }
    });
  });
});
