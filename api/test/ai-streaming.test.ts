import { describe, expect, it } from 'vitest';
import { draftSectionTask, type DraftInput } from '../src/ai/tasks/draft-task.js';
import type { TestApp } from './helpers/test-app.js';
import { useModelServer } from './helpers/model-server.js';
import { step } from './support/openai-test-server.js';

/**
 * Streamed answers through the real gateway and the real openai provider, against the chat-completions wire format
 * (server-sent chunks, usage in the last one): completed items are reported while the answer is written, the whole
 * answer is still validated before it is returned, and a stream cut off or invalid returns nothing.
 */

// Small chunks, so a draft arrives in many pieces.
const model = useModelServer({ streamChunkChars: 16 });
let userId = '';

const input: DraftInput = {
  brief: { title: 'Listening', subtitle: null, audience: 'managers', genre: null, language: 'en', description: null, targetWords: null, summary: 'A book about listening.' },
  chapter: { title: 'Ask first', description: null },
  style: 'professional',
  section: { index: 0, count: 1, words: 300 },
  answers: [
    { ref: 'A1', question: 'What changed?', answer: 'On the ward, Maria asked her nurse what had surprised her that week.' },
    { ref: 'A2', question: 'What do you do now?', answer: 'I ask one open question and listen for two minutes before I advise.' },
  ],
  focus: ['A1', 'A2'],
  previousHeadings: [],
  minimumWords: null, standingInstructions: null,
  book: { previously: [], continuity: [], voiceSample: null },
};

const BLOCKS = [
  { type: 'heading', level: 2, text: 'Ask before you advise', items: null, sources: [] },
  { type: 'paragraph', level: null, text: 'Maria asked her nurse what had surprised her that week, and listened.', items: null, sources: ['A1'] },
  { type: 'list', level: null, text: null, items: ['Ask one open question', 'Listen for two minutes'], sources: ['A2'] },
  { type: 'quote', level: null, text: 'What surprised you this week?', items: null, sources: ['A1'] },
];

async function setup(env: Record<string, string> = {}) {
  const app = await model.app({ AI_TIMEOUT_MS: '2000', AI_MAX_RETRIES: '2', ...env });
  userId = (await app.newUser()).id;
  return app;
}

function run(app: TestApp, onItem: (index: number, item: unknown) => void, fresh = true) {
  return app.app.ai.gateway.run(draftSectionTask, input, { userId, bookId: null, jobId: null, fresh, signal: new AbortController().signal, onItem });
}

describe('streamed answers', () => {
  it('reports each block as it completes, before the answer ends, then returns the validated whole', async () => {
    const app = await setup();
    model.server.streamChunkMs = 5;
    model.server.script('chapter_draft_section', [step.ok({ blocks: BLOCKS })]);
    const seen: Array<{ index: number; streamDone: boolean }> = [];
    const items: unknown[] = [];
    const result = await run(app, (index, item) => {
      seen.push({ index, streamDone: model.server.requests.at(-1)!.streamed?.done ?? true });
      items[index] = item;
    });
    expect(result.output.blocks).toEqual(BLOCKS);
    expect(items).toEqual(BLOCKS);
    expect(seen.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    // The first block was reported while the server was still writing the answer (dozens of chunks, 5 ms apart).
    expect(seen[0]!.streamDone).toBe(false);
    const request = model.server.requests.at(-1)!;
    expect(request.streamed).toMatchObject({ done: true });
    expect(request.streamed!.chunks).toBeGreaterThan(10);
    expect(request.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    // Usage came from the stream's last chunk and is on the ledger.
    const [last] = await app.app.store.ledger.listByUser(userId, 1);
    expect(last).toMatchObject({ outputTokens: request.usage!.completion_tokens, inputTokens: request.usage!.prompt_tokens, outcome: 'ok' });
  });

  it('a stream cut off mid-answer is retried; items start again at 0 and nothing partial is returned', async () => {
    const app = await setup();
    model.server.script('chapter_draft_section', [step.cut(6), step.ok({ blocks: BLOCKS })]);
    const indexes: number[] = [];
    const result = await run(app, (index) => indexes.push(index));
    expect(result.output.blocks).toEqual(BLOCKS);
    expect(model.server.calls('chapter_draft_section')).toBe(2);
    // Whatever the cut attempt reported, the retry reported the four blocks from index 0.
    expect(indexes.slice(-4)).toEqual([0, 1, 2, 3]);
  });

  it('a stream that never completes or does not fit the schema ends in an error, never in output', async () => {
    const app = await setup({ AI_MAX_RETRIES: '0' });
    model.server.script('chapter_draft_section', [step.cut(2)]);
    await expect(run(app, () => {})).rejects.toMatchObject({ code: 'AI_UNAVAILABLE' });
    model.server.script('chapter_draft_section', [step.schemaInvalid(), step.schemaInvalid()]);
    await expect(run(app, () => {})).rejects.toMatchObject({ code: 'AI_INVALID_OUTPUT' });
    model.server.script('chapter_draft_section', [step.malformed(), step.malformed()]);
    await expect(run(app, () => {})).rejects.toMatchObject({ code: 'AI_INVALID_OUTPUT' });
  });

  it('a 200 that is not a stream of chunks (a proxy page) is retried like any bad answer', async () => {
    const app = await setup();
    model.server.script('chapter_draft_section', [step.raw(200, '<html><body>Gateway</body></html>'), step.ok({ blocks: BLOCKS })]);
    expect((await run(app, () => {})).output.blocks).toEqual(BLOCKS);
    expect(model.server.calls('chapter_draft_section')).toBe(2);
  });

  it('a cache hit and template mode report their items through the same listener', async () => {
    const app = await setup();
    model.server.script('chapter_draft_section', [step.ok({ blocks: BLOCKS })]);
    await run(app, () => {});
    const fromCache: unknown[] = [];
    const cached = await run(app, (index, item) => (fromCache[index] = item), false);
    expect(cached.cached).toBe(true);
    expect(fromCache).toEqual(BLOCKS);

    const templateMode = await model.app({ AI_PROVIDER: 'offline' }, true);
    userId = (await templateMode.newUser()).id;
    const offline: unknown[] = [];
    const result = await run(templateMode, (index, item) => (offline[index] = item));
    expect(result.generatedBy.offline).toBe(true);
    expect(offline).toEqual(result.output.blocks);
    expect(offline.length).toBeGreaterThan(0);
  });

  it('without a listener the answer is asked for in one piece, as before', async () => {
    const app = await setup();
    model.server.script('chapter_draft_section', [step.ok({ blocks: BLOCKS })]);
    const result = await app.app.ai.gateway.run(draftSectionTask, input, { userId, bookId: null, jobId: null, fresh: true, signal: new AbortController().signal });
    expect(result.output.blocks).toEqual(BLOCKS);
    expect(model.server.requests.at(-1)!.body?.stream).toBeUndefined();
  });
});
