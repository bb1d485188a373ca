import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from './helpers/app-build.js';
import { SUMMARY } from './helpers/journey.js';
import { CHROMIUM, CHROMIUM_ARGS, panelPage } from './helpers/panel-page.js';
import { freePort } from './helpers/redis-server.js';
import { killAllStarted, killHard, startServer, type ServerProcess } from './helpers/server-process.js';
import { openAiTestEnv, startOpenAiTestServer, type OpenAiTestServer } from './support/openai-test-server.js';

// A draft running when the server is SIGKILLed, seen in /app as the author sees it: the panel notices the lost
// connection, and after the restart the job ends with its stored "interrupted" message and a Try again that works.
// The real server runs as a child process on a fixed port (the page is served from it), against the OpenAI
// wire-format test server, which holds the model's answer until the server has been killed.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'app-restart');
const ADMIN_TOKEN = 'aa_restart-admin-token-0123456789abcdef';

let model: OpenAiTestServer;
let browser: Browser;
let userDataDir: string;
const root = mkdtempSync(path.join(tmpdir(), 'aa-restart-'));
const dataDir = path.join(root, 'data');

beforeAll(async () => {
  await ensureAppBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(dataDir);
  model = await startOpenAiTestServer();
  userDataDir = mkdtempSync(path.join(tmpdir(), 'aa-chromium-'));
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir, args: CHROMIUM_ARGS });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await killAllStarted();
  await model?.close();
  rmSync(root, { recursive: true, force: true });
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function call<T>(server: ServerProcess, token: string, method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(server.url + url, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function finished(server: ServerProcess, token: string, jobId: string) {
  for (let i = 0; i < 300; i++) {
    const job = await call<{ status: string }>(server, token, 'GET', `/v1/jobs/${jobId}`);
    if (!['queued', 'running'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not end`);
}

describe('a job interrupted by a server crash, in /app', () => {
  it('shows the interrupted message after the restart, and its Try again succeeds', { timeout: 120_000 }, async () => {
    const port = await freePort();
    // Short leases, so the restarted server fails the dead one's job within a second or two.
    const env = {
      ...openAiTestEnv(model), PORT: String(port), ADMIN_TOKEN, LOG_LEVEL: 'warn', JOB_LEASE_MS: '1500', JOB_HEARTBEAT_MS: '300',
      RATE_LIMIT_DEFAULT_PER_MIN: '100000', RATE_LIMIT_AI_PER_MIN: '100000',
    };
    const server = await startServer(dataDir, env);
    const user = await call<{ id: string }>(server, ADMIN_TOKEN, 'POST', '/v1/admin/users', { email: 'crash@example.com' });
    const { token } = await call<{ token: string }>(server, ADMIN_TOKEN, 'POST', `/v1/admin/users/${user.id}/tokens`, {});
    const book = await call<{ id: string }>(server, token, 'POST', '/v1/books', { title: 'The Calm One-to-One' });
    await call(server, token, 'PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY });
    const chapter = await call<{ id: string }>(server, token, 'POST', `/v1/books/${book.id}/chapters`, { title: 'Listening first' });
    const base = `/v1/books/${book.id}/chapters/${chapter.id}`;
    await finished(server, token, (await call<{ job: { id: string } }>(server, token, 'POST', `${base}/questions/generate`, { count: 5 })).job.id);
    const questions = await call<{ items: Array<{ id: string }> }>(server, token, 'GET', `${base}/questions?limit=20`);
    await call(server, token, 'POST', `${base}/answers/batch`, {
      answers: questions.items.slice(0, 3).map((q, i) => ({ questionId: q.id, status: 'final', text: `Maria asked her nurse what had surprised her that week, then listened (${i}).` })),
    });

    const page = await browser.newPage();
    await page.setViewport({ width: 360, height: 800 });
    const ui = panelPage(page, { artifacts: ARTIFACTS });
    await page.goto(`${server.url}/app/#token=${token}`);
    await page.locator('.aa-item-button').click();
    await page.waitForSelector('textarea[name="summary"]:not([disabled])');
    await ui.openNav('Draft');

    // The model holds its answer: the draft is in flight when the server dies.
    model.pause();
    const draftCalls = model.calls('chapter_draft_section');
    await ui.click('Write a draft');
    await model.waitForCalls(model.requests.length + 1, 20_000);
    expect(model.calls('chapter_draft_section')).toBe(draftCalls + 1);
    await ui.seeText('Working');
    await killHard(server);
    await ui.seeText('Connection lost — reconnecting…', 40_000);
    await ui.shot('reconnecting');

    const restarted = await startServer(dataDir, env);
    expect(restarted.url).toBe(server.url);
    model.resume();
    await ui.seeText('The server running it stopped before it finished; nothing was changed. Start it again.', 40_000);
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('quote the reference');
    await ui.shot('interrupted');

    await ui.click('Try again');
    await page.waitForSelector('.aa-draft', { timeout: 40_000 });
    expect(model.calls('chapter_draft_section')).toBeGreaterThan(draftCalls + 1);
    await ui.shot('retried');
    await page.close();
  });
});
