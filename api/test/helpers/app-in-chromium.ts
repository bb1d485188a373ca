import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { ensureAppBuilt } from './app-build.js';
import { CHROMIUM, CHROMIUM_ARGS, pageErrors } from './panel-page.js';
import { buildTestApp, type TestApp } from './test-app.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** What a /app browser test works with, ready once its file's `beforeAll` has run. */
export interface AppInChromium {
  readonly t: TestApp;
  /** The app's address (`${origin}/app/#token=…` opens the panels signed in). */
  readonly origin: string;
  readonly browser: Browser;
  /** Where the file's screenshots go (test-artifacts/<name>). */
  readonly artifacts: string;
  /** Opens /app signed in with `token`, `width` px wide, in a fresh browser context; `errors` collects the page's errors. */
  open(token: string, width: number): Promise<{ page: Page; errors: string[] }>;
}

/**
 * The setup every /app browser test shares: the built pages, the real app listening on a free port (template mode
 * unless `env` says otherwise) and a headless Chromium, started before the file's tests and stopped after them.
 */
export function useAppInChromium(options: { artifacts: string; env?: Record<string, string> }): AppInChromium {
  const artifacts = path.join(ROOT, 'test-artifacts', options.artifacts);
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  let origin = '';
  let userDataDir = '';
  beforeAll(async () => {
    await ensureAppBuilt();
    mkdirSync(artifacts, { recursive: true });
    t = await buildTestApp({ AI_PROVIDER: 'offline', ...options.env });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    userDataDir = mkdtempSync(path.join(tmpdir(), 'aa-chromium-'));
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use it inside a test or a hook, after beforeAll`);
    return value;
  };
  return {
    get t() {
      return ready(t, 'The test app');
    },
    get browser() {
      return ready(browser, 'Chromium');
    },
    get origin() {
      return origin;
    },
    artifacts,
    async open(token, width) {
      const page = await (await ready(browser, 'Chromium').createBrowserContext()).newPage();
      await page.setViewport({ width, height: 900 });
      const errors = pageErrors(page);
      await page.goto(`${origin}/app/#token=${token}`);
      return { page, errors };
    },
  };
}
