import assert from 'node:assert/strict';
import { version } from '../../bot/server.js';
import { messageActivity } from '../helpers/activities.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';
import { freePort } from '../helpers/ports.js';


describe('When the database is away', function () {
  this.timeout(60_000);
  let passerelle: TestPasserelle;
  let port: number;
  let database: { stop(): Promise<void> } | undefined;

  before(async () => {
    port = await freePort();
    passerelle = await startTestPasserelle({ mongoUri: `mongodb://127.0.0.1:${port}/?directConnection=true&serverMonitoringMode=poll` });
  });
  after(async () => {
    await passerelle?.stop().catch(() => undefined);
    await database?.stop();
  });

  it('starts anyway, reports 503 on /healthz, and the bot says the service is unavailable', async () => {
    const health = await fetch(`${passerelle.server.url}/healthz`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: 'unavailable', db: 'down', version });
    const mark = passerelle.connector.sent.length;
    const response = await passerelle.post(messageActivity('dossier 000001', { serviceUrl: passerelle.connector.url }));
    assert.equal(response.status, 200);
    const replies = passerelle.connector.since(mark);
    assert.equal(replies.length, 1);
    assert.match(String(replies[0]!.activity.text), /momentanément indisponible/);
  });

  it('recovers by itself when the database comes back', async () => {
    const { CongoServer } = await import('@push.rocks/smartmongo/dist_ts/congodb/index.js');
    const server = new CongoServer({ port, storage: 'memory' } as never);
    await server.start();
    database = server;
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      status = (await fetch(`${passerelle.server.url}/healthz`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(status, 200, '/healthz is back to 200');
    const mark = passerelle.connector.sent.length;
    await passerelle.post(messageActivity('dossier 000001', { serviceUrl: passerelle.connector.url }));
    assert.match(String(passerelle.connector.since(mark)[0]?.activity.text), /Aucun dossier/);
  });
});
