// The built sidebar.html in real Chromium at the add-on's 300 px, with a google.script.run shim wired to the built
// Code.js (running in a vm over the in-memory document), against the real API (offline AI) on an https address:
// sign in with Google → book → interview → TOC → questions → draft → write at the cursor into the document.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleIssuer } from '../../api/test/helpers/google-id-tokens.js';
import { SUMMARY } from '../../api/test/helpers/journey.js';
import { pageErrors } from '../../api/test/helpers/panel-page.js';
import { bookWithDrafts, sampleBlocks } from '../../api/test/helpers/docs-fixtures.js';
import { buildTestApp, type TestApp } from '../../api/test/helpers/test-app.js';
import { buildAddon } from '../scripts/build.js';
import { FakeDocument } from '../test-support/fake-document.js';
import { bodyParagraphs, bodyTexts, placeCursor, seed } from '../test-support/inspect.js';
import { runScript } from '../test-support/script-runtime.js';

const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const API_HOST = 'api.auto-author.test';
const SCRIPT_CLIENT_ID = 'addon-script-client.apps.googleusercontent.com';
const DOCUMENT_ID = '1AddonSidebarTestDocument_0123456789abcdefXYZ';

let dir: string;
let t: TestApp;
/** The same product on its defaults (no Google client ids): Google sign-in off. */
let plain: TestApp;
/** The API the https address leads to (t's, or plain's). */
let apiPort: number;
let page: Page;
let browser: Browser;
let sidebarServer: http.Server;
let tlsProxy: https.Server;
let sidebarOrigin: string;
let code: string;
let sidebarHtml: string;
let idToken: string;
let apiUrl: string;
/** False: the API's address takes connections and drops them unanswered, as a server that is down or out of reach. */
let apiReachable = true;

const listen = (server: http.Server | https.Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'addon-sidebar-browser-'));
  // The sidebar's own origin (Apps Script serves it from *.googleusercontent.com; here a local test origin).
  sidebarServer = http.createServer((req, res) => {
    if (req.url !== '/userCodeAppPanel') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(sidebarHtml);
  });
  sidebarOrigin = `http://127.0.0.1:${await listen(sidebarServer)}`;

  const google = await createGoogleIssuer();
  idToken = await google.sign({ sub: 'google-sub-1', email: 'writer@example.org', email_verified: true, hd: 'example.org', name: 'Writer' }, { audience: SCRIPT_CLIENT_ID });
  t = await buildTestApp(
    { AI_PROVIDER: 'offline', CORS_ORIGINS: sidebarOrigin, GOOGLE_CLIENT_IDS: SCRIPT_CLIENT_ID, GOOGLE_ALLOWED_DOMAINS: 'example.org' },
    { googleKeySource: google.keySource },
  );
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  apiPort = (t.app.server.address() as AddressInfo).port;
  plain = await buildTestApp({ AI_PROVIDER: 'offline', CORS_ORIGINS: sidebarOrigin });
  await plain.app.listen({ port: 0, host: '127.0.0.1' });

  // The add-on only talks to https: a TLS front for the API under a real-looking name (Chromium maps it here).
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${API_HOST}`,
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'pipe' });
  tlsProxy = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (req, res) => {
    if (!apiReachable) return void res.destroy();
    const upstream = http.request({ host: '127.0.0.1', port: apiPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  apiUrl = `https://${API_HOST}:${await listen(tlsProxy)}`;

  const built = await buildAddon({ apiUrl, outDir: path.join(dir, 'addon') });
  code = readFileSync(path.join(built.outDir, 'Code.js'), 'utf8');
  sidebarHtml = readFileSync(path.join(built.outDir, 'sidebar.html'), 'utf8');
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: path.join(dir, 'chromium'),
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync',
      '--disable-quic', `--host-resolver-rules=MAP ${API_HOST} 127.0.0.1`, '--ignore-certificate-errors',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const server of [sidebarServer, tlsProxy]) {
    server?.closeAllConnections();
    server?.close();
  }
  await t?.close();
  await plain?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** google.script.run in the page: each call crosses to the script (copied as JSON) and answers asynchronously. */
const GOOGLE_SCRIPT_RUN_SHIM = `
  window.google = { script: { run: (function make(ok, fail) {
    return new Proxy({}, { get(_, name) {
      if (name === 'withSuccessHandler') return (handler) => make(handler, fail);
      if (name === 'withFailureHandler') return (handler) => make(ok, handler);
      if (typeof name !== 'string' || name === 'then') return undefined;
      return (...args) => void window.__appsScript(name, JSON.stringify(args)).then((raw) => {
        const answer = JSON.parse(raw);
        if ('error' in answer) { if (fail) fail(new Error(answer.error)); } else if (ok) ok(answer.value);
      });
    } });
  })() } };`;

/**
 * Opens the sidebar in a browser context of its own, its google.script.run wired to `script`; records each call's name.
 * A server function named in `failures` fails once with that text, as Apps Script's own failures reach the sidebar;
 * `onCall` runs as each call reaches the script.
 */
async function openSidebar(
  script: ReturnType<typeof runScript>,
  { calls = [], failures = {}, onCall }: { calls?: string[]; failures?: Record<string, string>; onCall?: (name: string) => void } = {},
) {
  const context = await browser.createBrowserContext();
  page = await context.newPage();
  await page.setViewport({ width: 300, height: 800 });
  const errors = pageErrors(page);
  await page.exposeFunction('__appsScript', (name: string, argsJson: string) => {
    calls.push(name);
    onCall?.(name);
    const failure = failures[name];
    if (failure !== undefined) {
      delete failures[name];
      return JSON.stringify({ error: failure });
    }
    try {
      return JSON.stringify({ value: script.call(name, ...(JSON.parse(argsJson) as unknown[])) });
    } catch (error) {
      return JSON.stringify({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  await page.evaluateOnNewDocument(GOOGLE_SCRIPT_RUN_SHIM);
  await page.goto(`${sidebarOrigin}/userCodeAppPanel`);
  return { context, errors };
}

/** An author whose book (one drafted chapter, "The first week") is linked to the test document, signed in to `script`. */
async function authorOfLinkedBook(script: ReturnType<typeof runScript>) {
  const author = await t.newUser();
  const { bookId } = await bookWithDrafts(t, author.token, [{ title: 'The first week', blocks: sampleBlocks('First') }]);
  expect((await t.as(author.token, { method: 'PUT', url: `/v1/books/${bookId}/doc`, payload: { documentId: DOCUMENT_ID } })).statusCode).toBe(200);
  script.userProperties.values.set('aa.apiToken', JSON.stringify(author.token));
  return { author, bookId };
}

async function click(name: string) {
  await page.locator(`::-p-aria([name="${name}"][role="button"])`).click();
}

async function seeText(text: string, timeout = 20_000) {
  try {
    await page.waitForFunction((wanted: string) => document.body.innerText.includes(wanted), { timeout }, text);
  } catch (error) {
    throw new Error(`"${text}" never appeared; the sidebar said:\n${await page.evaluate(() => document.body.innerText)}`, { cause: error });
  }
}

const ARTIFACTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-artifacts/addon-sidebar');

/** Screenshots of the sidebar at its 300 px and at 1280 px. */
async function shots(name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of [300, 1280]) {
    await page.setViewport({ width, height: 800 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewport({ width: 300, height: 800 });
}

async function openNav(label: string) {
  await page.locator(`.aa-app button[data-panel="${label.toLowerCase()}"]`).click();
}

async function typeInto(selector: string, text: string) {
  await page.locator(selector).click();
  await page.type(selector, text);
}

async function allSaved(timeout = 20_000) {
  await page.waitForFunction(() => {
    const states = [...document.querySelectorAll('[data-save-status]')].map((el) => el.getAttribute('data-save-status'));
    return states.length > 0 && states.every((s) => s === 'saved');
  }, { timeout });
}

describe('the add-on sidebar in Chromium', () => {
  it('signs in with Google, walks the journey and writes the chapter at the cursor through DocumentApp', async () => {
    const script = runScript(code, { document: new FakeDocument(DOCUMENT_ID, 'My memoir'), identityToken: idToken });
    seed(script.document, ['Notes before the chapter.', 'Put the chapter after this line.', 'Notes after the chapter.']);
    placeCursor(script.document, 1, 3);
    const calls: string[] = [];

    const { context, errors } = await openSidebar(script, { calls });

    // Connect: the API address is the build's; the Google identity comes from ScriptApp.getIdentityToken().
    await seeText('Sign in with Google');
    expect(await page.$('input[name="apiUrl"]')).toBeNull();
    await click('Sign in with Google');
    await seeText('Title of a new book');
    const apiToken = JSON.parse(script.userProperties.values.get('aa.apiToken')!) as string;
    expect(apiToken).toMatch(/^aa_/u);
    expect(script.documentProperties.values.size).toBe(0);
    const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.as(apiToken, { method, url, ...(payload ? { payload } : {}) });

    await typeInto('input[name="newTitle"]', 'Notes from the Ward');
    await click('Start this book');
    await page.waitForSelector('textarea[name="summary"]:not([disabled])');
    await page.$eval('textarea[name="summary"]', (el, value) => {
      const field = el as HTMLTextAreaElement;
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(field, value);
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }, SUMMARY);
    await seeText('Ready for the interview');
    await allSaved();
    const bookId = JSON.parse(script.userProperties.values.get(`aa.book:${DOCUMENT_ID}`)!) as string;

    await openNav('Interview');
    await click('Start the interview');
    await page.waitForSelector('.aa-answer textarea');
    for (const [i, field] of (await page.$$('.aa-answer textarea')).entries()) {
      await field.type(`Answer ${i}: the reader is a nurse who has just become a ward manager.`);
    }
    await allSaved();

    await openNav('TOC');
    await click('Propose a table of contents');
    await page.waitForSelector('.aa-diff li');
    await click('Apply proposal');
    await seeText('Proposal applied');
    const chapterTitle = (await api('GET', `/v1/books/${bookId}/toc`)).json().chapters[0].title as string;

    await openNav('Questions');
    await click('Generate questions');
    await seeText('Question 1 of');
    await click('List');
    for (const [i, field] of (await page.$$('.aa-question-list textarea')).slice(0, 4).entries()) {
      await field.type(`On night shift, Ana asked each nurse what had surprised them that week (${i}).`);
    }
    await allSaved();

    await openNav('Draft');
    // Template mode (no AI model): style and length apply only with a model, and the panel says so.
    await page.waitForSelector('select[name="style"][disabled]');
    expect(await page.$eval('input[name="draftWords"]', (el) => (el as HTMLInputElement).disabled)).toBe(true);
    expect(await page.$eval('#aa-draft-words-hint', (el) => el.textContent)).toContain('Style and length apply only with an AI model');
    await click('Write a draft');
    await page.waitForSelector('.aa-draft', { timeout: 30_000 });
    await click('Accept this draft');
    await seeText('Accepted: this version goes into the document when you write the chapter.');

    // Write at the cursor: DocumentApp writes after the cursor's paragraph, and the write is recorded with the API.
    await openNav('Write');
    await page.locator('label::-p-text(at the cursor) input[type="checkbox"]').click();
    await click(`Write ${chapterTitle}`);
    await page.waitForSelector('.aa-write-result [data-write-status="written"]', { timeout: 30_000 });
    const texts = bodyTexts(script.document);
    expect(texts.slice(0, 2)).toEqual(['Notes before the chapter.', 'Put the chapter after this line.']);
    expect(texts[2]).toBe(chapterTitle);
    expect(texts.at(-1)).toBe('Notes after the chapter.');
    expect(texts.join('\n')).toContain('Ana asked each nurse');
    const paragraphs = bodyParagraphs(script.globals.DocumentApp as never, script.document);
    expect(paragraphs[2]).toMatchObject({ style: 'HEADING_1', bullet: null });
    expect(paragraphs.slice(3, -1).every((p) => p.style === 'NORMAL_TEXT' || p.style.startsWith('HEADING_'))).toBe(true);

    // At the cursor again: the chapter is in the document as written, so nothing moves, and the sidebar says why.
    await click(`Write ${chapterTitle}`);
    await seeText('It was already in the document just as written, so nothing changed.');
    expect(bodyTexts(script.document)).toEqual(texts);
    const status = (await api('GET', `/v1/books/${bookId}/doc`)).json();
    expect(status).toMatchObject({ documentId: DOCUMENT_ID, chapters: [expect.objectContaining({ source: 'addon', rangeName: expect.stringContaining(bookId) })] });
    expect(calls).toEqual(expect.arrayContaining(['getUserValues', 'getDocumentContext', 'getIdentityToken', 'setUserValue', 'insertChapter']));

    // Actions on a selection: the result shows in the sidebar first and replaces exactly the selection on the click.
    script.document.body.insertParagraph(0, 'Ana listened first. She wrote one line down. Then she asked again.');
    const selectWhole = (index: number) => {
      const text = script.document.body.getChild(index).asParagraph().editAsText();
      script.document.setSelection(script.document.newRange().addElementsBetween(text, 0, text, text.getText().length - 1).build());
    };
    selectWhole(0);
    const untouched = bodyTexts(script.document).slice(1);
    await click('Use my selection');
    await page.waitForSelector('blockquote.aa-passage');
    await click('Shorten');
    await page.waitForSelector('article[aria-label="Result"]', { timeout: 30_000 });
    await seeText('Template mode (no AI model): the opening sentences of each paragraph, about half of it.');
    expect(bodyTexts(script.document)[0]).toBe('Ana listened first. She wrote one line down. Then she asked again.');
    await shots('selection-result');
    await click('Replace the selection');
    await seeText('Your selection was replaced in the document.');
    expect(bodyTexts(script.document)).toEqual(['Ana listened first. She wrote one line down.', ...untouched]);

    // Changed by the author before the click: nothing replaced, and the sidebar says so.
    selectWhole(0);
    await click('Use my selection');
    await page.waitForSelector('blockquote.aa-passage');
    await click('Rewrite');
    await page.waitForSelector('article[aria-label="Result"]', { timeout: 30_000 });
    script.document.body.getChild(0).asParagraph().editAsText().setText('Ana changed this line herself.');
    await click('Replace the selection');
    await seeText('The selected text changed in the document since it was read, so nothing was replaced.');
    expect(bodyTexts(script.document)).toEqual(['Ana changed this line herself.', ...untouched]);
    await shots('selection-changed');

    // Use as material: the passage becomes an answered question of the chosen chapter.
    selectWhole(0);
    await click('Use my selection');
    await page.waitForSelector('blockquote.aa-passage');
    await click('Use as material');
    await seeText('as material: it is now an answered question of that chapter');
    const chapterId = (await api('GET', `/v1/books/${bookId}/toc`)).json().chapters[0].id as string;
    const material = (await api('GET', `/v1/books/${bookId}/chapters/${chapterId}/questions?limit=100`)).json().items
      .filter((q: { text: string }) => q.text === 'A passage from your document');
    expect(material).toEqual([expect.objectContaining({ answer: expect.objectContaining({ text: 'Ana changed this line herself.', status: 'final' }) })]);
    expect(script.document.getNamedRanges().filter((n) => n.getName().startsWith('auto-author-passage:'))).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('says why a stored token stopped working, and takes the link the administrator sent, pasted whole', async () => {
    const script = runScript(code, { document: new FakeDocument(DOCUMENT_ID, 'My memoir'), identityToken: idToken });
    script.userProperties.values.set('aa.apiToken', JSON.stringify('aa_revoked-or-mistyped-0123456789'));
    const author = await t.newUser();
    const failures: Record<string, string> = {};
    const { context, errors } = await openSidebar(script, { failures });

    // The link opens the web app, so beside the document the author is told to paste it here instead.
    await seeText('Your API token was not accepted: it may have been revoked or mistyped. Paste a new one, or paste the link your administrator sent.');
    await seeText('Paste the token your administrator gave you, or the whole link they sent you.');
    await page.locator('input[name="token"]').fill('aa_mistyped-0123456789');
    await page.locator('form button[type="submit"]').click();
    await seeText('This token was not accepted. Check that you copied all of it, or ask your administrator for a new token or link.');
    // Then Google sign-in, refused: only its own reason shows, not the token's any more.
    failures.getIdentityToken = 'Exception: Authorization is required to perform that action.';
    await click('Sign in with Google');
    await seeText('Google did not let Auto-Author in');
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('This token was not accepted');
    await page.locator('input[name="token"]').fill(`${apiUrl}/app#token=${author.token}`);
    await shots('connect-link');
    await page.locator('form button[type="submit"]').click();
    await seeText('Title of a new book');
    expect(JSON.parse(script.userProperties.values.get('aa.apiToken')!)).toBe(author.token);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("says in the author's words what Apps Script refused, and carries on once it answers", async () => {
    const script = runScript(code, { document: new FakeDocument(DOCUMENT_ID, 'My memoir'), identityToken: idToken });
    seed(script.document, ['Ana listened first.']);
    await authorOfLinkedBook(script);
    // Signed in to several Google accounts: the sidebar's first call is refused.
    const failures: Record<string, string> = { getUserValues: 'Exception: Authorization is required to perform that action.' };
    const { context, errors } = await openSidebar(script, { failures });
    await seeText('Google did not let Auto-Author in');
    await seeText('If you are signed in to more than one Google account, open this document in a window signed in only to the account that added Auto-Author.');
    await shots('start-refused');
    await click('Try again');
    await page.waitForSelector('.aa-app button[data-panel="write"]:not([disabled])');

    // A write Google Docs fails: the result says so in plain words, never a code.
    await openNav('Write');
    failures.insertChapter = 'Exception: Service Documents failed while accessing document with id 1AddonSidebarTestDocument.';
    await click('Write The first week');
    await seeText('The first week: not written');
    await seeText('Google Docs could not do this just now (it happens from time to time). Try again in a moment.');
    expect(await page.evaluate(() => document.body.innerText)).not.toMatch(/INTERNAL|Exception/u);
    // The selection read over a lost connection.
    failures.readSelection = 'NetworkError: Connection failure due to HTTP 0';
    await click('Use my selection');
    await seeText('The sidebar lost its connection to Google Docs. Check your internet connection, then try again.');
    await shots('write-and-selection-failed');

    await click('Write The first week');
    await page.waitForSelector('.aa-write-result [data-write-status="written"]');
    expect(bodyTexts(script.document)).toContain('First opens with a paragraph.');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('opened while the server is out of reach, says so instead of asking for a book, and opens the book once it answers', async () => {
    const script = runScript(code, { document: new FakeDocument(DOCUMENT_ID, 'My memoir'), identityToken: idToken });
    await authorOfLinkedBook(script);
    script.userProperties.values.set('aa.panel', JSON.stringify('write'));
    apiReachable = false;
    try {
      const { context, errors } = await openSidebar(script);
      await seeText('The Auto-Author server does not answer, so your books cannot be shown yet.');
      expect(await page.evaluate(() => document.body.innerText)).not.toContain('Open or start a book');
      await shots('api-unreachable');
      apiReachable = true;
      await seeText('Writes into “My memoir”.');
      await seeText('The first week');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      apiReachable = true;
    }
  }, 60_000);

  it('a chapter written while the server stops answering is reported written, and writing it again never copies it twice', async () => {
    const script = runScript(code, { document: new FakeDocument(DOCUMENT_ID, 'My memoir'), identityToken: idToken });
    seed(script.document, ['Notes.']);
    const { author, bookId } = await authorOfLinkedBook(script);
    // The server goes out of reach while Apps Script writes the chapter (before the write is recorded with it).
    let writes = 0;
    const { context, errors } = await openSidebar(script, { onCall: (name) => void (name === 'insertChapter' && ++writes === 1 && (apiReachable = false)) });
    try {
      await openNav('Write');
      await page.locator('label::-p-text(at the cursor) input[type="checkbox"]').click();
      await click('Write The first week');
      await page.waitForSelector('.aa-write-result [data-write-status="written"]');
      await seeText('There was no cursor in the document, so it went at the end.');
      await seeText('The document has these chapters, but the Auto-Author server did not answer when told about them');
      expect(await page.evaluate(() => document.body.innerText)).not.toContain('Cannot reach the server');
      await shots('written-unrecorded');
      apiReachable = true;
      await seeText('The first week');
      await click('Write The first week');
      await page.waitForFunction(() => !document.body.innerText.includes('did not answer when told about them'));
      await page.waitForSelector('.aa-write-result [data-write-status="written"]');
      expect(bodyTexts(script.document).filter((text) => text === 'The first week')).toHaveLength(1);
      expect((await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/doc` })).json().chapters).toHaveLength(1);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      apiReachable = true;
    }
  }, 60_000);

  it('offers Google sign-in only where the server accepts it (the defaults have no Google client ids)', async () => {
    const googleOn = apiPort;
    apiPort = (plain.app.server.address() as AddressInfo).port;
    try {
      const script = runScript(code, { document: new FakeDocument(DOCUMENT_ID, 'My memoir'), identityToken: idToken });
      const { context, errors } = await openSidebar(script);
      await seeText('Paste the token your administrator gave you, or the whole link they sent you.');
      await page.waitForFunction(() => document.querySelector('.aa-badge.aa-offline') !== null);
      expect(await page.$('::-p-aria([name="Sign in with Google"][role="button"])')).toBeNull();
      await shots('connect-no-google');
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      apiPort = googleOn;
    }
  }, 60_000);
});
