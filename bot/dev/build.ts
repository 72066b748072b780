/**
 * Builds what a deployment runs, in dist/app, laid out like the repository so the server finds its files the
 * same way from sources and from the build:
 *   bot/…                 the server compiled to JavaScript by tsc from bot/index.ts (with source maps),
 *                         and the files it reads at run time (card templates)
 *   tab/dist/…            the dashboard tab built by Vite
 *   package.json          `npm start` runs `node bot/index.js`; production dependencies only
 *   package-lock.json     the repository's lock, pruned to those dependencies
 *
 * `npm run build`             builds dist/app.
 * `npm run build -- --if-stale` (npm run serve) skips when dist/app is newer than every source.
 * `npm run bundle`            builds, installs the production dependencies into dist/app/node_modules for the
 *                             App Service (Linux x64; no install scripts, no bin links, so no binary of the
 *                             machine that built it) and zips the folder to dist/passerelle-app.zip: what
 *                             teamsapp.yml's deploy uploads.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildTab, newestChange } from '../../tab/build.js';
import { writeZip } from './zip.js';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const appFolder = join(repositoryRoot, 'dist', 'app');
export const bundleZip = join(repositoryRoot, 'dist', 'passerelle-app.zip');

/** What the deployed server reads besides its JavaScript, relative to bot/. */
const runtimeFiles = ['cards/templates'];

/** Sources whose change makes dist/app stale. */
const buildInputs = ['bot', 'tab/src', 'tab/public', 'tab/index.html', 'tab/vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** A problem the person building must fix, in French as the rest of the tooling speaks. */
export class BuildError extends Error {}

interface PackageManifest {
  name: string;
  version: string;
  description?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface LockPackage {
  dev?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockPackage>;
  [field: string]: unknown;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Whether `output` is absent or older than one of the build's sources. */
function isOlderThanSources(output: string): boolean {
  if (!existsSync(output)) return true;
  const newestSource = Math.max(...buildInputs.map((path) => join(repositoryRoot, path)).filter(existsSync).map(newestChange));
  return newestSource > statSync(output).mtimeMs;
}

export function appIsStale(): boolean {
  return isOlderThanSources(join(appFolder, 'bot', 'index.js'));
}

/** The zip is older than one of its sources (or absent): `npm run bundle` would make a different one. */
export function bundleIsStale(): boolean {
  return isOlderThanSources(bundleZip);
}

function compileServer(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(repositoryRoot, 'bot', 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new BuildError('La compilation du serveur (tsc) a échoué : voir les erreurs ci-dessus.');
}

function copyRuntimeFiles(): void {
  for (const path of runtimeFiles) {
    cpSync(join(repositoryRoot, 'bot', path), join(appFolder, 'bot', path), { recursive: true });
  }
}

/** The application's package.json: plain `node` at start, production dependencies only. */
export function applicationManifest(repository: PackageManifest): PackageManifest & Record<string, unknown> {
  return {
    name: repository.name,
    version: repository.version,
    private: true,
    description: repository.description,
    type: 'module',
    engines: repository.engines,
    // restify reads http_parser through process.binding, which Node reports as deprecated at every start.
    scripts: { start: 'node --enable-source-maps --disable-warning=DEP0111 bot/index.js' },
    dependencies: repository.dependencies ?? {},
  };
}

/**
 * The repository's lock without the development packages, so `npm ci` in the application folder installs
 * exactly the versions the repository was tested with, and nothing else.
 */
export function productionLock(lock: Lockfile, manifest: PackageManifest): Lockfile {
  const packages: Record<string, LockPackage> = {};
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (entry.dev || entry.devOptional) continue;
    packages[path] = path === '' ? { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies, engines: manifest.engines } : entry;
  }
  return { ...lock, packages };
}

function writeApplicationManifests(): void {
  const repository = readJson<PackageManifest>(join(repositoryRoot, 'package.json'));
  const manifest = applicationManifest(repository);
  writeFileSync(join(appFolder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const lock = readJson<Lockfile>(join(repositoryRoot, 'package-lock.json'));
  writeFileSync(join(appFolder, 'package-lock.json'), `${JSON.stringify(productionLock(lock, manifest), null, 2)}\n`);
}

export async function buildApplication(): Promise<void> {
  const tab = await buildTab({ ifStale: true });
  rmSync(appFolder, { recursive: true, force: true });
  mkdirSync(appFolder, { recursive: true });
  compileServer();
  copyRuntimeFiles();
  cpSync(tab, join(appFolder, 'tab', 'dist'), { recursive: true });
  writeApplicationManifests();
  process.stdout.write(`serveur : construit dans ${relative(process.cwd(), appFolder) || '.'}\n`);
}

function npmCommand(): { command: string; prefix: string[] } {
  // Run npm's own script with this node, so the same line works on Windows (no npm.cmd shell shim needed).
  const npmCli = process.env.npm_execpath;
  if (npmCli && /npm-cli\.js$/.test(npmCli)) return { command: process.execPath, prefix: [npmCli] };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [] };
}

/** Production dependencies for the App Service, whatever machine builds: Linux x64, nothing compiled here. */
function installProductionDependencies(): void {
  const { command, prefix } = npmCommand();
  const args = [...prefix, 'ci', '--omit=dev', '--ignore-scripts', '--no-bin-links', '--os=linux', '--cpu=x64', '--no-audit', '--no-fund', '--loglevel=error'];
  const result = spawnSync(command, args, { cwd: appFolder, stdio: 'inherit', shell: command.endsWith('.cmd') });
  if (result.status !== 0) throw new BuildError('L’installation des dépendances de production (npm ci --omit=dev) a échoué : voir ci-dessus.');
}

/** Every file of the folder, sorted, with forward-slash names; links are left out (none is needed at run time). */
function filesOf(folder: string, base = folder): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return filesOf(path, base);
      return entry.isFile() ? [relative(base, path).split(sep).join('/')] : [];
    });
}

export async function bundleApplication(): Promise<{ zip: string; files: number; bytes: number }> {
  await buildApplication();
  installProductionDependencies();
  // npm's own bookkeeping differs between machines and is not needed to run.
  rmSync(join(appFolder, 'node_modules', '.package-lock.json'), { force: true });
  const files = filesOf(appFolder);
  mkdirSync(dirname(bundleZip), { recursive: true });
  await writeZip(bundleZip, (function* () {
    for (const file of files) yield [file, readFileSync(join(appFolder, file))] as [string, Buffer];
  })());
  const bytes = statSync(bundleZip).size;
  process.stdout.write(`paquet de déploiement : ${relative(process.cwd(), bundleZip)} (${files.length} fichiers, ${(bytes / 1e6).toFixed(1)} Mo)\n`);
  return { zip: bundleZip, files: files.length, bytes };
}

async function main(): Promise<void> {
  if (process.argv.includes('--bundle')) {
    await bundleApplication();
  } else if (process.argv.includes('--if-stale') && !appIsStale()) {
    process.stdout.write('serveur : dist/app est à jour\n');
  } else {
    await buildApplication();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof BuildError ? error.message : `Échec de la construction : ${error instanceof Error ? error.stack : String(error)}`}\n`);
    process.exitCode = 1;
  });
}
