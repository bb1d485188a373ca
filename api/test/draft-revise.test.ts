import { describe, expect, it } from 'vitest';
import type { Draft } from '../../shared/schemas/authoring.js';
import { SUMMARY, runJob, waitForJob } from './helpers/journey.js';
import { openEventStream } from './helpers/sse-client.js';
import { useModelServer } from './helpers/model-server.js';
import { parseDataBlocks, step, type RecordedRequest } from './support/openai-test-server.js';

/**
 * Revising a draft against the OpenAI-compatible test server: the request carries the previous draft and the
 * instruction; unchanged blocks keep their sources (byte-identical); an answer cut off, invalid or truncated saves no
 * version; the new kinds are quoted, cached, metered, cancellable and go down the model chain like the others.
 */

const model = useModelServer({ streamChunkChars: 40 });

async function drafted(env: Record<string, string> = {}) {
  const app = await model.app({ AI_TIMEOUT_MS: '5000', AI_MAX_RETRIES: '0', ...env });
  const user = await app.newUser();
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
    app.as(user.token, { method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const book = (await api('POST', '/v1/books', { title: 'Listening', standingInstructions: 'British spelling' })).json<{ id: string }>();
  await api('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY });
  const chapter = (await api('POST', `/v1/books/${book.id}/chapters`, { title: 'Ask first' })).json<{ id: string }>();
  const base = `/v1/books/${book.id}/chapters/${chapter.id}`;
  await runJob(app, user.token, 'POST', `${base}/questions/generate`, { count: 5 });
  const questions = (await api('GET', `${base}/questions?limit=20`)).json<{ items: Array<{ id: string }> }>().items;
  await api('POST', `${base}/answers/batch`, {
    answers: questions.slice(0, 3).map((q, i) => ({ questionId: q.id, status: 'final', text: `On the ward, Maria asked her nurse what had surprised her, story ${i}. She listened for two minutes.` })),
  });
  const job = await runJob(app, user.token, 'POST', `${base}/drafts/generate`, { style: 'professional', targetWords: 300 });
  const draft = (await api('GET', `${base}/drafts/${job.result.draftId as string}`)).json<Draft>();
  model.server.reset();
  const getDraft = async (id: string) => (await api('GET', `${base}/drafts/${id}`)).json<Draft>();
  const count = async () => (await api('GET', `${base}/drafts?limit=100`)).json<{ items: Draft[] }>().items.length;
  return { app, user, api, book, chapter, base, draft, getDraft, count };
}

const dataOf = (request: RecordedRequest) => parseDataBlocks(String(request.body?.messages.find((m) => m.role === 'user')?.content ?? ''));
const systemOf = (request: RecordedRequest) => String(request.body?.messages.find((m) => m.role === 'system')?.content ?? '');
const same = (a: unknown, b: unknown) => expect(JSON.stringify(a)).toBe(JSON.stringify(b));

describe('revising a draft with an instruction', () => {
  it('sends the previous draft and the instruction; the changed block keeps its sources, every other block is byte-identical', async () => {
    const { app, user, base, draft, getDraft } = await drafted();
    const job = await runJob(app, user.token, 'POST', `${base}/drafts/${draft.id}/revise`, { instruction: 'Make it warmer' });
    const [request] = model.server.requests.filter((r) => r.schemaName === 'chapter_draft_revision');
    const data = dataOf(request!);
    expect(data.instruction).toBe('Make it warmer');
    const sent = data.draft as Array<{ ref: string; text: string | null; items: string[] | null }>;
    expect(sent.map((b) => b.ref)).toEqual(draft.blocks.map((_, i) => `B${i + 1}`));
    expect(sent.map((b) => b.text ?? b.items)).toEqual(draft.blocks.map((b) => (b.type === 'list' ? b.items : b.text)));
    expect(systemOf(request!)).toContain('<author_instructions>\nBritish spelling\n</author_instructions>');

    const revised = await getDraft(job.result.draftId as string);
    expect(revised).toMatchObject({ basedOnDraftId: draft.id, number: draft.number + 1, change: { kind: 'revise', instruction: 'Make it warmer', blockIds: [] }, accepted: false });
    expect(revised.generatedBy.offline).toBe(false);
    const changed = draft.blocks.findIndex((b) => b.type === 'paragraph');
    expect(revised.blocks).toHaveLength(draft.blocks.length);
    revised.blocks.forEach((block, i) => {
      if (i !== changed) same(block, draft.blocks[i]);
    });
    const before = draft.blocks[changed] as { text: string; sources: unknown[]; unsupported: boolean };
    expect(revised.blocks[changed]).toMatchObject({ type: 'paragraph', text: expect.stringMatching(/^Make it warmer: /u), sources: before.sources, unsupported: before.unsupported });
    expect(job.result).toMatchObject({ draftId: revised.id, basedOnDraftId: draft.id, changedBlocks: 1 });
  });

  it('streams the revised draft as it is written: kept blocks as they were, the rewritten one as written, then the result', async () => {
    const { app, user, api, base, draft } = await drafted();
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(app.app.server.address() as { port: number }).port}`;
    model.server.streamChunkMs = 5;
    const started = (await api('POST', `${base}/drafts/${draft.id}/revise`, { instruction: 'Make it warmer' })).json<{ job: { id: string } }>();
    const events = await (await openEventStream(`${origin}/v1/jobs/${started.job.id}/events`, user.token)).ended;
    const parsed = events.map((event) => ({ type: event.event, job: JSON.parse(event.data) }));
    const shown = parsed.filter((event) => event.job.partial).map((event) => event.job.partial.item as { type: string; text: string | null; items: string[] | null });
    expect(shown.map((item) => item.text ?? item.items)).toEqual(draft.blocks.map((block, i) => {
      if (i === draft.blocks.findIndex((b) => b.type === 'paragraph')) return expect.stringMatching(/^Make it warmer: /u);
      return block.type === 'list' ? block.items : block.text;
    }));
    expect(parsed.at(-1)!.type).toBe('result');
  });

  it('with blockIds, asks for those blocks only and changes nothing else', async () => {
    const { app, user, base, draft, getDraft } = await drafted();
    const target = draft.blocks.findIndex((b, i) => i > 0 && b.type !== 'heading');
    const blockId = `B${target + 1}`;
    const job = await runJob(app, user.token, 'POST', `${base}/drafts/${draft.id}/revise`, { instruction: 'More concrete', blockIds: [blockId] });
    const [request] = model.server.requests.filter((r) => r.schemaName === 'draft_block_revision');
    expect(dataOf(request!)).toMatchObject({ instruction: 'More concrete', selected_blocks: [blockId] });
    const revised = await getDraft(job.result.draftId as string);
    expect(revised.change).toEqual({ kind: 'revise', instruction: 'More concrete', blockIds: [blockId] });
    revised.blocks.forEach((block, i) => {
      if (i !== target) same(block, draft.blocks[i]);
    });
    expect(JSON.stringify(revised.blocks[target])).not.toBe(JSON.stringify(draft.blocks[target]));
  });

  it('saves no version when the answer is off its schema twice, cut off mid-stream, or truncated', async () => {
    const { app, user, api, base, draft, count } = await drafted();
    const drafts = await count();
    const attempt = async (steps: ReturnType<typeof step.ok>[], code: string) => {
      model.server.script('chapter_draft_revision', steps);
      const started = await api('POST', `${base}/drafts/${draft.id}/revise`, { instruction: 'Shorter', fresh: true });
      expect(started.statusCode, started.body).toBe(202);
      const job = await waitForJob(app, user.token, started.json<{ job: { id: string } }>().job.id);
      expect(job.status).toBe('failed');
      expect(job.error.code).toBe(code);
      expect(await count()).toBe(drafts);
    };
    await attempt([step.schemaInvalid(), step.malformed()], 'AI_INVALID_OUTPUT');
    await attempt([step.cut(2)], 'AI_UNAVAILABLE');
    await attempt([step.truncated()], 'AI_TRUNCATED');
  });

  it('refuses a block the draft does not have, an empty instruction, and another author’s draft', async () => {
    const { app, api, base, draft } = await drafted();
    expect((await api('POST', `${base}/drafts/${draft.id}/revise`, { instruction: 'Shorter', blockIds: [`B${draft.blocks.length + 1}`] })).statusCode).toBe(400);
    expect((await api('POST', `${base}/drafts/${draft.id}/revise`, { instruction: '   ' })).statusCode).toBe(400);
    expect((await api('POST', `${base}/drafts/${draft.id}/rework`, { blockId: 'B1', action: 'louder' })).statusCode).toBe(400);
    const other = await app.newUser();
    expect((await app.as(other.token, { method: 'POST', url: `${base}/drafts/${draft.id}/revise`, payload: { instruction: 'Shorter' } })).statusCode).toBe(404);
    expect(model.server.requests.filter((r) => r.schemaName !== null)).toHaveLength(0);
  });
});

describe('reworking one block', () => {
  it('shortens one block: the request asks to shorten exactly that block, every other block is byte-identical', async () => {
    const { app, user, base, draft, getDraft } = await drafted();
    const target = draft.blocks.findIndex((b) => b.type === 'paragraph');
    const job = await runJob(app, user.token, 'POST', `${base}/drafts/${draft.id}/rework`, { blockId: `B${target + 1}`, action: 'shorten' });
    const [request] = model.server.requests.filter((r) => r.schemaName === 'draft_block_revision');
    expect(dataOf(request!)).toMatchObject({ selected_blocks: [`B${target + 1}`], instruction: expect.stringMatching(/^Shorten this block/u) });
    const reworked = await getDraft(job.result.draftId as string);
    expect(reworked.change).toEqual({ kind: 'shorten', instruction: null, blockIds: [`B${target + 1}`] });
    reworked.blocks.forEach((block, i) => {
      if (i !== target) same(block, draft.blocks[i]);
    });
    expect(reworked.blocks[target]).toMatchObject({ sources: (draft.blocks[target] as { sources: unknown }).sources });
  });
});

describe('editing a heading by hand', () => {
  it('keeps the author’s title for it, marked as theirs, every other block byte-identical', async () => {
    const { api, base, draft } = await drafted();
    const heading = draft.blocks.findIndex((b) => b.type === 'heading');
    expect(heading).toBeGreaterThanOrEqual(0);
    const response = await api('POST', `${base}/drafts/${draft.id}/edit`, { blockId: `B${heading + 1}`, text: 'Ask before you advise' });
    expect(response.statusCode, response.body).toBe(201);
    const edited = response.json<Draft>();
    expect(edited.blocks[heading]).toEqual({ ...draft.blocks[heading], text: 'Ask before you advise', authored: true });
    edited.blocks.forEach((block, i) => {
      if (i !== heading) same(block, draft.blocks[i]);
    });
    expect(model.server.requests).toHaveLength(0);
  });
});

describe('the new kinds go through the AI gateway like the others', () => {
  it('are quoted, then cached and free; metered in the ledger under their own operation', async () => {
    const { app, user, api, book, chapter, base, draft } = await drafted();
    const quote = (operation: string, params: object) => api('POST', '/v1/quote', { operation, bookId: book.id, chapterId: chapter.id, params });
    const before = (await quote('draft.revise', { draftId: draft.id, instruction: 'Make it warmer' })).json();
    expect(before).toMatchObject({ cached: false, offline: false });
    expect(before.estimatedTokens).toBeGreaterThan(0);
    const rework = (await quote('draft.rework', { draftId: draft.id, blockId: 'B2', action: 'expand' })).json();
    expect(rework.estimatedTokens).toBeGreaterThan(0);
    expect((await quote('draft.revise', { draftId: draft.id, instruction: '' })).statusCode).toBe(400);

    await runJob(app, user.token, 'POST', `${base}/drafts/${draft.id}/revise`, { instruction: 'Make it warmer' });
    expect((await quote('draft.revise', { draftId: draft.id, instruction: 'Make it warmer' })).json()).toMatchObject({ cached: true, estimatedTokens: 0 });
    await runJob(app, user.token, 'POST', `${base}/drafts/${draft.id}/revise`, { instruction: 'Make it warmer' });
    expect(model.server.calls('chapter_draft_revision')).toBe(1);
    await runJob(app, user.token, 'POST', `${base}/drafts/${draft.id}/rework`, { blockId: 'B2', action: 'expand' });

    const recent = (await api('GET', '/v1/me/usage')).json<{ recent: Array<{ operation: string; cached: boolean; outcome: string; inputTokens: number }> }>().recent;
    const revisions = recent.filter((entry) => entry.operation === 'draft.revise');
    expect(revisions.map((e) => e.cached).sort()).toEqual([false, true]);
    expect(revisions.find((e) => !e.cached)!.inputTokens).toBeGreaterThan(0);
    expect(recent.filter((entry) => entry.operation === 'draft.rework')).toHaveLength(1);
  });

  it('falls back down the model chain, and a cancelled revision saves nothing', async () => {
    const { app, user, api, base, draft, getDraft, count } = await drafted({ AI_MODELS: 'first-model,second-model' });
    model.server.scriptModel('first-model', step.serverError(503));
    const job = await runJob(app, user.token, 'POST', `${base}/drafts/${draft.id}/rework`, { blockId: 'B2', action: 'rephrase' });
    expect((await getDraft(job.result.draftId as string)).generatedBy.model).toBe('second-model');

    const drafts = await count();
    model.server.pause();
    const started = (await api('POST', `${base}/drafts/${draft.id}/revise`, { instruction: 'Warmer still' })).json<{ job: { id: string } }>();
    await model.server.waitForCalls(model.server.requests.length + 1);
    expect((await api('POST', `/v1/jobs/${started.job.id}/cancel`)).statusCode).toBe(200);
    const ended = await waitForJob(app, user.token, started.job.id);
    model.server.resume();
    expect(ended.status).toBe('cancelled');
    expect(await count()).toBe(drafts);
  });
});
