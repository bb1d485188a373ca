import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppBuilt } from './helpers/app-build.js';
import { runJob, SUMMARY } from './helpers/journey.js';
import { CHROMIUM, CHROMIUM_ARGS, panelPage } from './helpers/panel-page.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

// The /app panels guide the author and tell the real reason, in real Chromium against the real API over HTTP
// (template mode): the server's reason where a step cannot run, limits with their counts, one refused brief field
// marked while the others save.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'app-guidance');

interface Served {
  t: TestApp;
  origin: string;
}

let offline: Served;
let browser: Browser;
let userDataDir: string;

async function serve(env: Record<string, string>): Promise<Served> {
  const t = await buildTestApp(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, origin: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  await ensureAppBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  offline = await serve({ AI_PROVIDER: 'offline' });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'aa-chromium-'));
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir, args: CHROMIUM_ARGS });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await offline?.t.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** A fresh context (its own localStorage) at `width` px, signed in as a new author; page errors are collected. */
async function openApp(options: { on?: Served; width?: number } = {}) {
  const on = options.on ?? offline;
  const author = await on.t.newUser();
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: options.width ?? 360, height: 800 });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource|net::ERR/.test(message.text())) errors.push(message.text());
  });
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    on.t.as(author.token, { method, url, ...(payload ? { payload } : {}) });
  return { author, page, context, errors, api, ui: panelPage(page, { artifacts: ARTIFACTS }), goto: () => page.goto(`${on.origin}/app/#token=${author.token}`) };
}

/** A book with a ready brief (and optionally one chapter with generated questions), opened at /app. */
async function openBook(options: { on?: Served; width?: number; chapter?: boolean } = {}) {
  const opened = await openApp(options);
  const { api, page, goto } = opened;
  const book = (await api('POST', '/v1/books', { title: 'The Calm One-to-One' })).json();
  await api('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY, version: 1 });
  let chapterId: string | null = null;
  if (options.chapter) {
    chapterId = (await api('POST', `/v1/books/${book.id}/chapters`, { title: 'Listening first' })).json().id as string;
    await runJob((options.on ?? offline).t, opened.author.token, 'POST', `/v1/books/${book.id}/chapters/${chapterId}/questions/generate`, { count: 5 });
  }
  await goto();
  await page.locator('.aa-item-button').click();
  await page.waitForSelector('textarea[name="summary"]:not([disabled])');
  return { ...opened, bookId: book.id as string, chapterId };
}

const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLElement).innerText);

describe('the real reason, where it belongs', () => {
  it("shows the server's reason when a chapter with no answers is drafted", async () => {
    const { page, context, ui, errors } = await openBook({ chapter: true });
    await ui.openNav('Draft');
    await ui.click('Write a draft');
    await page.waitForSelector('.aa-error[data-code="VALIDATION"]');
    expect(await textOf(page, '.aa-error[data-code="VALIDATION"]')).toContain('This chapter has no answers yet; answer some of its questions first.');
    expect(await textOf(page, '.aa-error[data-code="VALIDATION"]')).not.toContain('highlighted');
    await ui.shot('reason-draft-unanswered');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says the limit and the count of an over-long answer, and keeps it on this device', async () => {
    const { page, context, ui, bookId, errors } = await openBook({ chapter: true });
    await ui.openNav('Questions');
    await page.waitForSelector('.aa-answer textarea');
    await ui.paste('.aa-answer textarea', 'x'.repeat(21_600));
    await page.waitForSelector('.aa-answer [data-save-status="failed"]');
    const shown = await textOf(page, '.aa-answer');
    expect(shown).toContain('Not saved: An answer can hold at most 20,000 characters; this one has 21,600.');
    expect(shown).toContain('21,600 of 20,000 characters');
    expect(await page.$eval('.aa-answer textarea', (el) => el.getAttribute('aria-invalid'))).toBe('true');
    const kept = await page.evaluate((id) => Object.keys(localStorage).some((key) => key.startsWith(`aa.unsaved.answer:${id}:`)), bookId);
    expect(kept).toBe(true);
    await ui.shot('reason-answer-too-long');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('marks a bad target length where it is, while the other brief fields save', async () => {
    const { page, context, ui, api, bookId, errors } = await openBook();
    await ui.typeInto('input[name="audience"]', 'ward nurses');
    await ui.typeInto('input[name="genre"]', 'Non-fiction');
    await ui.typeInto('input[name="targetWords"]', '500');
    await page.waitForSelector('[data-field-error="targetWords"]');
    expect(await textOf(page, '[data-field-error="targetWords"]')).toBe('Not saved: The target length must be at least 1,000 words (not 500).');
    expect(await page.$eval('input[name="targetWords"]', (el) => el.getAttribute('aria-invalid'))).toBe('true');
    await ui.allSaved();
    expect((await api('GET', `/v1/books/${bookId}`)).json()).toMatchObject({ audience: 'ward nurses', genre: 'Non-fiction', targetWords: null });
    await ui.shot('reason-target-length');

    // Corrected, it saves and the mark goes.
    await ui.typeInto('input[name="targetWords"]', '00');
    await page.waitForFunction(() => !document.querySelector('[data-field-error]'));
    await ui.allSaved();
    expect((await api('GET', `/v1/books/${bookId}`)).json().targetWords).toBe(50_000);
    expect(errors).toEqual([]);
    await context.close();
  });
});
