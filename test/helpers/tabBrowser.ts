import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const repoRoot = resolve(new URL('../..', import.meta.url).pathname);
/** Where browser tests leave their screenshots, for a person to look at. */
export const artifacts = join(repoRoot, 'test-artifacts');

/**
 * Why a browser test cannot run here (no chromium, the tab not built), said when it is skipped;
 * undefined when it can.
 */
export function tabBrowserMissing(): string | undefined {
  if (!existsSync(chromiumPath)) return `chromium absent (${chromiumPath}): apt-get install -y chromium — browser test skipped`;
  if (!existsSync(join(repoRoot, 'tab/dist/index.html'))) return 'tab/dist absent: run `npm run build:tab` (npm test does it first) — browser test skipped';
  return undefined;
}

export interface TabBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A headless chromium in French, 1280×900, with its own throw-away profile. */
export async function openTabBrowser(options: { acceptDownloads?: boolean } = {}): Promise<TabBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'passerelle-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    locale: 'fr-FR',
    acceptDownloads: options.acceptDownloads ?? false,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(artifacts, { recursive: true });
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
