import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting Passerelle reads, documented in one place. Values come from
 * `env/.env.<PASSERELLE_ENV>` (committed, no secrets), then `env/.env.<PASSERELLE_ENV>.user`
 * (git-ignored, secrets), then the process environment, which wins.
 * An invalid or missing value stops start-up with the complete list of problems.
 */
const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const configSchema = z
  .object({
    PASSERELLE_ENV: z.string().regex(/^[a-z]+$/, 'lettres minuscules uniquement').default('local')
      .describe('Which env/.env.<name> file to load. Anything but "local" and "test" is a deployed environment: bot credentials and MONGODB_URI are required.'),
    HOST: z.string().min(1).default('127.0.0.1').describe('Interface the server listens on.'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978).describe('Port of the bot, the tab and its API.'),
    PUBLIC_URL: z.string().url().optional().describe('Public HTTPS base URL of the server (tab content URL); defaults to http://HOST:PORT.'),
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'doit commencer par mongodb:// ou mongodb+srv://').optional()
      .describe('MongoDB connection string. Unset in local mode: npm start runs a local server.'),
    MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'nom de base invalide').default('passerelle').describe('Database name.'),
    BOT_ID: z.string().uuid('doit être un identifiant d’application Entra (GUID)').optional()
      .describe('Entra app id of the bot (MicrosoftAppId). Unset only in local mode: requests are then not authenticated.'),
    BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant').describe('Bot Framework app type.'),
    BOT_TENANT_ID: z.string().uuid().optional().describe('Tenant of the bot registration (SingleTenant / UserAssignedMSI).'),
    SECRET_BOT_PASSWORD: z.string().min(1).optional().describe('Client secret of the bot app (secret).'),
    DEFAULT_LOCALE: z.enum(['fr-FR', 'en-US']).default('fr-FR').describe('Language used when the user has chosen none.'),
    TRUST_CLIENT_LOCALE: booleanFromString.default('true')
      .describe('Use the locale sent by the Teams client. The Agents Playground always sends en-US, so local mode turns this off.'),
    LOCAL_DB_SNAPSHOT: z.string().min(1).default('.data/local-mongodb.json')
      .describe('Local mode: file where the local MongoDB stand-in is saved (Extended JSON) and reloaded from.'),
    LOCAL_DB_SNAPSHOT_SECONDS: z.coerce.number().int().min(1).max(3600).default(15)
      .describe('Local mode: seconds between snapshots of the local database.'),
    PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150).describe('Port of the Microsoft 365 Agents Playground (npm start).'),
    PLAYGROUND_ENABLED: booleanFromString.default('true').describe('npm start also starts the Agents Playground.'),
    GRAPH_BASE_URL: z.string().url().optional()
      .describe('Microsoft Graph base URL (without /v1.0). Unset in local mode: npm start runs the local tenant and points here; deployed default https://graph.microsoft.com.'),
    AAD_APP_TENANT_ID: z.string().uuid().optional().describe('Tenant of the Entra app used for Microsoft Graph (application permissions).'),
    AAD_APP_CLIENT_ID: z.string().uuid().optional().describe('Client id of the Entra app used for Microsoft Graph and tab SSO.'),
    SECRET_AAD_APP_CLIENT_SECRET: z.string().min(1).optional().describe('Client secret of that Entra app (secret).'),
    GRAPH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(20).describe('Timeout of one Microsoft Graph request.'),
    GRAPH_INVITATIONS_PER_5S: z.coerce.number().int().min(1).max(150).default(150)
      .describe('Pace of invitations (documented tenant limit: 150 per 5 s, shared by every app of the tenant).'),
    INVITE_REDIRECT_URL: z.string().url().default('https://teams.microsoft.com')
      .describe('Where an invited guest lands after accepting the invitation.'),
    OFFER_MAILBOX: z.string().email('doit être l’adresse d’une boîte du cabinet').optional()
      .describe('Firm mailbox that sends offer e-mails (e.g. Shine) through Graph sendMail (permission Mail.Send). Unset: e-mails are shown ready to copy.'),
    GUEST_WATCH_SECONDS: z.coerce.number().int().min(1).max(3600).default(30)
      .describe('How often the acceptance watcher looks for guests due for a check (each guest has its own back-off).'),
    LOCAL_TENANT_PORT: z.coerce.number().int().min(0).max(65535).default(56200)
      .describe('Local mode: port of the local tenant, the stand-in for Microsoft Graph started by npm start.'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('Minimum level written to the log.'),
    LOG_FORMAT: z.enum(['pretty', 'json']).optional()
      .describe('pretty: one readable line per event (time, level, category, message, fields); json: one JSON object per line. Unset: pretty when run locally in a terminal, json otherwise (deployed, files, pipes).'),
    PASSERELLE_DEMO: booleanFromString.default('true')
      .describe('Local mode (npm start): on a database with no data at all, create the demo firm « Cabinet Démo » (files, contacts in every onboarding state, offers). 0/false starts empty, as does `npm start -- --empty`.'),
    TAB_JWKS_URL: z.string().url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys')
      .describe('Signing keys of the Entra ID tokens sent by the tab: Entra\'s keys common to every tenant ({tenant}, if present, is read as common); the issuer is checked against the token\'s tenant. Changed only by tests.'),
    TAB_LOCAL_USER: z.string().regex(/^[0-9a-fA-F-]{36}\|[^|]+\|[^|]+(\|[^|@\s]+@[^|\s]+)?$/, 'format attendu : <tenantId>|<aadObjectId>|<nom affiché>[|<e-mail>]').optional()
      .describe('Local or test mode only: the tab API accepts requests without a token as this staff user ("<tenantId>|<aadObjectId>|<name>|<e-mail>"; the e-mail attaches them like a Teams user).'),
  })
  .superRefine((config, ctx) => {
    if (isDeployed(config.PASSERELLE_ENV)) {
      for (const key of ['MONGODB_URI', 'BOT_ID', 'AAD_APP_TENANT_ID', 'AAD_APP_CLIENT_ID', 'SECRET_AAD_APP_CLIENT_SECRET'] as const) {
        if (!config[key]) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: `obligatoire hors mode local (PASSERELLE_ENV=${config.PASSERELLE_ENV})` });
      }
    }
    if (config.TAB_LOCAL_USER && isDeployed(config.PASSERELLE_ENV)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['TAB_LOCAL_USER'], message: `interdit hors mode local : l'API de l'onglet exige un jeton Entra ID (PASSERELLE_ENV=${config.PASSERELLE_ENV})` });
    }
    if (config.BOT_ID && config.BOT_TYPE !== 'UserAssignedMSI' && !config.SECRET_BOT_PASSWORD) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['SECRET_BOT_PASSWORD'], message: 'obligatoire quand BOT_ID est défini' });
    }
    if (config.BOT_ID && config.BOT_TYPE !== 'MultiTenant' && !config.BOT_TENANT_ID) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['BOT_TENANT_ID'], message: `obligatoire quand BOT_TYPE vaut ${config.BOT_TYPE}` });
    }
  });

export function isDeployed(envName: string): boolean {
  return envName !== 'local' && envName !== 'test';
}

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the KEY=VALUE lines of an env file: comments, blank lines, optional quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    values[match[1]!] = value;
  }
  return values;
}

function readEnvFiles(envName: string, envDir: string): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const file of [`.env.${envName}`, `.env.${envName}.user`]) {
    const path = resolve(envDir, file);
    if (existsSync(path)) Object.assign(merged, parseEnvFile(readFileSync(path, 'utf8')));
  }
  return merged;
}

/** Builds the configuration; throws ConfigError listing every problem. Empty strings count as unset. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, envDir = resolve(process.cwd(), 'env')): Config {
  const envName = environment.PASSERELLE_ENV || 'local';
  const fromFiles = /^[a-z]+$/.test(envName) ? readEnvFiles(envName, envDir) : {};
  const raw: Record<string, string | undefined> = { ...fromFiles };
  for (const [key, value] of Object.entries(environment)) {
    if (value !== undefined) raw[key] = value;
  }
  const known = Object.keys(configSchema.innerType().shape);
  const input = Object.fromEntries(known.map((key) => [key, raw[key] === '' ? undefined : raw[key]]));
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'} : ${issue.message}`));
  }
  return parsed.data;
}

/** The variables, their description and whether they are secret: used by the README table and the banner. */
export function describeConfig(): { name: string; description: string; secret: boolean }[] {
  return Object.entries(configSchema.innerType().shape).map(([name, schema]) => ({
    name,
    description: (schema as z.ZodTypeAny).description ?? '',
    secret: name.startsWith('SECRET_'),
  }));
}

export function publicBaseUrl(config: Config): string {
  return config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
}
