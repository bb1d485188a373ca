import type { ElementHandle, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { useAppInChromium } from './helpers/app-in-chromium.js';
import { authorClient } from './helpers/engine-fixtures.js';
import { runJob, waitForJob } from './helpers/journey.js';
import { panelPage } from './helpers/panel-page.js';

// The book remembers, in /app in real Chromium (template mode, no keys) at 300 px and 1280 px: the voice sample on
// the brief, a follow-up asked from the Questions panel and shown under its parent, a draft flagged where it
// contradicts a locked note, and the Continuity panel (notes with their sources, lock, a delete that stays deleted when
// the notes are updated again, and its restore). Screenshots of each panel go to test-artifacts/book-memory.

const app = useAppInChromium({ artifacts: 'book-memory' });

/** A book with an accepted first chapter (its notes kept, Maria's locked) and a second chapter whose draft contradicts it. */
async function givenBook() {
  const author = await app.t.newUser();
  const a = authorClient(app.t, author.token);
  const bookId = await a.book('Night Shift');
  const ward = await a.chapter(bookId, 'The ward');
  const questions = await a.questions(bookId, ward.id, 5);
  await a.answer(bookId, ward.id, questions[0]!.id, 'Maria Lopez ran the night shift at Harbour Clinic with 12 nurses.');
  await a.answer(bookId, ward.id, questions[1]!.id, 'Every huddle took ten minutes.', 'draft');
  const draft = await runJob(app.t, author.token, 'POST', `/v1/books/${bookId}/chapters/${ward.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
  const accepted = await a.call('POST', `/v1/books/${bookId}/chapters/${ward.id}/drafts/${draft.result.draftId as string}/accept`);
  await waitForJob(app.t, author.token, accepted.json<{ continuityJob: { id: string } }>().continuityJob.id);
  const notes = (await a.call('GET', `/v1/books/${bookId}/continuity`)).json<{ items: Array<{ id: string; subject: string; version: number }> }>().items;
  const maria = notes.find((note) => note.subject === 'Maria Lopez')!;
  await a.call('PATCH', `/v1/books/${bookId}/continuity/${maria.id}`, { version: maria.version, detail: 'Maria Lopez is 34 years old.', locked: true });
  const later = await a.chapter(bookId, 'Hard conversations');
  const laterQuestions = await a.questions(bookId, later.id, 5);
  await a.answer(bookId, later.id, laterQuestions[0]!.id, 'Maria Lopez was 36 years old when she first said no to a surgeon.');
  await runJob(app.t, author.token, 'POST', `/v1/books/${bookId}/chapters/${later.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
  return { author, bookId, ward, later };
}

const continuityJobs = async (token: string, bookId: string) =>
  (await app.t.as(token, { method: 'GET', url: `/v1/jobs?bookId=${bookId}&limit=100` })).json<{ items: Array<{ id: string; kind: string }> }>()
    .items.filter((job) => job.kind === 'continuity.extract').map((job) => job.id);

/** The id of the first continuity job of the book not among `before` (the one the panel just started). */
async function waitForNewJob(token: string, bookId: string, before: string[]) {
  for (let tries = 0; tries < 500; tries++) {
    const started = (await continuityJobs(token, bookId)).find((id) => !before.includes(id));
    if (started) return started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the panel started no continuity job');
}

/** Waits until the panel lists exactly the notes the API keeps (it reloads them when a job ends); their subjects. */
async function showsTheNotesOf(page: Page, token: string, bookId: string) {
  const notes = (await app.t.as(token, { method: 'GET', url: `/v1/books/${bookId}/continuity` })).json<{ items: Array<{ id: string; subject: string }> }>().items;
  await page.waitForFunction((ids: string[]) => {
    const shown = [...document.querySelectorAll('li.aa-note')].map((li) => li.getAttribute('data-note-id'));
    return shown.length === ids.length && ids.every((id) => shown.includes(id));
  }, {}, notes.map((note) => note.id));
  return notes.map((note) => note.subject);
}

describe('the book remembers, in /app', () => {
  for (const width of [300, 1280]) {
    it(`at ${width} px: voice sample, a follow-up under its parent, a flagged draft, the Continuity panel`, async () => {
      const { author, bookId, ward, later } = await givenBook();
      const { page, errors } = await app.open(author.token, width);
      const p = panelPage(page, { artifacts: app.artifacts });
      await p.click('Night Shift');

      await page.waitForSelector('textarea[name="voiceSample"]');
      await p.paste('textarea[name="voiceSample"]', 'Short sentences. I say what I saw. Then I stop.');
      await p.allSaved();
      expect((await app.t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}` })).json()).toMatchObject({ voiceSample: 'Short sentences. I say what I saw. Then I stop.' });
      await page.$eval('textarea[name="voiceSample"]', (el) => el.scrollIntoView());
      await p.shot(`brief-voice-sample-${width}`);

      // Questions: the short final answer offers a follow-up; it appears right under its parent.
      await p.openNav('Questions');
      await page.waitForSelector('select[name="chapter"]');
      await page.select('select[name="chapter"]', ward.id);
      await p.click('List');
      await p.click('Ask a follow-up on this answer');
      await p.seeText('Follow-up to the question above');
      const order = await page.$$eval('.aa-question-list > li', (items) => items.map((li) => li.getAttribute('data-follow-up-of')));
      expect(order[1]).toBeTruthy();
      expect(order.filter(Boolean)).toHaveLength(1);
      expect(await page.$eval('.aa-followup', (el) => el.textContent)).toContain('You wrote: “Maria Lopez ran the night shift at Harbour Clinic with 12 nurses.”');
      // The draft answer offers none until it is final.
      expect(await page.$$eval('.aa-followup-action button', (buttons) => buttons.length)).toBe(0);
      await p.shot(`questions-follow-up-${width}`);

      // Draft: the second chapter's draft is flagged where it says 36, and left as written.
      await p.openNav('Draft');
      await page.waitForSelector('select[name="chapter"]');
      await page.select('select[name="chapter"]', later.id);
      await p.seeText('contradicts a note you locked in Continuity');
      expect(await page.$eval('.aa-contradiction', (el) => el.textContent)).toContain('36');
      expect(await page.$eval('.aa-contradiction-note', (el) => el.textContent)).toContain('Contradicts your locked note on Maria Lopez');
      await p.shot(`draft-contradiction-${width}`);

      // Continuity: the notes by kind with their source; unlocking and locking go through the API.
      await p.openNav('Continuity');
      await p.seeText('People');
      await p.seeText('Maria Lopez is 34 years old.');
      await p.seeText('From “The ward”');
      await p.seeText('template mode (no AI model)');
      const harbour = await page.waitForSelector('li.aa-note[data-locked="false"]');
      await harbour!.$eval('button[aria-pressed="false"]', (button) => (button as HTMLButtonElement).click());
      await page.waitForFunction(() => document.querySelectorAll('li.aa-note[data-locked="true"]').length === 2);
      const locked = (await app.t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/continuity` })).json<{ items: Array<{ locked: boolean }> }>().items;
      expect(locked.filter((note) => note.locked)).toHaveLength(2);
      // Updating from a chapter without an accepted draft says what to do; from the first chapter it runs again.
      await page.select('select[name="continuityChapter"]', later.id);
      await p.click('Update the notes from its accepted draft');
      await p.seeText('This chapter has no accepted draft yet; accept one first.');
      await p.shot(`continuity-${width}`);
      await page.select('select[name="continuityChapter"]', ward.id);
      await p.click('Update the notes from its accepted draft');
      await page.waitForFunction(() => !document.body.innerText.includes('This chapter has no accepted draft yet'));
      await p.seeText('12 nurses');

      // Deleting a note asks once more, and the note stays deleted when the notes are updated from the draft again.
      await p.seeText('A note you delete is not suggested again');
      for (const id of await continuityJobs(author.token, bookId)) await waitForJob(app.t, author.token, id);
      await showsTheNotesOf(page, author.token, bookId);
      const clickInNote = async (subject: string, label: string) => {
        const button = await page.waitForFunction((wanted: string, name: string) => {
          const note = [...document.querySelectorAll('li.aa-note')].find((li) => li.querySelector('strong')?.textContent === wanted);
          return [...(note?.querySelectorAll('button') ?? [])].find((b) => b.textContent === name);
        }, {}, subject, label);
        await (button.asElement() as ElementHandle<HTMLButtonElement>).evaluate((b) => b.click());
      };
      await clickInNote('12 nurses', 'Delete');
      await clickInNote('12 nurses', 'Yes, delete it');
      await page.waitForFunction(() => ![...document.querySelectorAll('li.aa-note strong')].some((s) => s.textContent === '12 nurses'));
      const jobsBefore = await continuityJobs(author.token, bookId);
      await p.click('Update the notes from its accepted draft');
      const rerun = await waitForNewJob(author.token, bookId, jobsBefore);
      expect((await waitForJob(app.t, author.token, rerun)).status).toBe('succeeded');
      const kept = await showsTheNotesOf(page, author.token, bookId);
      expect(kept).not.toContain('12 nurses');
      expect(kept).toEqual(expect.arrayContaining(['Maria Lopez', 'Harbour Clinic']));
      await p.shot(`continuity-after-delete-${width}`);

      // The deleted note is kept as it was, and restoring it brings it back among the notes.
      await page.locator('details[aria-label="Deleted notes"] > summary').click();
      const deleted = await page.waitForSelector('li.aa-deleted-note');
      expect(await deleted!.evaluate((li) => li.textContent)).toContain('12 nurses');
      await p.shot(`continuity-deleted-notes-${width}`);
      await deleted!.$eval('button', (button) => (button as HTMLButtonElement).click());
      await page.waitForFunction(() => [...document.querySelectorAll('li.aa-note strong')].some((s) => s.textContent === '12 nurses'));
      await page.waitForFunction(() => !document.querySelector('li.aa-deleted-note'));
      expect(await showsTheNotesOf(page, author.token, bookId)).toContain('12 nurses');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await page.browserContext().close();
    }, 90_000);
  }
});
