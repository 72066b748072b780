import { messageActivity, type Speaker } from './activities.js';
import { startTestPasserelle, type TestPasserelle } from './passerelle.js';
import { startTestIdentityProvider, type TestIdentityProvider } from './portfolioSeed.js';

export const tabClientId = '0f0f0f0f-1111-2222-3333-444444444444';
export const demoFirm = '11111111-1111-1111-1111-111111111111';

/**
 * A whole server whose tab API checks real (locally signed) Entra tokens, so several staff members can
 * use the tab as themselves, and the bot to set up their structure, services and profiles.
 */
export interface StaffSession {
  passerelle: TestPasserelle;
  /** The Entra ID stand-in that signs the tab's tokens (and counts its key fetches). */
  identity: TestIdentityProvider;
  /** Says something to the bot in the speaker's personal chat; the replies' JSON, joined. */
  say(who: Speaker, text: string): Promise<string>;
  tokenOf(who: Speaker, email: string): Promise<string>;
  call(method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, any> }>;
  stop(): Promise<void>;
}

export async function startStaffSession(options: { backgroundWork?: boolean } = {}): Promise<StaffSession> {
  const identity: TestIdentityProvider = await startTestIdentityProvider(tabClientId);
  const passerelle = await startTestPasserelle({
    backgroundWork: options.backgroundWork,
    env: { AAD_APP_CLIENT_ID: tabClientId, TAB_JWKS_URL: identity.jwksUrl, PUBLIC_URL: 'https://passerelle.test' },
  });
  return {
    passerelle,
    identity,
    async say(who, text) {
      const mark = passerelle.connector.sent.length;
      await passerelle.post(messageActivity(text, { serviceUrl: passerelle.connector.url, from: who, conversationId: `a:personal-${who.id}` }));
      return passerelle.connector.since(mark).map((sent) => JSON.stringify(sent.activity)).join('\n');
    },
    tokenOf: (who, email) => identity.token({ tid: demoFirm, oid: who.aadObjectId, name: who.name, preferred_username: email }),
    async call(method, path, token, body, headers = {}) {
      const response = await fetch(`${passerelle.server.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as Record<string, any> };
    },
    async stop() {
      await passerelle.stop();
      await identity.stop();
    },
  };
}
