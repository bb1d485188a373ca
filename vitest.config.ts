import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', include: ['shared/**/*.test.{ts,tsx}', 'admin/**/*.test.{ts,tsx}'], environment: 'node' } },
      { test: { name: 'addon', include: ['addon/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 120_000 } },
      {
        // WxtVitest: the in-memory `browser` (fakeBrowser) behind wxt/browser and WXT storage, plus wxt.config.ts's setup.
        plugins: [WxtVitest()],
        test: { name: 'extension', include: ['extension/**/*.test.{ts,tsx}'], environment: 'node', testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        test: {
          name: 'api',
          include: ['api/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
