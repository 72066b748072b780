import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { Server } from 'restify';
import { requestLanguage } from './http/language.js';
import { problem } from './http/problems.js';
import { sendAnswer } from './http/route.js';

const repositoryRoot = resolve(new URL('../..', import.meta.url).pathname);
const tabRoot = resolve(repositoryRoot, existsSync(resolve(repositoryRoot, 'tab/dist/index.html')) ? 'tab/dist' : 'tab/public');
const teamsJs = resolve(repositoryRoot, 'node_modules/@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** The tab's static files under /tab/, and teams-js served from the installed package. */
export function registerTabRoutes(server: Server): void {
  server.get('/tab/vendor/MicrosoftTeams.min.js', async (_req, res) => {
    res.setHeader('Content-Type', contentTypes['.js']!);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendRaw(200, readFileSync(teamsJs));
  });
  server.get('/tab/*', async (req, res) => {
    const requested = decodeURIComponent((req.path() ?? '').replace(/^\/tab\/?/, '')) || 'index.html';
    const file = resolve(tabRoot, requested);
    // Refuse anything that resolves outside the tab folder (../ tricks).
    if (!file.startsWith(tabRoot + sep) || !existsSync(file)) {
      sendAnswer(res, problem(requestLanguage(req.header('accept-language') || undefined), 'notFound'));
      return;
    }
    res.setHeader('Content-Type', contentTypes[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-cache');
    res.sendRaw(200, readFileSync(file));
  });
  server.get('/', async (_req, res) => {
    res.header('Location', '/tab/index.html');
    res.send(302);
  });
}
