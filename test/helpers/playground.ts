import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { freePort } from './ports.js';

/**
 * Drives the Microsoft 365 Agents Playground (@microsoft/m365agentsplayground, pinned to 0.2.28) from tests,
 * through the internal HTTP/WebSocket API its web client uses. Shapes below were read in its dist/index.js and
 * checked against a running instance; they are internal, so re-check them when the version changes.
 *
 * - Every activity the playground sends to the bot carries `locale: 'en-US'` (hard-coded), whatever the config.
 * - Only the bot's messages come back on the WebSocket (the user's own messages are not echoed).
 * - An invoke answers `{ type, value }`: the bot's invoke response body without its `statusCode`. The playground
 *   replaces the card of the `replyToId` message in its own store but sends no `updateMessage` for it.
 */

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const playgroundBin = join(repoRoot, 'node_modules', '.bin', 'agentsplayground');
const projectConfig = join(repoRoot, 'env', 'playground', '.m365agentsplayground.yml');
const sharedConfig = '/work/shared/playground/.m365agentsplayground.yml';
const startTimeoutMs = 60_000;
const stopGraceMs = 5_000;

export interface PlaygroundAccount {
  id: string;
  name: string;
  aadObjectId?: string;
  userPrincipleName?: string;
  givenName?: string;
  surname?: string;
  email?: string;
}

/** GET /_internal/v1/testConfig: the mock data the playground loaded, resolved (personal chat, chats, teams with channels and members). */
export interface PlaygroundTestConfig {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: PlaygroundAccount;
    users: PlaygroundAccount[];
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string; members: string[] }[];
    teams: { id: string; name: string; aadGroupId?: string; channels: { id: string; name: string; channelType: string }[]; members: string[] }[];
  };
  internalConfig: { locale: string; localTimezone: string; channelId: string };
}

/** A message as the playground shows it (what its web client renders). */
export interface PlaygroundMessage {
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments: { contentType: string; content: unknown }[];
  attachmentLayout?: string;
  mentions?: unknown[];
  [key: string]: unknown;
}

/** One event of the conversation stream; `seq` is its arrival order in this helper (0, 1, 2…). */
export interface PlaygroundEvent {
  seq: number;
  action: 'createMessage' | 'updateMessage' | 'typing' | string;
  actionConversationId?: string;
  message?: PlaygroundMessage;
}

export interface SayOptions {
  conversationId?: string;
  /** User id (from testConfig); defaults to the current user. */
  from?: string;
  mentions?: { mentioned: { id: string }; text: string }[];
}

export interface InvokeOptions {
  /** The messageId of the message carrying the card (the playground checks it exists in the conversation). */
  replyToId: string;
  conversationId?: string;
  from?: string;
}

/** What POST /_conversation/v1/invoke returns for adaptiveCard/action. */
export interface PlaygroundInvokeResponse {
  type?: string;
  value?: unknown;
}

/** The template types GET /_internal/v1/customActivities/template accepts (0.2.28). */
export type CustomActivityType =
  | 'install' | 'uninstall' | 'userAdded' | 'userRemoved' | 'botAdded' | 'botRemoved'
  | 'channelCreated' | 'channelRenamed' | 'channelDeleted' | 'teamRenamed' | 'teamDeleted' | 'sendEmail' | 'mentionInWord';

export interface Playground {
  url: string;
  port: number;
  logFile: string;
  configPath: string;
  /** GET /_internal/v1/testConfig (fetched once at start, then cached). */
  config(): Promise<PlaygroundTestConfig>;
  /** Position in the event stream now: pass it as `since` to wait only for what comes after. */
  cursor(): number;
  /** Sends a plain-text message as a user. `cursor` was taken just before sending, for `waitForMessage(…, { since })`. */
  say(text: string, options?: SayOptions): Promise<{ messageId: string; timestamp: number; cursor: number }>;
  /** Clicks an Action.Execute: POST /_conversation/v1/invoke, returns the bot's synchronous invoke response. */
  invoke(verb: string, data: Record<string, unknown>, options: InvokeOptions): Promise<PlaygroundInvokeResponse>;
  /** The activity the playground would send for this event type (GET /_internal/v1/customActivities/template). */
  activityTemplate(type: CustomActivityType | undefined, conversationId?: string): Promise<Record<string, unknown>>;
  /** POST /_internal/v1/customActivities: sends any activity to the bot (fire-and-forget on the playground side). */
  sendCustomActivity(activity: Record<string, unknown>): Promise<{ cursor: number }>;
  /**
   * The first stream event matching `predicate` that arrived after `since` (default: after this call),
   * waiting up to `timeoutMs`. Events that existed before are never matched, even if the playground replays them.
   */
  waitForMessage(
    predicate: (event: PlaygroundEvent & { message: PlaygroundMessage }) => boolean,
    timeoutMs?: number,
    options?: { since?: number },
  ): Promise<PlaygroundEvent & { message: PlaygroundMessage }>;
  /** Every event received so far (for diagnostics). */
  events(): readonly PlaygroundEvent[];
  /** The last lines of the playground's output and log file. */
  logTail(lines?: number): Promise<string>;
  /** Kills the playground's whole process group (SIGTERM, then SIGKILL after 5 s) and removes its temp files. */
  stop(): Promise<void>;
}


function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

function isMessageEvent(event: PlaygroundEvent): event is PlaygroundEvent & { message: PlaygroundMessage } {
  return (event.action === 'createMessage' || event.action === 'updateMessage') && Boolean(event.message);
}

export async function startPlayground(options: { botEndpoint: string; port?: number; configPath?: string }): Promise<Playground> {
  const workDir = await mkdtemp(join(tmpdir(), 'passerelle-playground-'));
  const logFile = join(workDir, 'm365agentsplayground.log');
  let configPath = options.configPath ?? projectConfig;
  if (!options.configPath && !existsSync(projectConfig)) {
    configPath = join(workDir, '.m365agentsplayground.yml');
    await copyFile(sharedConfig, configPath);
  }
  const requestedPort = options.port ?? (await freePort());
  const startDeadline = Date.now() + startTimeoutMs;

  // detached: the playground leads its own process group, so stop() can kill it with everything it started.
  const child = spawn(playgroundBin, ['-e', options.botEndpoint, '-c', 'msteams', '-p', String(requestedPort), '--disable-telemetry'], {
    cwd: workDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    },
  });
  // Safety net: never leave a playground behind if the test process exits without stop() (mocha --exit).
  const killOnExit = () => {
    killGroup(child, 'SIGKILL');
    if (!process.env.KEEP_PLAYGROUND_LOGS) rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  // A signal (Ctrl-C, CI timeout) ends the process without 'exit' handlers: kill the group, then let the
  // signal do what it would have done (re-raised only when nobody else handles it).
  const terminationSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => {
    forgetProcessHooks();
    killOnExit();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const forgetProcessHooks = () => {
    process.off('exit', killOnExit);
    terminationSignals.forEach((signal) => process.off(signal, onSignal));
  };
  terminationSignals.forEach((signal) => process.on(signal, onSignal));

  const output: string[] = [];
  const remember = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', remember);
  child.stderr!.on('data', remember);

  const logTail = async (lines = 40): Promise<string> => {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    const logLines = log.split('\n').filter(Boolean).map((line) => (line.length > 500 ? `${line.slice(0, 500)}…` : line));
    return [
      `--- playground output (last ${lines} lines) ---`,
      ...output.slice(-lines),
      `--- ${logFile} (last ${lines} lines) ---`,
      ...logLines.slice(-lines),
    ].join('\n');
  };

  let stopped = false;
  let socket: WebSocket | undefined;
  const received: PlaygroundEvent[] = [];
  const listeners = new Set<() => void>();
  let socketError: Error | undefined;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    socket?.removeAllListeners();
    socket?.on('error', () => undefined);
    socket?.terminate();
    if (!exited(child)) {
      killGroup(child, 'SIGTERM');
      if (!(await waitForExit(child, stopGraceMs))) {
        killGroup(child, 'SIGKILL');
        await waitForExit(child, stopGraceMs);
      }
    }
    // Anything the playground may have started in its group goes too.
    killGroup(child, 'SIGKILL');
    forgetProcessHooks();
    if (!process.env.KEEP_PLAYGROUND_LOGS) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  };

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => finish(new Error(`the playground did not start within ${startTimeoutMs / 1000} s`)), startTimeoutMs);
      const onData = (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        // When stdout is not a terminal the playground prints only this line; the port may differ from the
        // requested one (it falls back to a random port when that one is taken).
        const match = /Listening on (\d+)/.exec(seen);
        if (match) finish(undefined, Number(match[1]));
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish(new Error(`the playground exited before listening (code ${code}, signal ${signal})`));
      const onError = (error: Error) => finish(new Error(`the playground could not be spawned: ${error.message}`));
      const finish = (error?: Error, value?: number) => {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
        if (error) reject(error);
        else resolve(value!);
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
      child.once('error', onError);
    });
    const url = `http://127.0.0.1:${port}`;
    // The port answers (the debug router's ping) before anyone talks to it.
    for (;;) {
      const pong = await fetch(`${url}/_debug/ping`, { signal: AbortSignal.timeout(2_000) }).then((response) => response.text()).catch(() => '');
      if (pong === 'pong') break;
      if (exited(child)) throw new Error(`the playground exited right after listening (code ${child.exitCode}, signal ${child.signalCode})`);
      if (Date.now() > startDeadline) throw new Error(`the playground does not answer on ${url} within ${startTimeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    const tail = await logTail();
    await stop();
    throw new Error(`${(error as Error).message} (endpoint ${options.botEndpoint}, config ${configPath})\n${tail}`);
  }

  const url = `http://127.0.0.1:${port}`;

  // One WebSocket for the playground's whole life. The playground buffers bot output while no client is
  // connected and replays the buffer to the next client; with a single long-lived client nothing is replayed
  // except what was missed during a reconnection, which is genuinely new to us. waitForMessage only ever
  // looks at events that arrived after its cursor, so nothing stale can match.
  const connect = () =>
    new Promise<void>((resolve, reject) => {
      if (stopped) return resolve();
      const ws = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
      ws.once('open', () => {
        socket = ws;
        socketError = undefined;
        resolve();
      });
      ws.on('message', (data) => {
        let parsed: Omit<PlaygroundEvent, 'seq'>;
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          return;
        }
        received.push({ ...parsed, seq: received.length });
        listeners.forEach((listener) => listener());
      });
      ws.on('error', (error) => {
        socketError = error;
        reject(error);
      });
      ws.once('close', () => {
        if (socket === ws) socket = undefined;
        // Reconnect while the playground lives: what it buffered meanwhile is replayed to us, and is new to us.
        if (!stopped && !exited(child)) setTimeout(() => void connect().catch(() => undefined), 200);
      });
    });
  try {
    await connect();
  } catch (error) {
    const tail = await logTail();
    await stop();
    throw new Error(`cannot open the playground's conversation stream: ${(error as Error).message}\n${tail}`);
  }

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  let configCache: PlaygroundTestConfig | undefined;
  const config = async () => (configCache ??= await request<PlaygroundTestConfig>('GET', '/_internal/v1/testConfig'));
  const cursor = () => received.length;

  return {
    url,
    port,
    logFile,
    configPath,
    config,
    cursor,
    events: () => received,
    logTail,
    stop,

    async say(text, sayOptions = {}) {
      const { config: data } = await config();
      const conversationId = sayOptions.conversationId ?? data.personalChat.id;
      const mark = cursor();
      const body = { text, textFormat: 'plain', from: { id: sayOptions.from ?? data.currentUser.id }, ...(sayOptions.mentions ? { mentions: sayOptions.mentions } : {}) };
      const sent = await request<{ messageId: string; timestamp: number }>('POST', `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, body);
      return { ...sent, cursor: mark };
    },

    async invoke(verb, data, invokeOptions) {
      const { config: test } = await config();
      return request<PlaygroundInvokeResponse>('POST', '/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        conversation: { id: invokeOptions.conversationId ?? test.personalChat.id },
        from: { id: invokeOptions.from ?? test.currentUser.id },
        replyToId: invokeOptions.replyToId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      });
    },

    async activityTemplate(type, conversationId) {
      const { config: test } = await config();
      const query = new URLSearchParams({ conversationId: conversationId ?? test.personalChat.id, ...(type ? { type } : {}) });
      return request<Record<string, unknown>>('GET', `/_internal/v1/customActivities/template?${query}`);
    },

    async sendCustomActivity(activity) {
      const mark = cursor();
      await request<void>('POST', '/_internal/v1/customActivities', activity);
      return { cursor: mark };
    },

    async waitForMessage(predicate, timeoutMs = 15_000, waitOptions = {}) {
      const since = waitOptions.since ?? cursor();
      const find = () => received.slice(since).find((event) => isMessageEvent(event) && predicate(event)) as
        | (PlaygroundEvent & { message: PlaygroundMessage })
        | undefined;
      const already = find();
      if (already) return already;
      return new Promise((resolve, reject) => {
        const listener = () => {
          const found = find();
          if (!found) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(found);
        };
        const timer = setTimeout(async () => {
          listeners.delete(listener);
          const seen = received
            .slice(since)
            .map((event) => `  #${event.seq} ${event.action} ${event.message?.messageId ?? ''} text=${JSON.stringify(event.message?.text ?? '')} attachments=${event.message?.attachments?.length ?? 0}`);
          reject(
            new Error(
              [
                `no matching message from the playground within ${timeoutMs} ms`,
                `events since #${since}: ${seen.length ? `\n${seen.join('\n')}` : 'none'}`,
                socket ? '' : `(conversation stream disconnected${socketError ? `: ${socketError.message}` : ''})`,
                await logTail(20),
              ].filter(Boolean).join('\n'),
            ),
          );
        }, timeoutMs);
        listeners.add(listener);
      });
    },
  };
}
