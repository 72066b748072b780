import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The configuration page (public/config.html) loads teams-js as a plain script: the build ships that file
 * beside the tab, so the server serves static files only and needs no front-end package at run time.
 */
function teamsJsForConfigPage(): Plugin {
  return {
    name: 'passerelle-teams-js-umd',
    generateBundle() {
      const umd = createRequire(import.meta.url).resolve('@microsoft/teams-js');
      this.emitFile({ type: 'asset', fileName: 'vendor/MicrosoftTeams.min.js', source: readFileSync(umd) });
    },
  };
}

/** The dashboard tab, built to tab/dist, which the server serves under /tab/ (bot/api/tab.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tab/',
  plugins: [react(), teamsJsForConfigPage()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2_000 },
  // `npx vite tab` for live editing; the API stays on the Passerelle server started by npm start.
  server: { proxy: { '/api': 'http://127.0.0.1:3978' } },
});
