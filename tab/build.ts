/**
 * Builds the dashboard tab to tab/dist with Vite. `--if-stale` (npm start, npm test) skips the build when
 * tab/dist is newer than every source file, so the common case costs nothing.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

const tabRoot = fileURLToPath(new URL('.', import.meta.url));
const builtIndex = join(tabRoot, 'dist/index.html');

/** The latest modification time of a file or of anything in a folder. */
export function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

export function tabIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', '../bot/api/portfolioPresenter.ts', '../bot/domain/importJobs.ts'].map((path) => join(tabRoot, path)).filter(existsSync);
  return Math.max(...sources.map(newestChange)) > statSync(builtIndex).mtimeMs;
}

/** Builds the tab (when stale only, if asked); returns where it is. */
export async function buildTab(options: { ifStale?: boolean } = {}): Promise<string> {
  const output = join(tabRoot, 'dist');
  if (options.ifStale && !tabIsStale()) {
    process.stdout.write('onglet : tab/dist est à jour\n');
  } else {
    await build({ configFile: join(tabRoot, 'vite.config.ts'), logLevel: 'warn' });
    process.stdout.write('onglet : construit dans tab/dist\n');
  }
  return output;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await buildTab({ ifStale: process.argv.includes('--if-stale') });
}
