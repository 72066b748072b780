/**
 * One logger for the whole server: categories, levels, and redaction of anything that
 * looks like a secret, a token or personal data before a line is written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const secretKeyPattern = /(pass(word)?|secret|token|authorization|cookie|apikey|api_key|credential|signature)/i;
const personalKeyPattern = /^(e-?mail|mail|mobile|phone|landline|fixe|firstName|lastName|name|address.*|text)$/i;
const inlineSecretPatterns: [RegExp, string][] = [
  [/Bearer\s+[A-Za-z0-9\-._~+/]+=*/g, 'Bearer [redacted]'],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[jwt redacted]'],
  [/mongodb(\+srv)?:\/\/[^@\s/]+@/g, 'mongodb$1://[credentials redacted]@'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[e-mail redacted]'],
];

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return inlineSecretPatterns.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value);
  }
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message), code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return depth > 4 ? '[…]' : value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 4) return '[…]';
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        if (secretKeyPattern.test(key)) return [key, '[redacted]'];
        if (personalKeyPattern.test(key)) return [key, '[personal data redacted]'];
        return [key, redact(inner, depth + 1)];
      }),
    );
  }
  return value;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(category: string): Logger;
}

export type LogSink = (line: string) => void;

/** json: one object per line, for deployed environments and files; pretty: one line a person reads in a terminal. */
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when set; otherwise pretty only for someone running Passerelle locally in a terminal. */
export function chooseLogFormat(configured: LogFormat | undefined, where: { local: boolean; terminal: boolean }): LogFormat {
  return configured ?? (where.local && where.terminal ? 'pretty' : 'json');
}

export interface LoggerOptions {
  level: LogLevel;
  category?: string;
  sink?: LogSink;
  format?: LogFormat;
  /** ANSI colours on the level (pretty format, terminals only). */
  color?: boolean;
}

const levelColors: Record<LogLevel, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };
const PRETTY_VALUE_MAX = 160;

function prettyValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  else if (value && typeof value === 'object' && 'message' in value && 'name' in value) {
    // A redacted Error: its message (and code) is what a person needs.
    const error = value as { name: unknown; message: unknown; code?: unknown };
    text = JSON.stringify(`${String(error.name)}: ${String(error.message)}${error.code !== undefined ? ` (${String(error.code)})` : ''}`);
  } else text = JSON.stringify(value) ?? String(value);
  return text.length > PRETTY_VALUE_MAX ? `${text.slice(0, PRETTY_VALUE_MAX - 1)}…` : text;
}

/** « 14:02:31 INFO  start.server  Passerelle listening  url=http://127.0.0.1:3978 » */
function prettyLine(entry: { time: Date; level: LogLevel; category: string; message: string; fields: Record<string, unknown> }, color: boolean): string {
  const time = entry.time.toTimeString().slice(0, 8);
  const level = entry.level.toUpperCase().padEnd(5);
  const fields = Object.entries(entry.fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${prettyValue(value)}`)
    .join(' ');
  const paint = (code: string, text: string) => (color ? `${code}${text}\x1b[0m` : text);
  const line = `${paint('\x1b[2m', time)} ${paint(levelColors[entry.level], level)} ${paint('\x1b[2m', entry.category.padEnd(20))} ${entry.message}`;
  return fields ? `${line}  ${paint('\x1b[2m', fields)}` : line;
}

export function createLogger(options: LoggerOptions): Logger {
  const sink: LogSink = options.sink ?? ((line) => process.stdout.write(`${line}\n`));
  const category = options.category ?? 'passerelle';
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levelRank[level] < levelRank[options.level]) return;
    // Redaction comes first, whatever the format: the same data leaves in both.
    const safeMessage = redact(message) as string;
    const safeFields = fields ? (redact(fields) as Record<string, unknown>) : {};
    const time = new Date();
    if (options.format === 'pretty') {
      sink(prettyLine({ time, level, category, message: safeMessage, fields: safeFields }, options.color ?? false));
      return;
    }
    sink(JSON.stringify({ time: time.toISOString(), level, category, message: safeMessage, ...safeFields }));
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (childCategory) => createLogger({ ...options, sink, category: `${category}.${childCategory}` }),
  };
}

/** The process's logger on stdout: LOG_FORMAT, else pretty when run locally in a terminal; colours only on a terminal. */
export function processLogger(options: { level: LogLevel; format?: LogFormat; local: boolean; category?: string }): Logger {
  const terminal = Boolean(process.stdout.isTTY);
  return createLogger({
    level: options.level,
    category: options.category,
    format: chooseLogFormat(options.format, { local: options.local, terminal }),
    color: terminal && !process.env.NO_COLOR,
  });
}

/** A logger that drops everything: for tests that are not about logging. */
export const silentLogger: Logger = createLogger({ level: 'error', sink: () => undefined });
