import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../logger.js';

/**
 * Some libraries write to the console themselves: botframework-connector prints a refused token's error,
 * its stack and the channel's public keys to stderr. Work run through `withLibraryOutputLogged` sends
 * whatever it prints to our logger instead (one line, shortened, redacted, at debug); the rest of the
 * process keeps its console.
 */
const scope = new AsyncLocalStorage<Logger>();
let installed = false;

type ConsoleMethod = 'error' | 'warn' | 'log' | 'info' | 'debug';

function describe(args: unknown[]): string {
  const text = args
    .map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg === 'string' ? arg : typeof arg))
    .join(' ');
  // A printed key or certificate says nothing useful in a log line.
  const withoutKeys = text.replace(/-----BEGIN[\s\S]*?(-----END[^-]*-----|$)/g, '[key]');
  return withoutKeys.length > 300 ? `${withoutKeys.slice(0, 300)}…` : withoutKeys;
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const method of ['error', 'warn', 'log', 'info', 'debug'] as ConsoleMethod[]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const logger = scope.getStore();
      if (!logger) return original(...args);
      logger.debug('library output', { text: describe(args) });
    };
  }
}

export function withLibraryOutputLogged<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  install();
  return scope.run(logger, work);
}
