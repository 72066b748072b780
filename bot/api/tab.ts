import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'restify';
import { requestLanguage } from './http/language.js';
import { problem } from './http/problems.js';
import { sendAnswer } from './http/route.js';

/**
 * The folder holding bot/ and tab/: the repository when run from sources, the application folder when run
 * from the build (dist/app) or the deployed bundle, which keep the same layout.
 */
const applicationRoot = fileURLToPath(new URL('../..', import.meta.url));
const builtTab = resolve(applicationRoot, 'tab/dist');
const tabRoot = existsSync(resolve(builtTab, 'index.html')) ? builtTab : resolve(applicationRoot, 'tab/public');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** The file a /tab/ path names, or null for a malformed escape such as `%E0%A4`. */
function requestedFile(path: string): string | null {
  try {
    return decodeURIComponent(path.replace(/^\/tab\/?/, '')) || 'index.html';
  } catch {
    return null;
  }
}

/** The tab's static files under /tab/ (built by Vite, teams-js for the configuration page included). */
export function registerTabRoutes(server: Server): void {
  server.get('/tab/*', async (req, res) => {
    const requested = requestedFile(req.path() ?? '');
    const file = requested === null ? null : resolve(tabRoot, requested);
    // Refuse anything outside the tab folder (../ tricks) and folders themselves.
    if (requested === null || file === null || !file.startsWith(tabRoot + sep) || !isFile(file)) {
      sendAnswer(res, problem(requestLanguage(req.header('accept-language') || undefined), 'notFound'));
      return;
    }
    res.setHeader('Content-Type', contentTypes[extname(file)] ?? 'application/octet-stream');
    // Vite names assets by their content, so they never change; the pages must be read again.
    res.setHeader('Cache-Control', requested.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.sendRaw(200, readFileSync(file));
  });
  server.get('/', async (_req, res) => {
    res.header('Location', '/tab/index.html');
    res.send(302);
  });
}
