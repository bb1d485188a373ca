import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/**
 * A real HTTP server speaking the OpenAI chat-completions wire format (POST /v1/chat/completions, GET
 * /v1/models), for tests, benchmarks and browser runs against `AI_PROVIDER=openai`.
 *
 * It answers by `response_format.json_schema.name` with scripted, schema-valid JSON built from the prompt
 * (interview questions, a TOC, chapter questions in the requested count, draft sections citing the A1… refs of
 * the user message), reports deterministic `usage` figures, records every request and counts calls per schema
 * and per model. Faults are scripted per schema name (a queue consumed in order) or per model (persistent).
 *
 * Standalone: `tsx api/test/support/openai-test-server.ts --port 8799 --delay-ms 200` prints its URL.
 */

export const SCHEMA_NAMES = [
  'kickoff_interview', 'toc_proposal', 'chapter_questions', 'chapter_draft_section', 'question_followup', 'continuity_extract', 'continuity_check',
  'passage_rework', 'chapter_draft_revision', 'draft_block_revision', 'interview_followup',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** One scripted answer. `ok` without content uses the default generator for the schema. */
export type Step =
  | { kind: 'ok'; content?: unknown }
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  | { kind: 'hang'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'invalid' }
  | { kind: 'length' }
  | { kind: 'raw'; status: number; body: string; contentType: string }
  /** A streamed answer whose connection drops after `afterChunks` content chunks (non-streamed requests: a reset). */
  | { kind: 'cut'; afterChunks: number }
  /** A streamed answer that stops after `afterChunks` content chunks until `release()`, then writes the rest. */
  | { kind: 'hold'; afterChunks: number; content?: unknown };

/** Step builders for `script` and `scriptModel`. */
export const step = {
  ok: (content?: unknown): Step => ({ kind: 'ok', ...(content === undefined ? {} : { content }) }),
  /** 429 with a `retry-after` header (seconds; fractional values allowed). */
  rateLimited: (retryAfterSeconds: number | null = 1): Step => ({
    kind: 'status', status: 429, message: 'Rate limit reached for requests', ...(retryAfterSeconds === null ? {} : { retryAfter: String(retryAfterSeconds) }),
  }),
  serverError: (status = 500): Step => ({ kind: 'status', status, message: 'The server had an error while processing your request.' }),
  badRequest: (message = "Invalid parameter: 'response_format' is not supported with this model."): Step => ({ kind: 'status', status: 400, message }),
  status: (status: number, message = `Scripted status ${status}`): Step => ({ kind: 'status', status, message }),
  /** Holds the request (past any sensible client timeout) until the client gives up or `ms` pass. */
  timeout: (ms = 60_000): Step => ({ kind: 'hang', ms }),
  /** Content that is not JSON at all (cut mid-object). */
  malformed: (): Step => ({ kind: 'malformed' }),
  /** Valid JSON that does not match the requested schema. */
  schemaInvalid: (): Step => ({ kind: 'invalid' }),
  /** `finish_reason: "length"` with the content cut where the output limit stopped it. */
  truncated: (): Step => ({ kind: 'length' }),
  /** Any HTTP answer verbatim, e.g. an HTML error page from a proxy in front of the model server. */
  raw: (status: number, body: string, contentType = 'text/html'): Step => ({ kind: 'raw', status, body, contentType }),
  /** The connection drops mid-answer, after `afterChunks` streamed chunks. */
  cut: (afterChunks = 3): Step => ({ kind: 'cut', afterChunks }),
  /** A streamed answer held after `afterChunks` chunks until `release()` (a non-streamed one is held whole). */
  hold: (afterChunks: number, content?: unknown): Step => ({ kind: 'hold', afterChunks, ...(content === undefined ? {} : { content }) }),
};

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

interface ChatMessage {
  role: string;
  content: string | Array<{ type: string; text?: string }> | null;
}

export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema?: unknown } };
  [key: string]: unknown;
}

/** One request as the server saw it, and what it answered. */
export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequestBody | null;
  model: string | null;
  schemaName: string | null;
  receivedAt: number;
  /** High-resolution wall-clock ms (`performance.timeOrigin + performance.now()`, comparable across processes). */
  receivedAtHr: number;
  /** What the server did: ok, status, hang, malformed, invalid, length, raw, or bad-request (unparseable body). */
  outcome: Step['kind'] | 'bad-request';
  status: number | null;
  /** Usage reported in the response (null when the answer carried none: errors, hangs). */
  usage: Usage | null;
  /** The content string returned (null for errors and hangs). */
  content: string | null;
  finishReason: 'stop' | 'length' | null;
  /** Set when the client went away before an answer was written (e.g. a timeout). */
  aborted: boolean;
  /**
   * A streamed answer: content chunks written so far, whether its last chunk was written, whether it is held, and
   * when each content chunk was written (high-resolution wall-clock ms, as `receivedAtHr`).
   */
  streamed?: { chunks: number; done: boolean; held: boolean; chunkChars: number; writtenAt: number[] };
}

export interface OpenAiTestServerOptions {
  port?: number;
  host?: string;
  /** Fixed delay before every answer (benchmarks; making jobs overlap). */
  delayMs?: number;
  /** Model ids listed by GET /v1/models (besides every model seen so far). */
  models?: string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else 401). */
  apiKey?: string;
  /** Streamed answers (`stream: true`): characters of content per chunk, and the pause between chunks. */
  streamChunkChars?: number;
  streamChunkMs?: number;
}

export interface OpenAiTestServer {
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  /** `${url}/v1`, for OPENAI_BASE_URL. */
  baseUrl: string;
  port: number;
  /** Every request so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** Fixed delay before every answer; may be changed between tests. */
  delayMs: number;
  /** Pause between the chunks of a streamed answer; may be changed between tests. */
  streamChunkMs: number;
  /** Queues steps for requests with this schema name ('*' = any schema), consumed in order before defaults. */
  script(schemaName: SchemaName | '*', steps: Step[]): void;
  /** Every request for this model gets `step` (null removes the rule); checked before the schema queues. */
  scriptModel(model: string, step: Step | null): void;
  /** Replaces the default generator of a schema (null restores the built-in one). */
  generator(schemaName: SchemaName, generate: Generator | null): void;
  /** Chat-completion requests so far, optionally only those with this schema name and/or model. */
  calls(schemaName?: string, model?: string): number;
  /** Scripted steps not consumed yet. */
  pendingSteps(): number;
  /** Holds every answer until `resume()` (requests are still received and recorded). */
  pause(): void;
  resume(): void;
  /** Lets every answer held by a `hold` step so far go on. */
  release(): void;
  /** Resolves once an answer is held by a `hold` step (its chunks before the hold written). */
  waitForHold(timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves once `count` chat requests have been received in total. */
  waitForCalls(count: number, timeoutMs?: number): Promise<void>;
  /** Clears scripts, model rules, generators and records (keeps delayMs and the pause state). */
  reset(): void;
  close(): Promise<void>;
}

/** What a generator gets: the request and the author data parsed from its `<data name="…">` blocks. */
export interface GeneratorContext {
  body: ChatRequestBody;
  system: string;
  user: string;
  data: Record<string, unknown>;
}
export type Generator = (context: GeneratorContext) => unknown;

// ---------------------------------------------------------------------------------------------------------
// Default generators: schema-valid answers derived from the prompt.

const textOf = (content: ChatMessage['content']): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((part) => part.text ?? '').join('') : '';

/** The JSON payloads of `<data name="x">…</data>` blocks (as written by the prompt modules). */
export function parseDataBlocks(text: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const match of text.matchAll(/<data name="([^"]+)">\n([\s\S]*?)\n<\/data>/g)) {
    try {
      data[match[1]!] = JSON.parse(match[2]!);
    } catch {
      data[match[1]!] = match[2];
    }
  }
  return data;
}

type Brief = { title?: string; audience?: string | null; summary?: string };
const str = (value: unknown, fallback: string) => (typeof value === 'string' && value.trim() ? value.trim() : fallback);
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);
const words = (text: string) => text.split(/\s+/).filter(Boolean);

function interviewAnswer({ data }: GeneratorContext) {
  const brief = (data.brief ?? {}) as Brief;
  const title = clip(str(brief.title, 'this book'), 200);
  return {
    questions: [
      { text: `Who is the one reader you most want "${title}" to reach?`, helpText: 'Describe one real person and their situation.' },
      { text: 'What should a reader be able to do after the last page?', helpText: 'The promise of the book in one or two sentences.' },
      { text: 'What will the book deliberately leave out?', helpText: null },
      { text: 'Which stories or cases will carry the book?', helpText: 'List the material you already have.' },
    ],
  };
}

function tocAnswer({ data }: GeneratorContext) {
  const brief = (data.brief ?? {}) as Brief;
  type Existing = { ref: string; parentRef?: string | null; title: string; description: string | null };
  const existing = Array.isArray(data.existing_chapters) ? (data.existing_chapters as Existing[]) : [];
  const title = clip(str(brief.title, 'the book'), 120);
  const entry = (c: Existing) => ({ ref: c.ref, title: c.title, description: c.description });
  // Existing chapters are kept by ref, their sections (parentRef) under them.
  const kept = existing.filter((c) => !c.parentRef).map((c) => ({ ...entry(c), sections: existing.filter((s) => s.parentRef === c.ref).map(entry) }));
  const fresh = [
    { ref: null, title: `Why ${title} matters`, description: 'Sets out the problem, the reader and the promise.', sections: [] },
    { ref: null, title: 'The first month', description: 'The mistakes that come first and what they teach.', sections: [] },
    {
      ref: null, title: 'A weekly routine', description: 'Questions, notes and follow-ups, week by week.',
      sections: [{ ref: null, title: 'Questions that open people up', description: null }],
    },
    { ref: null, title: 'Putting it together', description: 'Next steps for the reader.', sections: [] },
  ];
  return { chapters: existing.length > 0 ? [...kept, fresh[3]!] : fresh };
}

const LENSES = ['reader', 'sceptic', 'practitioner', 'editor'] as const;

function questionsAnswer({ system, data }: GeneratorContext) {
  const count = Math.max(1, Math.min(20, Number(/exactly (\d+) questions/.exec(system)?.[1] ?? 8)));
  const onlyLens = /this time only the (\w+) lens/.exec(system)?.[1] as (typeof LENSES)[number] | undefined;
  const chapter = clip(str((data.chapter as { title?: string } | undefined)?.title, 'this chapter'), 300);
  const keep = Array.isArray(data.keep) ? data.keep.length : 0;
  return {
    questions: Array.from({ length: count }, (_, i) => {
      const lens = onlyLens ?? LENSES[i % LENSES.length]!;
      return {
        text: `Question ${keep + i + 1} (${lens}) for "${chapter}": what happened, and what did it teach you?`,
        helpText: i % 3 === 2 ? null : 'One concrete story with names, places and what changed.',
        lens,
        suggestedWords: 60 + 20 * (i % 5),
      };
    }),
  };
}

type AnswerData = { ref: string; question: string; answer: string };

/** Prose of about `count` words drawn from `source` (repeated as needed). */
function proseFrom(source: string, count: number, lead: string): string {
  const pool = words(source.replace(/[-*•]\s+/g, ' ')).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const base = pool.length > 0 ? pool : ['the', 'author', 'recalls', 'this', 'moment'];
  const out = words(lead);
  for (let i = 0; out.length < count; i++) out.push(base[i % base.length]!.replace(/[.!?;:,]+$/u, ''));
  return `${out.join(' ')}.`;
}

function draftAnswer({ system, data }: GeneratorContext) {
  const target = Math.max(40, Number(/about (\d+) words/.exec(system)?.[1] ?? 300));
  const minimum = Number(/no fewer than (\d+)/.exec(system)?.[1] ?? 0);
  const wanted = Math.max(target, minimum);
  const answers = (Array.isArray(data.answers) ? data.answers : []) as AnswerData[];
  const focus = (Array.isArray(data.focus_refs) ? data.focus_refs : []) as string[];
  const refs = focus.length > 0 ? focus : answers.map((a) => a.ref);
  const byRef = new Map(answers.map((a) => [a.ref, a]));
  const section = Number(/Write section (\d+)/.exec(system)?.[1] ?? 1);
  const chapter = clip(str((data.chapter as { title?: string } | undefined)?.title, 'The chapter'), 200);
  const blocks: Array<{ type: string; level: number | null; text: string | null; items: string[] | null; sources: string[] }> = [
    { type: 'heading', level: 2, text: `${chapter}: part ${section}`, items: null, sources: [] },
  ];
  // One unsourced bridge paragraph (flagged unsupported by the service), then paragraphs per focus ref.
  const bridge = 'What follows stays close to what the author actually said.';
  blocks.push({ type: 'paragraph', level: null, text: bridge, items: null, sources: [] });
  let budget = wanted - words(bridge).length - 4;
  const listRef = refs.find((ref) => /\n\s*[-*•]/.test(byRef.get(ref)?.answer ?? ''));
  if (listRef) {
    const items = byRef.get(listRef)!.answer.split('\n').map((line) => line.replace(/^\s*[-*•]\s*/, '').trim()).filter(Boolean).slice(0, 12);
    blocks.push({ type: 'list', level: null, text: null, items: items.map((item) => clip(item, 1_900)), sources: [listRef] });
    budget -= items.join(' ').split(/\s+/).length;
  }
  const prose = refs.filter((ref) => ref !== listRef && byRef.has(ref));
  const sources = prose.length > 0 ? prose : refs.slice(0, 1);
  const per = Math.max(12, Math.ceil(budget / Math.max(1, sources.length)));
  for (const ref of sources) {
    const answer = byRef.get(ref);
    blocks.push({
      type: 'paragraph', level: null, items: null, sources: answer ? [ref] : [],
      text: clip(proseFrom(answer?.answer ?? chapter, per, answer ? `In the author's words (${ref}),` : 'In short,'), 19_000),
    });
  }
  if (sources[0] && byRef.has(sources[0])) {
    blocks.push({ type: 'quote', level: null, text: clip(byRef.get(sources[0])!.answer.split('\n')[0]!, 500), items: null, sources: [sources[0]] });
  }
  return { blocks };
}

/** A follow-up about the start of the answer. */
function followUpAnswer({ data }: GeneratorContext) {
  const opening = words(str(data.answer, 'your answer')).slice(0, 8).join(' ');
  return {
    followUp: { text: `You wrote "${clip(opening, 200)}…": what happened next, and what did it change?`, helpText: 'One concrete moment.', lens: 'reader', suggestedWords: 80 },
    reason: null,
  };
}

type RefBlock = { ref: string; text: string };
const refBlocks = (value: unknown) => (Array.isArray(value) ? (value as RefBlock[]) : []);
const sentenceWith = (text: string, term: string) => text.split(/(?<=[.!?])\s+/).find((s) => s.includes(term)) ?? text;

/** Notes for the capitalised names (two or more words) and the numbers of the blocks, each citing its block. */
function continuityExtractAnswer({ data }: GeneratorContext) {
  const known = new Set((Array.isArray(data.known) ? (data.known as string[]) : []).map((k) => k.toLowerCase()));
  const notes: Array<{ kind: string; subject: string; detail: string; blocks: string[] }> = [];
  for (const block of refBlocks(data.blocks)) {
    const terms = [...block.text.matchAll(/\b[A-Z][a-z]+(?: [A-Z][a-z]+)+/g)].map((m) => ({ kind: 'person', subject: m[0] }));
    const numbers = [...block.text.matchAll(/\b\d+ [a-z]+/g)].map((m) => ({ kind: 'number', subject: m[0] }));
    for (const { kind, subject } of [...terms, ...numbers]) {
      if (known.has(subject.toLowerCase()) || notes.length >= 40) continue;
      known.add(subject.toLowerCase());
      notes.push({ kind, subject, detail: clip(sentenceWith(block.text, subject), 900), blocks: [block.ref] });
    }
  }
  return { notes };
}

/** A conflict for each block naming a locked note's subject with a number the note does not state. */
function continuityCheckAnswer({ data }: GeneratorContext) {
  const notes = (Array.isArray(data.locked_notes) ? data.locked_notes : []) as Array<{ ref: string; subject: string; detail: string }>;
  const conflicts: Array<{ block: string; note: string; explanation: string }> = [];
  for (const note of notes) {
    const stated = new Set(note.detail.match(/\b\d+\b/g) ?? []);
    for (const block of refBlocks(data.blocks)) {
      const other = block.text.includes(note.subject) ? (sentenceWith(block.text, note.subject).match(/\b\d+\b/g) ?? []).filter((n) => !stated.has(n)) : [];
      if (stated.size > 0 && other.length > 0) conflicts.push({ block: block.ref, note: note.ref, explanation: `It gives ${other.join(', ')} for ${note.subject}.` });
    }
  }
  return { conflicts };
}

/** A passage reworked by the action the system prompt asks for (rewrite, expand, shorten, continue), from its own words. */
function passageAnswer({ system, data }: GeneratorContext) {
  const passage = (Array.isArray(data.passage) ? data.passage : []).map(String);
  if (/^Continue the text/m.test(system)) return { paragraphs: [proseFrom(passage.join(' '), 30, 'And so,')] };
  if (/^Shorten the passage/m.test(system)) return { paragraphs: passage.map((p) => `${words(p).slice(0, Math.max(3, Math.ceil(words(p).length / 2))).join(' ').replace(/[.!?]*$/u, '')}.`) };
  if (/^Expand the passage/m.test(system)) return { paragraphs: passage.flatMap((p) => [p, proseFrom(p, words(p).length, 'Put another way,')]) };
  return { paragraphs: passage.map((p) => proseFrom(p, words(p).length, 'In other words,')) };
}

type DraftBlockData = { ref: string; type: string; level: number | null; text: string | null; items: string[] | null; sources: string[] };
/** The revised text of a block, by the instruction of the request (so a test sees which instruction was followed). */
const revisedText = (block: DraftBlockData, instruction: string) =>
  `${clip(instruction, 60).replace(/[.!?]*$/u, '')}: ${(block.text ?? (block.items ?? []).join('; ')).replace(/^[^:]*: /u, '')}`;

/** A whole draft revised: its first paragraph rewritten by the instruction (citing what it cited), every other block kept by ref. */
function draftRevisionAnswer({ data }: GeneratorContext) {
  const draft = (Array.isArray(data.draft) ? data.draft : []) as DraftBlockData[];
  const instruction = str(data.instruction, 'Revised');
  const first = draft.find((block) => block.type === 'paragraph');
  return {
    blocks: draft.map((block) => (block === first
      ? { keep: null, type: 'paragraph', level: null, text: revisedText(block, instruction), items: null, sources: [block.ref] }
      : { keep: block.ref, type: block.type, level: null, text: null, items: null, sources: [] })),
  };
}

/** Each selected block reworked into one block of its type, by the instruction, citing the block it replaces. */
function blockRevisionAnswer({ data }: GeneratorContext) {
  const draft = (Array.isArray(data.draft) ? data.draft : []) as DraftBlockData[];
  const selected = (Array.isArray(data.selected_blocks) ? data.selected_blocks : []) as string[];
  const instruction = str(data.instruction, 'Reworked');
  return {
    replacements: draft.filter((block) => selected.includes(block.ref)).map((block) => ({
      ref: block.ref,
      blocks: [block.type === 'list'
        ? { type: 'list', level: null, text: null, items: (block.items ?? []).map((item) => `${item} (${clip(instruction, 30)})`), sources: [block.ref] }
        : { type: block.type, level: block.level, text: revisedText(block, instruction), items: null, sources: block.type === 'heading' ? [] : [block.ref] }],
    })),
  };
}

const DEFAULT_GENERATORS: Record<SchemaName, Generator> = {
  kickoff_interview: interviewAnswer,
  toc_proposal: tocAnswer,
  chapter_questions: questionsAnswer,
  chapter_draft_section: draftAnswer,
  question_followup: followUpAnswer,
  interview_followup: followUpAnswer,
  continuity_extract: continuityExtractAnswer,
  continuity_check: continuityCheckAnswer,
  passage_rework: passageAnswer,
  chapter_draft_revision: draftRevisionAnswer,
  draft_block_revision: blockRevisionAnswer,
};

/** Deterministic token figures: about four characters a token. */
const tokensOf = (text: string) => Math.max(1, Math.ceil(text.length / 4));

// ---------------------------------------------------------------------------------------------------------

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine. */
const wallClockMs = () => performance.timeOrigin + performance.now();

function opening(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function startOpenAiTestServer(options: OpenAiTestServerOptions = {}): Promise<OpenAiTestServer> {
  const requests: RecordedRequest[] = [];
  const queues = new Map<string, Step[]>();
  const modelRules = new Map<string, Step>();
  const generators = new Map<string, Generator>();
  const seenModels = new Set(options.models ?? ['test-model']);
  const callWaiters: Array<{ count: number; resolve: () => void }> = [];
  let gate: { promise: Promise<void>; open: () => void } | null = null;
  // Answers held mid-stream by `hold` steps, and who waits for one to be held.
  let holdGate = opening();
  const holdWaiters: Array<(record: RecordedRequest) => void> = [];
  let seq = 0;
  let completionSeq = 0;

  const chatCount = () => requests.filter((r) => r.path.endsWith('/chat/completions')).length;

  function nextStep(schemaName: string | null, model: string | null): Step {
    if (model && modelRules.has(model)) return modelRules.get(model)!;
    for (const key of [schemaName ?? '', '*']) {
      const queue = queues.get(key);
      if (queue && queue.length > 0) return queue.shift()!;
    }
    return { kind: 'ok' };
  }

  function sendJson(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
    if (res.writableEnded || res.destroyed) return;
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': `req_test_${seq}`, ...headers });
    res.end(text);
  }

  const errorBody = (status: number, message: string) => ({
    error: {
      message,
      type: status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error',
      param: null,
      code: status === 429 ? 'rate_limit_exceeded' : null,
    },
  });

  async function handleChat(req: http.IncomingMessage, res: http.ServerResponse, raw: string, record: RecordedRequest, signal: AbortSignal) {
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
      if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) throw new Error('shape');
    } catch {
      record.outcome = 'bad-request';
      record.status = 400;
      notifyWaiters();
      return sendJson(res, 400, errorBody(400, 'We could not parse the JSON body of your request.'));
    }
    record.body = body;
    record.model = body.model;
    record.schemaName = body.response_format?.json_schema?.name ?? null;
    seenModels.add(body.model);
    notifyWaiters();

    if (gate) await Promise.race([gate.promise, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
    await sleep(server.delayMs, signal);
    if (signal.aborted) {
      record.aborted = true;
      return;
    }

    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      record.outcome = 'status';
      record.status = 401;
      return sendJson(res, 401, errorBody(401, 'Incorrect API key provided.'));
    }

    const current = nextStep(record.schemaName, record.model);
    record.outcome = current.kind;
    if (current.kind === 'status') {
      record.status = current.status;
      return sendJson(res, current.status, errorBody(current.status, current.message ?? `Status ${current.status}`), current.retryAfter === undefined ? {} : { 'retry-after': current.retryAfter });
    }
    if (current.kind === 'raw') {
      record.status = current.status;
      res.writeHead(current.status, { 'content-type': current.contentType, 'content-length': Buffer.byteLength(current.body) });
      return res.end(current.body);
    }
    if (current.kind === 'hang') {
      await sleep(current.ms, signal);
      if (signal.aborted) {
        record.aborted = true;
        return;
      }
      record.status = 504;
      return sendJson(res, 504, errorBody(504, 'Scripted hang ended.'));
    }

    const system = body.messages.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => textOf(m.content)).join('\n');
    const user = body.messages.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
    const context: GeneratorContext = { body, system, user, data: parseDataBlocks(user) };
    const generate = generators.get(record.schemaName ?? '') ?? DEFAULT_GENERATORS[record.schemaName as SchemaName];
    const answer = () => (generate ? generate(context) : { ok: true });

    let content: string;
    let finishReason: 'stop' | 'length' = 'stop';
    const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? 4_096;
    let completionTokens: number | null = null;
    if (current.kind === 'ok' || current.kind === 'hold') {
      content = typeof current.content === 'string' ? current.content : JSON.stringify(current.content ?? answer());
    } else if (current.kind === 'malformed') {
      const full = JSON.stringify(answer());
      content = `${full.slice(0, Math.max(10, Math.floor(full.length / 2)))}`;
    } else if (current.kind === 'invalid') {
      content = JSON.stringify({ result: 'This is not the structure that was asked for.', items: [1, 2, 3] });
    } else {
      const full = JSON.stringify(answer());
      content = full.slice(0, Math.max(10, Math.min(full.length - 1, maxTokens * 4)));
      finishReason = 'length';
      completionTokens = maxTokens;
    }
    if (current.kind === 'cut' && !body.stream) {
      record.aborted = true;
      return void res.destroy();
    }
    const promptTokens = body.messages.reduce((sum, m) => sum + tokensOf(textOf(m.content)) + 4, 0);
    const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens ?? tokensOf(content), total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    record.status = 200;
    record.usage = usage;
    record.content = content;
    record.finishReason = finishReason;
    const stopAt = current.kind === 'cut' || current.kind === 'hold' ? { afterChunks: current.afterChunks, then: current.kind } : null;
    if (body.stream) return streamAnswer(res, record, body, content, finishReason, usage, stopAt, signal);
    if (current.kind === 'hold') await held(record, signal);
    sendJson(res, 200, {
      id: `chatcmpl-test-${++completionSeq}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      system_fingerprint: null,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finishReason }],
      usage,
    });
  }

  /**
   * A streamed chat completion as OpenAI sends it: server-sent `chat.completion.chunk`s carrying content deltas, the
   * finish reason on the last choice chunk, usage in a final chunk with no choices when `stream_options.include_usage`
   * is set, then `data: [DONE]`. With `stopAt`, after that many content chunks the connection drops (`cut`) or the
   * answer waits for `release()` (`hold`).
   */
  async function streamAnswer(
    res: http.ServerResponse, record: RecordedRequest, body: ChatRequestBody, content: string, finishReason: 'stop' | 'length', usage: Usage,
    stopAt: { afterChunks: number; then: 'cut' | 'hold' } | null, signal: AbortSignal,
  ) {
    const id = `chatcmpl-test-${++completionSeq}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: null, choices, ...extra })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': `req_test_${seq}` });
    res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]));
    const size = options.streamChunkChars ?? 24;
    const streamed: NonNullable<RecordedRequest['streamed']> = (record.streamed = { chunks: 0, done: false, held: false, chunkChars: size, writtenAt: [] });
    for (let at = 0; at < content.length; at += size) {
      if (stopAt?.then === 'cut' && streamed.chunks >= stopAt.afterChunks) return void res.destroy();
      if (stopAt?.then === 'hold' && streamed.chunks === stopAt.afterChunks) await held(record, signal);
      await sleep(server.streamChunkMs, signal);
      if (signal.aborted) return;
      res.write(chunk([{ index: 0, delta: { content: content.slice(at, at + size) }, logprobs: null, finish_reason: null }]));
      streamed.writtenAt.push(wallClockMs());
      streamed.chunks++;
    }
    streamed.done = true;
    res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]));
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) res.write(chunk([], { usage }));
    res.end('data: [DONE]\n\n');
  }

  /** Holds an answer until `release()` (or the client goes away). */
  async function held(record: RecordedRequest, signal: AbortSignal) {
    if (record.streamed) record.streamed.held = true;
    for (const waiter of holdWaiters.splice(0)) waiter(record);
    await Promise.race([holdGate.promise, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
    if (record.streamed) record.streamed.held = false;
  }

  function notifyWaiters() {
    const count = chatCount();
    for (const waiter of [...callWaiters]) {
      if (count >= waiter.count) {
        callWaiters.splice(callWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Out-of-process control for standalone runs: GET /__test/stats, /__test/last; POST /__test/script, /__test/release, /__test/reset. */
  function handleControl(res: http.ServerResponse, method: string, path: string, query: string, raw: string) {
    if (method === 'GET' && path === '/__test/stats') {
      const bySchema: Record<string, number> = {};
      const byModel: Record<string, number> = {};
      for (const r of requests) {
        if (!r.path.endsWith('/chat/completions')) continue;
        bySchema[r.schemaName ?? '(none)'] = (bySchema[r.schemaName ?? '(none)'] ?? 0) + 1;
        byModel[r.model ?? '(none)'] = (byModel[r.model ?? '(none)'] ?? 0) + 1;
      }
      return sendJson(res, 200, { calls: chatCount(), bySchema, byModel, delayMs: server.delayMs, pendingSteps: server.pendingSteps() });
    }
    if (method === 'POST' && path === '/__test/script') {
      try {
        const { schemaName, steps, model, delayMs, streamChunkMs } = JSON.parse(raw || '{}') as {
          schemaName?: SchemaName | '*'; steps?: Step[]; model?: string; delayMs?: number; streamChunkMs?: number;
        };
        if (typeof delayMs === 'number') server.delayMs = delayMs;
        if (typeof streamChunkMs === 'number') server.streamChunkMs = streamChunkMs;
        if (model) server.scriptModel(model, steps?.[0] ?? null);
        else if (schemaName && steps) server.script(schemaName, steps);
        return sendJson(res, 200, { ok: true, pendingSteps: server.pendingSteps() });
      } catch {
        return sendJson(res, 400, errorBody(400, 'Bad script body.'));
      }
    }
    if (method === 'GET' && path === '/__test/last') {
      // The newest chat request (of `?schema=` when given): when it arrived and when each streamed chunk went out.
      const schema = new URLSearchParams(query).get('schema');
      const last = requests.findLast((r) => r.path.endsWith('/chat/completions') && (schema === null || r.schemaName === schema));
      if (!last) return sendJson(res, 404, errorBody(404, 'No such request yet.'));
      const { headers: _headers, body: _body, ...seen } = last;
      return sendJson(res, 200, seen);
    }
    if (method === 'POST' && path === '/__test/release') {
      server.release();
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'POST' && path === '/__test/reset') {
      server.reset();
      return sendJson(res, 200, { ok: true });
    }
    return sendJson(res, 404, errorBody(404, `Unknown control route ${method} ${path}`));
  }

  const httpServer = http.createServer((req, res) => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      const method = req.method ?? 'GET';
      if (path.startsWith('/__test/')) return handleControl(res, method, path, (req.url ?? '').split('?')[1] ?? '', raw);
      const record: RecordedRequest = {
        seq: ++seq, method, path, headers: req.headers, body: null, model: null, schemaName: null, receivedAt: Date.now(), receivedAtHr: wallClockMs(),
        outcome: 'ok', status: null, usage: null, content: null, finishReason: null, aborted: false,
      };
      if (method === 'GET' && /^(\/v1)?\/models\/?$/.test(path)) {
        record.status = 200;
        requests.push(record);
        return sendJson(res, 200, {
          object: 'list',
          data: [...seenModels].map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'openai-test-server' })),
        });
      }
      if (method === 'POST' && /^(\/v1)?\/chat\/completions\/?$/.test(path)) {
        requests.push(record);
        handleChat(req, res, raw, record, controller.signal).catch((error: unknown) => {
          record.status = 500;
          sendJson(res, 500, errorBody(500, `Test server failure: ${error instanceof Error ? error.message : String(error)}`));
        });
        return;
      }
      record.status = 404;
      requests.push(record);
      sendJson(res, 404, errorBody(404, `Unknown URL ${method} ${path}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const server: OpenAiTestServer = {
    url,
    baseUrl: `${url}/v1`,
    port: address.port,
    requests,
    delayMs: options.delayMs ?? 0,
    streamChunkMs: options.streamChunkMs ?? 0,
    script(schemaName, steps) {
      const queue = queues.get(schemaName) ?? [];
      queue.push(...steps);
      queues.set(schemaName, queue);
    },
    scriptModel(model, rule) {
      if (rule) modelRules.set(model, rule);
      else modelRules.delete(model);
    },
    generator(schemaName, generate) {
      if (generate) generators.set(schemaName, generate);
      else generators.delete(schemaName);
    },
    calls(schemaName, model) {
      return requests.filter(
        (r) => r.path.endsWith('/chat/completions') && (schemaName === undefined || r.schemaName === schemaName) && (model === undefined || r.model === model),
      ).length;
    },
    pendingSteps() {
      return [...queues.values()].reduce((sum, queue) => sum + queue.length, 0);
    },
    pause() {
      if (gate) return;
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open };
    },
    resume() {
      gate?.open();
      gate = null;
    },
    release() {
      holdGate.open();
      holdGate = opening();
    },
    waitForHold(timeoutMs = 10_000) {
      const holding = requests.find((r) => r.streamed?.held);
      if (holding) return Promise.resolve(holding);
      return new Promise<RecordedRequest>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer was held within ${timeoutMs} ms`)), timeoutMs);
        holdWaiters.push((record) => (clearTimeout(timer), resolve(record)));
      });
    },
    waitForCalls(count, timeoutMs = 10_000) {
      if (chatCount() >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`test server saw ${chatCount()} of ${count} calls within ${timeoutMs} ms`)), timeoutMs);
        callWaiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    reset() {
      requests.length = 0;
      queues.clear();
      modelRules.clear();
      generators.clear();
    },
    async close() {
      server.resume();
      server.release();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await closed;
    },
  };
  return server;
}

// ---------------------------------------------------------------------------------------------------------
// Standalone: tsx api/test/support/openai-test-server.ts [--port 8799] [--host 127.0.0.1] [--delay-ms 200] [--stream-chunk-chars 24]

function argValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const args = process.argv.slice(2);
  const port = Number(argValue(args, '--port') ?? 8799);
  const delayMs = Number(argValue(args, '--delay-ms') ?? 0);
  const host = argValue(args, '--host') ?? '127.0.0.1';
  const streamChunkChars = Number(argValue(args, '--stream-chunk-chars') ?? 24);
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || !Number.isFinite(delayMs) || delayMs < 0 || !Number.isInteger(streamChunkChars) || streamChunkChars < 1) {
    console.error('usage: tsx api/test/support/openai-test-server.ts [--port 8799] [--host 127.0.0.1] [--delay-ms 200] [--stream-chunk-chars 24]');
    process.exit(2);
  }
  const server = await startOpenAiTestServer({ port, host, delayMs, streamChunkChars });
  console.log(`OpenAI test server listening on ${server.url}`);
  console.log(`OPENAI_BASE_URL=${server.baseUrl}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Environment for buildTestApp pointing the openai provider at `server` (overrides win). */
export function openAiTestEnv(server: Pick<OpenAiTestServer, 'baseUrl'>, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    AI_PROVIDER: 'openai',
    OPENAI_BASE_URL: server.baseUrl,
    OPENAI_API_KEY: 'test',
    AI_MODELS: 'test-model',
    AI_TIMEOUT_MS: '1500',
    AI_MAX_RETRIES: '2',
    AI_PRICES: JSON.stringify({ 'test-model': { input: 2, output: 8 }, 'bad-model': { input: 1, output: 1 }, 'good-model': { input: 3, output: 12 } }),
    RATE_LIMIT_AI_PER_MIN: '100000',
    ...overrides,
  };
}
