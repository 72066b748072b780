import { loadConfig } from '../../bot/config.js';
import { createLogger, silentLogger, type Logger } from '../../bot/logger.js';
import { startPasserelle, type RunningPasserelle, type StartOptions } from '../../bot/server.js';
import { startLocalTenant, type LocalTenant, type LocalTenantOptions } from '../../bot/directory/localTenant.js';
import { FakeConnector } from './connector.js';
import { dropDatabase, testMongoUri, uniqueDatabaseName } from './mongo.js';

/** A whole Passerelle server on a free port with its own database, plus a connector to read replies. */
export interface TestPasserelle {
  server: RunningPasserelle;
  connector: FakeConnector;
  /** The local tenant standing in for Microsoft Graph at the process edge. */
  tenant: LocalTenant;
  mongoUri: string;
  database: string;
  post(activity: object): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startTestPasserelle(
  options: { logger?: Logger; mongoUri?: string; database?: string; tenant?: LocalTenantOptions; env?: Record<string, string> } & StartOptions = {},
): Promise<TestPasserelle> {
  const mongoUri = options.mongoUri ?? (await testMongoUri());
  const database = options.database ?? uniqueDatabaseName('passerelle_test');
  const tenant = await startLocalTenant({ port: 0, ...options.tenant });
  const config = loadConfig({
    PASSERELLE_ENV: 'test',
    PORT: '0',
    MONGODB_URI: mongoUri,
    MONGODB_DB: database,
    TRUST_CLIENT_LOCALE: 'true',
    GRAPH_BASE_URL: tenant.url,
    GRAPH_TIMEOUT_SECONDS: '5',
    ...options.env,
  });
  const logger = options.logger ?? (process.env.TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger);
  const server = await startPasserelle(config, logger, {
    now: options.now,
    backgroundWork: options.backgroundWork,
    imports: options.imports,
    runner: { idleDelayMs: 100, reportEveryMs: 0, ...options.runner },
    botOpenIdMetadataUrl: options.botOpenIdMetadataUrl,
    auditSweepEveryMs: options.auditSweepEveryMs,
    onDatabaseCommand: options.onDatabaseCommand,
  });
  const connector = new FakeConnector();
  await connector.start();
  return {
    server,
    connector,
    tenant,
    mongoUri,
    database,
    async post(activity) {
      const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the raw text
      }
      return { status: response.status, body };
    },
    async stop() {
      await server.stop();
      await connector.stop();
      await tenant.stop();
      await dropDatabase(mongoUri, database).catch(() => undefined);
    },
  };
}

/** Texts of every TextBlock and fact in a card, flattened: what a person reads. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'TextBlock' && typeof record.text === 'string') parts.push(record.text);
    if (typeof record.title === 'string' && typeof record.value === 'string') parts.push(`${record.title}: ${record.value}`);
    if (typeof record.label === 'string') parts.push(record.label);
    Object.values(record).forEach(walk);
  };
  walk(card);
  return parts.join('\n');
}

/** The Action.Execute actions of a card with their verb and data, wherever they sit. */
export function cardActions(card: unknown): { title: string; verb: string; data: Record<string, unknown> }[] {
  const found: { title: string; verb: string; data: Record<string, unknown> }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute') {
      found.push({ title: String(record.title ?? ''), verb: String(record.verb), data: (record.data as Record<string, unknown>) ?? {} });
    }
    Object.values(record).forEach(walk);
  };
  walk(card);
  return found;
}
