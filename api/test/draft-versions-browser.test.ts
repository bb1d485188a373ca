import { describe, expect, it } from 'vitest';
import type { Draft } from '../../shared/schemas/authoring.js';
import { useAppInChromium } from './helpers/app-in-chromium.js';
import { authorClient } from './helpers/engine-fixtures.js';
import { runJob } from './helpers/journey.js';
import { panelPage } from './helpers/panel-page.js';

// Shaping a draft in /app in real Chromium (template mode, no keys) at 300 px and 1280 px: the book's standing
// instructions set on the brief, one passage reworked
// (every other passage unchanged), the whole draft revised by a chip, a passage edited by hand (kept as the
// author's words), and two versions compared passage by passage. Screenshots go to test-artifacts/draft-versions.

const app = useAppInChromium({ artifacts: 'draft-versions' });

async function givenDraft() {
  const author = await app.t.newUser();
  const a = authorClient(app.t, author.token);
  const bookId = await a.book('Listening');
  const chapter = await a.chapter(bookId, 'Ask first');
  const questions = await a.questions(bookId, chapter.id, 5);
  await a.answer(bookId, chapter.id, questions[0]!.id, 'On the ward, Maria asked her nurse what had surprised her that week. Then she listened for two whole minutes. She wrote down one thing.');
  await a.answer(bookId, chapter.id, questions[1]!.id, '- Ask one open question\n- Listen for two minutes\n- Write down one thing');
  await runJob(app.t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
  const drafts = async () => (await a.call('GET', `/v1/books/${bookId}/chapters/${chapter.id}/drafts?limit=100`)).json<{ items: Draft[] }>().items;
  return { author, bookId, chapter, drafts };
}

const blocksJson = (draft: Draft) => draft.blocks.map((block) => JSON.stringify(block));

describe('shaping a draft in /app', () => {
  for (const width of [300, 1280]) {
    it(`at ${width} px: rework one passage, revise by a chip, edit by hand, compare two versions`, async () => {
      const { author, bookId, chapter, drafts } = await givenDraft();
      const [first] = await drafts();
      const { page, errors } = await app.open(author.token, width);
      const p = panelPage(page, { artifacts: app.artifacts });
      await p.click('Listening');

      // The book's standing instructions are a brief field, saved like the others.
      await page.waitForSelector('textarea[name="standingInstructions"]');
      await p.paste('textarea[name="standingInstructions"]', 'British spelling\nNo bullet lists');
      await p.allSaved();
      expect((await app.t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}` })).json()).toMatchObject({ standingInstructions: 'British spelling\nNo bullet lists' });
      await page.$eval('textarea[name="standingInstructions"]', (el) => el.scrollIntoView());
      await p.shot(`brief-standing-instructions-${width}`);

      await p.openNav('Draft');
      await page.waitForSelector('select[name="chapter"]');
      await page.select('select[name="chapter"]', chapter.id);
      await page.waitForSelector(`article[data-draft-id="${first!.id}"]`);

      // One passage: its tools open under it; Shorten makes draft 2 where every other passage is unchanged.
      await page.click('.aa-draft .aa-block');
      await page.waitForSelector('[data-block-tools="B1"]');
      // Its cost before the click, like every generate button (free in template mode); what template mode cannot do
      // here is disabled, with the reason: the paragraph already holds all of its answer, and is its answer's own words.
      await page.waitForSelector('[data-block-tools="B1"] [data-quote="cost"]');
      expect(await page.$eval('[data-block-tools="B1"] [data-quote]', (el) => el.textContent)).toBe('Free: template mode (no AI model)');
      expect(await page.$$eval('[data-block-tools="B1"] [data-refused]', (els) => els.map((el) => el.getAttribute('data-refused')))).toEqual(['regenerate', 'expand']);
      expect(await page.$eval('[data-block-tools="B1"] [data-refused="expand"]', (el) => el.textContent)).toBe(
        'Expand: Template mode (no AI model) cannot expand passage 1: your answers behind it hold nothing it does not already say. An AI model can.',
      );
      await p.shot(`passage-tools-${width}`);
      await p.click('Shorten');
      await p.seeText('From draft 1: shortened passage 1');
      let versions = await drafts();
      const shortened = versions.find((d) => d.number === 2)!;
      expect(blocksJson(shortened).slice(1)).toEqual(blocksJson(first!).slice(1));
      expect(shortened.blocks[0]).toMatchObject({ text: 'On the ward, Maria asked her nurse what had surprised her that week. Then she listened for two whole minutes.' });

      // The revise box's example fits the box, at 300 px too.
      expect(await page.$eval('input[name="instruction"]', (input) => {
        const style = getComputedStyle(input);
        const measure = document.createElement('canvas').getContext('2d')!;
        measure.font = `italic ${style.fontSize} ${style.fontFamily}`;
        return measure.measureText((input as HTMLInputElement).placeholder).width <= input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      })).toBe(true);

      // The whole draft, by a chip: template mode can follow "Shorter" (a chip it cannot follow says so before the click).
      await p.click('Warmer');
      await p.seeText('Template mode (no AI model) can follow only these instructions');
      await p.click('Shorter');
      await p.shot(`revise-box-${width}`);
      await p.click('Revise');
      await p.seeText('From draft 2: “Shorter”');
      versions = await drafts();
      const revised = versions.find((d) => d.number === 3)!;
      expect(revised.change).toEqual({ kind: 'revise', instruction: 'Shorter', blockIds: [] });

      // By hand: the author's words become draft 4, marked as theirs, keeping the passage's answers.
      await page.click('.aa-draft .aa-block');
      await p.click('Edit');
      await page.waitForSelector('textarea[name="blockText"]');
      await p.paste('textarea[name="blockText"]', 'Maria asked one question, and then she listened.');
      await p.shot(`hand-edit-${width}`);
      // Words typed by hand survive closing the panel: reopened, the passage still holds them, not yet saved.
      await page.reload();
      await p.openNav('Draft');
      await page.waitForSelector('select[name="chapter"]');
      await page.select('select[name="chapter"]', chapter.id);
      await page.waitForSelector(`article[data-draft-id="${revised.id}"]`);
      await page.click('.aa-draft .aa-block');
      await page.waitForFunction(() => (document.querySelector('textarea[name="blockText"]') as HTMLTextAreaElement | null)?.value === 'Maria asked one question, and then she listened.');
      expect(await drafts()).toHaveLength(3);
      await p.click('Save my version');
      await p.seeText('From draft 3: you edited passage 1');
      versions = await drafts();
      const edited = versions.find((d) => d.number === 4)!;
      expect(edited.blocks[0]).toMatchObject({ text: 'Maria asked one question, and then she listened.', authored: true, sources: (revised.blocks[0] as { sources: unknown }).sources });
      expect(blocksJson(edited).slice(1)).toEqual(blocksJson(revised).slice(1));
      await page.click('.aa-draft .aa-block');
      await p.seeText('Your own words (edited by hand).');

      // The versions say how each was made; the first, from the answers in template mode, claims no style.
      const versionNames = await page.$$eval('.aa-app select:not([name]) option', (options) => options.map((o) => o.textContent ?? ''));
      expect(versionNames.find((name) => name.startsWith('Draft 1 — '))).toMatch(/^Draft 1 — template mode, \d+ words$/);

      // Compare: draft 4 against the one it was made from, only what changed.
      await p.click('Compare with another version');
      await page.waitForSelector('[data-compare="changed"]');
      expect(await page.$$eval('[data-compare]', (rows) => rows.map((row) => row.getAttribute('data-compare')))).toEqual(['changed']);
      expect(await page.$eval('[data-compare="changed"] .aa-compare-after', (el) => el.textContent)).toBe('Maria asked one question, and then she listened.');
      await page.$eval('.aa-compare', (el) => el.scrollIntoView());
      await p.shot(`compare-${width}`);

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await page.browserContext().close();
    }, 90_000);
  }
});
