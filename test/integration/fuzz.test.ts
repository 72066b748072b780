import assert from 'node:assert/strict';
import { seededRandom } from '../../bot/directory/localTenant/faults.js';
import { claire, demoFirmId, messageActivity } from '../helpers/activities.js';
import type { TestPasserelle } from '../helpers/passerelle.js';
import { startStaffSession, type StaffSession } from '../helpers/staffSession.js';
import { withDatabase, type TestIdentityProvider } from '../helpers/portfolioSeed.js';

/**
 * A bounded, deterministic fuzz of the bot endpoint and the tab API: a few hundred generated bad
 * requests (wrong types, huge strings, missing fields, bad JSON, wrong content types, forged tokens, odd
 * paths). None may be answered 5xx, and none may write anything to the database.
 */
const seed = 20261204;
const requestCount = 400;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

describe('fuzz: generated bad requests to the bot endpoint and the tab API', function () {
  this.timeout(60_000);
  let session: StaffSession;
  let identity: TestIdentityProvider;
  let passerelle: TestPasserelle;

  before(async () => {
    session = await startStaffSession({ backgroundWork: false });
    ({ identity, passerelle } = session);
    await session.say(claire, 'aide');
  });
  after(async () => {
    await session?.stop();
  });

  async function documentCounts(): Promise<Record<string, number>> {
    return withDatabase(passerelle.mongoUri, passerelle.database, async (db) => {
      const counts: Record<string, number> = {};
      // Documents only: a read may create an empty collection on some servers.
      for (const collection of await db.listCollections().toArray()) {
        const count = await db.collection(collection.name).countDocuments();
        if (count > 0) counts[collection.name] = count;
      }
      return counts;
    });
  }

  async function generate(): Promise<FuzzRequest[]> {
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const forged = await identity.forgedToken({ tid: demoFirmId, oid: claire.aadObjectId });
    const expired = await identity.token({ tid: demoFirmId, oid: claire.aadObjectId }, { expiresIn: Math.floor(Date.now() / 1000) - 3_600 });
    const wrongAudience = await identity.token({ tid: demoFirmId, oid: claire.aadObjectId }, { audience: 'api://someone-else' });
    const badValues = [null, 42, -1, 1e308, true, [], [1, 'a'], {}, { $gt: '' }, 'x'.repeat(200_000), '\u0000', '../../etc/passwd', '<script>', '😀'.repeat(1_000), 'NaN'];
    const authorizations = ['', 'Bearer', 'Bearer ', `Bearer ${forged}`, `Bearer ${expired}`, `Bearer ${wrongAudience}`, 'Bearer a.b.c', 'Basic YTpi', `Bearer ${'x'.repeat(10_000)}`];
    const contentTypes = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', ''];
    const tabRoutes: [string, string][] = [
      ['GET', '/api/me'],
      ['GET', '/api/portfolio'],
      ['GET', '/api/portfolio/000000000000000000000000'],
      ['PATCH', '/api/portfolio/000000000000000000000000'],
      ['POST', '/api/invitations'],
      ['POST', '/api/reminders'],
      ['POST', '/api/import'],
      ['POST', '/api/import/preview'],
      ['POST', '/api/offers/proposals'],
      ['GET', '/api/offers'],
      ['GET', '/api/jobs/nope'],
      ['POST', '/api/offers/subscriptions/nope/end'],
      ['GET', '/api/portfolio/nope/shine'],
      ['POST', '/api/portfolio/nope/shine'],
      ['GET', '/api/audit'],
      ['GET', '/api/export/portfolio.csv'],
    ];
    const oddPaths = ['/api/%', '/api/portfolio/%E0%A4%A', '/tab/assets', '/tab/../../package.json', '/tab/%2e%2e/%2e%2e/package.json', `/api/${'a'.repeat(5_000)}`, '/api/messages/..', '/api//portfolio', '/healthz?x=%'];
    const activityFields = ['type', 'serviceUrl', 'text', 'channelId', 'from', 'conversation', 'recipient', 'channelData', 'value', 'timestamp', 'id', 'locale', 'entities', 'attachments'];

    const badActivity = (): Record<string, unknown> => {
      const activity: Record<string, unknown> = messageActivity('aide', { serviceUrl: passerelle.connector.url, from: claire });
      // Always break the shape the endpoint checks (type, serviceUrl or text), then anything else.
      const broken = pick(['type', 'serviceUrl', 'text'] as const);
      if (broken === 'type' && random() < 0.3) delete activity.type;
      else activity[broken] = pick(badValues.filter((value) => typeof value !== 'string' || value.length > 100_000 || broken === 'type'));
      if (broken === 'type' && typeof activity.type === 'string' && activity.type.length <= 100) activity.type = 'x'.repeat(101);
      for (let extra = Math.floor(random() * 3); extra > 0; extra--) {
        const field = pick(activityFields.filter((name) => name !== broken));
        if (random() < 0.5) delete activity[field];
        else if (!['type', 'serviceUrl', 'text'].includes(field)) activity[field] = pick(badValues);
      }
      return activity;
    };
    const badBody = (): string => {
      const shape = random();
      if (shape < 0.25) return pick(['{', '{"a":', 'null', '[]', '"text"', '42', '{"a":1}{', '\u0000', '']);
      if (shape < 0.5) return JSON.stringify(Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 4) }, () => [pick(['content', 'selection', 'ids', 'siret', 'expectedUpdatedAt', 'offer', 'page', '__proto__']), pick(badValues)])));
      return JSON.stringify(badActivity());
    };

    const requests: FuzzRequest[] = [];
    for (let index = 0; index < requestCount; index++) {
      const target = random();
      const headers: Record<string, string> = {};
      const contentType = pick(contentTypes);
      if (contentType) headers['Content-Type'] = contentType;
      if (random() < 0.3) headers['Accept-Language'] = pick(['en', 'fr', 'de', '*', 'x'.repeat(500), ';q=abc']);
      if (target < 0.4) {
        if (random() < 0.3) headers.Authorization = pick(authorizations);
        requests.push({ method: 'POST', path: '/api/messages', headers, body: random() < 0.8 ? JSON.stringify(badActivity()) : badBody() });
      } else if (target < 0.9) {
        const [method, path] = pick(tabRoutes);
        const authorization = pick(authorizations);
        if (authorization) headers.Authorization = authorization;
        requests.push({ method, path, headers, body: method === 'GET' ? undefined : badBody() });
      } else {
        requests.push({ method: pick(['GET', 'POST', 'PUT', 'DELETE']), path: pick(oddPaths), headers, body: undefined });
      }
    }
    return requests;
  }

  it(`answers ${requestCount} generated bad requests without a 5xx and writes nothing`, async () => {
    const requests = await generate();
    const before = await documentCounts();
    const serverErrors: string[] = [];
    const statuses = new Map<number, number>();
    for (const request of requests) {
      const response = await fetch(`${passerelle.server.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) serverErrors.push(`${request.method} ${request.path.slice(0, 60)} ${JSON.stringify(request.headers).slice(0, 120)} ${String(request.body).slice(0, 200)} → ${response.status}`);
    }
    assert.deepEqual(serverErrors, [], `no 5xx (statuses: ${JSON.stringify([...statuses].sort())})`);
    assert.deepEqual(await documentCounts(), before, 'nothing written to the database');
  });
});
