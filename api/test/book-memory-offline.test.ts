import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorClient } from './helpers/engine-fixtures.js';
import { runJob, waitForJob } from './helpers/journey.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

/**
 * The book remembers in template mode (no AI model, no keys): a follow-up from the answer's last sentence, continuity
 * notes from the capitalised names and numbers of the accepted draft (a note the author deleted not made again), and a
 * numeric contradiction of a locked note flagged on the draft; every record labelled offline, nothing metered as spent.
 */

let t: TestApp;
let a: ReturnType<typeof authorClient>;
let token: string;

beforeAll(async () => {
  t = await buildTestApp();
  const author = await t.newUser();
  token = author.token;
  a = authorClient(t, token);
});
afterAll(() => t.close());

describe('template mode', () => {
  it('runs the whole journey: follow-up, continuity notes, a flagged contradiction', async () => {
    const bookId = await a.book();
    const ward = await a.chapter(bookId, 'The ward');
    const questions = await a.questions(bookId, ward.id, 5);
    await a.answer(bookId, ward.id, questions[0]!.id, 'I used to advise first. Maria Lopez ran the night shift at Harbour Clinic with 12 nurses.');
    await a.answer(bookId, ward.id, questions[1]!.id, 'In March 2019 the huddle moved to the start of the shift.');

    const followUp = await runJob(t, token, 'POST', `/v1/books/${bookId}/chapters/${ward.id}/questions/${questions[0]!.id}/followup`);
    const listed = await a.allQuestions(bookId, ward.id);
    const made = listed.find((q) => q.id === followUp.result.questionId) as (typeof listed)[number] & { parentQuestionId: string; generatedBy: { offline: boolean } };
    expect(made.text).toContain('“Maria Lopez ran the night shift at Harbour Clinic with 12 nurses.”');
    expect(made).toMatchObject({ parentQuestionId: questions[0]!.id, generatedBy: { offline: true } });
    expect(listed[listed.findIndex((q) => q.id === questions[0]!.id) + 1]!.id).toBe(made.id);

    const draft = await runJob(t, token, 'POST', `/v1/books/${bookId}/chapters/${ward.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
    const accepted = await a.call('POST', `/v1/books/${bookId}/chapters/${ward.id}/drafts/${draft.result.draftId as string}/accept`);
    expect((await waitForJob(t, token, accepted.json<{ continuityJob: { id: string } }>().continuityJob.id)).status).toBe('succeeded');
    const notes = (await a.call('GET', `/v1/books/${bookId}/continuity`)).json<{
      items: Array<{ id: string; kind: string; subject: string; detail: string; version: number; generatedBy: { offline: boolean }; source: { chapterId: string; answers: unknown[] } }>;
    }>().items;
    const bySubject = new Map(notes.map((note) => [note.subject, note]));
    expect(bySubject.get('Maria Lopez')).toMatchObject({ kind: 'person', generatedBy: { offline: true }, source: { chapterId: ward.id } });
    expect(bySubject.get('Maria Lopez')!.source.answers).toHaveLength(1);
    expect(bySubject.get('Harbour Clinic')?.kind).toBe('term');
    expect(bySubject.get('12 nurses')?.kind).toBe('number');
    expect(bySubject.get('March 2019')?.kind).toBe('date');

    const maria = bySubject.get('Maria Lopez')!;
    await a.call('PATCH', `/v1/books/${bookId}/continuity/${maria.id}`, { version: maria.version, detail: 'Maria Lopez is 34 years old.', locked: true });
    const later = await a.chapter(bookId, 'Hard conversations');
    const laterQuestions = await a.questions(bookId, later.id, 5);
    await a.answer(bookId, later.id, laterQuestions[0]!.id, 'Maria Lopez was 36 years old when she first said no to a surgeon.');
    const second = await runJob(t, token, 'POST', `/v1/books/${bookId}/chapters/${later.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
    const flagged = (await a.call('GET', `/v1/books/${bookId}/chapters/${later.id}/drafts/${second.result.draftId as string}`)).json<{
      blocks: Array<{ text?: string }>; continuityFlags: Array<{ blockIndex: number; noteId: string; explanation: string }>; generatedBy: { offline: boolean };
    }>();
    expect(flagged.generatedBy.offline).toBe(true);
    expect(flagged.continuityFlags).toHaveLength(1);
    expect(flagged.continuityFlags[0]).toMatchObject({ noteId: maria.id });
    expect(flagged.blocks[flagged.continuityFlags[0]!.blockIndex]!.text).toContain('36 years old');

    const usage = (await a.call('GET', '/v1/me/usage')).json<{ daily: { used: number }; recent: Array<{ operation: string; provider: string }> }>();
    expect(usage.daily.used).toBe(0);
    expect(usage.recent.filter((row) => ['question.followup', 'continuity.extract'].includes(row.operation)).every((row) => row.provider === 'offline')).toBe(true);

    // A note the author deleted is not made again when the notes are updated from the same draft; the others are.
    expect((await a.call('DELETE', `/v1/books/${bookId}/continuity/${bySubject.get('Harbour Clinic')!.id}`)).statusCode).toBe(204);
    await runJob(t, token, 'POST', `/v1/books/${bookId}/chapters/${ward.id}/continuity/extract`);
    const subjects = (await a.call('GET', `/v1/books/${bookId}/continuity`)).json<{ items: Array<{ subject: string }> }>().items.map((note) => note.subject);
    expect(subjects).not.toContain('Harbour Clinic');
    expect(subjects).toEqual(expect.arrayContaining(['Maria Lopez', '12 nurses', 'March 2019']));
  });
});
