// bench:ai phase (3), "first visible text": how long after the model's first token the first draft block reaches an
// SSE client, beside the model's own time to first token. The test server writes down when each streamed chunk went
// out and this process when the block arrived, both on the machine's wall clock at sub-millisecond resolution.
import { performance } from 'node:perf_hooks';
import { createSseParser } from '../../shared/ui/core/jobs.js';
import { createReadyBook, generateAndWait, percentile, summaryFor, type BenchUser } from './ai-client.js';
import { callApi } from './seed.js';

/** What the OpenAI test server's GET /__test/last says of a streamed answer. */
interface UpstreamAnswer {
  receivedAtHr: number;
  content: string | null;
  streamed?: { chunkChars: number; writtenAt: number[] };
}

export interface FirstTextSample {
  /** Model's own time to first token: request received → first content chunk written (its delay included). */
  modelTtftMs: number;
  /** First content chunk written → first block's event read by the SSE client. */
  firstVisibleMs: number;
  /** Of which the model was still writing that block (first chunk → the chunk that completes the block). */
  blockWritingMs: number;
  /** And the rest: the block's last chunk written → its event at the client (parser, store, event stream). */
  pipelineMs: number;
}

const wallClockMs = () => performance.timeOrigin + performance.now();
const TARGET_WORDS = 300; // one section, one model call per draft

/** A chapter with two answered questions, its answers unique to it (so every draft is a cache miss). */
async function chapterWithAnswers(baseUrl: string, token: string, bookId: string, index: number, tag: string): Promise<string> {
  const chapter = await callApi<{ id: string }>(baseUrl, 'POST', `/v1/books/${bookId}/chapters`, token, { title: `Listening, part ${index + 1}` });
  const base = `/v1/books/${bookId}/chapters/${chapter.id}`;
  await generateAndWait(baseUrl, token, `${base}/questions/generate`, 30_000);
  const questions = await callApi<{ items: Array<{ id: string }> }>(baseUrl, 'GET', `${base}/questions?limit=20`, token);
  await callApi(baseUrl, 'POST', `${base}/answers/batch`, token, {
    answers: questions.items.slice(0, 2).map((q, i) => ({
      questionId: q.id, status: 'final', text: `On the ward (${tag}, chapter ${index}, answer ${i}), Maria asked her nurse what had surprised her that week, then listened.`,
    })),
  });
  return base;
}

/** Starts a draft and reads its event stream; resolves with when the first block's event arrived. */
async function draftFirstBlockAt(baseUrl: string, token: string, base: string): Promise<number> {
  const { job } = await callApi<{ job: { id: string } }>(baseUrl, 'POST', `${base}/drafts/generate`, token, { style: 'professional', targetWords: TARGET_WORDS });
  const response = await fetch(new URL(`/v1/jobs/${job.id}/events`, baseUrl), {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok || !response.body) throw new Error(`GET /v1/jobs/${job.id}/events answered ${response.status}`);
  let firstBlockAt: number | null = null;
  let final: { status: string; error: { message: string } | null } | null = null;
  const parse = createSseParser((event) => {
    const data = JSON.parse(event.data) as { status: string; partial: unknown; error: { message: string } | null };
    if (firstBlockAt === null && data.partial) firstBlockAt = wallClockMs();
    if (event.event === 'result' || event.event === 'error') final = data;
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parse(value);
  }
  const ended = final as { status: string; error: { message: string } | null } | null;
  if (ended?.status !== 'succeeded') throw new Error(`Draft job ${job.id} ended ${ended?.status ?? 'without a final event'}: ${ended?.error?.message ?? ''}`);
  if (firstBlockAt === null) throw new Error(`Draft job ${job.id} sent no block before its result`);
  return firstBlockAt;
}

/** The sample of one draft from the test server's record of its answer. */
function sampleOf(upstream: UpstreamAnswer, clientAt: number): FirstTextSample {
  const written = upstream.streamed?.writtenAt ?? [];
  if (!upstream.content || written.length === 0) throw new Error('The draft answer was not streamed');
  // The answer is compact JSON: the first block ends after `{"blocks":[` and its own JSON.
  const [first] = (JSON.parse(upstream.content) as { blocks: unknown[] }).blocks;
  const firstBlockEnd = '{"blocks":['.length + JSON.stringify(first).length;
  const completing = written[Math.min(written.length - 1, Math.ceil(firstBlockEnd / upstream.streamed!.chunkChars) - 1)]!;
  return {
    modelTtftMs: written[0]! - upstream.receivedAtHr,
    firstVisibleMs: clientAt - written[0]!,
    blockWritingMs: completing - written[0]!,
    pipelineMs: clientAt - completing,
  };
}

/**
 * One warm-up draft, then `reps` measured ones, each on a chapter of its own; the test server streams at
 * `chunkMs` between chunks meanwhile (and at full speed again afterwards).
 */
export async function firstVisibleText(apiUrl: string, upstreamUrl: string, user: BenchUser, tag: string, options: { reps: number; chunkMs: number }) {
  const bookId = await createReadyBook(apiUrl, user.token, 'First text book', summaryFor(`${tag} stream`));
  const chapters: string[] = [];
  for (let i = 0; i <= options.reps; i++) chapters.push(await chapterWithAnswers(apiUrl, user.token, bookId, i, tag));
  const pace = (streamChunkMs: number) => fetch(new URL('/__test/script', upstreamUrl), { method: 'POST', body: JSON.stringify({ streamChunkMs }) });
  await pace(options.chunkMs);
  const samples: FirstTextSample[] = [];
  try {
    for (const [index, base] of chapters.entries()) {
      const clientAt = await draftFirstBlockAt(apiUrl, user.token, base);
      const last = await fetch(new URL('/__test/last?schema=chapter_draft_section', upstreamUrl));
      if (index > 0) samples.push(sampleOf((await last.json()) as UpstreamAnswer, clientAt));
    }
  } finally {
    await pace(0);
  }
  return samples;
}

/** Prints the phase's figures and its verdict against the target (under 100 ms added at p50). */
export function reportFirstVisibleText(samples: FirstTextSample[], options: { chunkMs: number; chunkChars: number; delayMs: number }, out: (text: string) => void) {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const line = (label: string, pick: (s: FirstTextSample) => number) => {
    const values = samples.map(pick);
    return `  ${label.padEnd(46)} p50 ${ms(percentile(values, 50)).padStart(9)}  p95 ${ms(percentile(values, 95)).padStart(9)}`;
  };
  out(`\n(3) First visible text: ${samples.length} drafts (${TARGET_WORDS} words, one streamed model answer each, a cache miss each), the test server`);
  out(`    streaming ${options.chunkChars} characters a chunk every ${options.chunkMs} ms after its ${options.delayMs} ms delay; times on the shared wall clock`);
  out(line("model's own time to first token", (s) => s.modelTtftMs));
  out(line('first token → first block at the SSE client', (s) => s.firstVisibleMs));
  out(line('  of which the model writing that block', (s) => s.blockWritingMs));
  out(line("  of which ours (block's last chunk → client)", (s) => s.pipelineMs));
  const added = percentile(samples.map((s) => s.firstVisibleMs), 50);
  out(`  ${added < 100 ? 'PASS' : 'MISS'}: first visible text ${ms(added)} after the first token at p50 (target under 100 ms)`);
}
