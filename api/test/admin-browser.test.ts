import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY } from './helpers/journey.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helpers/test-app.js';

/**
 * The admin dashboard in real Chromium against the real API over HTTP: an admin signs in (keyboard only), creates a
 * user, sets their quota, issues them a token and the link that connects their app in one click; AI calls made with that token show in Usage (and its CSV) and on the
 * Overview; revoking the token makes its next call 401; an author's token gets a plain "needs an administrator".
 * Screenshots at 1280 and 390 px go to test-artifacts/admin/.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'admin');

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/**
 * Builds dist/<page> when it is missing or older than its sources (the API only serves what exists at start): the
 * dashboard, and the author's app that the dashboard's links open.
 */
function buildPageIfStale(page: 'admin' | 'app', sourceDir: string): void {
  const index = path.join(ROOT, 'dist', page, 'index.html');
  const config = `vite.${page}.config.ts`;
  const sources = [path.join(ROOT, sourceDir), path.join(ROOT, 'shared'), path.join(ROOT, config)];
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > Math.max(...sources.map(newestMtime))) return;
  // NODE_ENV: vitest sets it to 'test', which would give a development build of React.
  execFileSync('npx', ['vite', 'build', '--config', config, '--logLevel', 'warn'], {
    cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' },
  });
}

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run',
  '--disable-sync', '--disable-quic',
];

let t: TestApp;
let base: string;
let browser: Browser;
let page: Page;
let userDataDir: string;
let downloads: string;
const problems: string[] = [];

const writer = { email: `writer-${Date.now()}@example.com`, id: '', token: '' };

/** An API call from the test itself (Node's fetch), as a client of the real server would make it. */
async function call(token: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${base}${url}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function runJobOverHttp(token: string, url: string) {
  const started = await call(token, 'POST', url, {});
  expect(started.status, JSON.stringify(started.json)).toBe(202);
  const jobId = (started.json.job as { id: string }).id;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    const job = await call(token, 'GET', `/v1/jobs/${jobId}`);
    if (job.json.status === 'succeeded') return;
    if (job.json.status === 'failed') throw new Error(`job failed: ${JSON.stringify(job.json.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

const aria = (name: string, role: string) => `::-p-aria([name="${name}"][role="${role}"])`;
const click = (name: string, role = 'button') => page.locator(aria(name, role)).click();
const textOf = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '');
async function fill(selector: string, value: string) {
  await page.locator(selector).fill(value);
}
async function waitForText(text: string, timeout = 10_000) {
  await page.waitForFunction((expected) => document.body.innerText.includes(expected), { timeout }, text);
}
async function shot(name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) as `${string}.png`, fullPage: true });
}
async function goTo(view: string) {
  await click(view, 'link');
  await page.waitForFunction((title) => document.querySelector('main h1')?.textContent === title, {}, view);
}

beforeAll(async () => {
  buildPageIfStale('admin', 'admin');
  buildPageIfStale('app', 'web');
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
  userDataDir = mkdtempSync(path.join(tmpdir(), 'aa-admin-chromium-'));
  downloads = mkdtempSync(path.join(tmpdir(), 'aa-admin-downloads-'));
  browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, userDataDir });
  await browser.defaultBrowserContext().overridePermissions(base, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  for (const dir of [userDataDir, downloads]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('admin dashboard in Chromium', () => {
  it('serves the page under its strict CSP', async () => {
    const response = await page.goto(`${base}/admin/`, { waitUntil: 'networkidle0' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  });

  it('signs the admin in with the keyboard alone, and navigates by keyboard', async () => {
    await page.waitForSelector('#admin-token');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('admin-token');
    await page.keyboard.type(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.waitForSelector('nav a[aria-current="page"]');
    expect(await textOf('nav a[aria-current="page"]')).toBe('Overview');
    expect(await page.evaluate(() => sessionStorage.getItem('auto-author.admin.token'))).toBe(ADMIN_TOKEN);

    // The view's heading has focus (announced); the navigation is just before it: Shift+Tab to Users, then Enter.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overview');
    let focused = '';
    for (let i = 0; i < 8 && focused !== 'Users'; i++) {
      await page.keyboard.down('Shift');
      await page.keyboard.press('Tab');
      await page.keyboard.up('Shift');
      focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    expect(focused).toBe('Users');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === 'Users');
    expect(new URL(page.url()).hash).toBe('#/users');
  });

  it('creates a user, sets their quotas and issues a token shown once with a copy button', async () => {
    await fill('#new-email', writer.email);
    await fill('#new-name', 'Browser Writer');
    await click('Create user');
    await waitForText(`Created ${writer.email}.`);
    await page.waitForSelector(`::-p-aria([name="Settings of ${writer.email}"])`);

    await fill('#quota-daily', '50000');
    await fill('#quota-monthly', '900000');
    await click('Save changes');
    await waitForText('Saved.');
    const found = await call(ADMIN_TOKEN, 'GET', `/v1/admin/users?q=${encodeURIComponent(writer.email)}`);
    const user = (found.json.items as Array<{ id: string; quotaDailyTokens: number; quotaMonthlyTokens: number }>)[0]!;
    expect(user).toMatchObject({ quotaDailyTokens: 50_000, quotaMonthlyTokens: 900_000 });
    writer.id = user.id;

    await fill('#token-label', 'browser test');
    await click('Issue token');
    await page.waitForSelector('#issued-token');
    writer.token = await page.$eval('#issued-token', (input) => (input as HTMLInputElement).value);
    expect(writer.token).toMatch(/^aa_/);
    await click('Copy token');
    await waitForText('Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(writer.token);
    const link = await page.$eval('#issued-link', (input) => (input as HTMLInputElement).value);
    expect(link).toBe(`${base}/app#token=${writer.token}`);
    await click('Copy link');
    await page.waitForFunction((expected) => navigator.clipboard.readText().then((text) => text === expected), {}, link);
    // The token table fits its card: the Revoke button is inside the card, not cut off at its edge.
    await page.waitForSelector(aria('Revoke token browser test', 'button'));
    expect(await page.$eval('.user-detail', (card) => {
      const box = card.getBoundingClientRect();
      return [...card.querySelectorAll('.tokens button')].every((b) => b.getBoundingClientRect().right <= box.right);
    })).toBe(true);
    await shot('users-1280');
  });

  it("the issued link connects the author's app in one click; a token that never worked is not called \"no longer valid\"", async () => {
    const link = await page.$eval('#issued-link', (input) => (input as HTMLInputElement).value);
    const app = await browser.newPage();
    await app.setViewport({ width: 390, height: 844 });
    await app.goto(link);
    await app.waitForFunction(() => !location.hash.includes('token='));
    await app.locator('button[data-panel="connect"]').click();
    await app.waitForFunction((email) => document.body.innerText.includes(`Connected as ${email}`), {}, writer.email);

    await app.locator('::-p-aria([name="Disconnect"][role="button"])').click();
    await app.locator('input[name="token"]').fill('aa_this-token-never-existed-0123456789');
    await app.locator('form button[type="submit"]').click();
    await app.waitForFunction(() => document.body.innerText.includes('This token was not accepted.'));
    const text = await app.evaluate(() => document.body.innerText);
    expect(text).not.toContain('no longer valid');
    expect(await app.$$eval('button', (buttons) => buttons.some((b) => b.textContent === 'Connect again'))).toBe(false);
    await app.close();
    await page.bringToFront();
  });

  it("shows the AI calls made with the user's token in Usage, its CSV, and on the Overview charts", async () => {
    const me = await call(writer.token, 'GET', '/v1/me');
    expect(me.json).toMatchObject({ id: writer.id, quotaDailyTokens: 50_000 });
    const book = await call(writer.token, 'POST', '/v1/books', { title: 'A browser-tested book' });
    const bookId = book.json.id as string;
    expect((await call(writer.token, 'PUT', `/v1/books/${bookId}/summary`, { summary: SUMMARY, version: 1 })).status).toBe(200);
    await runJobOverHttp(writer.token, `/v1/books/${bookId}/interview/generate`);
    await runJobOverHttp(writer.token, `/v1/books/${bookId}/toc/generate`);
    const calls = (await t.app.store.ledger.listByUser(writer.id, 1_000)).length;
    const allCalls = ((await call(ADMIN_TOKEN, 'GET', '/v1/admin/usage')).json as { totals: { calls: number } }).totals.calls;
    expect(calls).toBeGreaterThanOrEqual(2);

    await goTo('Usage');
    // An email no user has: the reason, and the figures shown are said to be the earlier filters' (here, none).
    await page.waitForSelector('[data-testid="usage-calls"]');
    await fill('#usage-user', 'nobody@example.com');
    await click('Apply filters');
    await waitForText('No user with the email nobody@example.com.');
    await page.waitForSelector('[data-testid="filters-stale"]');
    await shot('usage-unknown-email-1280');
    await fill('#usage-user', writer.email);
    await click('Apply filters');
    await page.waitForFunction(() => !document.querySelector('[data-testid="filters-stale"]'));
    await page.waitForFunction((n) => document.querySelector('[data-testid="usage-calls"]')?.textContent === String(n), {}, calls);
    const operations = await page.$$eval('.usage-table tbody tr td:nth-child(3)', (cells) => cells.map((cell) => cell.textContent));
    expect(new Set(operations)).toEqual(new Set(['interview.generate', 'toc.generate']));
    // Calls made in template mode say so beside the model's name.
    const models = await page.$$eval('.usage-table tbody tr td:nth-child(4)', (cells) => cells.map((cell) => cell.textContent));
    expect(models.every((model) => model?.endsWith(' · template mode (no AI model)')), models.join('|')).toBe(true);
    // With no start day, the report reaches back past what the ledger keeps, and says so.
    const kept = await page.$eval('[data-testid="usage-retention"]', (note) => note.textContent);
    expect(kept).toMatch(/^Usage is kept for 400 days, so calls made before \d{4}-\d{2}-\d{2} \(UTC\) may be missing from these figures\.$/);
    await shot('usage-1280');

    await click('Download CSV');
    await waitForText(`CSV downloaded. ${kept}`);
    const file = path.join(downloads, 'usage-start-to-now.csv');
    for (const deadline = Date.now() + 5_000; !existsSync(file) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^createdAt,id,userId,userEmail,/);
    expect(lines).toHaveLength(calls + 1);
    expect(lines.slice(1).every((line) => line.includes(writer.email))).toBe(true);

    await goTo('Overview');
    const tile = (label: string) => page.$$eval('.tile', (tiles, wanted) => tiles.find((el) => el.querySelector('dt')?.textContent === wanted)?.querySelector('dd')?.textContent, label);
    await page.waitForSelector('.chart .uplot canvas');
    expect(await tile('AI calls')).toBe(String(allCalls));
    // The AI calls chart: its caption, and its data table (the canvas' accessible twin) adds up to the same calls.
    const aiChart = await page.$$eval('figure.chart', (figures) => {
      const figure = figures.find((f) => f.querySelector('.chart-title')?.textContent === 'AI calls')!;
      figure.querySelector('details')!.open = true;
      const cells = [...figure.querySelectorAll('tbody tr')].map((row) => row.querySelector('td')?.textContent ?? '');
      return { total: figure.querySelector('.chart-total')?.textContent, cells, canvases: figure.querySelectorAll('canvas').length };
    });
    expect(aiChart.total).toBe(`${allCalls} calls, 0 from cache`);
    expect(aiChart.cells.reduce((sum, cell) => sum + Number(cell.replace(/,/g, '')), 0), aiChart.cells.join('|')).toBe(allCalls);
    expect(aiChart.canvases).toBeGreaterThan(0);
    expect(Number((await tile('Requests'))?.replace(/,/g, ''))).toBeGreaterThan(0);
    // Refusals are named as the charts' legends name them, not by their HTTP status.
    expect(await tile('Quota exceeded')).toBe('0');
    expect(await tile('Rate limited')).toBe('0');
    expect(await page.$$eval('.tile dt, .chart-title', (labels) => labels.map((label) => label.textContent).filter((text) => text?.includes('429')))).toEqual([]);
    await shot('overview-1280');

    await page.locator(aria('Last 7 days', 'radio')).click();
    await page.waitForFunction(() => document.querySelector('.hint')?.textContent?.startsWith('3 h per point'));
    expect(await tile('AI calls')).toBe(String(allCalls));
  });

  it('shows the system and the audit trail (quota change with old and new values)', async () => {
    await goTo('System');
    await waitForText('offline: template mode (no AI model)');
    await waitForText('Template threads');
    await waitForText('SQLite (embedded)');
    // The model chain fits its card: every column is visible, none cut off at the card's edge.
    expect(await page.$eval('section[aria-labelledby="sys-ai"]', (card) => {
      const box = card.getBoundingClientRect();
      return [...card.querySelectorAll('th, td')].every((cell) => cell.getBoundingClientRect().right <= box.right);
    })).toBe(true);
    await shot('system-1280');

    await goTo('Audit');
    await fill('#audit-type', 'user.updated');
    // People are named by email, as everywhere else in the dashboard (the ids it never shows would be no use here).
    await fill('#audit-user', writer.email);
    await click('Apply filters');
    await waitForText('quotaDailyTokens: none → 50000');
    await waitForText('quotaMonthlyTokens: none → 900000');
    await page.waitForFunction((email) => document.querySelector('.audit-table td[data-label="User"]')?.textContent === email, {}, writer.email);
    expect(await textOf('.audit-table td[data-label="By"]')).toBe('admin@localhost');
    await shot('audit-1280');
    // An email no user has: the reason, and the events shown are said to be the earlier filters'.
    await fill('#audit-user', 'nobody@example.com');
    await click('Apply filters');
    await waitForText('No user with the email nobody@example.com.');
    await page.waitForSelector('[data-testid="filters-stale"]');
    await fill('#audit-user', writer.email);
    await click('Apply filters');
    await page.waitForFunction(() => !document.querySelector('[data-testid="filters-stale"]'));
  });

  it('is readable at 390 px: nothing wider than the screen, screenshots of every view', async () => {
    await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    for (const view of ['Overview', 'Users', 'Usage', 'System', 'Audit']) {
      await goTo(view);
      await page.waitForNetworkIdle({ idleTime: 100 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, view).toBeLessThanOrEqual(390);
      await shot(`${view.toLowerCase()}-390`);
    }
  });

  it("revoking the token from the Users view makes that token's next API call 401", async () => {
    await page.setViewport({ width: 1280, height: 900 });
    await goTo('Users');
    await click(writer.email);
    await click('Revoke token browser test');
    await click('Yes, revoke');
    await waitForText('Revoked browser test: it no longer works.');
    const after = await call(writer.token, 'GET', '/v1/me');
    expect(after.status).toBe(401);
    expect((after.json.error as { code: string }).code).toBe('UNAUTHORIZED');
    const list = await call(ADMIN_TOKEN, 'GET', `/v1/admin/users/${writer.id}/tokens`);
    expect(list.json.items).toEqual([]);
  });

  it('tells a non-admin token plainly that this needs an administrator, and drops the token from the URL', async () => {
    const author = await t.newUser();
    const other = await browser.newPage();
    await other.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true });
    await other.goto(`${base}/admin/#token=${author.token}`);
    await other.waitForFunction(() => document.body.innerText.includes('This needs an administrator.'));
    expect(other.url()).toBe(`${base}/admin/`);
    expect(await other.evaluate(() => sessionStorage.getItem('auto-author.admin.token'))).toBe(author.token);
    await other.screenshot({ path: path.join(ARTIFACTS, 'forbidden-390.png') as `${string}.png` });
    // The admin's link opened in this same tab changes only the fragment: it is taken, and the dashboard opens.
    await other.evaluate((token) => { location.hash = `token=${token}`; }, ADMIN_TOKEN);
    await other.waitForFunction(() => document.body.innerText.includes('Sign out') && !document.body.innerText.includes('This needs an administrator.'));
    expect(other.url()).toBe(`${base}/admin/`);
    await other.close();
  });

  it("refuses to demote the last administrator with the server's reason, not as a change made elsewhere", async () => {
    const logged = problems.length;
    await goTo('Users');
    await page.locator('::-p-aria([name="admin@localhost"])').click();
    await page.waitForSelector('::-p-aria([name="Settings of admin@localhost"])');
    await page.select('#user-role', 'author');
    await click('Save changes');
    await waitForText('This is the last active administrator; make another user an administrator first');
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('changed elsewhere');
    const admins = await call(ADMIN_TOKEN, 'GET', '/v1/admin/users?q=admin%40localhost');
    expect((admins.json.items as Array<{ role: string }>)[0]!.role).toBe('admin');
    await shot('last-admin-1280');
    // The browser logs the refused request (409) it was asked to make; nothing else.
    expect(problems.splice(logged).filter((problem) => !/status of 409/.test(problem))).toEqual([]);
  });

  it('refuses a mistyped token without blaming revocation, and says how to get a new one', async () => {
    const other = await browser.newPage();
    await other.setViewport({ width: 300, height: 800 });
    await other.goto(`${base}/admin/`);
    await other.locator('#admin-token').fill('aa_mistyped-0123456789');
    await other.keyboard.press('Enter');
    await other.waitForFunction(() => document.body.innerText.includes('That token was not accepted.'));
    const said = await other.$eval('[role="alert"]', (alert) => alert.textContent ?? '');
    expect(said).not.toMatch(/revoked|expired/);
    expect(said).toContain('npm run admin:token');
    await other.screenshot({ path: path.join(ARTIFACTS, 'refused-token-300.png') as `${string}.png` });
    await other.close();
  });

  it('logged no console error, page error or CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
