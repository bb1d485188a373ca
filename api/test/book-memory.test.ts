import { beforeEach, describe, expect, it } from 'vitest';
import { parseDataBlocks } from './support/openai-test-server.js';
import { authorClient, type QuestionView } from './helpers/engine-fixtures.js';
import { runJob, waitForJob } from './helpers/journey.js';
import { useModelServer } from './helpers/model-server.js';
import { ADMIN_TOKEN, errorOf, type TestApp } from './helpers/test-app.js';

/**
 * The book remembers, against the OpenAI-compatible test server: follow-up questions grounded in a final answer,
 * continuity notes kept from accepted drafts with their sources, drafts whose prompt carries the recap of earlier
 * chapters, the relevant notes and the voice sample, and drafts flagged where they contradict a locked note. The new
 * job kinds are quoted, reserved against the quota, cached and metered like the others.
 */

const model = useModelServer();

interface Note {
  id: string;
  kind: string;
  subject: string;
  detail: string;
  locked: boolean;
  edited: boolean;
  version: number;
  source: { chapterId: string | null; draftId: string | null; answers: Array<{ questionId: string; answerVersion: number }> };
  generatedBy: { offline: boolean } | null;
}
type FollowUpView = QuestionView & { parentQuestionId: string | null; followUpId: string | null; lens: string | null; helpText: string | null };

let t: TestApp;
let author: { id: string; token: string };
let a: ReturnType<typeof authorClient>;

beforeEach(async () => {
  t = await model.app();
  author = await t.newUser();
  a = authorClient(t, author.token);
});

const LONG_ANSWER = Array.from({ length: 30 }, (_, i) => `On week ${i + 1} the ward huddle ran for ten minutes and everyone spoke once.`).join(' ');

async function chapterWithAnswers(bookId: string, title: string, answers: string[]) {
  const chapter = await a.chapter(bookId, title);
  const questions = await a.questions(bookId, chapter.id, 5);
  for (const [index, text] of answers.entries()) expect((await a.answer(bookId, chapter.id, questions[index]!.id, text)).statusCode).toBe(200);
  return { chapter, questions };
}

async function draftAndAccept(bookId: string, chapterId: string) {
  const job = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, { style: 'professional', targetWords: 400 });
  const draftId = job.result.draftId as string;
  const accepted = await a.call('POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/${draftId}/accept`);
  expect(accepted.statusCode, accepted.body).toBe(200);
  const body = accepted.json<{ continuityJob: { id: string; kind: string } | null; continuityNote: string | null }>();
  return { draftId, ...body };
}

const notesOf = async (bookId: string) => {
  const response = await a.call('GET', `/v1/books/${bookId}/continuity`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Note[] }>().items;
};
const recentOperations = async () =>
  (await a.call('GET', '/v1/me/usage')).json<{ recent: Array<{ operation: string; cached: boolean; outcome: string }> }>().recent;

describe('follow-up questions', () => {
  it('a short final answer gets one follow-up, shown under its parent; a long and complete one gets none', async () => {
    const bookId = await a.book();
    const { chapter, questions } = await chapterWithAnswers(bookId, 'The first month', ['Maria stopped advising and started asking.', LONG_ANSWER]);
    const base = `/v1/books/${bookId}/chapters/${chapter.id}/questions`;

    const quote = await a.call('POST', '/v1/quote', { operation: 'question.followup', bookId, chapterId: chapter.id, questionId: questions[0]!.id });
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json()).toMatchObject({ cached: false, offline: false });
    expect(quote.json<{ estimatedTokens: number }>().estimatedTokens).toBeGreaterThan(0);

    const job = await runJob(t, author.token, 'POST', `${base}/${questions[0]!.id}/followup`);
    expect(job.kind).toBe('question.followup');
    const followUpId = job.result.questionId as string;
    expect(followUpId).toMatch(/^q_/);
    const request = model.server.requests.find((r) => r.schemaName === 'question_followup')!;
    expect(parseDataBlocks(request.body!.messages.at(-1)!.content as string).answer).toBe('Maria stopped advising and started asking.');

    const listed = (await a.allQuestions(bookId, chapter.id)) as FollowUpView[];
    const at = listed.findIndex((q) => q.id === questions[0]!.id);
    expect(listed[at]!.followUpId).toBe(followUpId);
    expect(listed[at + 1]).toMatchObject({ id: followUpId, parentQuestionId: questions[0]!.id, followUpId: null, status: 'unanswered', lens: 'reader' });
    expect(listed[at + 1]!.text).toContain('Maria stopped advising');
    expect(listed[at + 1]!.helpText).toBeTruthy();
    // Asked afresh it would lose its grounding, so it is not regenerated.
    expect(errorOf(await a.call('POST', `${base}/${followUpId}/regenerate`)).message).toMatch(/comes from your answer/);
    // A follow-up is a question like any other: answered, autosaved, counted in coverage.
    expect((await a.answer(bookId, chapter.id, followUpId, 'She asked what had surprised them that week.')).statusCode).toBe(200);
    const progress = (await a.call('GET', `/v1/books/${bookId}/chapters/${chapter.id}/progress`)).json<{ questions: number; answered: number }>();
    expect(progress).toMatchObject({ questions: 6, answered: 3 });

    const again = await a.call('POST', `${base}/${questions[0]!.id}/followup`);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('LIMIT_REACHED');
    const ofFollowUp = await a.call('POST', `${base}/${followUpId}/followup`);
    expect(errorOf(ofFollowUp).code).toBe('VALIDATION');

    const calls = model.server.calls('question_followup');
    const long = await a.call('POST', `${base}/${questions[1]!.id}/followup`);
    expect(long.statusCode).toBe(400);
    expect(errorOf(long).message).toMatch(/long and complete/);
    expect(model.server.calls('question_followup')).toBe(calls);

    expect((await a.answer(bookId, chapter.id, questions[2]!.id, 'Not sure yet', 'draft')).statusCode).toBe(200);
    expect(errorOf(await a.call('POST', `${base}/${questions[2]!.id}/followup`)).message).toMatch(/final/);

    expect((await recentOperations()).filter((row) => row.operation === 'question.followup')).toHaveLength(1);
  });

  it('the model may decline: no question is made and the job says why', async () => {
    model.server.generator('question_followup', () => ({ followUp: null, reason: 'The answer already says what happened and why.' }));
    const bookId = await a.book();
    const { chapter, questions } = await chapterWithAnswers(bookId, 'Listening', ['I listen first.']);
    const job = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/questions/${questions[0]!.id}/followup`);
    expect(job.result).toMatchObject({ questionId: null, note: 'No follow-up needed: The answer already says what happened and why.' });
    expect(await a.allQuestions(bookId, chapter.id)).toHaveLength(5);
  });

  it('is reserved against the quota like any generation', async () => {
    const bookId = await a.book();
    const { chapter, questions } = await chapterWithAnswers(bookId, 'Listening', ['I listen first.']);
    await t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${author.id}`, payload: { quotaDailyTokens: 1 } });
    const over = await a.call('POST', `/v1/books/${bookId}/chapters/${chapter.id}/questions/${questions[0]!.id}/followup`);
    expect(over.statusCode).toBe(429);
    expect(errorOf(over).code).toBe('QUOTA_EXCEEDED');
  });
});

describe('continuity notes and drafts that know the book', () => {
  it('keeps the facts of an accepted draft with their sources; the next chapter is drafted with the recap, the relevant notes and the voice sample; a contradiction of a locked note is flagged', async () => {
    const bookId = await a.book();
    const first = await chapterWithAnswers(bookId, 'The ward', [
      'Maria Lopez ran the night shift at Harbour Clinic with 12 nurses.',
      'Every huddle took ten minutes and ended with one question.',
    ]);
    const { draftId, continuityJob, continuityNote } = await draftAndAccept(bookId, first.chapter.id);
    expect(continuityNote).toBeNull();
    expect(continuityJob).toMatchObject({ kind: 'continuity.extract' });
    expect((await waitForJob(t, author.token, continuityJob!.id)).status).toBe('succeeded');

    const notes = await notesOf(bookId);
    const maria = notes.find((note) => note.subject === 'Maria Lopez')!;
    expect(maria).toMatchObject({ kind: 'person', locked: false, edited: false, generatedBy: { offline: false } });
    expect(maria.detail).toContain('Maria Lopez');
    expect(maria.source.chapterId).toBe(first.chapter.id);
    expect(maria.source.draftId).toBe(draftId);
    expect(maria.source.answers.map((s) => s.questionId)).toContain(first.questions[0]!.id);
    expect(notes.some((note) => note.subject === '12 nurses' && note.kind === 'number')).toBe(true);
    expect((await recentOperations()).some((row) => row.operation === 'continuity.extract' && !row.cached)).toBe(true);

    // Quoted like the others, and a second extraction of the same draft is a cache hit: free, metered as cached.
    const quote = (await a.call('POST', '/v1/quote', { operation: 'continuity.extract', bookId, chapterId: first.chapter.id })).json();
    expect(quote).toMatchObject({ estimatedTokens: 0, cached: true });
    const rerun = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${first.chapter.id}/continuity/extract`);
    expect(rerun.result).toMatchObject({ replaced: rerun.result.added });
    expect((await recentOperations()).some((row) => row.operation === 'continuity.extract' && row.cached)).toBe(true);

    // The rerun replaced the chapter's notes; the author edits and locks Maria's (kept by any later extraction).
    const current = (await notesOf(bookId)).find((n) => n.subject === 'Maria Lopez')!;
    expect(current.id).not.toBe(maria.id);
    const locked = await a.call('PATCH', `/v1/books/${bookId}/continuity/${current.id}`, {
      version: current.version, detail: 'Maria Lopez is 34 years old and runs the night shift.', locked: true,
    });
    expect(locked.statusCode, locked.body).toBe(200);
    expect(locked.json()).toMatchObject({ locked: true, edited: true });
    const book = (await a.call('GET', `/v1/books/${bookId}`)).json<{ version: number }>();
    const voice = 'Short sentences. I say what I saw. Then I stop.';
    const patched = await a.call('PATCH', `/v1/books/${bookId}`, { version: book.version, voiceSample: voice });
    expect(patched.json()).toMatchObject({ voiceSample: voice });

    const second = await chapterWithAnswers(bookId, 'Hard conversations', ['Maria Lopez was 36 years old when she first said no to a surgeon.']);
    const before = model.server.requests.length;
    const job = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${second.chapter.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
    const sent = model.server.requests.slice(before).find((r) => r.schemaName === 'chapter_draft_section')!;
    const system = sent.body!.messages[0]!.content as string;
    const data = parseDataBlocks(sent.body!.messages.at(-1)!.content as string);
    const previously = data.previously as Array<{ chapter: string; recap: string }>;
    expect(previously).toHaveLength(1);
    expect(previously[0]!.chapter).toBe('The ward');
    expect(previously[0]!.recap.length).toBeGreaterThan(20);
    expect(data.continuity).toContainEqual({ kind: 'person', subject: 'Maria Lopez', detail: 'Maria Lopez is 34 years old and runs the night shift.', locked: true });
    // Only the notes this chapter names, and the locked ones: "12 nurses" is not mentioned here.
    expect((data.continuity as Array<{ subject: string }>).some((n) => n.subject === '12 nurses')).toBe(false);
    expect(data.voice_sample).toBe(voice);
    expect(system).toMatch(/style reference/);
    expect(system).toMatch(/never material/i);

    // The draft says 36 where the locked note says 34: flagged on its block, the text left as the model wrote it.
    expect(model.server.calls('continuity_check')).toBe(1);
    expect(job.result.continuityFlags).toBeGreaterThan(0);
    const draft = (await a.call('GET', `/v1/books/${bookId}/chapters/${second.chapter.id}/drafts/${job.result.draftId as string}`)).json<{
      blocks: Array<{ type: string; text?: string }>; continuityFlags: Array<{ blockIndex: number; noteId: string; subject: string; explanation: string }>;
    }>();
    const flag = draft.continuityFlags[0]!;
    expect(flag).toMatchObject({ noteId: current.id, subject: 'Maria Lopez' });
    expect(draft.blocks[flag.blockIndex]!.text).toContain('36');
    expect(flag.explanation).toContain('36');
  });

  it('an extraction replaces its own earlier notes of the chapter but never one the author edited or locked', async () => {
    const bookId = await a.book();
    const { chapter } = await chapterWithAnswers(bookId, 'The ward', ['Maria Lopez ran the night shift with 12 nurses.']);
    const first = await draftAndAccept(bookId, chapter.id);
    await waitForJob(t, author.token, first.continuityJob!.id);
    const [kept, dropped] = await notesOf(bookId);
    expect((await a.call('PATCH', `/v1/books/${bookId}/continuity/${kept!.id}`, { locked: true })).statusCode).toBe(200);
    expect((await a.call('DELETE', `/v1/books/${bookId}/continuity/${dropped!.id}`)).statusCode).toBe(204);
    const own = await a.call('POST', `/v1/books/${bookId}/continuity`, { kind: 'promise', subject: 'A weekly routine', detail: 'By the end the reader runs a calm weekly one-to-one.' });
    expect(own.statusCode, own.body).toBe(201);

    model.server.generator('continuity_extract', () => ({ notes: [{ kind: 'place', subject: 'Harbour Clinic', detail: 'Where Maria works.', blocks: ['B2'] }] }));
    const second = await draftAndAccept(bookId, chapter.id);
    await waitForJob(t, author.token, second.continuityJob!.id);
    const subjects = (await notesOf(bookId)).map((note) => note.subject);
    expect(subjects).toEqual([kept!.subject, 'A weekly routine', 'Harbour Clinic']);

    const stale = await a.call('PATCH', `/v1/books/${bookId}/continuity/${kept!.id}`, { version: 1, detail: 'x' });
    expect(errorOf(stale).code).toBe('CONFLICT');
    const other = await t.newUser();
    expect((await t.as(other.token, { method: 'GET', url: `/v1/books/${bookId}/continuity` })).statusCode).toBe(404);
    expect((await t.as(other.token, { method: 'DELETE', url: `/v1/books/${bookId}/continuity/${kept!.id}` })).statusCode).toBe(404);
  });

  it('a note the author deleted does not come back when the chapter is accepted again; new facts still arrive, locked and edited notes stay', async () => {
    const bookId = await a.book();
    const { chapter } = await chapterWithAnswers(bookId, 'The ward', ['Maria Lopez ran the night shift at Harbour Clinic with 12 nurses.']);
    const first = await draftAndAccept(bookId, chapter.id);
    await waitForJob(t, author.token, first.continuityJob!.id);
    const bySubject = new Map((await notesOf(bookId)).map((note) => [note.subject, note]));
    const [maria, harbour, nurses] = ['Maria Lopez', 'Harbour Clinic', '12 nurses'].map((subject) => bySubject.get(subject)!);
    const locked = (await a.call('PATCH', `/v1/books/${bookId}/continuity/${maria!.id}`, { version: maria!.version, locked: true })).json<Note>();
    const edited = (await a.call('PATCH', `/v1/books/${bookId}/continuity/${nurses!.id}`, { version: nurses!.version, detail: 'Twelve nurses on nights, four on days.' })).json<Note>();
    expect((await a.call('DELETE', `/v1/books/${bookId}/continuity/${harbour!.id}`)).statusCode).toBe(204);

    // The model finds the deleted fact again (cased differently), with the locked and edited ones and one new fact.
    model.server.generator('continuity_extract', () => ({
      notes: [
        { kind: 'place', subject: 'harbour clinic', detail: 'Where Maria works.', blocks: ['B1'] },
        { kind: 'person', subject: 'Maria Lopez', detail: 'Runs the night shift.', blocks: ['B1'] },
        { kind: 'number', subject: '12 nurses', detail: 'The night shift has 12 nurses.', blocks: ['B1'] },
        { kind: 'term', subject: 'The huddle', detail: 'Ten minutes at the start of the shift.', blocks: ['B1'] },
      ],
    }));
    const second = await draftAndAccept(bookId, chapter.id);
    const job = await waitForJob(t, author.token, second.continuityJob!.id);
    expect(job).toMatchObject({ status: 'succeeded', result: { added: 1 } });
    // The model was told the deleted subject is not to be listed; the service holds to it either way.
    const sent = model.server.requests.filter((r) => r.schemaName === 'continuity_extract').at(-1)!;
    expect(parseDataBlocks(sent.body!.messages.at(-1)!.content as string).known).toEqual(expect.arrayContaining(['Harbour Clinic', 'Maria Lopez', '12 nurses']));

    const after = await notesOf(bookId);
    expect(after.map((note) => note.subject).sort()).toEqual(['12 nurses', 'Maria Lopez', 'The huddle']);
    expect(after.find((note) => note.id === locked.id)).toEqual(locked);
    expect(after.find((note) => note.id === edited.id)).toEqual(edited);
    expect(after.find((note) => note.subject === 'The huddle')).toMatchObject({ kind: 'term', edited: false, locked: false, source: { chapterId: chapter.id, draftId: second.draftId } });

    // Starting over from the same draft does not bring it back either.
    const rerun = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/continuity/extract`);
    expect(rerun.result).toMatchObject({ added: 1, replaced: 1 });
    expect((await notesOf(bookId)).some((note) => note.subject.toLowerCase() === 'harbour clinic')).toBe(false);

    // The author may still add it by hand, and then it is theirs: kept by the next extraction, not repeated by it.
    const own = await a.call('POST', `/v1/books/${bookId}/continuity`, { kind: 'place', subject: 'Harbour Clinic', detail: 'A small clinic by the docks.' });
    expect(own.statusCode, own.body).toBe(201);
    await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/continuity/extract`);
    const harbourNotes = (await notesOf(bookId)).filter((note) => note.subject.toLowerCase() === 'harbour clinic');
    expect(harbourNotes).toEqual([own.json()]);
  });

  it('a note the author renamed is not suggested again under its old subject; renaming it back is their word too', async () => {
    const bookId = await a.book();
    const { chapter } = await chapterWithAnswers(bookId, 'The ward', ['Maria Lopez ran the night shift at Harbour Clinic with 12 nurses.']);
    const first = await draftAndAccept(bookId, chapter.id);
    await waitForJob(t, author.token, first.continuityJob!.id);
    const harbour = (await notesOf(bookId)).find((note) => note.subject === 'Harbour Clinic')!;
    const renamed = await a.call('PATCH', `/v1/books/${bookId}/continuity/${harbour.id}`, { version: harbour.version, subject: 'Harbour Street Clinic' });
    expect(renamed.statusCode, renamed.body).toBe(200);

    model.server.generator('continuity_extract', () => ({
      notes: [
        { kind: 'place', subject: 'Harbour Clinic', detail: 'Where Maria works.', blocks: ['B1'] },
        { kind: 'term', subject: 'The huddle', detail: 'Ten minutes at the start of the shift.', blocks: ['B1'] },
      ],
    }));
    await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/continuity/extract`);
    const subjects = (await notesOf(bookId)).map((note) => note.subject);
    expect(subjects).toContain('Harbour Street Clinic');
    expect(subjects).toContain('The huddle');
    expect(subjects).not.toContain('Harbour Clinic');

    // Renamed back by the author: the note holds the subject again, and the next extraction keeps it (no repeat).
    const current = (await notesOf(bookId)).find((note) => note.id === harbour.id)!;
    const back = await a.call('PATCH', `/v1/books/${bookId}/continuity/${harbour.id}`, { version: current.version, subject: 'Harbour Clinic' });
    expect(back.statusCode, back.body).toBe(200);
    await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/continuity/extract`);
    expect((await notesOf(bookId)).filter((note) => note.subject.toLowerCase().startsWith('harbour')).map((note) => [note.id, note.subject]))
      .toEqual([[harbour.id, 'Harbour Clinic']]);
  });

  it('a revised version is checked too: a rewritten block that contradicts a locked note is flagged, left as written', async () => {
    const bookId = await a.book();
    const { chapter } = await chapterWithAnswers(bookId, 'The ward', ['Maria Lopez ran the night shift.']);
    const own = await a.call('POST', `/v1/books/${bookId}/continuity`, { kind: 'person', subject: 'Maria Lopez', detail: 'Maria Lopez is 34 years old.', locked: true });
    expect(own.statusCode, own.body).toBe(201);
    const first = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
    expect(first.result.continuityFlags).toBe(0);
    model.server.generator('chapter_draft_revision', () => ({
      blocks: [
        { keep: 'B1', type: 'paragraph', level: null, text: null, items: null, sources: [] },
        { keep: null, type: 'paragraph', level: null, text: 'Maria Lopez was 41 years old that winter.', items: null, sources: ['A1'] },
      ],
    }));
    const checks = model.server.calls('continuity_check');
    const revised = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/${first.result.draftId as string}/revise`, { instruction: 'Say how old Maria was.' });
    expect(model.server.calls('continuity_check')).toBe(checks + 1);
    const draft = (await a.call('GET', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/${revised.result.draftId as string}`)).json<{
      blocks: Array<{ text?: string }>; continuityFlags: Array<{ blockIndex: number; noteId: string }>;
    }>();
    expect(draft.continuityFlags).toEqual([expect.objectContaining({ blockIndex: 1, noteId: own.json<{ id: string }>().id })]);
    expect(draft.blocks[1]!.text).toBe('Maria Lopez was 41 years old that winter.');
  });

  it('an accept over quota still accepts the draft, and says the notes were not updated', async () => {
    const bookId = await a.book();
    const { chapter } = await chapterWithAnswers(bookId, 'The ward', ['Maria Lopez ran the night shift with 12 nurses.']);
    const job = await runJob(t, author.token, 'POST', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/generate`, { style: 'professional', targetWords: 400 });
    const usage = (await a.call('GET', '/v1/me/usage')).json<{ daily: { used: number } }>();
    await t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${author.id}`, payload: { quotaDailyTokens: usage.daily.used + 1 } });
    const accepted = await a.call('POST', `/v1/books/${bookId}/chapters/${chapter.id}/drafts/${job.result.draftId as string}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ accepted: true, continuityJob: null });
    expect(accepted.json<{ continuityNote: string }>().continuityNote).toMatch(/continuity notes were not updated/);
  });
});
