import { describe, expect, it } from 'vitest';
import type { Draft } from '../../shared/schemas/authoring.js';
import { useAppInChromium } from './helpers/app-in-chromium.js';
import { authorClient } from './helpers/engine-fixtures.js';
import { runJob } from './helpers/journey.js';
import { panelPage } from './helpers/panel-page.js';

// Changing a chapter already written, in /app's local document preview (template mode, no keys): the new version shows
// in the Write panel and the preview stays as it was until "Replace in the document"; Discard leaves the accepted draft
// as it was. (The extension's test does the same against the Docs emulator, with a chapter the author edited.)

const app = useAppInChromium({ artifacts: 'chapter-actions' });

describe('changing a written chapter in /app', () => {
  it('shows the new version first, discards it on request, and replaces the chapter in the preview only on the click', async () => {
    const author = await app.t.newUser();
    const a = authorClient(app.t, author.token);
    const bookId = await a.book('Listening');
    const chapter = await a.chapter(bookId, 'Ask first');
    const [question] = await a.questions(bookId, chapter.id, 5);
    await a.answer(bookId, chapter.id, question!.id, 'On the ward, Maria asked her nurse what had surprised her that week. Then she listened for two whole minutes. She wrote down one thing.');
    await runJob(app.t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
    const drafts = async () => (await a.call('GET', `/v1/books/${bookId}/chapters/${chapter.id}/drafts?limit=100`)).json<{ items: Draft[] }>().items;
    const [first] = await drafts();
    await a.call('POST', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/${first!.id}/accept`);

    const context = await app.browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 300, height: 900 });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${app.origin}/app/#token=${author.token}`);
    const ui = panelPage(page, { artifacts: app.artifacts });
    await ui.click('Listening');
    await ui.openNav('Write');
    await ui.click('Write Ask first');
    await page.waitForSelector('.aa-write-result [data-write-status="written"]');
    const preview = () => page.$eval('section[aria-label="Local preview"]', (el) => (el as HTMLElement).innerText);
    const before = await preview();
    expect(before).toContain('She wrote down one thing.');

    // A new version, shown in the panel; the preview is untouched, and Discard leaves the accepted draft as it was.
    await page.waitForSelector('li[data-written="true"]');
    await ui.click('Change Ask first');
    await ui.click('Shorten');
    await page.waitForSelector('article[aria-label="New version"]', { timeout: 20_000 });
    await ui.seeText('Asked: “Shorten this chapter, keeping what matters most”. Not in the document yet.');
    expect(await preview()).toBe(before);
    await ui.shot('new-version-300');
    await ui.click('Discard');
    expect(await page.$('.aa-chapter-actions')).toBeNull();
    let versions = await drafts();
    expect(versions.find((d) => d.accepted)?.id).toBe(first!.id);
    expect(versions.find((d) => d.number === 2)).toMatchObject({ accepted: false, change: { kind: 'revise' } });

    // Again, and this time into the document: accepted, then written in place of the chapter.
    await ui.click('Change Ask first');
    await ui.click('Shorten');
    await page.waitForSelector('article[aria-label="New version"]', { timeout: 20_000 });
    expect(await preview()).toBe(before);
    await ui.click('Replace in the document');
    await page.waitForFunction((old: string) => (document.querySelector('section[aria-label="Local preview"]') as HTMLElement | null)?.innerText !== old, {}, before);
    expect(await page.$('.aa-chapter-actions')).toBeNull();
    versions = await drafts();
    const replaced = versions.find((d) => d.accepted)!;
    expect(replaced.number).toBe(3);
    const after = await preview();
    expect(after).not.toContain('She wrote down one thing.');
    for (const block of replaced.blocks) if (block.type === 'paragraph') expect(after).toContain(block.text);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
