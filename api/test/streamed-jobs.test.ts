import { describe, expect, it } from 'vitest';
import { openEventStream } from './helpers/sse-client.js';
import { chapterReadyToDraft, waitForJob } from './helpers/journey.js';
import { useModelServer } from './helpers/model-server.js';
import { step } from './support/openai-test-server.js';

/**
 * What the panels see while a model writes: each draft block (and each question) arrives as a progress event of the
 * job's stream while the model is still writing, in order; the draft is saved only once the whole answer validated.
 */

const model = useModelServer({ streamChunkChars: 20 });

const BLOCKS = [
  { type: 'heading', level: 2, text: 'Ask before you advise', items: null, sources: [] },
  { type: 'paragraph', level: null, text: 'Maria asked her nurse what had surprised her that week, and listened.', items: null, sources: ['A1'] },
  { type: 'list', level: null, text: null, items: ['Ask one open question', 'Listen for two minutes'], sources: ['A2'] },
];

async function listeningChapter() {
  const app = await model.app({ AI_TIMEOUT_MS: '5000', AI_MAX_RETRIES: '1' });
  const ready = await chapterReadyToDraft(app);
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.app.server.address() as { port: number };
  return { app, ...ready, origin: `http://127.0.0.1:${address.port}` };
}

describe('a job shows what the model writes while it writes', () => {
  it('each draft block arrives as a progress event before the result, in order; the saved draft is the validated whole', async () => {
    const { user, api, base, origin } = await listeningChapter();
    model.server.streamChunkMs = 15;
    model.server.script('chapter_draft_section', [step.ok({ blocks: BLOCKS })]);
    const started = (await api('POST', `${base}/drafts/generate`, { style: 'professional', targetWords: 300 })).json<{ job: { id: string } }>();
    const stream = await openEventStream(`${origin}/v1/jobs/${started.job.id}/events`, user.token);
    const events = await stream.ended;
    const parsed = events.map((event) => ({ type: event.event, id: Number(event.id), job: JSON.parse(event.data) }));
    const partials = parsed.filter((event) => event.job.partial);
    // The scripted section is far below 300 words, so the model is asked again for a longer one: its blocks are
    // shown from index 0 again, replacing the first attempt's.
    const indexes = partials.map((event) => event.job.partial.index);
    expect(indexes.slice(0, 3)).toEqual([0, 1, 2]);
    expect(partials.slice(0, 3).map((event) => event.job.partial.item)).toEqual(BLOCKS.map(({ sources: _refs, ...block }) => block));
    const restart = indexes.lastIndexOf(0);
    expect(restart).toBeGreaterThan(0);
    expect(partials.every((event) => event.type === 'progress' && event.job.status === 'running')).toBe(true);
    const result = parsed.at(-1)!;
    expect(result.type).toBe('result');
    expect(result.job.partial).toBeNull();
    // Event ids only grow: a reconnecting client resumes after the last block it saw.
    expect(parsed.map((event) => event.id)).toEqual([...parsed.map((event) => event.id)].sort((a, b) => a - b));
    // What was shown last is what was saved.
    const draft = (await api('GET', `${base}/drafts/${result.job.result.draftId}`)).json<{ blocks: Array<{ text?: string; items?: string[] }> }>();
    const shown = partials.slice(restart).map((event) => event.job.partial.item as { text: string | null; items: string[] | null });
    expect(draft.blocks.map((block) => block.text ?? block.items)).toEqual(shown.map((item) => item.text ?? item.items));

    // Replay from any event: exactly what came after it, the blocks included.
    const from = partials[0]!.id;
    const replay = await (await openEventStream(`${origin}/v1/jobs/${started.job.id}/events`, user.token, String(from))).ended;
    expect(replay.map((event) => Number(event.id))).toEqual(parsed.filter((event) => event.id > from).map((event) => event.id));
  });

  it('a stream cut off twice saves nothing: the blocks shown were never a draft', async () => {
    const { app, user, api, base } = await listeningChapter();
    model.server.script('chapter_draft_section', [step.cut(4), step.cut(4)]);
    const started = (await api('POST', `${base}/drafts/generate`, { style: 'professional', targetWords: 300 })).json<{ job: { id: string } }>();
    const job = await waitForJob(app, user.token, started.job.id);
    // The author is told why, and that nothing was saved.
    expect(job).toMatchObject({ status: 'failed', error: { code: 'AI_UNAVAILABLE', retryable: true, message: expect.stringContaining('stopped part-way through its answer, so nothing was saved') } });
    expect((await api('GET', `${base}/drafts`)).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('chapter questions stream the same way', async () => {
    const { user, api, base, origin } = await listeningChapter();
    model.server.streamChunkMs = 5;
    const started = (await api('POST', `${base}/questions/generate`, { count: 5, fresh: true })).json<{ job: { id: string } }>();
    const events = await (await openEventStream(`${origin}/v1/jobs/${started.job.id}/events`, user.token)).ended;
    const items = events.map((event) => JSON.parse(event.data)).filter((job) => job.partial).map((job) => job.partial.item.text);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((text) => typeof text === 'string' && text.length > 0)).toBe(true);
  });
});
