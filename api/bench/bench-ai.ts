// `npm run bench:ai`: the AI path of the real API (AI_PROVIDER=openai) against the OpenAI-compatible test server, each
// in its own process, driven from this one: (1) cache miss vs hit latency of a generation job, end to end; (2) the
// single-flight collapse of identical concurrent generations; (3) first visible text: the model's first token to the
// first draft block at an SSE client; (4) template mode off the event loop: an author's GET chapter during long
// template jobs, on two more API servers in template mode (before/after); (5) quota reservations (job starts) per
// second against plain GET /v1/meta in the same run. See BENCHMARKS.md ("bench:ai").
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { LIMITS } from '../../shared/limits.js';
import {
  createReadyBook, createUser, eachLimited, generateAndWait, percentile, summaryFor, upstreamCalls, type BenchUser,
} from './ai-client.js';
import { firstVisibleText, reportFirstVisibleText } from './first-visible-text.js';
import { startOpenAiTestServerProcess } from './openai-test-server-process.js';
import { REPO_ROOT, startServer, waitForOk, type ChildServer } from './processes.js';
import { okPerSecond, serverMicrosPerRequest, type Measurement } from './report.js';
import { callApi } from './seed.js';
import { reportTemplateModeLatency, templateModeLatency } from './template-mode-latency.js';

/** The most the config accepts (~16 700 req/s per user): the limiter runs but never refuses. */
const RATE_LIMIT = '1000000';
/** Quotas far above anything the run reserves, so only the phase that sets a per-user quota is ever refused. */
const QUOTA_DAILY = '1000000000000';
const QUOTA_MONTHLY = '10000000000000';
/** Chapters per book in the reservation phase (a book of realistic size: each start lists the book's chapters). */
const CHAPTERS_PER_BOOK = 25;
/** Chapters kept free for the refusal check (a refused start creates no job, so they can be hit again and again). */
const REFUSAL_CHAPTERS = 25;
const JOB_TIMEOUT_MS = 30_000;

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

const PHASES = ['cache', 'flight', 'stream', 'template', 'quota'] as const;

function readPhases(): Set<string> {
  const raw = process.env.BENCH_AI_PHASES?.trim();
  const phases = raw ? raw.split(',').map((phase) => phase.trim()) : [...PHASES];
  const unknown = phases.filter((phase) => !(PHASES as readonly string[]).includes(phase));
  if (unknown.length > 0) throw new Error(`BENCH_AI_PHASES: unknown ${unknown.join(', ')} (phases: ${PHASES.join(', ')})`);
  return new Set(phases);
}

function readOptions() {
  return {
    phases: readPhases(),
    delayMs: envInt('BENCH_AI_DELAY_MS', 200, 0, 10_000),
    reps: envInt('BENCH_AI_REPS', 20, 1, 500),
    concurrent: envInt('BENCH_AI_CONCURRENT', 20, 2, LIMITS.booksPerUser),
    starts: envInt('BENCH_AI_STARTS', 2_000, 100, LIMITS.booksPerUser * LIMITS.chaptersPerBook - 1_000),
    connections: envInt('BENCH_AI_CONNECTIONS', 50, 1, 1_000),
    metaS: envInt('BENCH_AI_META_S', 5, 1, 600),
    // A streamed answer in phase (3): about four tokens a chunk, a chunk every 10 ms (some 400 tokens/s).
    chunkChars: envInt('BENCH_AI_CHUNK_CHARS', 16, 1, 10_000),
    chunkMs: envInt('BENCH_AI_CHUNK_MS', 10, 0, 1_000),
    // Phase (4): rounds per server, TOC jobs per round, how often the probe reads a chapter, its idle stretch.
    template: {
      rounds: envInt('BENCH_AI_TEMPLATE_ROUNDS', 3, 1, 50),
      jobsPerRound: envInt('BENCH_AI_TEMPLATE_JOBS', 3, 1, 100),
      probeMs: envInt('BENCH_AI_TEMPLATE_PROBE_MS', 5, 1, 1_000),
      idleMs: envInt('BENCH_AI_TEMPLATE_IDLE_S', 2, 1, 60) * 1000,
    },
  };
}
type Options = ReturnType<typeof readOptions>;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const out = (text = '') => process.stdout.write(`${text}\n`);

function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function startAll(dataDir: string, adminToken: string, options: Options, servers: ChildServer[]) {
  const upstream = await startOpenAiTestServerProcess({ port: 0, delayMs: options.delayMs, streamChunkChars: options.chunkChars });
  servers.push(upstream);
  const api = await startServer('API server', 'api/src/server.ts', {
    env: {
      ...process.env,
      PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: '', DATA_DIR: dataDir, STORE: 'sqlite', LOG_LEVEL: 'warn', ADMIN_TOKEN: adminToken,
      RATE_LIMIT_DEFAULT_PER_MIN: RATE_LIMIT, RATE_LIMIT_AI_PER_MIN: RATE_LIMIT, RATE_LIMIT_AUTH_PER_MIN: RATE_LIMIT,
      AI_PROVIDER: 'openai', OPENAI_BASE_URL: `${upstream.url}/v1`, OPENAI_API_KEY: 'bench', AI_MODELS: 'test-model',
      AI_PRICES: JSON.stringify({ 'test-model': { input: 0.15, output: 0.6 } }),
      // No retries: a fault must show as a failed job, not as a slow one.
      AI_TIMEOUT_MS: '20000', AI_MAX_RETRIES: '0',
      QUOTA_DAILY_TOKENS: QUOTA_DAILY, QUOTA_MONTHLY_TOKENS: QUOTA_MONTHLY,
      // Every job here belongs to one user per phase, so the per-user cap of 2 running jobs is what binds; the
      // process-wide pool is set high enough never to be the limit.
      JOBS_CONCURRENCY: '64', JOB_TIMEOUT_S: '60',
      MONGODB_URI: '', REDIS_URL: '', CORS_ORIGINS: '', TRUST_PROXY: 'false',
    },
  });
  servers.push(api);
  await waitForOk(`${api.url}/health/ready`);
  return { api, upstream };
}

// ---------------------------------------------------------------------------------------------------------
// (1) Cache miss vs hit

async function cacheLatency(api: ChildServer, upstream: ChildServer, user: BenchUser, tag: string, options: Options) {
  // Book 0 warms up the path (JIT, connections); books 1..reps are measured. Each has its own brief: new content.
  const books: string[] = [];
  for (let i = 0; i <= options.reps; i++) {
    books.push(await createReadyBook(api.url, user.token, `Cache bench book ${i}`, summaryFor(`${tag} miss ${i}`)));
  }
  const generate = (bookId: string) => generateAndWait(api.url, user.token, `/v1/books/${bookId}/interview/generate`, JOB_TIMEOUT_MS);
  await generate(books[0]!);
  await generate(books[0]!);

  const miss: number[] = [];
  const hit: number[] = [];
  let missCalls = 0;
  let hitCalls = 0;
  for (const bookId of books.slice(1)) {
    const before = await upstreamCalls(upstream.url);
    miss.push((await generate(bookId)).ms);
    const between = await upstreamCalls(upstream.url);
    // The same book again: identical brief, so identical cache input.
    hit.push((await generate(bookId)).ms);
    const after = await upstreamCalls(upstream.url);
    missCalls += between - before;
    hitCalls += after - between;
  }
  if (missCalls !== options.reps || hitCalls !== 0) {
    throw new Error(`Expected ${options.reps} upstream calls for the misses and none for the hits; saw ${missCalls} and ${hitCalls}`);
  }
  return { miss, hit, missCalls, hitCalls };
}

// ---------------------------------------------------------------------------------------------------------
// (2) Single flight

async function singleFlight(api: ChildServer, upstream: ChildServer, user: BenchUser, tag: string, options: Options) {
  // The same title and summary on every book: the cache input is the brief, never the book id.
  const summary = summaryFor(`${tag} collapse`);
  const books: string[] = [];
  for (let i = 0; i < options.concurrent; i++) books.push(await createReadyBook(api.url, user.token, 'Single-flight book', summary));
  const before = await upstreamCalls(upstream.url);
  const started = performance.now();
  const finishedAt: number[] = [];
  await Promise.all(
    books.map(async (bookId) => {
      await generateAndWait(api.url, user.token, `/v1/books/${bookId}/interview/generate`, JOB_TIMEOUT_MS);
      finishedAt.push(performance.now() - started);
    }),
  );
  const wallMs = performance.now() - started;
  const calls = (await upstreamCalls(upstream.url)) - before;
  const usage = await callApi<{ month: { calls: number; cachedCalls: number } }>(api.url, 'GET', '/v1/me/usage', user.token);
  return { wallMs, calls, finishedAt, ledgerCalls: usage.month.calls, ledgerCached: usage.month.cachedCalls };
}

// ---------------------------------------------------------------------------------------------------------
// (5) Quota reservations vs GET /v1/meta

interface RunFigures {
  measurement: Measurement;
  /** performance.now() when the run began (autocannon itself ends on its next 1 s sampling tick, so with `amount`
   * its duration is rounded up to whole seconds: rates of such runs are taken up to their last answer instead). */
  startedAt: number;
}

/** autocannon's options; `amount` (stop after that many requests in all) is missing from autocannon.d.ts. */
type LoadOptions = Partial<autocannon.Options> & { amount?: number };

async function load(api: ChildServer, name: string, opts: LoadOptions): Promise<RunFigures> {
  const serverBefore = api.cpuSeconds();
  const generatorBefore = process.cpuUsage();
  const startedAt = performance.now();
  const options: autocannon.Options = { url: api.url, title: name, ...opts };
  const result = await autocannon(options);
  const serverAfter = api.cpuSeconds();
  const generator = process.cpuUsage(generatorBefore);
  return {
    measurement: {
      name, result,
      serverCpuS: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
      generatorCpuS: (generator.user + generator.system) / 1e6,
    },
    startedAt,
  };
}

interface StartTally {
  /** Ids of the new jobs, and when (performance.now()) each answer arrived. */
  created: Set<string>;
  createdAt: number[];
  /** Every other answer, by "status code". */
  other: Map<string, number>;
}
const tally = (): StartTally => ({ created: new Set(), createdAt: [], other: new Map() });

/** POST …/questions/generate, each request on the next chapter of `paths`: every start is a new job, a new reservation. */
function startsOn(paths: string[], token: string, seen: StartTally): autocannon.Request {
  let next = 0;
  return {
    method: 'POST',
    path: paths[0]!,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
    setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
    onResponse: (status, body) => {
      let code = String(status);
      try {
        const parsed = JSON.parse(body) as { job?: { id: string; status: string }; error?: { code: string } };
        if (status === 202 && parsed.job?.status === 'queued') {
          seen.created.add(parsed.job.id);
          seen.createdAt.push(performance.now());
          return;
        }
        code = `${status} ${parsed.error?.code ?? parsed.job?.status ?? ''}`.trim();
      } catch {
        // Not JSON: counted under its status alone.
      }
      seen.other.set(code, (seen.other.get(code) ?? 0) + 1);
    },
  };
}

async function seedChapters(api: ChildServer, user: BenchUser, count: number): Promise<string[]> {
  const perBook = Math.max(CHAPTERS_PER_BOOK, Math.ceil(count / LIMITS.booksPerUser));
  const bookCount = Math.ceil(count / perBook);
  const books: string[] = [];
  for (let i = 0; i < bookCount; i++) {
    books.push((await callApi<{ id: string }>(api.url, 'POST', '/v1/books', user.token, { title: `Quota bench book ${i}` })).id);
  }
  const paths: string[][] = books.map(() => []);
  // One book per worker at a time: chapters of one book are created in order, books in parallel.
  await eachLimited(books, 8, async (bookId, index) => {
    for (let c = 0; c < perBook && index * perBook + c < count; c++) {
      const chapter = await callApi<{ id: string }>(api.url, 'POST', `/v1/books/${bookId}/chapters`, user.token, { title: `Chapter ${c + 1} of book ${index}` });
      paths[index]!.push(`/v1/books/${bookId}/chapters/${chapter.id}/questions/generate`);
    }
  });
  // Interleave books so that consecutive starts land on different books, as many authors' starts would.
  const flat: string[] = [];
  for (let c = 0; c < perBook; c++) for (const list of paths) if (list[c]) flat.push(list[c]!);
  return flat;
}

async function reservations(api: ChildServer, upstream: ChildServer, adminToken: string, user: BenchUser, options: Options) {
  const warmupStarts = Math.max(50, Math.round(options.starts / 10));
  const seedStarted = performance.now();
  const paths = await seedChapters(api, user, warmupStarts + options.starts + REFUSAL_CHAPTERS);
  const seedS = (performance.now() - seedStarted) / 1000;
  const warmupPaths = paths.slice(0, warmupStarts);
  const measuredPaths = paths.slice(warmupStarts, warmupStarts + options.starts);
  const refusalPaths = paths.slice(warmupStarts + options.starts);

  const metaRequest = { requests: [{ method: 'GET', path: '/v1/meta' }] };
  await load(api, 'warm-up GET /v1/meta', { ...metaRequest, connections: options.connections, duration: 1 });
  const meta = await load(api, 'GET /v1/meta', { ...metaRequest, connections: options.connections, duration: options.metaS });

  const connections = Math.min(options.connections, warmupStarts);
  const upstreamBefore = await upstreamCalls(upstream.url);
  const warm = tally();
  await load(api, 'warm-up starts', { connections, amount: warmupStarts, requests: [startsOn(warmupPaths, user.token, warm)] });
  const seen = tally();
  const starts = await load(api, 'job starts (reserve quota)', {
    connections: Math.min(options.connections, options.starts), amount: options.starts, requests: [startsOn(measuredPaths, user.token, seen)],
  });
  const usage = await callApi<{ daily: { reserved: number } }>(api.url, 'GET', '/v1/me/usage', user.token);
  const started = warm.created.size + seen.created.size;
  const reachedModel = (await upstreamCalls(upstream.url)) - upstreamBefore;

  // The quota still refuses: a per-user daily quota of 1 token turns every further start into 429 QUOTA_EXCEEDED.
  await callApi(api.url, 'PATCH', `/v1/admin/users/${user.id}`, adminToken, { quotaDailyTokens: 1 });
  const refused = tally();
  const refusals = await load(api, 'refused starts', {
    connections: Math.min(options.connections, refusalPaths.length), duration: 2, requests: [startsOn(refusalPaths, user.token, refused)],
  });
  return { seedS, chapters: paths.length, meta, starts, seen, reservedTokens: usage.daily.reserved, started, reachedModel, refusals, refused };
}

// ---------------------------------------------------------------------------------------------------------

function reportCache(result: Awaited<ReturnType<typeof cacheLatency>>, options: Options) {
  const [m50, m95, h50, h95] = [percentile(result.miss, 50), percentile(result.miss, 95), percentile(result.hit, 50), percentile(result.hit, 95)];
  out(`\n(1) AI cache: kick-off interview job, POST generate → final SSE event, ${options.reps} misses (new brief each) and ${options.reps} hits (same brief again)`);
  out(`  miss  p50 ${ms(m50)}  p95 ${ms(m95)}  (min ${ms(Math.min(...result.miss))}, max ${ms(Math.max(...result.miss))}; upstream calls ${result.missCalls}, test server delay ${options.delayMs} ms)`);
  out(`  hit   p50 ${ms(h50)}  p95 ${ms(h95)}  (min ${ms(Math.min(...result.hit))}, max ${ms(Math.max(...result.hit))}; upstream calls ${result.hitCalls})`);
  out(`  miss / hit: p50 ×${(m50 / h50).toFixed(1)}, p95 ×${(m95 / h95).toFixed(1)}; a miss costs ${ms(m50 - options.delayMs)} beyond the model's ${options.delayMs} ms at p50`);
  return m50;
}

function reportSingleFlight(result: Awaited<ReturnType<typeof singleFlight>>, missP50: number, options: Options) {
  const finished = [...result.finishedAt].sort((a, b) => a - b);
  out(`\n(2) Single flight: ${options.concurrent} identical interview generations at once (same brief on ${options.concurrent} books, one user)`);
  out(`  upstream calls seen by the test server: ${result.calls} (expected 1)`);
  out(`  ledger: ${result.ledgerCalls} rows, ${result.ledgerCached} served without a model call`);
  out(`  wall time ${ms(result.wallMs)} = ×${(result.wallMs / missP50).toFixed(2)} a single miss (p50 ${ms(missP50)}); first job done at ${ms(finished[0]!)}, median ${ms(percentile(finished, 50))}`);
  out('  (at most 2 jobs of one user run at once, so the first two share the one upstream call and the rest, queued,');
  out('   are answered from the cache that call filled)');
}

function reportReservations(result: Awaited<ReturnType<typeof reservations>>, options: Options) {
  const meta = result.meta.measurement;
  const starts = result.starts.measurement;
  const metaRate = okPerSecond(meta);
  const created = result.seen.created.size;
  const at = result.seen.createdAt;
  const startsS = ((at[at.length - 1] ?? result.starts.startedAt) - result.starts.startedAt) / 1000;
  const startRate = startsS > 0 ? created / startsS : 0;
  const refusedCount = result.refused.other.get('429 QUOTA_EXCEEDED') ?? 0;
  const other = (seen: Map<string, number>, skip?: string) =>
    [...seen.entries()].filter(([code]) => code !== skip).map(([code, n]) => `${code}×${n}`).join(' ') || 'none';
  const micros = (m: Measurement) => serverMicrosPerRequest(m)?.toFixed(0) ?? 'n/a';
  out(`\n(5) Quota reservations: POST …/chapters/:id/questions/generate on distinct chapters (${result.chapters} seeded in ${result.seedS.toFixed(1)} s),`);
  out(`    each a new job whose worst-case tokens are reserved atomically against the quota; ${options.connections} connections for both`);
  out(`  GET /v1/meta (baseline): ${metaRate.toFixed(0)} req/s, p50 ${ms(meta.result.latency.p50)}, p99 ${ms(meta.result.latency.p99)}, ${micros(meta)} µs server CPU/req, non-2xx ${meta.result.non2xx}`);
  out(
    `  job starts:              ${startRate.toFixed(0)} reservations/s (${created} new jobs in ${startsS.toFixed(2)} s), p50 ${ms(starts.result.latency.p50)}, ` +
      `p99 ${ms(starts.result.latency.p99)}, ${micros(starts)} µs server CPU/req; other answers: ${other(result.seen.other)}`,
  );
  out(`  reservations/s ÷ GET /v1/meta req/s = ${((100 * startRate) / metaRate).toFixed(1)}%`);
  const [metaMicros, startMicros] = [serverMicrosPerRequest(meta), serverMicrosPerRequest(starts)];
  if (metaMicros && startMicros) {
    out(`  server CPU per request (steadier when other work shares the cores): a start costs ×${(startMicros / metaMicros).toFixed(1)} a GET /v1/meta`);
  }
  const half = Math.floor(at.length / 2);
  if (half >= 2) {
    const rate = (from: number, to: number) => ((to - from) / ((at[to]! - at[from]!) / 1000)).toFixed(0);
    out(`  by half: first ${half} at ${rate(0, half - 1)}/s, last ${at.length - half} at ${rate(half, at.length - 1)}/s (the user's active jobs grow all along)`);
  }
  out(
    `  ${result.started} jobs started (warm-up included), ${result.reachedModel} reached the model meanwhile (2 at a time per user, ` +
      `${options.delayMs} ms each); the rest stayed queued, holding ${result.reservedTokens.toLocaleString('en-US')} reserved tokens`,
  );
  out(
    `  quota set to 1 token/day: ${(refusedCount / result.refusals.measurement.result.duration).toFixed(0)} refused starts/s (429 QUOTA_EXCEEDED ×${refusedCount}, ` +
      `new jobs ${result.refused.created.size}, other: ${other(result.refused.other, '429 QUOTA_EXCEEDED')})`,
  );
  return { metaRate, startRate, created, refusedCount };
}

let interrupted = false;

async function main(): Promise<number> {
  const options = readOptions();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'auto-author-bench-ai-'));
  const servers: ChildServer[] = [];
  // The API first: its shutdown drains running jobs, which still talk to the test server.
  const stopAll = async () => {
    for (const server of [...servers].reverse()) await server.stop();
  };
  const cleanUp = () => rm(dataDir, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      void stopAll().then(cleanUp).finally(() => process.exit(130));
    });
  }

  try {
    const cpu = os.cpus();
    out(
      `Auto-Author AI benchmark: ${cpu.length} CPU(s) (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ` +
        `AI_PROVIDER=openai against the OpenAI test server (${options.delayMs} ms per answer), SQLite store; code ${codeVersion()}`,
    );
    const load1 = os.loadavg()[0] ?? 0;
    if (load1 > 1) out(`Load average ${load1.toFixed(2)} before starting: other work shares these cores, so expect noisy figures.`);
    const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
    const tag = randomBytes(4).toString('hex');
    const { api, upstream } = await startAll(dataDir, adminToken, options, servers);
    out(`API at ${api.url}, OpenAI test server at ${upstream.url}`);

    // One user per phase: the AI cache is namespaced per user and the quota is per user.
    const problems: string[] = [];
    const { phases } = options;
    if (phases.has('cache') || phases.has('flight')) {
      const cache = await cacheLatency(api, upstream, await createUser(api.url, adminToken, 'cache'), tag, options);
      const missP50 = reportCache(cache, options);
      if (phases.has('flight')) {
        const flight = await singleFlight(api, upstream, await createUser(api.url, adminToken, 'flight'), tag, options);
        reportSingleFlight(flight, missP50, options);
        if (flight.calls < 1) problems.push('the single-flight phase made no upstream call');
      }
    }
    // (3) and (4) before (5), whose thousands of queued jobs keep the model server and the API busy after it ends.
    if (phases.has('stream')) {
      const firstText = await firstVisibleText(api.url, upstream.url, await createUser(api.url, adminToken, 'stream'), tag, options);
      reportFirstVisibleText(firstText, options, out);
    }
    if (phases.has('template')) {
      reportTemplateModeLatency(await templateModeLatency(dataDir, adminToken, tag, servers, options.template), options.template, out);
    }
    if (phases.has('quota')) {
      const quota = await reservations(api, upstream, adminToken, await createUser(api.url, adminToken, 'quota'), options);
      const figures = reportReservations(quota, options);
      if (figures.metaRate === 0) problems.push('GET /v1/meta answered no 2xx');
      if (figures.created < options.starts * 0.9) problems.push(`only ${figures.created} of ${options.starts} starts created a job`);
      if (figures.refusedCount === 0 || quota.refused.created.size > 0) problems.push('the quota did not refuse starts once set to 1 token');
    }

    for (const server of [api, upstream]) {
      if (!server.alive()) throw new Error(`${server.name} died during the run. Its output:\n${server.output().trim()}`);
    }
    if (problems.length > 0) throw new Error(`The run measured something else than intended: ${problems.join('; ')}`);
    out('\nLatencies are end to end on 127.0.0.1 (client, API, test server and store share the machine). Compare ratios from one run.');
    return 0;
  } finally {
    await stopAll();
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Stopping the servers on Ctrl-C makes the phase under way fail: that is the interruption, not an error.
    if (interrupted) return process.exit(130);
    console.error(`bench:ai failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
