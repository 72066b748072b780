import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createLogger } from '../../bot/logger.js';
import { claire, messageActivity } from '../helpers/activities.js';
import { startTestPasserelle, type TestPasserelle } from '../helpers/passerelle.js';

/**
 * Forged Bot Framework tokens, as an attacker sends them to a production bot (BOT_ID set): each is a
 * 401 with the problem shape, logged through our logger without the token, and the SDK prints nothing
 * to stderr. The Bot Framework's OpenID metadata and keys are served locally (the SDK's
 * ToBotFromChannelOpenIdMetadataUrl setting), so the real key-lookup path runs offline.
 */
const botId = '21111111-2222-4333-8444-555555555555';
const realKeyId = 'bf-signing-key';

interface BotKeyServer {
  metadataUrl: string;
  fetches(): number;
  sign(key: CryptoKey, options?: { notBefore?: number }): Promise<string>;
  realKey: CryptoKey;
  stop(): Promise<void>;
}

async function startBotKeyServer(): Promise<BotKeyServer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: realKeyId, use: 'sig', endorsements: ['msteams'] };
  let fetches = 0;
  let base = '';
  const server: Server = createServer((req, res) => {
    fetches += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (req.url === '/v1/.well-known/openidconfiguration') res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/keys` }));
    else res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    fetches: () => fetches,
    realKey: privateKey,
    sign: (key, options = {}) =>
      new SignJWT({ serviceurl: 'http://127.0.0.1:1/' })
        .setProtectedHeader({ alg: 'RS256', kid: realKeyId, typ: 'JWT' })
        .setIssuer('https://api.botframework.com')
        .setAudience(botId)
        .setIssuedAt()
        .setNotBefore(options.notBefore ?? Math.floor(Date.now() / 1000) - 60)
        .setExpirationTime('1h')
        .sign(key),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Bot Framework endpoint with forged tokens (BOT_ID set)', function () {
  this.timeout(60_000);
  let keys: BotKeyServer;
  let passerelle: TestPasserelle;
  const logLines: string[] = [];

  before(async () => {
    keys = await startBotKeyServer();
    passerelle = await startTestPasserelle({
      backgroundWork: false,
      logger: createLogger({ level: 'debug', sink: (line) => logLines.push(line) }),
      botOpenIdMetadataUrl: keys.metadataUrl,
      env: { BOT_ID: botId, BOT_TYPE: 'MultiTenant', SECRET_BOT_PASSWORD: 'not-used-by-this-test' },
    });
  });
  after(async () => {
    await passerelle?.stop();
    await keys?.stop();
  });

  it('refuses a request without a token with 401 before reading its body', async () => {
    const response = await fetch(`${passerelle.server.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(messageActivity('aide', { serviceUrl: 'http://127.0.0.1:1/', from: claire })) });
    assert.equal(response.status, 401, `no token: ${response.status}`);
    assert.equal(((await response.json()) as { code?: string }).code, 'auth.missing');
  });

  async function forgedTokens(): Promise<Record<string, string>> {
    const otherKey = (await generateKeyPair('RS256')).privateKey;
    const hs256 = await new SignJWT({ serviceurl: 'http://127.0.0.1:1/' })
      .setProtectedHeader({ alg: 'HS256', kid: realKeyId, typ: 'JWT' })
      .setIssuer('https://api.botframework.com')
      .setAudience(botId)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a shared secret the attacker chose'));
    return {
      'signed by another key with the real key id': await keys.sign(otherKey),
      'an HS256 token': hs256,
      'a token not valid yet': await keys.sign(keys.realKey, { notBefore: Math.floor(Date.now() / 1000) + 7_200 }),
      'garbage': 'abc.def.ghi',
    };
  }

  it('answers 401 with the problem shape to each forged token, logs it at warn without the token, and prints nothing to stderr', async () => {
    const tokens = await forgedTokens();
    const activity = messageActivity('aide', { serviceUrl: 'http://127.0.0.1:1/', from: claire });
    const printed: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    const answers: { label: string; status: number; body: Record<string, unknown> }[] = [];
    try {
      for (const [label, token] of Object.entries(tokens)) {
        const response = await fetch(`${passerelle.server.url}/api/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(activity),
        });
        answers.push({ label, status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> });
      }
    } finally {
      process.stderr.write = write;
    }
    for (const answer of answers) {
      assert.equal(answer.status, 401, `${answer.label}: 401 expected, got ${answer.status} ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, 'auth.invalid', `${answer.label}: the problem shape`);
      assert.equal(typeof answer.body.message, 'string', `${answer.label}: a message`);
    }
    assert.ok(keys.fetches() >= 2, `the SDK read the local key server (metadata and keys): ${keys.fetches()} requests`);
    assert.deepEqual(printed, [], 'nothing printed to stderr by the library');
    const refusals = logLines.filter((line) => line.includes('"level":"warn"') && line.includes('token not accepted'));
    assert.equal(refusals.length, Object.keys(tokens).length, `one warning per refused token: ${logLines.join('\n')}`);
    for (const token of Object.values(tokens)) {
      assert.ok(!logLines.some((line) => line.includes(token)), 'the token never reaches the log');
    }
    assert.ok(!logLines.some((line) => line.includes('BEGIN')), 'no key material in the log');
  });
});
