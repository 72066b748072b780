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

export function createLogger(options: { level: LogLevel; category?: string; sink?: LogSink }): Logger {
  const sink: LogSink = options.sink ?? ((line) => process.stdout.write(`${line}\n`));
  const category = options.category ?? 'passerelle';
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (levelRank[level] < levelRank[options.level]) return;
    const entry = { time: new Date().toISOString(), level, category, message: redact(message), ...(fields ? (redact(fields) as object) : {}) };
    sink(JSON.stringify(entry));
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (childCategory) => createLogger({ ...options, sink, category: `${category}.${childCategory}` }),
  };
}

/** A logger that drops everything: for tests that are not about logging. */
export const silentLogger: Logger = createLogger({ level: 'error', sink: () => undefined });
