import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionIdFromKey } from '../../extension/lib/extension-id.js';
import { bookWithDrafts, sampleBlocks } from './helpers/docs-fixtures.js';
import { createGoogleIssuer } from './helpers/google-id-tokens.js';
import { SUMMARY } from './helpers/journey.js';
import { CHROMIUM, CHROMIUM_ARGS, pageErrors, panelPage } from './helpers/panel-page.js';
import { newestSourceMtime } from './helpers/source-mtime.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';
import { startDocsEmulator, type DocsEmulator } from './support/docs-emulator/index.js';

// The built extension (.output/chrome-mv3-e2e) in headless Chromium, against the real API over HTTP (offline AI) and
// the Docs API emulator: the background offers the panel on a Google Docs tab and pins it to the document; the side
// panel signs in with Google, links a book to the doc, imports it, walks brief → interview → TOC → questions → draft,
// and the API writes the chapter into the (emulated) document with the Google token from session storage.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'extension');
/** A build of its own (`wxt build --mode e2e`), so `npm run build:extension`'s output is never replaced by a test build. */
const EXTENSION_DIR = path.join(ROOT, '.output', 'chrome-mv3-e2e');
const STAMP = `${EXTENSION_DIR}.build.json`;
/** The extension reaches exactly the API it was built for (its only host permission), so the API listens here. */
const API_PORT = 18787;
const OAUTH_CLIENT_ID = 'extension-e2e.apps.googleusercontent.com';
/** A public key (no secret) pinning the extension id, as EXTENSION_PUBLIC_KEY does for real builds. */
const PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2FxhN/qS4+UUlEZvZ4CQvagA4Mi2Z5SMW5jiYtfsxtRlNsuMSvZ+DdrcJN0ih+nMmfWvBQp8Fr+FJ16gGF8kCHCu+AtrTiUggqUj48hPRaJuWkEWSeXNBDHTf1ihi5lFgS16Dxe64uRfm3OFnW7jG1cxLyyDzTVZHGNO3jiHaG7mN6xDJao09ExLbgAPVcyRHpycILzdBZVE2Md+iGJG0hPTUmeQqYiQ8NyIE09Du21825oqeBJDLstjTVVwVkMLpm4L3/bv2KSQ2fQfbHQJ2OxHVNb83Cr0KzYezNjPnSR81WDc/EwoxoiDnObpGZgLyRjYqgqFUmPrxmFd2F3DlQIDAQAB';
const BUILD_ENV = { EXTENSION_API_URL: `http://127.0.0.1:${API_PORT}/`, EXTENSION_OAUTH_CLIENT_ID: OAUTH_CLIENT_ID, EXTENSION_PUBLIC_KEY: PUBLIC_KEY };
const GOOGLE_ACCESS_TOKEN = 'ya29.extension-e2e-access-token';
const DOC_TITLE = 'The Calm One-to-One';

/** Builds the extension for this test's API when the build is missing, older than its sources, or made for other settings. */
function ensureExtensionBuilt() {
  const settings = JSON.stringify(BUILD_ENV);
  const fresh = existsSync(path.join(EXTENSION_DIR, 'manifest.json')) && existsSync(STAMP)
    && readFileSync(STAMP, 'utf8') === settings && statSync(STAMP).mtimeMs >= newestSourceMtime(ROOT, { dirs: ['extension', 'shared'], files: ['wxt.config.ts', 'package.json'] });
  if (fresh) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'wxt', 'bin', 'wxt.mjs'), 'build', '-b', 'chrome', '--mode', 'e2e'], {
    cwd: ROOT, stdio: 'pipe', env: { ...process.env, ...BUILD_ENV, NODE_ENV: 'production' },
  });
  writeFileSync(STAMP, settings);
}

/** Code evaluated in the service worker or an extension page sees the extension API as `chrome`. */
/**
 * The extension APIs this test calls inside the extension's service worker. The extension's own code is typed by
 * @wxt-dev/browser under the extension's tsconfig; the API's tests resolve modules as Node does, which cannot read
 * those declarations, so the few calls made here are described by hand.
 */
interface ExtensionGlobal {
  chrome: {
    tabs: { query(query: object): Promise<Array<{ id?: number; url?: string }>> };
    action: { getPopup(details: { tabId: number }): Promise<string> };
    sidePanel: {
      getOptions(options: { tabId: number }): Promise<{ enabled?: boolean; path?: string }>;
      getPanelBehavior(): Promise<{ openPanelOnActionClick?: boolean }>;
    };
    storage: {
      session: { set(items: Record<string, unknown>): Promise<void>; clear(): Promise<void> };
      local: { get(key: string): Promise<Record<string, unknown>>; remove(key: string): Promise<void> };
    };
  };
}

let emulator: DocsEmulator;
let google: Awaited<ReturnType<typeof createGoogleIssuer>>;
let t: TestApp;
let browser: Browser;
let worker: WebWorker;
let userDataDir: string;
let extensionId: string;
let documentId: string;
let docsTab: Page;
/** The panel path the background pinned to the Docs tab (the plain form until then). */
let pinnedPath = '';

beforeAll(async () => {
  ensureExtensionBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  extensionId = await extensionIdFromKey(PUBLIC_KEY);
  emulator = await startDocsEmulator({ tokens: [GOOGLE_ACCESS_TOKEN] });
  documentId = emulator.createDocument({ title: DOC_TITLE, paragraphs: ['Notes kept on the ward, for the book.'] });
  google = await createGoogleIssuer();
  // A /regex/ for the one id: the config does not yet accept `chrome-extension://<id>` as an exact origin
  // (`new URL(…).origin` is "null" for that scheme in Node).
  t = await buildTestApp(
    { AI_PROVIDER: 'offline', GOOGLE_DOCS_ROOT_URL: emulator.url, CORS_ORIGINS: `/^chrome-extension:\\/\\/${extensionId}$/`, GOOGLE_CLIENT_IDS: OAUTH_CLIENT_ID },
    { googleKeySource: google.keySource },
  );
  await t.app.listen({ port: API_PORT, host: '127.0.0.1' });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'aa-chromium-extension-'));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    enableExtensions: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`],
  });
  const target = await browser.waitForTarget((tg) => tg.type() === 'service_worker' && tg.url().endsWith('/background.js'), { timeout: 20_000 });
  worker = (await target.worker())!;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  await emulator?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** Polls the service worker until `check` holds for what `read` returns. */
async function inWorker<T>(read: () => Promise<T>, check: (value: T) => boolean, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await worker.evaluate(read);
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`the service worker still says ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A tab showing a Google Docs URL; the page itself is a stand-in (no network here, and the editor is a canvas anyway). */
async function openDocsTab(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (new URL(request.url()).hostname !== 'docs.google.com') return void request.abort();
    void request.respond({
      status: 200, contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><title>${DOC_TITLE} - Google Docs</title><p>The document is drawn on a canvas here.</p>`,
    });
  });
  await page.goto(url);
  return page;
}

describe('the extension in Chromium', () => {
  it('loads with the id its pinned key gives', () => {
    expect(new URL(worker.url()).host).toBe(extensionId);
  });

  it('offers the side panel on a Google Docs tab only, pinned to that document', async () => {
    const url = `https://docs.google.com/document/d/${documentId}/edit?tab=t.0`;
    docsTab = await openDocsTab(url);
    const other = await browser.newPage();
    await other.setRequestInterception(true);
    other.on('request', (request) => void request.respond({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Recipes</title>' }));
    await other.goto('https://example.com/recipes');
    const state = await inWorker(async () => {
      const chrome = (globalThis as unknown as ExtensionGlobal).chrome;
      const tabs = await chrome.tabs.query({});
      const docs = tabs.find((tab) => tab.url?.startsWith('https://docs.google.com/document/'));
      const blank = tabs.find((tab) => tab.url === 'https://example.com/recipes');
      return {
        docsTabId: docs?.id ?? null,
        docs: docs?.id === undefined ? null : await chrome.sidePanel.getOptions({ tabId: docs.id }),
        docsPopup: docs?.id === undefined ? null : await chrome.action.getPopup({ tabId: docs.id }),
        blank: blank?.id === undefined ? null : await chrome.sidePanel.getOptions({ tabId: blank.id }),
        blankPopup: blank?.id === undefined ? null : await chrome.action.getPopup({ tabId: blank.id }),
        behavior: await chrome.sidePanel.getPanelBehavior(),
      };
    }, (s) => Boolean(s.docs?.enabled && s.docs.path?.includes('browserTabId=') && s.blankPopup));
    expect(state.behavior).toEqual({ openPanelOnActionClick: true });
    expect(state.blank).toMatchObject({ enabled: false });
    // Beside the document the toolbar button opens the panel; on any other tab, a popup saying where it opens.
    expect(state.docsPopup).toBe('');
    expect(state.blankPopup).toBe(`chrome-extension://${extensionId}/not-a-doc.html`);
    await other.setViewport({ width: 300, height: 200 });
    await other.goto(state.blankPopup!);
    expect(await other.evaluate(() => document.body.innerText)).toContain('This tab is not a Google Doc. Open your book\'s document in Google Docs, then click the Auto-Author button again.');
    await other.screenshot({ path: path.join(ARTIFACTS, '00-not-a-doc-300.png') });
    pinnedPath = state.docs!.path!;
    const query = new URLSearchParams(pinnedPath.split('?')[1]);
    expect(pinnedPath.startsWith('sidepanel.html?')).toBe(true);
    expect(query.get('documentId')).toBe(documentId);
    expect(query.get('browserTabId')).toBe(String(state.docsTabId));
    await other.close();
  });

  it('signs in with Google, links a book to the doc, walks the journey and writes the chapter into the document', async () => {
    const author = await t.newUser();
    // What the identity flow would have left in the session (tests put it there; DESIGN §6 "Browser tests").
    const idToken = await google.sign({ sub: 'google-sub-extension', email: author.email, email_verified: true }, { audience: OAUTH_CLIENT_ID });
    await worker.evaluate((accessToken: string, id: string) =>
      (globalThis as unknown as ExtensionGlobal).chrome.storage.session.set({ googleAccessToken: accessToken, googleIdToken: id }),
    GOOGLE_ACCESS_TOKEN, idToken);

    const page = await browser.newPage();
    await page.setViewport({ width: 360, height: 780 });
    const errors = pageErrors(page);
    // Requests that carry an Origin (Chromium sends none on the extension's GETs, which its host permission covers).
    const origins = new Set<string>();
    page.on('response', (response) => {
      const origin = response.request().headers().origin;
      if (origin && response.url().startsWith(`http://127.0.0.1:${API_PORT}/v1/`)) origins.add(`${origin} → ${response.headers()['access-control-allow-origin'] ?? '(not allowed)'}`);
    });
    const ui = panelPage(page, { artifacts: ARTIFACTS });
    const api = (method: 'GET' | 'POST', url: string) => t.as(author.token, { method, url });
    const local = (key: string) => page.evaluate(async (k: string) => (await (globalThis as unknown as ExtensionGlobal).chrome.storage.local.get(k))[k], key);

    await page.goto(`chrome-extension://${extensionId}/${pinnedPath || `sidepanel.html?documentId=${documentId}&title=${encodeURIComponent(DOC_TITLE)}`}`);

    // Connect: Sign in with Google (the ID token from the session → POST /v1/auth/google → an API token).
    await ui.click('Sign in with Google');
    await page.waitForSelector('input[name="newTitle"]');
    expect(await local('apiToken')).toMatch(/^aa_/);
    await ui.openNav('Connect');
    await ui.seeText(`Connected as ${author.email}`);
    await ui.shot('01-connect');

    // Link: a new book beside the doc takes the doc's title (from its tab) and is linked to it.
    await ui.openNav('Book');
    await page.waitForFunction((title: string) => (document.querySelector('input[name="newTitle"]') as HTMLInputElement | null)?.value === title, {}, DOC_TITLE);
    await ui.click('Start this book');
    await page.waitForSelector('textarea[name="summary"]:not([disabled])');
    const bookId = (await local(`book:${documentId}`)) as string;
    expect((await api('GET', `/v1/books/${bookId}`)).json()).toMatchObject({ title: DOC_TITLE, documentId });

    // Import reads the doc through the API with the Google token from session storage. It is offered first, above the form.
    expect(await page.$eval('section[aria-label="Import from the document"]', (section) =>
      Boolean(section.compareDocumentPosition(document.querySelector('input[name="title"]')!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
    await ui.click('Import headings and text');
    // The document has one line of text and no headings: no chapters, and the author is told which styles make them.
    await ui.seeText('No chapters proposed: the document has no headings (paragraphs styled Heading 1 or Heading 2 become chapters). 8 words of text found.');
    expect(emulator.requests.some((r) => r.method === 'get' && r.documentId === documentId && r.token === GOOGLE_ACCESS_TOKEN)).toBe(true);

    // Brief.
    await ui.typeInto('input[name="audience"]', 'first-time managers');
    await ui.paste('textarea[name="summary"]', SUMMARY);
    await ui.seeText('Ready for the interview');
    await ui.allSaved();
    expect((await api('GET', `/v1/books/${bookId}/summary`)).json().summary).toBe(SUMMARY);
    await ui.shot('02-brief');

    // Kick-off interview.
    await ui.openNav('Interview');
    await ui.click('Start the interview');
    await page.waitForSelector('.aa-answer textarea');
    const interviewAnswers = await page.$$('.aa-answer textarea');
    for (const [i, field] of interviewAnswers.entries()) await ui.paste(field, `Answer ${i}: the reader is a new manager who fears silence in meetings.`);
    await ui.allSaved();
    expect((await api('GET', `/v1/books/${bookId}/interview`)).json().answered).toBe(interviewAnswers.length);
    await ui.shot('03-interview');

    // TOC: propose and apply.
    await ui.openNav('TOC');
    await ui.click('Propose a table of contents');
    await page.waitForSelector('.aa-diff li');
    await ui.click('Apply proposal');
    await ui.seeText('Proposal applied');
    await ui.shot('04-toc');
    const chapterTitle = (await api('GET', `/v1/books/${bookId}/toc`)).json().chapters[0].title as string;

    // Questions for the first chapter, answered in list mode.
    await ui.openNav('Questions');
    await ui.click('Generate questions');
    await ui.seeText('Question 1 of');
    await ui.click('List');
    const fields = await page.$$('.aa-question-list textarea');
    expect(fields.length).toBeGreaterThanOrEqual(5);
    for (const [i, field] of fields.slice(0, 4).entries()) {
      await ui.paste(field, `On the ward, Maria started every one-to-one by asking what had surprised her nurse that week (${i}). Then she listened for ${i + 2} whole minutes.`);
    }
    await ui.allSaved();
    await ui.shot('05-questions');

    // Draft, accepted.
    await ui.openNav('Draft');
    // Template mode (no AI model): style and length apply only with a model, and the panel says so.
    await page.waitForSelector('select[name="style"][disabled]');
    expect(await page.$eval('input[name="draftWords"]', (el) => (el as HTMLInputElement).disabled)).toBe(true);
    expect(await page.$eval('#aa-draft-words-hint', (el) => el.textContent)).toContain('Style and length apply only with an AI model');
    await ui.click('Write a draft');
    await page.waitForSelector('.aa-draft', { timeout: 20_000 });
    await ui.click('Accept this draft');
    await ui.seeText('Accepted: this version goes into the document when you write the chapter.');
    await ui.shot('06-draft');

    // Write: the API writes into the Google Doc (the emulator) with the extension's Google token.
    await ui.openNav('Write');
    await ui.seeText(`Writes into “${DOC_TITLE}”.`);
    await ui.click(`Write ${chapterTitle}`);
    await page.waitForSelector('.aa-write-result [data-write-status="written"]');
    await ui.shot('07-write');
    const paragraphs = emulator.paragraphs(documentId);
    expect(paragraphs).toContainEqual(expect.objectContaining({ text: chapterTitle, namedStyleType: 'HEADING_1' }));
    expect(paragraphs.some((p) => p.text.includes('Maria'))).toBe(true);
    expect(paragraphs[0]!.text).toBe('Notes kept on the ward, for the book.');
    const ranges = emulator.namedRanges(documentId);
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.text.startsWith(chapterTitle)).toBe(true);
    expect(emulator.requests.filter((r) => r.method === 'batchUpdate').every((r) => r.token === GOOGLE_ACCESS_TOKEN)).toBe(true);
    const doc = (await api('GET', `/v1/books/${bookId}/doc`)).json();
    expect(doc).toMatchObject({ documentId });

    // Change the chapter in the document: a new version is made from its accepted draft and shown first; the document
    // changes only on "Replace in the document".
    const untilDocument = async (check: (text: string) => boolean) => {
      for (const deadline = Date.now() + 15_000; !check(emulator.text(documentId));) {
        if (Date.now() > deadline) throw new Error(`the document still reads ${JSON.stringify(emulator.text(documentId))}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await ui.click(`Change ${chapterTitle}`);
    await ui.seeText('Template mode (no AI model): rewrite rebuilds passages');
    // Template mode says what it cannot do before anything is spent (this draft is already its answers' own words).
    await page.waitForSelector('.aa-chapter-actions [data-refused="rewrite"]');
    expect(await page.$eval('.aa-chapter-actions [data-quote="cost"]', (el) => el.textContent)).toBe('Free: template mode (no AI model)');
    const written = emulator.text(documentId);
    await ui.click('Shorten');
    const shown = await page.waitForSelector('.aa-chapter-actions article[aria-label="New version"]', { timeout: 20_000 });
    const shortenedId = await shown!.evaluate((el) => el.getAttribute('data-draft-id'));
    await ui.seeText('Not in the document yet.');
    expect(await page.$eval('article[aria-label="New version"] .aa-offline', (el) => el.textContent)).toBe('template mode (no AI model)');
    expect(emulator.text(documentId)).toBe(written);
    for (const width of [300, 1280]) {
      await page.setViewport({ width, height: 900 });
      await ui.shot(`08-change-${width}`);
    }
    await page.setViewport({ width: 360, height: 780 });
    await ui.click('Replace in the document');
    await untilDocument((text) => text !== written);
    await page.waitForSelector('.aa-write-result [data-write-status="written"]');
    expect(await page.$('.aa-chapter-actions')).toBeNull();
    const drafts = (await api('GET', `/v1/books/${bookId}/chapters/${(await api('GET', `/v1/books/${bookId}/toc`)).json().chapters[0].id}/drafts`)).json();
    const shortened = drafts.items.find((d: { id: string }) => d.id === shortenedId);
    expect(shortened).toMatchObject({ accepted: true, change: { kind: 'revise', instruction: 'Shorten this chapter, keeping what matters most' } });
    for (const block of shortened.blocks.filter((b: { type: string }) => b.type === 'paragraph')) expect(emulator.text(documentId)).toContain(block.text);
    expect(emulator.namedRanges(documentId)).toHaveLength(1);
    expect(emulator.paragraphs(documentId)[0]!.text).toBe('Notes kept on the ward, for the book.');

    // Edited in the document meanwhile: the writer refuses, says why, and replaces only on the author's explicit choice.
    await ui.click(`Change ${chapterTitle}`);
    await ui.click('Expand');
    await page.waitForSelector('.aa-chapter-actions article[aria-label="New version"]', { timeout: 20_000 });
    const range = emulator.namedRanges(documentId)[0]!;
    emulator.editAsAuthor(documentId, [{ insertText: { location: { index: range.ranges[0]!.startIndex + 3 }, text: ' (my edit)' } }]);
    const edited = emulator.text(documentId);
    await ui.click('Replace in the document');
    await page.waitForSelector('.aa-write-result [data-write-status="skipped"]');
    await ui.seeText('You edited this chapter in the document, so it was left alone.');
    await ui.seeText('the document keeps your edit unless you replace it');
    expect(emulator.text(documentId)).toBe(edited);
    await ui.shot('09-change-refused');
    await ui.click('Replace it anyway');
    await untilDocument((text) => !text.includes('(my edit)'));
    await page.waitForSelector('.aa-write-result [data-write-status="written"]');

    // The panel follows its tab: renaming the document shows the new title.
    await docsTab.evaluate(() => {
      document.title = 'The Calm One-to-One, second edition - Google Docs';
    });
    await ui.openNav('Write');
    await ui.seeText('Writes into “The Calm One-to-One, second edition”.');

    // The API allowed the extension's origin (its CORS allow-list names the pinned id).
    expect([...origins]).toEqual([`chrome-extension://${extensionId} → chrome-extension://${extensionId}`]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('says so when Google sign-in does not finish (its window closed, or Google out of reach)', async () => {
    await worker.evaluate(async () => {
      const chrome = (globalThis as unknown as ExtensionGlobal).chrome;
      await chrome.storage.session.clear();
      await chrome.storage.local.remove('apiToken');
    });
    const page = await browser.newPage();
    await page.setViewport({ width: 300, height: 780 });
    const errors = pageErrors(page);
    // Google's side of the flow: the author closes its window (Chrome then rejects the flow with this message).
    await page.evaluateOnNewDocument(() => {
      (globalThis as unknown as { chrome: { identity: { launchWebAuthFlow: unknown } } }).chrome.identity.launchWebAuthFlow =
        () => Promise.reject(new Error('The user did not approve access.'));
    });
    const ui = panelPage(page, { artifacts: ARTIFACTS });
    await page.goto(`chrome-extension://${extensionId}/${pinnedPath}`);
    await ui.click('Sign in with Google');
    await ui.seeText('Google sign-in did not finish: its window was closed, or Google could not be reached. Try again, or paste a token instead.');
    await ui.seeText('Paste the token your administrator gave you, or the whole link they sent you.');
    for (const width of [300, 1280]) {
      await page.setViewport({ width, height: 780 });
      await ui.shot(`10-google-unfinished-${width}`);
    }
    await page.setViewport({ width: 300, height: 780 });

    // Connected with the link the administrator sent; a write without Google access, and Re-connect Google closed.
    const author = await t.newUser();
    const { bookId } = await bookWithDrafts(t, author.token, [{ title: 'The first week', blocks: sampleBlocks('First') }]);
    expect((await t.as(author.token, { method: 'PUT', url: `/v1/books/${bookId}/doc`, payload: { documentId } })).statusCode).toBe(200);
    await ui.paste('input[name="token"]', `http://127.0.0.1:${API_PORT}/app#token=${author.token}`);
    await page.locator('form button[type="submit"]').click();
    // Importing reads the document, so the permission asked for is to read it as well as to write.
    await ui.click('Import headings and text');
    await ui.seeText('Auto-Author needs your Google permission to read and write this document. Re-connect Google to carry on.');
    await ui.shot('11-import-google-access-300');
    await ui.openNav('Write');
    await ui.click('Write The first week');
    await ui.seeText('Google access needed');
    // Trying again without Google's consent meets the same refusal: Re-connect Google is the way on.
    expect(await page.$$eval('.aa-error button', (buttons) => buttons.map((b) => b.textContent))).toEqual(['Re-connect Google', 'Dismiss']);
    await ui.click('Re-connect Google');
    await ui.seeText('Google gave no access: its window was closed, or Google could not be reached. Re-connect Google to try again.');
    for (const width of [300, 1280]) {
      await page.setViewport({ width, height: 780 });
      await ui.shot(`11-google-reconnect-unfinished-${width}`);
    }
    expect(emulator.text(documentId)).not.toContain('First opens with a paragraph.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a document that keeps changing while the API writes: says so, writes nothing, and Try again writes once it settles', async () => {
    // Connected by the previous test (the pasted link), with a book linked to the document and a Google token.
    await worker.evaluate((accessToken: string) =>
      (globalThis as unknown as ExtensionGlobal).chrome.storage.session.set({ googleAccessToken: accessToken }), GOOGLE_ACCESS_TOKEN);
    let editing = true;
    emulator.afterNext('get', () => {
      if (editing) emulator.editAsAuthor(documentId, [{ insertText: { location: { index: 1 }, text: '.' } }]);
    }, { documentId, times: 1_000 });
    const page = await browser.newPage();
    await page.setViewport({ width: 300, height: 780 });
    const errors = pageErrors(page);
    const ui = panelPage(page, { artifacts: ARTIFACTS });
    await page.goto(`chrome-extension://${extensionId}/${pinnedPath}`);
    await ui.openNav('Write');
    await ui.click('Write The first week');
    await ui.seeText('The document kept changing while writing; try again.');
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('Compare both versions');
    expect(emulator.text(documentId)).not.toContain('First opens with a paragraph.');
    for (const width of [300, 1280]) {
      await page.setViewport({ width, height: 780 });
      await ui.shot(`12-document-kept-changing-${width}`);
    }
    editing = false;
    await ui.click('Try again');
    await page.waitForSelector('.aa-write-result [data-write-status="written"]');
    expect(emulator.text(documentId)).toContain('First opens with a paragraph.');
    expect(errors).toEqual([]);
    await page.close();
  });
});
