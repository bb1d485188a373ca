import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAppInChromium } from './helpers/app-in-chromium.js';
import { exportBook } from './helpers/export-fixtures.js';
import { panelPage } from './helpers/panel-page.js';

// The export journey in /app, in real Chromium against the real API over HTTP: choose a format and chapters, follow
// the job's progress, see the chapters left out, download the file, find it again under Recent exports; a choice with
// nothing to export says so before anything is asked.

const app = useAppInChromium({ artifacts: 'app-export' });

let downloads: string;

beforeAll(() => {
  downloads = mkdtempSync(path.join(tmpdir(), 'aa-downloads-'));
});

afterAll(() => {
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

async function waitForFile(dir: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const done = readdirSync(dir).filter((name) => !name.endsWith('.crdownload'));
    if (done.length > 0) return path.join(dir, done[0]!);
    if (Date.now() > until) throw new Error(`no download in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('/app Export panel', () => {
  it('exports the chosen format, shows progress and the chapters left out, and downloads the file', { timeout: 120_000 }, async () => {
    const author = await app.t.newUser();
    const book = await exportBook(app.t, author.token, 4, 3);
    const skipped = book.chapters.find((chapter) => chapter.blocks === null)!;
    const context = await app.browser.createBrowserContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, browserContextId: (context as unknown as { id: string }).id });
    const ui = panelPage(page, { artifacts: app.artifacts });
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${app.origin}/app/#token=${author.token}`);
    await page.locator('.aa-item-button').click();
    await ui.openNav('export');
    await ui.seeText('Export the book');
    await ui.seeText('no accepted draft: will be skipped');
    await ui.shot('export-1280');

    await page.locator('input[name="aa-export-format"][value="pdf"]').click();
    await ui.click('Export PDF');
    await page.waitForSelector('.aa-job[data-job-status="succeeded"]', { timeout: 60_000 });
    await ui.seeText(`${book.chapters.length - 1} chapters exported`);
    const left = await page.$eval('[aria-label="Skipped chapters"]', (el) => (el as HTMLElement).innerText);
    expect(left).toContain(skipped.title);
    expect(left).toContain('no accepted draft yet');
    await ui.seeText('Recent exports');
    await ui.shot('export-done-1280');

    await page.locator('.aa-export-result button').click();
    const file = await waitForFile(downloads);
    expect(path.basename(file)).toMatch(/\.pdf$/);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

    await page.setViewport({ width: 300, height: 900 });
    await ui.shot('export-done-300');
    // At 300 px nothing is wider than the panel.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at 300 px: says why there is nothing to export when no chosen chapter has an accepted draft, before asking', { timeout: 60_000 }, async () => {
    const author = await app.t.newUser();
    const book = await exportBook(app.t, author.token, 2, 2);
    const { page, errors } = await app.open(author.token, 300);
    const ui = panelPage(page, { artifacts: app.artifacts });
    await page.locator('.aa-item-button').click();
    await ui.openNav('export');
    await ui.seeText('no accepted draft: will be skipped');
    const exportButton = '::-p-aria([name="Export Word (DOCX)"][role="button"])';
    const disabled = () => page.$eval(exportButton, (button) => (button as HTMLButtonElement).disabled);
    expect(await disabled()).toBe(false);
    // Leave out every chapter that has an accepted draft: the book has some, the choice has none.
    const boxes = await page.$$('.aa-export-chapter input[type="checkbox"]');
    for (const [i, chapter] of book.chapters.entries()) if (chapter.blocks) await boxes[i]!.click();
    await ui.seeText('None of the chosen chapters has an accepted draft yet: choose one that has, or accept a draft under Draft.');
    expect(await disabled()).toBe(true);
    await ui.shot('export-nothing-chosen-300');
    await boxes[0]!.click();
    await page.waitForFunction(() => !document.querySelector('#aa-export-nothing'));
    expect(await disabled()).toBe(false);
    expect(errors).toEqual([]);
    await page.browserContext().close();
  });
});
