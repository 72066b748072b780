import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { MongoClient, type Db } from 'mongodb';
import { clientFileSearchTokens } from '../../bot/domain/clientFile.js';
import { contactSearchTokens } from '../../bot/domain/contact.js';
import type { GuestOnboarding } from '../../bot/domain/guest.js';
import type { OnboardingState } from '../../bot/domain/portfolio.js';
import { ensureIndexes } from '../../bot/store/mongo.js';
import { PortfolioProjector } from '../../bot/domain/portfolioSummary.js';
import { MongoPortfolioSummaryStore } from '../../bot/store/portfolioRepository.js';
import { createStores } from '../../bot/store/stores.js';

/** Client files and contacts written straight through the stores, as the bot would have left them. */
export interface SeedContact {
  firstName?: string;
  lastName: string;
  email: string;
  state?: OnboardingState;
  primary?: boolean;
}

export interface SeedFile {
  code: string;
  companyName: string;
  legalForm?: string;
  siret?: string;
  contacts?: SeedContact[];
}

export interface SeededFile {
  id: string;
  code: string;
  contactIds: string[];
}

const staff = { userId: 'aaaaaaaa-0000-0000-0000-000000000001', displayName: 'Claire Martin' };

function guestIn(state: OnboardingState, at: Date): GuestOnboarding | undefined {
  if (state === 'notInvited') return undefined;
  const base: GuestOnboarding = { state: 'invited', invitedAt: at, lastInvitedAt: at, invitationCount: 1, checks: 0, directoryUserId: 'guest-user' };
  if (state === 'invited') return base;
  if (state === 'accepted') return { ...base, state, acceptedAt: new Date(at.getTime() + 3_600_000) };
  if (state === 'member') return { ...base, state, acceptedAt: new Date(at.getTime() + 3_600_000), memberAt: new Date(at.getTime() + 7_200_000), teamId: 'team-1' };
  if (state === 'failed') return { ...base, state, failure: { reason: 'recipientRefused', at } };
  return { ...base, state: 'revoked', revoked: { action: 'removedFromTeam', at } };
}

export async function seedPortfolio(db: Db, firmId: string, files: SeedFile[], at = new Date('2025-03-03T09:00:00Z')): Promise<SeededFile[]> {
  await ensureIndexes(db);
  const stores = createStores(db);
  const fileStore = stores.clientFiles;
  const contactStore = stores.contacts;
  const links = stores.links;
  const audit = stores.audit;
  const seeded: SeededFile[] = [];
  for (const [index, seed] of files.entries()) {
    const stamp = { ...staff, at: new Date(at.getTime() + index * 60_000) };
    const outcome = await fileStore.insertUnlessCodeExists({
      firmId,
      code: seed.code,
      companyName: seed.companyName,
      legalForm: seed.legalForm,
      siret: seed.siret,
      searchTokens: clientFileSearchTokens(seed),
      creationRequestId: `seed-${seed.code}`,
      created: stamp,
      updatedAt: stamp.at,
    });
    if (!outcome.inserted) throw new Error(`code ${seed.code} seeded twice`);
    const file = outcome.record;
    await audit.record({ firmId, actor: stamp, action: 'clientFile.created', clientFileId: file.id, details: { code: file.code } });
    const contactIds: string[] = [];
    for (const person of seed.contacts ?? []) {
      const inserted = await contactStore.insertUnlessEmailExists({
        firmId,
        lastName: person.lastName,
        firstName: person.firstName,
        email: person.email,
        mobile: '+33612345678',
        address: {},
        searchTokens: contactSearchTokens(person),
        creationRequestId: `seed-${person.email}`,
        created: stamp,
        updatedAt: stamp.at,
      });
      const contact = inserted.inserted ? inserted.record : inserted.existing;
      contactIds.push(contact.id);
      await links.upsert({ firmId, clientFileId: file.id, contactId: contact.id, scope: '-', linked: stamp });
      await audit.record({ firmId, actor: stamp, action: 'contact.linked', clientFileId: file.id, contactId: contact.id, details: { code: file.code, scope: '-' } });
      if (person.primary) await fileStore.setPrimaryContact(firmId, file.id, contact.id, stamp.at);
      const guest = guestIn(person.state ?? 'notInvited', stamp.at);
      if (guest && inserted.inserted) {
        await contactStore.updateGuest(firmId, contact.id, undefined, guest);
        await audit.record({ firmId, actor: stamp, action: 'guest.invited', clientFileId: file.id, contactId: contact.id, details: {} });
      }
    }
    seeded.push({ id: file.id, code: file.code, contactIds });
  }
  // The server summarises files when their audit entries reach its log; these were written beside it.
  await new PortfolioProjector({ store: new MongoPortfolioSummaryStore(db) }).refresh(firmId, seeded.map((file) => file.id));
  return seeded;
}

export async function withDatabase<T>(uri: string, name: string, use: (db: Db) => Promise<T>): Promise<T> {
  const client = new MongoClient(uri, { directConnection: uri.startsWith('mongodb://127.0.0.1') ? true : undefined });
  try {
    return await use(client.db(name));
  } finally {
    await client.close();
  }
}

export { siretFrom } from '../../bot/dev/siret.js';

/**
 * A stand-in for Entra ID's signing keys: a local JWKS endpoint (`/{tenant}/keys`) and tokens signed with
 * its key, shaped like the Teams SSO access tokens (v2, scope access_as_user).
 */
export interface TestIdentityProvider {
  jwksUrl: string;
  token(claims: { tid: string; oid: string; name?: string } & Record<string, unknown>, options?: { expiresIn?: string | number; audience?: string; issuer?: string; notBefore?: number }): Promise<string>;
  /** A token of the same shape signed with another key: must be refused. */
  forgedToken(claims: { tid: string; oid: string }): Promise<string>;
  /** How many times the key set was asked for (any tenant's, or the common one). */
  keyFetches(): number;
  stop(): Promise<void>;
}

export async function startTestIdentityProvider(clientId: string): Promise<TestIdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const forger = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };
  let keyFetches = 0;
  const server: Server = createServer((req, res) => {
    if (/^\/([0-9a-f-]{36}|common)\/keys$/.test(req.url ?? '')) {
      keyFetches += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const sign = (key: CryptoKey, claims: Record<string, unknown>, options: { expiresIn?: string | number; audience?: string; issuer?: string } = {}) =>
    new SignJWT({ scp: 'access_as_user', ver: '2.0', preferred_username: `${String(claims.oid).slice(0, 8)}@cabinet.test`, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .setAudience(options.audience ?? clientId)
      .setIssuer(options.issuer ?? `https://login.microsoftonline.com/${String(claims.tid)}/v2.0`)
      .sign(key);
  return {
    jwksUrl: `http://127.0.0.1:${port}/{tenant}/keys`,
    token: (claims, options) => sign(privateKey, claims, options),
    forgedToken: (claims) => sign(forger.privateKey, claims),
    keyFetches: () => keyFetches,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
