import { newId } from '../../shared/ids.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TocProposal as Proposal } from '../../shared/schemas/authoring.js';
import type { Toc } from '../../shared/schemas/chapters.js';
import { authorClient, type QuestionView } from './helpers/engine-fixtures.js';
import { runJob } from './helpers/journey.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';


let t: TestApp;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let a: ReturnType<typeof authorClient>;

beforeAll(async () => {
  t = await buildTestApp({ RATE_LIMIT_AI_PER_MIN: '100000' });
  alice = await t.newUser();
  bob = await t.newUser();
  a = authorClient(t, alice.token);
});
afterAll(() => t.close());

const tocOf = async (bookId: string) => {
  const response = await a.call('GET', `/v1/books/${bookId}/toc`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Toc>();
};
const activeIds = (toc: Toc) => toc.chapters.flatMap((c) => [c.id, ...c.children.map((s) => s.id)]);
const findActive = (toc: Toc, id: string) => toc.chapters.flatMap((c) => [c, ...c.children]).find((c) => c.id === id);

async function propose(bookId: string) {
  const job = await runJob(t, alice.token, 'POST', `/v1/books/${bookId}/toc/generate`);
  const response = await a.call('GET', `/v1/books/${bookId}/toc/proposals/${job.result.proposalId as string}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Proposal>();
}

async function apply(bookId: string, proposalId: string, version?: number) {
  return a.call('POST', `/v1/books/${bookId}/toc/proposals/${proposalId}/apply`, version === undefined ? {} : { version });
}

/** Questions answered in a chapter: returns the questions as they stand afterwards. */
async function answerSome(bookId: string, chapterId: string, how: number): Promise<QuestionView[]> {
  const questions = await a.questions(bookId, chapterId, 5);
  for (const q of questions.slice(0, how)) {
    const saved = await a.answer(bookId, chapterId, q.id, `On the ward, Maria listened first (${q.position}).`, 'final');
    expect(saved.statusCode, saved.body).toBe(200);
  }
  return a.allQuestions(bookId, chapterId);
}

async function acceptedDraft(bookId: string, chapterId: string) {
  await answerSome(bookId, chapterId, 2);
  const job = await runJob(t, alice.token, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, { style: 'professional', targetWords: 300 });
  const accepted = await a.call('POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/${job.result.draftId as string}/accept`);
  expect(accepted.statusCode, accepted.body).toBe(200);
  return job.result.draftId as string;
}

describe('TOC proposals', () => {
  it('generate stores a proposal and changes nothing until it is applied; apply merges by id', async () => {
    const bookId = await a.book('Proposals');
    const empty = await tocOf(bookId);
    const first = await propose(bookId);
    expect(first).toMatchObject({ bookId, status: 'pending', basedOnTocVersion: empty.version, generatedBy: { provider: 'offline', offline: true } });
    expect(first.chapters.length).toBeGreaterThan(2);
    expect(first.chapters.every((c) => c.id === null)).toBe(true);
    expect(await tocOf(bookId)).toEqual(empty);

    const applied = await apply(bookId, first.id, empty.version);
    expect(applied.statusCode, applied.body).toBe(200);
    const { toc, kept } = applied.json<{ toc: Toc; kept: string[] }>();
    expect(kept).toEqual([]);
    expect(toc.chapters.map((c) => c.title)).toEqual(first.chapters.map((c) => c.title));
    expect(toc.version).toBeGreaterThan(empty.version);
    expect(await tocOf(bookId)).toEqual(toc);
    expect((await a.call('GET', `/v1/books/${bookId}/toc/proposals/${first.id}`)).json<Proposal>().status).toBe('applied');

    // A second proposal names the existing chapters by id; applying it keeps every id and creates nothing.
    const second = await propose(bookId);
    expect(second.chapters.map((c) => c.id)).toEqual(activeIds(toc));
    expect(await tocOf(bookId)).toEqual(toc);
    const reapplied = await apply(bookId, second.id, toc.version);
    expect(reapplied.statusCode, reapplied.body).toBe(200);
    const merged = reapplied.json<{ toc: Toc }>().toc;
    expect(activeIds(merged)).toEqual(activeIds(toc));
    expect(merged.archived).toEqual([]);

    // A proposal that names some chapters and adds others: the named keep their ids, the new ones are created.
    // (Stored through the Store interface as the model's proposal would be.)
    const [keepA, , keepC] = activeIds(merged);
    const crafted = { ...(await t.app.store.proposals.get(bookId, second.id))!, id: newId('proposal'), status: 'pending' as const, chapters: [
      { id: keepC!, title: 'Renamed by the proposal', description: 'p', children: [] },
      { id: null, title: 'A brand new chapter', description: null, children: [{ id: null, title: 'Its section', description: null }] },
      { id: keepA!, title: merged.chapters[0]!.title, description: null, children: [] },
    ] };
    await t.app.store.proposals.create(crafted);
    const third = await apply(bookId, crafted.id, merged.version);
    expect(third.statusCode, third.body).toBe(200);
    const after = third.json<{ toc: Toc }>().toc;
    expect(after.chapters.map((c) => c.title)).toEqual(['Renamed by the proposal', 'A brand new chapter', merged.chapters[0]!.title]);
    expect(after.chapters[0]!.id).toBe(keepC);
    expect(after.chapters[2]!.id).toBe(keepA);
    expect(after.chapters[1]!.children.map((s) => s.title)).toEqual(['Its section']);
    // Left-out chapters without material are archived, not deleted.
    expect(after.archived.map((c) => c.id).sort()).toEqual(activeIds(merged).filter((id) => id !== keepA && id !== keepC).sort());
  });

  it('never loses a chapter with answers or an accepted draft: omitted ones stay with their material and are listed in kept', async () => {
    const bookId = await a.book('Material stays');
    const proposal = await propose(bookId); // made on an empty TOC: it names none of the chapters below
    const withAnswers = await a.chapter(bookId, 'Chapter with answers');
    const drafted = await a.chapter(bookId, 'Chapter with a draft');
    const plain = await a.chapter(bookId, 'Plain chapter');
    const parent = await a.chapter(bookId, 'Parent without material');
    const section = await a.chapter(bookId, 'Section with answers', { parentId: parent.id });
    const answersBefore = await answerSome(bookId, withAnswers.id, 3);
    const sectionAnswers = await answerSome(bookId, section.id, 1);
    const draftId = await acceptedDraft(bookId, drafted.id);
    const draftedAnswers = await a.allQuestions(bookId, drafted.id);
    const before = await tocOf(bookId);

    const response = await apply(bookId, proposal.id, before.version);
    expect(response.statusCode, response.body).toBe(200);
    const { toc, kept } = response.json<{ toc: Toc; kept: string[] }>();
    expect([...kept].sort()).toEqual([withAnswers.id, drafted.id, section.id].sort());
    for (const chapter of [withAnswers, drafted, section]) {
      const node = findActive(toc, chapter.id);
      expect(node, chapter.title).toBeDefined();
      expect(node!.title).toBe(chapter.title);
    }
    expect(findActive(toc, drafted.id)!.status).toBe('drafted');
    // The proposal's chapters were added too.
    for (const c of proposal.chapters) expect(toc.chapters.some((x) => x.title === c.title)).toBe(true);
    expect(await a.allQuestions(bookId, withAnswers.id)).toEqual(answersBefore);
    expect(await a.allQuestions(bookId, section.id)).toEqual(sectionAnswers);
    expect(await a.allQuestions(bookId, drafted.id)).toEqual(draftedAnswers);
    const draft = (await a.call('GET', `/v1/books/${bookId}/chapters/${drafted.id}/drafts/${draftId}`)).json<{ accepted: boolean }>();
    expect(draft.accepted).toBe(true);
    expect((await a.call('GET', `/v1/books/${bookId}/chapters/${drafted.id}/progress`)).json()).toMatchObject({ acceptedDraftId: draftId, answered: 2 });

    // A chapter without material that the proposal left out is archived, and can be restored.
    expect(findActive(toc, plain.id)).toBeUndefined();
    expect(toc.archived.map((c) => c.id)).toContain(plain.id);
    const restored = await a.call('POST', `/v1/books/${bookId}/chapters/${plain.id}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ id: plain.id, title: 'Plain chapter', archived: false });
    expect(findActive(await tocOf(bookId), plain.id)).toBeDefined();

    // Regenerating on this TOC proposes every chapter that has material, by id.
    const next = await propose(bookId);
    const named = next.chapters.flatMap((c) => [c.id, ...c.children.map((s) => s.id)]);
    for (const id of [withAnswers.id, drafted.id, section.id]) expect(named).toContain(id);
  });

  it('never loses a chapter the author renamed: it stays active with the author\'s title', async () => {
    const bookId = await a.book('Renamed stays');
    const proposal = await propose(bookId); // names none of the chapters below
    const renamed = await a.chapter(bookId, 'Working title');
    const patched = await a.call('PATCH', `/v1/books/${bookId}/chapters/${renamed.id}`, { version: renamed.version, title: 'The author\'s own title' });
    expect(patched.statusCode, patched.body).toBe(200);
    const before = await tocOf(bookId);

    const response = await apply(bookId, proposal.id, before.version);
    expect(response.statusCode, response.body).toBe(200);
    const { toc, kept } = response.json<{ toc: Toc; kept: string[] }>();
    expect(findActive(toc, renamed.id), 'renamed chapter archived by the proposal').toMatchObject({ title: 'The author\'s own title' });
    expect(kept).toContain(renamed.id);
  });

  it('a proposal made before the author renamed a chapter does not overwrite the new title', async () => {
    const bookId = await a.book('Rename after proposal');
    const chapter = await a.chapter(bookId, 'Working title');
    const proposal = await propose(bookId); // names the chapter by id with its old title
    expect(proposal.chapters.map((c) => c.id)).toEqual([chapter.id]);
    const patched = await a.call('PATCH', `/v1/books/${bookId}/chapters/${chapter.id}`, { version: chapter.version, title: 'The author\'s own title' });
    expect(patched.statusCode, patched.body).toBe(200);
    const response = await apply(bookId, proposal.id, (await tocOf(bookId)).version);
    expect(response.statusCode, response.body).toBe(200);
    expect(findActive(response.json<{ toc: Toc }>().toc, chapter.id)).toMatchObject({ title: 'The author\'s own title' });
  });

  it('a proposal on a TOC with sections keeps them as sections of their chapter', async () => {
    const bookId = await a.book('Sections stay sections');
    const parent = await a.chapter(bookId, 'Part one');
    const section = await a.chapter(bookId, 'A section of part one', { parentId: parent.id });
    await answerSome(bookId, section.id, 1);
    const before = await tocOf(bookId);
    const proposal = await propose(bookId);
    const response = await apply(bookId, proposal.id, before.version);
    expect(response.statusCode, response.body).toBe(200);
    const toc = response.json<{ toc: Toc }>().toc;
    const shape = [{ id: parent.id, children: [section.id] }];
    expect(toc.chapters.map((c) => ({ id: c.id, children: c.children.map((s) => s.id) })), 'applied TOC').toEqual(shape);
    expect(proposal.chapters.map((c) => ({ id: c.id, children: c.children.map((s) => s.id) })), 'proposal').toEqual(shape);
  });

  it('apply with a stale version → 409 CONFLICT and nothing changes', async () => {
    const bookId = await a.book('Stale apply');
    await a.chapter(bookId, 'One');
    const proposal = await propose(bookId);
    const toc = await tocOf(bookId);
    // The author edits the structure after the proposal was made.
    const put = await a.call('PUT', `/v1/books/${bookId}/toc`, {
      version: toc.version,
      chapters: [...toc.chapters.map((c) => ({ id: c.id, title: c.title })), { title: 'Added by hand' }],
    });
    expect(put.statusCode, put.body).toBe(200);
    const edited = put.json<Toc>();

    const stale = await apply(bookId, proposal.id, toc.version);
    expect(stale.statusCode).toBe(409);
    const error = errorOf(stale);
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toMatchObject({ current: { version: edited.version } });
    expect(await tocOf(bookId)).toEqual(edited);
    expect((await a.call('GET', `/v1/books/${bookId}/toc/proposals/${proposal.id}`)).json<Proposal>().status).toBe('pending');

    const missing = await a.call('POST', `/v1/books/${bookId}/toc/proposals/prop_01J0000000000000000000000Z/apply`, {});
    expect(missing.statusCode).toBe(404);
    const foreign = await t.as(bob.token, { method: 'POST', url: `/v1/books/${bookId}/toc/proposals/${proposal.id}/apply`, payload: {} });
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign).code).toBe('NOT_FOUND');
    const foreignRead = await t.as(bob.token, { method: 'GET', url: `/v1/books/${bookId}/toc/proposals/${proposal.id}` });
    expect(foreignRead.statusCode).toBe(404);
    expect(await tocOf(bookId)).toEqual(edited);
  });

  it('readiness gate: a too-short summary → 400 VALIDATION with details.readiness, no job and no ledger row', async () => {
    const carol = await t.newUser();
    const c = authorClient(t, carol.token);
    const short = await c.book('Not ready', 'A book about meetings.');
    const missing = (await c.call('POST', '/v1/books', { title: 'No summary' })).json<{ id: string }>().id;
    for (const [bookId, level] of [[short, 'too_short'], [missing, 'missing']] as const) {
      const response = await c.call('POST', `/v1/books/${bookId}/toc/generate`, {});
      expect(response.statusCode, response.body).toBe(400);
      const error = errorOf(response);
      expect(error.code).toBe('VALIDATION');
      expect(error.details).toMatchObject({ readiness: { ready: false, level } });
      expect((await c.call('GET', `/v1/jobs?bookId=${bookId}`)).json()).toEqual({ items: [], nextCursor: null });
    }
    const usage = (await c.call('GET', '/v1/me/usage')).json<{ month: { calls: number }; recent: unknown[] }>();
    expect(usage.month.calls).toBe(0);
    expect(usage.recent).toEqual([]);
    // No job of any book either.
    expect((await c.call('GET', '/v1/jobs')).json()).toEqual({ items: [], nextCursor: null });
  });
});
