import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The dashboard tab, built to tab/dist, which the server serves under /tab/ (bot/api/tab.ts). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tab/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2_000 },
  // `npx vite tab` for live editing; the API stays on the Passerelle server started by npm start.
  server: { proxy: { '/api': 'http://127.0.0.1:3978' } },
});
