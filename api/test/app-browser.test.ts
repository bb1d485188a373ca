import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type BrowserContext, type HTTPRequest, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from './helpers/app-build.js';
import { runJob, SUMMARY } from './helpers/journey.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, step, type OpenAiTestServer } from './support/openai-test-server.js';

// The /app web preview in real Chromium against the real API over HTTP (offline AI): the whole journey at 360 px,
// autosave under typing bursts, outages and reloads, error states by code, and titles rendered inert. The AI error
// states come from the real server too: further API instances run the `openai` provider against the OpenAI
// wire-format test server, with a real quota, a real per-minute AI limit and scripted model-server failures.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'app');
const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const WIDTH = 360;

let t: TestApp;
let origin: string;
let browser: Browser;
let userDataDir: string;

beforeAll(async () => {
  await ensureAppBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await buildTestApp({ AI_PROVIDER: 'offline' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  userDataDir = mkdtempSync(path.join(tmpdir(), 'aa-chromium-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** A fresh browser context (its own localStorage) with a 360 px wide page; page errors fail the test. */
async function newPage(): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: WIDTH, height: 780 });
  const errors: string[] = [];
  // A CSP violation is an event, not a console message: report it as one.
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`Content Security Policy violation: ${event.violatedDirective}`));
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource|net::ERR/.test(message.text())) errors.push(message.text());
    else if (/Content Security Policy/i.test(message.text())) errors.push(`CSP: ${message.text()}`);
  });
  return { page, context, errors };
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
const api = (token: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.as(token, { method, url, ...(payload ? { payload } : {}) });

/** Clicks the button whose text (or aria-label) is exactly `name`. */
async function click(page: Page, name: string) {
  await page.locator(`::-p-aria([name="${name}"][role="button"])`).click();
}

/** Waits until the page's visible text contains `text`. */
async function seeText(page: Page, text: string, timeout = 15_000) {
  try {
    await page.waitForFunction((wanted: string) => document.body.innerText.includes(wanted), { timeout }, text);
  } catch (error) {
    await shot(page, `failed-${text.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}`);
    throw new Error(`"${text}" never appeared; the page said:\n${await page.evaluate(() => document.body.innerText)}`, { cause: error });
  }
}

async function openNav(page: Page, label: string) {
  await page.locator(`.aa-app button[data-panel="${label.toLowerCase()}"]`).click();
}

/** Every save-status element in the page reports `saved`. */
async function allSaved(page: Page, timeout = 15_000) {
  await page.waitForFunction(() => {
    const states = [...document.querySelectorAll('[data-save-status]')].map((el) => el.getAttribute('data-save-status'));
    return states.length > 0 && states.every((s) => s === 'saved');
  }, { timeout });
}

/** Pastes text into a field as the author would (one input event through the native setter React listens to). */
async function paste(page: Page, selector: string, text: string) {
  await page.$eval(selector, (el, value) => {
    const field = el as HTMLTextAreaElement | HTMLInputElement;
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')!.set!;
    field.focus();
    setter.call(field, value);
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

async function typeInto(page: Page, selector: string, text: string, delay = 0) {
  await page.locator(selector).click();
  await page.type(selector, text, { delay });
}

describe('the /app journey at 360 px', () => {
  it('connects with #token=, then brief → interview → TOC → questions → draft → write to the local preview', async () => {
    const author = await t.newUser();
    const { page, context, errors } = await newPage();
    const eventStreams: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/events')) eventStreams.push(request.url());
    });

    // Connect: the admin-issued token arrives in the link's fragment and is removed from the address bar.
    await page.goto(`${origin}/app/#token=${author.token}`);
    await seeText(page, 'Title of a new book');
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await page.evaluate(() => localStorage.getItem('aa.settings.apiToken'))).toBe(JSON.stringify(author.token));
    await openNav(page, 'Connect');
    await seeText(page, `Connected as ${author.email}`);
    await shot(page, '01-connect');
    // Another author's link opened in this same tab changes only the fragment: it is taken all the same.
    const second = await t.newUser();
    await page.evaluate((token) => { location.hash = `token=${token}`; }, second.token);
    await page.waitForFunction((token) => localStorage.getItem('aa.settings.apiToken') === JSON.stringify(token), {}, second.token);
    await openNav(page, 'Connect');
    await seeText(page, `Connected as ${second.email}`);
    expect(await page.evaluate(() => location.hash)).toBe('');
    await page.evaluate((token) => { location.hash = `token=${token}`; }, author.token);
    await page.waitForFunction((token) => localStorage.getItem('aa.settings.apiToken') === JSON.stringify(token), {}, author.token);
    await openNav(page, 'Connect');
    await seeText(page, `Connected as ${author.email}`);

    // Book brief with the readiness rule live.
    await openNav(page, 'Book');
    await typeInto(page, 'input[name="newTitle"]', 'The Calm One-to-One');
    await click(page, 'Start this book');
    await page.waitForSelector('textarea[name="summary"]:not([disabled])');
    await typeInto(page, 'input[name="subtitle"]', 'Meetings that help');
    await typeInto(page, 'input[name="audience"]', 'first-time managers');
    await typeInto(page, 'input[name="genre"]', 'Non-fiction');
    await typeInto(page, 'input[name="language"]', 'en');
    await typeInto(page, 'input[name="targetWords"]', '40000');
    await seeText(page, 'Not ready yet');
    await paste(page, 'textarea[name="summary"]', SUMMARY);
    await seeText(page, 'Ready for the interview');
    await allSaved(page);
    const bookId = (JSON.parse((await page.evaluate(() => localStorage.getItem('aa.settings.book:local')))!) as string);
    const book = (await api(author.token, 'GET', `/v1/books/${bookId}`)).json();
    expect(book).toMatchObject({ title: 'The Calm One-to-One', subtitle: 'Meetings that help', audience: 'first-time managers', targetWords: 40000 });
    expect((await api(author.token, 'GET', `/v1/books/${bookId}/summary`)).json().summary).toBe(SUMMARY);
    await shot(page, '02-brief');

    // Kick-off interview: generated as a job, answers autosaved.
    await openNav(page, 'Interview');
    await click(page, 'Start the interview');
    await page.waitForSelector('.aa-answer textarea');
    const interviewAnswers = await page.$$('.aa-answer textarea');
    expect(interviewAnswers.length).toBeGreaterThanOrEqual(3);
    for (const [i, field] of interviewAnswers.entries()) {
      await field.type(`Answer ${i}: the reader is a new manager who fears silence in meetings.`);
    }
    await allSaved(page);
    await seeText(page, 'template mode (no AI model)');
    expect((await api(author.token, 'GET', `/v1/books/${bookId}/interview`)).json().answered).toBe(interviewAnswers.length);
    await shot(page, '03-interview');

    // TOC: propose, see the diff, apply; reorder with the keyboard.
    await openNav(page, 'TOC');
    await click(page, 'Propose a table of contents');
    await page.waitForSelector('.aa-diff li');
    expect(await page.$$eval('.aa-diff-added', (rows) => rows.length)).toBeGreaterThan(2);
    await shot(page, '04-toc-proposal');
    // The proposal survives leaving the panel.
    await openNav(page, 'Book');
    await openNav(page, 'TOC');
    await page.waitForSelector('.aa-diff li');
    await click(page, 'Apply proposal');
    await seeText(page, 'Proposal applied');
    await page.waitForSelector('.aa-toc .aa-handle');
    const before = (await api(author.token, 'GET', `/v1/books/${bookId}/toc`)).json().chapters.map((c: { id: string }) => c.id);
    await page.focus('.aa-toc > li:first-child .aa-handle');
    await page.keyboard.press('ArrowDown');
    await seeText(page, 'to position 2 of');
    await seeText(page, ': saved');
    const after = (await api(author.token, 'GET', `/v1/books/${bookId}/toc`)).json().chapters.map((c: { id: string }) => c.id);
    expect(after).toEqual([before[1], before[0], ...before.slice(2)]);
    // Focus stays on the moved chapter's handle, so further arrow presses keep moving it.
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-id'))).toBe(before[0]);
    // Drag the last chapter onto the first.
    const titles = await page.$$('.aa-toc > li > .aa-toc-row .aa-toc-title');
    await titles[0]!.drop(titles.at(-1)!);
    await seeText(page, 'to position 1 of');
    await page.waitForFunction(() => document.querySelector('.aa-live')?.textContent?.endsWith(': saved'));
    const dragged = (await api(author.token, 'GET', `/v1/books/${bookId}/toc`)).json().chapters.map((c: { id: string }) => c.id);
    expect(dragged).toEqual([after.at(-1), ...after.slice(0, -1)]);
    await shot(page, '04-toc');

    // Chapter questions for the (now) first chapter, answered in list mode; coverage moves.
    await openNav(page, 'Questions');
    await click(page, 'Generate questions');
    await seeText(page, 'Question 1 of');
    await click(page, 'List');
    const fields = await page.$$('.aa-question-list textarea');
    expect(fields.length).toBeGreaterThanOrEqual(5);
    for (const [i, field] of fields.slice(0, 4).entries()) {
      await field.type(`On the ward, Maria started every one-to-one by asking what had surprised her nurse that week (${i}).`);
    }
    await allSaved(page);
    await page.waitForFunction(() => /Coverage [1-9]\d*%/.test(document.body.innerText));
    // Answers not marked final say so, in words that are not the chapter's "Draft".
    expect(await page.$$eval('[data-status="draft"]', (els) => els.map((el) => el.textContent))).toEqual(Array(4).fill('Not final'));
    await shot(page, '05-questions');

    // Draft with live progress (event stream), provenance on tap, accept.
    await openNav(page, 'Draft');
    // Template mode (no AI model): style and length apply only with a model, and the panel says so.
    await page.waitForSelector('select[name="style"][disabled]');
    expect(await page.$eval('input[name="draftWords"]', (el) => (el as HTMLInputElement).disabled)).toBe(true);
    expect(await page.$eval('#aa-draft-words-hint', (el) => el.textContent)).toContain('Style and length apply only with an AI model');
    await click(page, 'Write a draft');
    await page.waitForSelector('.aa-draft', { timeout: 20_000 });
    expect(eventStreams.length).toBeGreaterThan(0);
    expect(await page.$eval('.aa-draft', (el) => el.textContent)).toContain('template mode (no AI model)');
    await page.locator('.aa-draft .aa-block').click();
    await page.waitForSelector('.aa-provenance li');
    expect(await page.$eval('.aa-provenance', (el) => el.textContent)).toMatch(/From your answer to “|Not backed/);
    await click(page, 'Accept this draft');
    await seeText(page, 'Accepted: this version goes into the document when you write the chapter.');
    await shot(page, '06-draft');

    // Write the chapter: the local preview shows it with the same planned paragraphs the Docs writers use.
    const chapterTitle = (await api(author.token, 'GET', `/v1/books/${bookId}/toc`)).json().chapters[0].title as string;
    await openNav(page, 'Write');
    await click(page, `Write ${chapterTitle}`);
    await page.waitForSelector('.aa-write-result [data-write-status="written"]');
    await page.waitForSelector('.aa-doc h1');
    expect(await page.$eval('.aa-doc h1', (el) => el.textContent)).toBe(chapterTitle);
    expect(await page.$$eval('.aa-doc p, .aa-doc li', (els) => els.map((e) => e.textContent).join(' '))).toContain('Maria');
    await shot(page, '07-write');

    // The preview survives a reload (it lives in host storage).
    await page.reload();
    await openNav(page, 'Write');
    await page.waitForSelector('.aa-doc h1');

    // Usage: quota left and the offline calls just made (free).
    await openNav(page, 'Usage');
    await seeText(page, 'This month:');
    expect(await page.$$eval('.aa-table tbody tr', (rows) => rows.length)).toBeGreaterThanOrEqual(4);
    // Each call says what it made in the author's words, not the API's operation name.
    const made = await page.$$eval('.aa-table tbody td:first-child', (cells) => cells.map((cell) => cell.textContent ?? ''));
    expect(made.some((what) => what.startsWith('Interview questions · template mode (no AI model)'))).toBe(true);
    expect(made.some((what) => what.startsWith('Chapter draft'))).toBe(true);
    expect(made.filter((what) => /\b[a-z]+\.[a-z]+\b/.test(what))).toEqual([]);
    await shot(page, '08-usage');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

/** An API instance listening on a local port, and the origin the browser reaches it at. */
interface Served {
  t: TestApp;
  origin: string;
}

async function serve(env: Record<string, string>): Promise<Served> {
  const served = await buildTestApp(env);
  await served.app.listen({ port: 0, host: '127.0.0.1' });
  return { t: served, origin: `http://127.0.0.1:${(served.app.server.address() as AddressInfo).port}` };
}

/** An author with a book whose brief is ready, opened in a fresh page at /app (of `on`, the offline API by default). */
async function openBook(options: { title?: string; interview?: boolean; on?: Served } = {}) {
  const on = options.on ?? { t, origin };
  const author = await on.t.newUser();
  const call = (method: 'POST' | 'PUT', url: string, payload: object) => on.t.as(author.token, { method, url, payload });
  const book = (await call('POST', '/v1/books', { title: options.title ?? 'Autosave book' })).json();
  await call('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY, version: 1 });
  if (options.interview) await runJob(on.t, author.token, 'POST', `/v1/books/${book.id}/interview/generate`);
  const opened = await newPage();
  await opened.page.goto(`${on.origin}/app/#token=${author.token}`);
  await opened.page.locator('.aa-item-button').click();
  await opened.page.waitForSelector('textarea[name="summary"]:not([disabled])');
  return { author, book, ...opened };
}

const saveStatus = (page: Page, label: string) =>
  page.$$eval('[data-save-status]', (els, wanted) => els.find((el) => el.textContent?.startsWith(`${wanted}:`))?.getAttribute('data-save-status') ?? null, label);

async function waitForStatus(page: Page, label: string, status: string, timeout = 15_000) {
  await page.waitForFunction((wanted: string, expected: string) =>
    [...document.querySelectorAll('[data-save-status]')].some((el) => el.textContent?.startsWith(`${wanted}:`) && el.getAttribute('data-save-status') === expected),
  { timeout }, label, status);
}

async function typeAtEnd(page: Page, selector: string, text: string, delay = 0) {
  await page.focus(selector);
  await page.$eval(selector, (el) => {
    const field = el as HTMLTextAreaElement;
    field.setSelectionRange(field.value.length, field.value.length);
  });
  await page.keyboard.type(text, { delay });
}

const unsavedSummary = (page: Page, bookId: string) => page.evaluate((id) => localStorage.getItem(`aa.unsaved.summary:${id}`), bookId);

describe('autosave', () => {
  it('sends one save for a burst of typing, with the version it was typed on', async () => {
    const { page, context, book, author } = await openBook();
    const puts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().endsWith('/summary')) puts.push(request.postData() ?? '');
    });
    const added = ' Each chapter ends with a checklist.';
    await typeAtEnd(page, 'textarea[name="summary"]', added, 25);
    await waitForStatus(page, 'Summary', 'saved');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(puts).toHaveLength(1);
    expect(JSON.parse(puts[0]!)).toEqual({ summary: SUMMARY + added, version: 2 });
    expect((await api(author.token, 'GET', `/v1/books/${book.id}/summary`)).json()).toMatchObject({ summary: SUMMARY + added, version: 3 });
    expect(await unsavedSummary(page, book.id)).toBeNull();
    await context.close();
  });

  it('keeps text typed while the API is stopped, marks it not saved, and saves it when the API is back', async () => {
    const { page, context, book, author } = await openBook();
    const port = (t.app.server.address() as AddressInfo).port;
    // Stop the API for real: no new connections, open ones cut.
    await new Promise<void>((resolve) => {
      t.app.server.close(() => resolve());
      t.app.server.closeAllConnections();
    });
    try {
      await typeAtEnd(page, 'textarea[name="summary"]', ' Written while offline.');
      await waitForStatus(page, 'Summary', 'retrying', 20_000);
      expect(await page.$eval('[data-save-status="retrying"]', (el) => el.textContent)).toContain('Not saved');
      expect(JSON.parse((await unsavedSummary(page, book.id))!)).toMatchObject({ value: `${SUMMARY} Written while offline.`, baseVersion: 2 });
      await shot(page, '09-autosave-offline');
    } finally {
      await new Promise<void>((resolve) => t.app.server.listen(port, '127.0.0.1', () => resolve()));
    }
    await waitForStatus(page, 'Summary', 'saved', 30_000);
    expect((await api(author.token, 'GET', `/v1/books/${book.id}/summary`)).json().summary).toBe(`${SUMMARY} Written while offline.`);
    expect(await unsavedSummary(page, book.id)).toBeNull();
    await context.close();
  }, 60_000);

  it('restores unsaved text after a reload and saves it once the server accepts writes again', async () => {
    const { page, context, book, author } = await openBook();
    let writesFail = true;
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      if (writesFail && request.method() === 'PUT' && request.url().includes('/v1/')) void request.abort('connectionrefused');
      else void request.continue();
    });
    await typeAtEnd(page, 'textarea[name="summary"]', ' Kept across a reload.');
    await waitForStatus(page, 'Summary', 'retrying', 20_000);
    await page.reload();
    await page.waitForSelector('textarea[name="summary"]:not([disabled])');
    await page.waitForFunction(() => (document.querySelector('textarea[name="summary"]') as HTMLTextAreaElement).value.endsWith('Kept across a reload.'));
    expect(['pending', 'saving', 'retrying']).toContain(await saveStatus(page, 'Summary'));
    writesFail = false;
    await waitForStatus(page, 'Summary', 'saved', 30_000);
    expect((await api(author.token, 'GET', `/v1/books/${book.id}/summary`)).json().summary).toBe(`${SUMMARY} Kept across a reload.`);
    expect(await unsavedSummary(page, book.id)).toBeNull();
    await context.close();
  }, 60_000);

  it('shows both versions on a conflict and saves the one the author keeps', async () => {
    const { page, context, book, author } = await openBook();
    // Another device saves first, on the same version the panel holds.
    expect((await api(author.token, 'PUT', `/v1/books/${book.id}/summary`, { summary: 'Changed on another device.', version: 2 })).statusCode).toBe(200);
    await typeAtEnd(page, 'textarea[name="summary"]', ' Mine.');
    await page.waitForSelector('.aa-conflict');
    expect(await saveStatus(page, 'Summary')).toBe('conflict');
    expect(await page.$eval('.aa-conflict-mine', (el) => el.textContent)).toBe(`${SUMMARY} Mine.`);
    expect(await page.$eval('.aa-conflict-theirs', (el) => el.textContent)).toBe('Changed on another device.');
    await shot(page, '10-conflict');
    await click(page, 'Keep mine');
    await waitForStatus(page, 'Summary', 'saved');
    expect((await api(author.token, 'GET', `/v1/books/${book.id}/summary`)).json()).toMatchObject({ summary: `${SUMMARY} Mine.`, version: 4 });
    await context.close();
  });
});

describe('errors by code', () => {
  // The openai provider against the wire-format test server: one instance with no model-server retries (quota and
  // outage), one allowing a single AI job start per author per minute.
  let models: OpenAiTestServer;
  let ai: Served;
  let limited: Served;
  beforeAll(async () => {
    models = await startOpenAiTestServer();
    [ai, limited] = await Promise.all([
      serve(openAiTestEnv(models, { AI_MAX_RETRIES: '0' })),
      serve(openAiTestEnv(models, { RATE_LIMIT_AI_PER_MIN: '1' })),
    ]);
  });
  afterAll(async () => {
    await Promise.all([ai?.t.close(), limited?.t.close()]);
    await models?.close();
  });

  /** The next answer to the interview-generation request, with its status, headers and error. */
  const nextGenerate = (page: Page) =>
    page.waitForResponse((response) => response.request().method() === 'POST' && response.url().endsWith('/interview/generate'));

  it('explains a spent daily quota with the time it resets, from the API’s own 429', async () => {
    const { page, context, author, errors } = await openBook({ on: ai });
    await openNav(page, 'Interview');
    await page.waitForFunction(() => /left today$/.test(document.querySelector('.aa-quote')?.textContent ?? ''));
    // The administrator lowers the quota while the panel is open: its cost line still says what was left before.
    const capped = await ai.t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${author.id}`, payload: { quotaDailyTokens: 1 } });
    expect(capped.statusCode).toBe(200);
    const callsBefore = models.calls();

    const answered = nextGenerate(page);
    await click(page, 'Start the interview');
    const response = await answered;
    expect(response.status()).toBe(429);
    const { error } = (await response.json()) as { error: { code: string; message: string; requestId: string; details: { window: string; limit: number; resetAt: string; needed: number; remaining: number } } };
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { window: 'daily', limit: 1, remaining: 1 } });
    expect(error.details.needed).toBeGreaterThan(1);
    const headers = response.headers();
    expect(headers['x-quota-limit']).toBe('1');
    expect(headers['x-quota-reset']).toBe(error.details.resetAt);
    expect(headers['x-request-id']).toBe(error.requestId);

    await page.waitForSelector('.aa-error[data-code="QUOTA_EXCEEDED"]');
    const quota = await page.$eval('.aa-error', (el) => (el as HTMLElement).innerText);
    // What the job needed, what is left and the reset time, as the page's locale writes them.
    const [needed, when] = await page.evaluate((n, iso) => [n.toLocaleString(), new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })], error.details.needed, error.details.resetAt);
    expect(quota).toContain(`This needs about ${needed} tokens; 1 token is left today.`);
    expect(quota).toContain(`It resets ${when}.`);
    expect(quota).toContain(`Reference: ${error.requestId}`);
    // The cost line is asked again and agrees with the refusal beside it.
    await page.waitForFunction(() => / · 1 left today$/.test(document.querySelector('.aa-quote')?.textContent ?? ''));
    // No retry can succeed before the reset, so none is offered.
    expect(await page.$$eval('.aa-error[data-code="QUOTA_EXCEEDED"] button', (buttons) => buttons.map((b) => b.textContent))).not.toContain('Try again');
    // Refused before any model call.
    expect(models.calls()).toBe(callsBefore);
    await shot(page, '11-error-quota');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('counts down a real Retry-After when the author starts a second AI job within the minute', async () => {
    const { page, context, errors } = await openBook({ on: limited });
    await openNav(page, 'Interview');
    await click(page, 'Start the interview');
    await page.waitForSelector('.aa-answer textarea');

    const answered = nextGenerate(page);
    await click(page, 'Ask new questions');
    const response = await answered;
    expect(response.status()).toBe(429);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(response.headers()['retry-after']);
    expect(retryAfter).toBeGreaterThan(40);
    expect(retryAfter).toBeLessThanOrEqual(60);

    await page.waitForSelector('.aa-error[data-code="RATE_LIMITED"]');
    const shown = Number(/Try again in (\d+) s\./.exec(await page.$eval('.aa-error[data-code="RATE_LIMITED"]', (el) => (el as HTMLElement).innerText))?.[1]);
    expect(shown).toBeLessThanOrEqual(retryAfter);
    expect(shown).toBeGreaterThanOrEqual(retryAfter - 2);
    expect(await page.$eval('.aa-error[data-code="RATE_LIMITED"] button', (el) => (el as HTMLButtonElement).disabled)).toBe(true);
    await shot(page, '12-error-rate-limited');
    // It counts down second by second; the button stays disabled while it does.
    await seeText(page, `Try again in ${shown - 2} s.`, 5_000);
    expect(await page.$eval('.aa-error[data-code="RATE_LIMITED"] button', (el) => (el as HTMLButtonElement).disabled)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers a retry when the model server fails, and the retry succeeds once it answers again', async () => {
    const { page, context, errors, author } = await openBook({ on: ai });
    models.reset();
    models.script('kickoff_interview', [step.serverError(500)]);
    await openNav(page, 'Interview');
    const started = nextGenerate(page);
    await click(page, 'Start the interview');
    const response = await started;
    expect(response.status()).toBe(202);
    const jobId = ((await response.json()) as { job: { id: string } }).job.id;
    await page.waitForSelector('.aa-error[data-code="AI_UNAVAILABLE"]', { timeout: 15_000 });
    // The job itself failed with that code, retryable.
    expect((await ai.t.as(author.token, { method: 'GET', url: `/v1/jobs/${jobId}` })).json()).toMatchObject({
      status: 'failed', error: { code: 'AI_UNAVAILABLE', retryable: true },
    });
    expect(await page.$eval('.aa-error[data-code="AI_UNAVAILABLE"]', (el) => (el as HTMLElement).innerText)).toContain('The AI service is not available right now');
    expect(models.calls('kickoff_interview')).toBe(1);
    expect(models.requests.at(-1)).toMatchObject({ outcome: 'status', status: 500 });
    await shot(page, '13-error-ai-unavailable');

    // Tried again while the quota is spent: the refusal replaces the old failure rather than sitting beside it.
    const cap = (quotaDailyTokens: number | null) => ai.t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${author.id}`, payload: { quotaDailyTokens } });
    expect((await cap(1)).statusCode).toBe(200);
    await click(page, 'Try again');
    await page.waitForSelector('.aa-error[data-code="QUOTA_EXCEEDED"]', { timeout: 15_000 });
    expect(await page.$$eval('.aa-error', (notices) => notices.map((notice) => notice.getAttribute('data-code')))).toEqual(['QUOTA_EXCEEDED']);
    expect((await cap(null)).statusCode).toBe(200);

    // The model server answers again (no steps left: the default, schema-valid answer).
    expect(models.pendingSteps()).toBe(0);
    await click(page, 'Start the interview');
    await page.waitForSelector('.aa-answer textarea');
    expect(await page.$('.aa-error')).toBeNull();
    expect(models.calls('kickoff_interview')).toBe(2);
    expect(models.requests.at(-1)).toMatchObject({ outcome: 'ok', status: 200 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('clears the stored token only on UNAUTHORIZED, never on GOOGLE_AUTH_REQUIRED', async () => {
    const { page, context, author } = await openBook();
    await page.setRequestInterception(true);
    let googleRequired = true;
    page.on('request', (request: HTTPRequest) => {
      if (googleRequired && request.url().endsWith('/v1/me/usage')) {
        void request.respond({
          status: 401, contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'GOOGLE_AUTH_REQUIRED', message: 'x', requestId: 'req_g' } }),
        });
      } else void request.continue();
    });
    await openNav(page, 'Usage');
    await page.waitForSelector('.aa-error[data-code="GOOGLE_AUTH_REQUIRED"]');
    await seeText(page, 'Re-connect Google');
    expect(await page.evaluate(() => localStorage.getItem('aa.settings.apiToken'))).toBe(JSON.stringify(author.token));

    // The book overview has loaded (its next step shows), so no read of it meets the revoked token first.
    await page.waitForSelector('.aa-next:not(:empty)');
    googleRequired = false;
    await api(author.token, 'POST', '/v1/me/tokens/revoke-all');
    // (No Try again beside Re-connect Google: the next read is the TOC's.)
    await openNav(page, 'TOC');
    await seeText(page, 'Your API token was not accepted');
    expect(await page.evaluate(() => localStorage.getItem('aa.settings.apiToken'))).toBeNull();
    await page.waitForSelector('input[name="token"]');
    await context.close();
  }, 60_000);

  it('renders an <img onerror> title and answer as inert text', async () => {
    const payload = '<img src=x onerror="window.__xss=1">';
    const { page, context, book, author } = await openBook({ title: payload, interview: true });
    const questions = (await api(author.token, 'GET', `/v1/books/${book.id}/interview`)).json().questions;
    await api(author.token, 'PUT', `/v1/books/${book.id}/interview/answers`, { answers: [{ questionId: questions[0].id, text: payload }] });
    await api(author.token, 'POST', `/v1/books/${book.id}/chapters`, { title: payload });
    await seeText(page, payload);
    expect(await page.$eval('.aa-book-title', (el) => el.textContent)).toBe(payload);
    await openNav(page, 'TOC');
    await page.waitForSelector('.aa-toc-title');
    expect(await page.$eval('.aa-toc-title', (el) => el.textContent)).toBe(payload);
    await openNav(page, 'Interview');
    await page.waitForSelector('.aa-answer textarea');
    expect(await page.$eval('.aa-answer textarea', (el) => (el as HTMLTextAreaElement).value)).toBe(payload);
    await openNav(page, 'Questions');
    await page.waitForSelector('select[name="chapter"]');
    expect(await page.$eval('select[name="chapter"] option', (el) => el.textContent)).toBe(payload);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await shot(page, '14-inert-title');
    await context.close();
  });
});
