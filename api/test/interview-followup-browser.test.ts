import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { useAppInChromium, type AppInChromium } from './helpers/app-in-chromium.js';
import { authorClient } from './helpers/engine-fixtures.js';
import { runJob } from './helpers/journey.js';
import { useModelServer } from './helpers/model-server.js';
import { panelPage } from './helpers/panel-page.js';
import { openAiTestEnv } from './support/openai-test-server.js';

// Follow-ups in the Interview panel of /app, in real Chromium at 300 px and 1280 px: in template mode a labelled
// follow-up asked from a short answer, shown under its parent, optional until answered; an answer changed on another
// device offered as a choice of both versions; against the model test server, a decline shown with its reason.
// Screenshots go to test-artifacts/interview-followup.

interface InterviewQuestion {
  id: string;
  parentQuestionId: string | null;
  answer: { text: string } | null;
}

/** An author's book whose kick-off interview is generated and every question answered briefly (through the API). */
async function answeredInterview(app: AppInChromium) {
  const author = await app.t.newUser();
  const a = authorClient(app.t, author.token);
  const bookId = await a.book('Night Shift');
  await runJob(app.t, author.token, 'POST', `/v1/books/${bookId}/interview/generate`);
  const read = async () => (await a.call('GET', `/v1/books/${bookId}/interview`)).json<{ questions: InterviewQuestion[]; answered: number }>();
  const questions = (await read()).questions;
  const answers = questions.map((q, i) => ({ questionId: q.id, text: i === 0 ? 'New managers on a hospital ward. They fear silence' : `Answer ${i + 1}: nurses who now lead nurses.` }));
  expect((await a.call('PUT', `/v1/books/${bookId}/interview/answers`, { answers })).statusCode).toBe(200);
  return { author, bookId, questions, read };
}

/** Opens the book's Interview panel once its answers are shown. */
async function openInterview(app: AppInChromium, token: string, width: number) {
  const { page, errors } = await app.open(token, width);
  const p = panelPage(page, { artifacts: app.artifacts });
  await p.click('Night Shift');
  await p.openNav('Interview');
  await page.waitForSelector('.aa-followup-action button');
  return { page, errors, p };
}

const followUpButtons = (page: Page) => page.$$('.aa-followup-action button');
const tabState = (page: Page) => page.$eval('nav [data-panel="interview"]', (tab) => tab.getAttribute('data-step-state'));
const noOverflow = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

describe('interview follow-ups in /app, template mode', () => {
  const app = useAppInChromium({ artifacts: 'interview-followup' });

  for (const width of [300, 1280]) {
    it(`at ${width} px: "Ask me a follow-up" adds a labelled, optional follow-up under its answer`, async () => {
      const { author, questions, read } = await answeredInterview(app);
      const { page, errors, p } = await openInterview(app, author.token, width);
      await p.seeText(`${questions.length} of ${questions.length} answered`);
      // Every brief answer offers a follow-up.
      expect(await followUpButtons(page)).toHaveLength(questions.length);
      expect(await page.$eval('.aa-followup-action button', (button) => button.textContent)).toBe('Ask me a follow-up');
      await p.shot(`interview-offers-${width}`);

      await (await followUpButtons(page))[0]!.click();
      await p.seeText('Follow-up to the question above (optional)');
      const shown = await page.$$eval('.aa-questions > .aa-interview-question', (items) => items.map((item) => item.getAttribute('data-follow-up-of')));
      expect(shown[1]).toBe(questions[0]!.id);
      expect(shown.filter(Boolean)).toHaveLength(1);
      const followUp = await page.$eval('.aa-followup', (el) => el.textContent);
      expect(followUp).toContain('You wrote: “They fear silence”. Tell more about that');
      expect(followUp).toContain('template mode (no AI model)');
      // At most one: the first question offers no more, and the follow-up offers none of its own.
      expect(await followUpButtons(page)).toHaveLength(questions.length - 1);
      expect(await page.$$('.aa-followup .aa-followup-action button')).toHaveLength(0);
      // Optional: the unanswered follow-up neither lowers the count nor holds back the next step.
      await p.seeText(`${questions.length} of ${questions.length} answered`);
      await page.waitForFunction(() => document.querySelector('nav [data-panel="interview"]')?.getAttribute('data-step-state') === 'done');
      await page.$eval('.aa-followup', (el) => el.scrollIntoView());
      await p.shot(`interview-follow-up-${width}`);

      // Answered like the others: autosaved and counted.
      await p.paste('.aa-followup textarea', 'Silence after a question feels like failure to them.');
      await p.allSaved();
      await p.seeText(`${questions.length + 1} of ${questions.length + 1} answered`);
      const stored = (await read()).questions.find((q) => q.parentQuestionId === questions[0]!.id)!;
      expect(stored.answer?.text).toBe('Silence after a question feels like failure to them.');
      expect(await tabState(page)).toBe('done');
      await noOverflow(page);
      expect(errors).toEqual([]);
      await page.browserContext().close();
    }, 90_000);
  }
});

describe('interview answers changed elsewhere, in /app', () => {
  const app = useAppInChromium({ artifacts: 'interview-followup' });

  it('at 300 px: both versions are shown to choose from, and the one kept is saved', async () => {
    const { author, bookId, questions, read } = await answeredInterview(app);
    const { page, errors, p } = await openInterview(app, author.token, 300);
    // Another device saves the first answer after this panel has read it.
    const theirs = 'Saved on my phone: ward leads who were nurses last year.';
    const elsewhere = await authorClient(app.t, author.token).call('PUT', `/v1/books/${bookId}/interview/answers`, {
      answers: [{ questionId: questions[0]!.id, text: theirs, version: 1 }],
    });
    expect(elsewhere.statusCode).toBe(200);
    const field = (await page.$$('.aa-answer textarea'))[0]!;
    await field.click();
    await page.keyboard.press('End');
    await page.keyboard.type('. And the weekly report.');
    const mine = 'New managers on a hospital ward. They fear silence. And the weekly report.';
    await page.waitForSelector('.aa-conflict');
    expect(await page.$eval('.aa-conflict-mine', (el) => el.textContent)).toBe(mine);
    expect(await page.$eval('.aa-conflict-theirs', (el) => el.textContent)).toBe(theirs);
    await p.shot('interview-conflict-300');
    await p.click('Keep mine');
    await p.allSaved();
    expect((await read()).questions[0]!.answer?.text).toBe(mine);
    await noOverflow(page);
    expect(errors).toEqual([]);
    await page.browserContext().close();
  }, 90_000);
});

describe('interview follow-ups in /app, against the model', () => {
  const model = useModelServer();
  // The app is built once the model server listens, so its address is read then.
  const app = useAppInChromium({ artifacts: 'interview-followup', get env() { return openAiTestEnv(model.server); } });

  it('at 1280 px: a decline is shown with the model\'s reason and what to do next', async () => {
    const { author, questions } = await answeredInterview(app);
    model.server.generator('interview_followup', () => ({ followUp: null, reason: 'The answer already names the reader and their fear.' }));
    const { page, errors, p } = await openInterview(app, author.token, 1280);
    await (await followUpButtons(page))[0]!.click();
    await p.seeText('No follow-up needed: The answer already names the reader and their fear. Your answer stays as it is; go on with the next question.');
    expect(await followUpButtons(page)).toHaveLength(questions.length - 1);
    expect(await page.$$('.aa-followup')).toHaveLength(0);
    await p.shot('interview-decline-1280');
    expect(errors).toEqual([]);
    await page.browserContext().close();
  }, 90_000);
});
