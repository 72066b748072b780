import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Request, Response } from 'restify';
import { z } from 'zod';
import { requestLanguage } from '../../bot/api/http/language.js';
import { csvFile, json, tabRoute, type TabEdge } from '../../bot/api/http/route.js';
import { OtherServiceError, requirements, type AccessContext } from '../../bot/domain/access/policy.js';
import { StorageUnavailableError } from '../../bot/domain/errors.js';
import { apiMessagesFor, issueKey } from '../../bot/i18n/apiMessages.js';
import { createLogger } from '../../bot/logger.js';

/** The tab API's edge without a server: language, the problem shape, the error table, and its catalogue. */
const manager: AccessContext = {
  role: 'mainManager',
  membership: { firmId: 'firm', email: 'claire@cabinet.test', displayName: 'Claire', services: [], profiles: [], status: 'attached' },
};

function edgeWith(logLines: string[] = []): TabEdge {
  return {
    auth: { authenticate: async () => ({ ok: true, actor: { firmId: 'firm', userId: 'claire', displayName: 'Claire' } }) },
    access: { sessions: { contextFor: async () => manager } },
    logger: createLogger({ level: 'debug', sink: (line) => logLines.push(line) }),
  };
}

interface Sent {
  status: number;
  body: any;
  headers: Record<string, string>;
}

async function call(handler: ReturnType<typeof tabRoute>, request: { headers?: Record<string, string>; body?: unknown; query?: unknown } = {}): Promise<Sent> {
  const sent: Sent = { status: 0, body: undefined, headers: {} };
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  // The route reads its JSON body from the request stream itself, as it comes from the network.
  const raw = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
  if (raw) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(raw.length) });
  const req = Object.assign(Readable.from(raw ? [raw] : []), {
    header: (name: string) => headers[name.toLowerCase()],
    method: raw ? 'POST' : 'GET',
    params: {},
    query: request.query ?? {},
    path: () => '/api/test',
  }) as unknown as Request;
  const res = {
    setHeader: (name: string, value: string) => void (sent.headers[name] = value),
    send: (status: number, body: unknown) => Object.assign(sent, { status, body }),
    sendRaw: (status: number, body: unknown) => Object.assign(sent, { status, body }),
  } as unknown as Response;
  await (handler as unknown as (req: Request, res: Response) => Promise<void>)(req, res);
  return sent;
}

const throwing = (error: unknown) => tabRoute(edgeWith(), { requirement: requirements.read('clientFiles'), handle: async () => Promise.reject(error) });

describe('tab API edge', () => {
  describe('the user’s language', () => {
    it('takes the first language Passerelle speaks, by weight, and French otherwise', () => {
      const cases: [string | undefined, 'fr' | 'en'][] = [
        [undefined, 'fr'],
        ['', 'fr'],
        ['*', 'fr'],
        ['en-US', 'en'],
        ['EN', 'en'],
        ['fr-CA,en;q=0.8', 'fr'],
        ['de-DE,en;q=0.7,fr;q=0.5', 'en'],
        ['fr;q=0.4, en;q=0.9', 'en'],
        ['en;q=0, fr', 'fr'],
        ['de-DE, it', 'fr'],
      ];
      for (const [header, expected] of cases) assert.equal(requestLanguage(header), expected, `Accept-Language: ${header}`);
    });
  });

  describe('answers', () => {
    it('never echoes a surprise: 500 with a reference, the details only in the log', async () => {
      const log: string[] = [];
      const handler = tabRoute(edgeWith(log), { requirement: requirements.read('clientFiles'), handle: async () => Promise.reject(new Error('E11000 secret index detail')) });
      const answer = await call(handler, { headers: { 'Accept-Language': 'en' } });
      assert.equal(answer.status, 500);
      assert.equal(answer.body.code, 'unexpected');
      assert.doesNotMatch(JSON.stringify(answer.body), /secret|E11000|at /, 'nothing of the error reaches the user');
      const reference = /reference ([0-9a-f]{8})/.exec(answer.body.message)?.[1];
      assert.ok(reference, `the message gives a reference: ${answer.body.message}`);
      assert.ok(log.some((line) => line.includes(reference!) && line.includes('secret index detail')), 'the log has the error under the same reference');
    });

    it('translates the domain’s errors through the table: another service 403, storage down 503', async () => {
      const other = await call(throwing(new OtherServiceError('service-1')), { headers: { 'Accept-Language': 'en' } });
      assert.deepEqual([other.status, other.body.code], [403, 'access.otherService']);
      assert.match(other.body.message, /belongs to a service other than yours/);
      const down = await call(throwing(new StorageUnavailableError()));
      assert.deepEqual([down.status, down.body.code], [503, 'service.unavailable']);
      assert.match(down.body.message, /momentanément indisponible/);
    });

    it('refuses any malformed body with 400, never 5xx, and never runs the handler', async () => {
      let ran = false;
      const handler = tabRoute(edgeWith(), {
        requirement: requirements.read('clientFiles'),
        body: z.object({ count: z.number().int().max(10, issueKey('tooManyOffers')) }).strict(),
        handle: async () => ((ran = true), json({})),
      });
      for (const body of [null, [], 'text', 42, { count: 'x' }, { count: 11 }, { count: 1, extra: true }]) {
        const answer = await call(handler, { body });
        assert.equal(answer.status, 400, `body ${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.code, 'request.invalid');
        assert.ok(Array.isArray(answer.body.problems) && answer.body.problems.length > 0, `field problems for ${JSON.stringify(body)}`);
      }
      assert.equal(ran, false, 'nothing ran for a bad request');
      const extra = await call(handler, { body: { count: 1, extra: true, other: 2 } });
      assert.deepEqual(extra.body.problems.map((problem: { field: string }) => problem.field), ['extra', 'other'], 'one problem per unknown field');
      const tooMany = await call(handler, { body: { count: 11 }, headers: { 'Accept-Language': 'en' } });
      assert.deepEqual(tooMany.body.problems, [{ field: 'count', code: 'tooManyOffers', message: 'at most 20 offers' }], 'a schema’s key is worded from the catalogue');
    });

    it('sends no-store and a CSV file for Excel (BOM, CRLF)', async () => {
      const answer = await call(tabRoute(edgeWith(), { requirement: requirements.read('audit'), handle: async () => csvFile('x.csv', ['a;b', '1;2']) }));
      assert.equal(answer.headers['Cache-Control'], 'no-store');
      assert.equal(answer.headers['Content-Disposition'], 'attachment; filename="x.csv"');
      assert.equal(answer.body, '\uFEFFa;b\r\n1;2\r\n');
    });
  });

  describe('the API’s catalogue', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

    it('has every message in French and English, with the same placeholders', () => {
      const walk = (fr: unknown, en: unknown, path: string): void => {
        if (typeof fr === 'string') {
          assert.equal(typeof en, 'string', `${path}: English missing`);
          assert.ok((en as string).length > 0 || fr.length === 0, `${path}: English empty`);
          assert.deepEqual(placeholders(en as string), placeholders(fr), `${path}: same placeholders`);
          return;
        }
        if (Array.isArray(fr)) {
          assert.ok(Array.isArray(en) && en.length === fr.length, `${path}: ${fr.length} entries in both languages`);
          fr.forEach((entry, index) => walk(entry, (en as unknown[])[index], `${path}[${index}]`));
          return;
        }
        const frKeys = Object.keys(fr as object).sort();
        assert.deepEqual(Object.keys(en as object).sort(), frKeys, `${path}: same keys`);
        for (const key of frKeys) walk((fr as Record<string, unknown>)[key], (en as Record<string, unknown>)[key], `${path}.${key}`);
      };
      walk(apiMessagesFor('fr'), apiMessagesFor('en'), 'apiMessages');
    });
  });
});
