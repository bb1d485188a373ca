import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The admin dashboard: admin/ built into dist/admin, served by the API at /admin (base path) under a strict CSP —
 * no inline script, so only the emitted module files run. `vite --config vite.admin.config.ts` serves it for
 * development with /v1 proxied to a local API.
 */
export default defineConfig({
  root: here('./admin'),
  base: '/admin/',
  publicDir: false,
  plugins: [react()],
  build: {
    outDir: here('./dist/admin'),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be one more script; every browser the dashboard targets supports modulepreload.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8787', '/health': 'http://127.0.0.1:8787' },
  },
});
