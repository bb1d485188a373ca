import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { DRAFT_STYLES } from '../../shared/schemas/authoring.js';
import { authorClient, type QuestionView } from './helpers/engine-fixtures.js';
import { runJob } from './helpers/journey.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

interface Source {
  questionId: string;
  answerVersion: number;
}
type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph' | 'quote'; text: string; sources: Source[]; unsupported: boolean }
  | { type: 'list'; ordered: boolean; items: string[]; sources: Source[]; unsupported: boolean };
interface Draft {
  id: string;
  bookId: string;
  chapterId: string;
  number: number;
  style: string;
  targetWords: number;
  words: number;
  blocks: Block[];
  unsupportedBlocks: number;
  accepted: boolean;
  acceptedAt: string | null;
  generatedBy: { provider: string; offline: boolean };
}
interface Progress {
  chapterId: string;
  questions: number;
  answered: number;
  final: number;
  answerWords: number;
  coverage: number;
  drafts: number;
  acceptedDraftId: string | null;
}

let t: TestApp;
let alice: { id: string; token: string };
let a: ReturnType<typeof authorClient>;
let bookId: string;
let chapterId: string;
let answered: QuestionView[];
/** The five drafts made below, in the order they were generated. */
const made: Draft[] = [];

const url = (chapter: string, rest = '') => `/v1/books/${bookId}/chapters/${chapter}${rest}`;
const draftsOf = async (chapter: string, query = 'limit=100') => {
  const response = await a.call('GET', url(chapter, `/drafts?${query}`));
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Draft[]; nextCursor: string | null }>();
};
const jobsFor = async (chapter: string) =>
  (await a.call('GET', `/v1/jobs?bookId=${bookId}&limit=100`)).json<{ items: Array<{ chapterId: string | null; kind: string }> }>()
    .items.filter((job) => job.chapterId === chapter && job.kind === 'draft.generate');

async function generate(chapter: string, style: string, targetWords: number) {
  const job = await runJob(t, alice.token, 'POST', url(chapter, '/drafts/generate'), { style, targetWords });
  const response = await a.call('GET', url(chapter, `/drafts/${job.result.draftId as string}`));
  expect(response.statusCode, response.body).toBe(200);
  const draft = response.json<Draft>();
  expect(job.result).toMatchObject({ draftId: draft.id, words: draft.words });
  return draft;
}

/** Every sourced block cites answers of this chapter at versions they really had; unsourced ones say so. */
function expectProvenance(draft: Draft, versions: Map<string, number[]>) {
  let unsupported = 0;
  for (const block of draft.blocks) {
    if (block.type === 'heading') continue;
    if (block.unsupported) {
      unsupported++;
      expect(block.sources).toEqual([]);
      continue;
    }
    expect(block.sources.length, JSON.stringify(block)).toBeGreaterThan(0);
    for (const source of block.sources) {
      expect(versions.get(source.questionId), `${source.questionId} is not an answered question of the chapter`).toBeDefined();
      expect(versions.get(source.questionId)).toContain(source.answerVersion);
    }
  }
  expect(draft.unsupportedBlocks).toBe(unsupported);
}

beforeAll(async () => {
  t = await buildTestApp({ RATE_LIMIT_AI_PER_MIN: '100000' });
  alice = await t.newUser();
  a = authorClient(t, alice.token);
  bookId = await a.book('Drafts');
  chapterId = (await a.chapter(bookId, 'Listening beats advising')).id;
  const questions = await a.questions(bookId, chapterId, 8);
  const texts = [
    'On the ward, Maria started every one-to-one by asking what had surprised her nurse that week.',
    '- Ask one open question\n- Listen for two minutes\n- Write down one follow-up',
    "Advice feels helpful to the manager, but it isn't what the nurse needed. She needed to be heard first.",
    'In the kitchen, the head chef kept a notebook of every promise he made in a one-to-one.\n\nHe read it back a week later.',
    'The software team lead cut her meetings to twenty minutes and kept them weekly.',
  ];
  for (const [index, text] of texts.entries()) {
    const saved = await a.answer(bookId, chapterId, questions[index]!.id, text, index === 4 ? 'draft' : 'final');
    expect(saved.statusCode, saved.body).toBe(200);
  }
  answered = (await a.allQuestions(bookId, chapterId)).filter((q) => q.status !== 'unanswered');
  expect(answered).toHaveLength(texts.length);
});
afterAll(() => t.close());

describe('drafts', () => {
  it('style must be one of the five and targetWords 300–8000; refused requests start no job', async () => {
    const bad: unknown[] = [
      { style: 'poetic', targetWords: 600 },
      { style: 'Professional', targetWords: 600 },
      { style: '', targetWords: 600 },
      { targetWords: 600 },
      { style: 'professional', targetWords: LIMITS.draftWordsMin - 1 },
      { style: 'professional', targetWords: LIMITS.draftWordsMax + 1 },
      { style: 'professional', targetWords: 600.5 },
      { style: 'professional', targetWords: '600' },
      { style: 'professional' },
    ];
    for (const payload of bad) {
      const response = await a.call('POST', url(chapterId, '/drafts/generate'), payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
    expect(await jobsFor(chapterId)).toEqual([]);

    // Each of the five styles works, at both ends of the length range and in between.
    const lengths = [LIMITS.draftWordsMin, 600, 1_500, 3_000, LIMITS.draftWordsMax];
    for (const [index, style] of DRAFT_STYLES.entries()) {
      const draft = await generate(chapterId, style, lengths[index]!);
      expect(draft).toMatchObject({ bookId, chapterId, style, targetWords: lengths[index], number: index + 1, accepted: false, acceptedAt: null });
      expect(draft.generatedBy).toMatchObject({ provider: 'offline', offline: true });
      expect(draft.words).toBeGreaterThan(0);
      made.push(draft);
    }
    // Template mode (no AI model) applies no style or length: every draft is the author's own words, unchanged.
    const text = (d: Draft) => JSON.stringify(d.blocks);
    for (const draft of made) expect(text(draft)).toBe(text(made[0]!));
    expect(text(made[0]!)).toContain("isn't what the nurse needed");
  });

  it('are versions numbered 1, 2, … listed newest first with paging', async () => {
    const seen: Draft[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const body = await draftsOf(chapterId, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.map((d) => d.number)).toEqual([5, 4, 3, 2, 1]);
    expect(seen.map((d) => d.id)).toEqual([...made].reverse().map((d) => d.id));
    expect(seen).toEqual([...made].reverse());
    expect((await draftsOf(chapterId)).nextCursor).toBeNull();
    const bad = await a.call('GET', url(chapterId, '/drafts?cursor=nonsense'));
    expect(bad.statusCode).toBe(400);
    const missing = await a.call('GET', url(chapterId, '/drafts/dr_01J0000000000000000000000Z'));
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
  });

  it('every non-heading block cites real answers at their versions, or is marked unsupported', async () => {
    const versions = new Map(answered.map((q) => [q.id, [q.answer!.version]]));
    for (const draft of made) {
      expectProvenance(draft, versions);
      // The offline provider only arranges the author's answers: all are used, nothing is invented.
      expect(draft.unsupportedBlocks).toBe(0);
      const cited = new Set(draft.blocks.flatMap((b) => (b.type === 'heading' ? [] : b.sources.map((s) => s.questionId))));
      expect([...cited].sort()).toEqual(answered.map((q) => q.id).sort());
    }
    expect(made.some((d) => d.blocks.some((b) => b.type === 'list'))).toBe(true);

    // After an edit, a new draft cites the new version; older drafts keep the version they used.
    const edited = answered[0]!;
    const saved = await a.answer(bookId, chapterId, edited.id, 'On the ward, Maria asked one question and then waited.', 'final', edited.answer!.version);
    expect(saved.statusCode, saved.body).toBe(200);
    const newVersion = saved.json<QuestionView>().answer!.version;
    const fresh = await generate(chapterId, 'professional', 600);
    expect(fresh.number).toBe(made.length + 1);
    const citedVersions = (d: Draft) => d.blocks.flatMap((b) => (b.type === 'heading' ? [] : b.sources)).filter((s) => s.questionId === edited.id).map((s) => s.answerVersion);
    expect(new Set(citedVersions(fresh))).toEqual(new Set([newVersion]));
    const old = (await a.call('GET', url(chapterId, `/drafts/${made[1]!.id}`))).json<Draft>();
    expect(new Set(citedVersions(old))).toEqual(new Set([edited.answer!.version]));
    versions.set(edited.id, [edited.answer!.version, newVersion]);
    expectProvenance(fresh, versions);
    made.push(fresh);
  });

  it('accept marks exactly one draft accepted and sets the chapter to drafted', async () => {
    expect((await a.call('GET', url(chapterId))).json<{ status: string }>().status).toBe('planned');
    for (const chosen of [made[1]!, made[3]!]) {
      const response = await a.call('POST', url(chapterId, `/drafts/${chosen.id}/accept`));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<Draft>()).toMatchObject({ id: chosen.id, accepted: true });
      expect(response.json<Draft>().acceptedAt).not.toBeNull();
      const listed = (await draftsOf(chapterId)).items;
      expect(listed.filter((d) => d.accepted).map((d) => d.id)).toEqual([chosen.id]);
      expect(listed.filter((d) => !d.accepted).every((d) => d.acceptedAt === null)).toBe(true);
      expect((await a.call('GET', url(chapterId))).json<{ status: string }>().status).toBe('drafted');
      expect((await a.call('GET', url(chapterId, '/progress'))).json<Progress>()).toMatchObject({ acceptedDraftId: chosen.id, drafts: made.length });
    }
    const other = await a.chapter(bookId, 'Another chapter');
    const wrongChapter = await a.call('POST', url(other.id, `/drafts/${made[0]!.id}/accept`));
    expect(wrongChapter.statusCode).toBe(404);
    const unknown = await a.call('POST', url(chapterId, '/drafts/dr_01J0000000000000000000000Z/accept'));
    expect(unknown.statusCode).toBe(404);
    expect((await draftsOf(chapterId)).items.filter((d) => d.accepted).map((d) => d.id)).toEqual([made[3]!.id]);
  });

  it('version numbers stay unique and increasing past the per-chapter cap (old drafts pruned, the accepted one kept)', async () => {
    const chapter = await a.chapter(bookId, 'Many drafts');
    const [q] = await a.questions(bookId, chapter.id, 5);
    await a.answer(bookId, chapter.id, q!.id, 'One answer is enough to draft from.');
    const first = await generate(chapter.id, 'technical', 300);
    expect((await a.call('POST', url(chapter.id, `/drafts/${first.id}/accept`))).statusCode).toBe(200);
    const total = LIMITS.draftsPerChapter + 3;
    let last = first;
    for (let n = 2; n <= total; n++) last = await generate(chapter.id, 'technical', 300 + n);
    const listed = (await draftsOf(chapter.id)).items;
    const numbers = listed.map((d) => d.number);
    expect(new Set(numbers).size, 'duplicate draft numbers').toBe(numbers.length);
    expect(numbers).toEqual([...numbers].sort((x, y) => y - x));
    expect(last.number).toBe(total);
    expect(listed[0]!.id).toBe(last.id);
    expect(listed.some((d) => d.id === first.id && d.accepted)).toBe(true);
  });

  it('a chapter with no answers → 400 VALIDATION and no job', async () => {
    const noQuestions = await a.chapter(bookId, 'Nothing yet');
    const unanswered = await a.chapter(bookId, 'Questions only');
    const questions = await a.questions(bookId, unanswered.id, 5);
    const blank = await a.chapter(bookId, 'Blank answers');
    const [blankQ] = await a.questions(bookId, blank.id, 5);
    await a.answer(bookId, blank.id, blankQ!.id, '   ', 'draft');
    expect(questions).toHaveLength(5);
    for (const chapter of [noQuestions, unanswered, blank]) {
      const response = await a.call('POST', url(chapter.id, '/drafts/generate'), { style: 'professional', targetWords: 600 });
      expect(response.statusCode, chapter.title).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
      expect(await jobsFor(chapter.id)).toEqual([]);
      expect((await draftsOf(chapter.id)).items).toEqual([]);
    }
  });

  it('GET /v1/books/:bookId/progress lists every active chapter, in TOC order', async () => {
    const section = await a.chapter(bookId, 'A section', { parentId: chapterId });
    const archived = await a.chapter(bookId, 'Archived');
    expect((await a.call('DELETE', url(archived.id))).statusCode).toBe(204);
    const toc = (await a.call('GET', `/v1/books/${bookId}/toc`)).json<{ chapters: Array<{ id: string; children: Array<{ id: string }> }> }>();
    const active = toc.chapters.flatMap((c) => [c.id, ...c.children.map((s) => s.id)]);
    expect(active).toContain(section.id);
    expect(active).not.toContain(archived.id);

    const response = await a.call('GET', `/v1/books/${bookId}/progress`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ bookId: string; chapters: Progress[] }>();
    expect(body.bookId).toBe(bookId);
    expect(body.chapters.map((c) => c.chapterId)).toEqual(active);
    for (const entry of body.chapters) {
      expect(entry).toEqual((await a.call('GET', url(entry.chapterId, '/progress'))).json<Progress>());
    }
    expect(body.chapters.find((c) => c.chapterId === chapterId)).toMatchObject({ answered: 5, final: 4, acceptedDraftId: made[3]!.id, drafts: made.length });
    expect(body.chapters.find((c) => c.chapterId === section.id)).toMatchObject({ questions: 0, coverage: 0, drafts: 0, acceptedDraftId: null });
    expect((await a.call('GET', '/v1/books/bk_01J0000000000000000000000Z/progress')).statusCode).toBe(404);
  });
  it('accept never overwrites a status the author set while it was marking the chapter drafted', async () => {
    const chapter = await a.chapter(bookId, 'Raced status');
    const [q] = await a.questions(bookId, chapter.id, 5);
    await a.answer(bookId, chapter.id, q!.id, 'An answer to draft from.');
    const draft = await generate(chapter.id, 'technical', 300);
    const chapters = t.app.store.chapters;
    const update = chapters.update.bind(chapters);
    let raced = false;
    // The author's PATCH lands between the accept's read of the chapter and its write.
    chapters.update = async (...args) => {
      if (!raced && args[2].status === 'drafted') {
        raced = true;
        expect((await update(bookId, chapter.id, { status: 'done' }, { expectedVersion: null, at: new Date().toISOString() })).ok).toBe(true);
      }
      return update(...args);
    };
    try {
      expect((await a.call('POST', url(chapter.id, `/drafts/${draft.id}/accept`))).statusCode).toBe(200);
    } finally {
      chapters.update = update;
    }
    expect(raced).toBe(true);
    const read = await a.call('GET', url(chapter.id));
    expect(read.json<{ status: string }>().status, read.body).toBe('done');
  });
});
