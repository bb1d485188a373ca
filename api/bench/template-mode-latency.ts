// bench:ai phase (4), "template mode off the event loop": how long an author's GET chapter waits while template mode
// (no AI model) works out a TOC from a 20,000-character summary. Two API servers in template mode, alike but for
// TEMPLATE_THREADS: 0 (the analysis on the event loop, as before the worker pool) and the default (worker threads),
// measured in alternating rounds, each against its own idle baseline.
import { performance } from 'node:perf_hooks';
import { LIMITS } from '../../shared/limits.js';
import { longMaterial } from '../test/helpers/long-material.js';
import { createUser, percentile, waitForJob, type BenchUser } from './ai-client.js';
import { startServer, waitForOk, type ChildServer } from './processes.js';
import { callApi } from './seed.js';

export interface TemplateLatencyOptions {
  rounds: number;
  jobsPerRound: number;
  probeMs: number;
  idleMs: number;
}

interface Target {
  label: string;
  api: ChildServer;
  user: BenchUser;
  /** The book whose TOC is generated (no chapters: a new book's outline is what template mode analyses). */
  tocBook: string;
  /** The chapter every probe reads (in another book, so the TOC book stays without chapters). */
  chapterPath: string;
}

interface Samples {
  idle: number[];
  busy: number[];
  jobs: number[];
  chapters: string | null;
}

/** GET `path` every `everyMs` whether or not earlier ones have answered (an open loop: a stall shows in full). */
function probe(baseUrl: string, path: string, token: string, everyMs: number) {
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  const failures: string[] = [];
  const timer = setInterval(() => {
    const sent = performance.now();
    const request = fetch(new URL(path, baseUrl), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) latencies.push(performance.now() - sent);
        else failures.push(`HTTP ${response.status}`);
      })
      .catch((error: unknown) => void failures.push(error instanceof Error ? error.message : String(error)))
      .finally(() => pending.delete(request));
    pending.add(request);
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await Promise.all([...pending]);
    if (failures.length > 0) throw new Error(`${failures.length} probes of ${path} failed (first: ${failures[0]})`);
    return latencies;
  };
}

async function startTarget(label: string, dataDir: string, adminToken: string, threads: string | null, tag: string): Promise<Target> {
  const api = await startServer(label, 'api/src/server.ts', {
    env: {
      ...process.env,
      PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: '', DATA_DIR: dataDir, STORE: 'sqlite', LOG_LEVEL: 'warn', ADMIN_TOKEN: adminToken,
      RATE_LIMIT_DEFAULT_PER_MIN: '1000000', RATE_LIMIT_AI_PER_MIN: '1000000', AI_PROVIDER: 'offline', OPENAI_API_KEY: '', OPENAI_BASE_URL: '',
      TEMPLATE_THREADS: threads ?? '', MONGODB_URI: '', REDIS_URL: '', CORS_ORIGINS: '', TRUST_PROXY: 'false',
    },
  });
  await waitForOk(`${api.url}/health/ready`);
  const user = await createUser(api.url, adminToken, `template-${threads ?? 'default'}`);
  const book = await callApi<{ id: string }>(api.url, 'POST', '/v1/books', user.token, { title: 'Notes from the Ward' });
  await callApi(api.url, 'PUT', `/v1/books/${book.id}/summary`, user.token, { summary: longMaterial(LIMITS.summaryMaxChars, tag) });
  const other = await callApi<{ id: string }>(api.url, 'POST', '/v1/books', user.token, { title: 'Probe book' });
  const chapter = await callApi<{ id: string }>(api.url, 'POST', `/v1/books/${other.id}/chapters`, user.token, { title: 'Rotas' });
  return { label, api, user, tocBook: book.id, chapterPath: `/v1/books/${other.id}/chapters/${chapter.id}` };
}

/** One TOC job (`fresh`: template mode works it out again, never from the cache); its wall time and its chapters. */
async function tocJob(target: Target): Promise<{ ms: number; chapters: string }> {
  const { api, user, tocBook } = target;
  const started = performance.now();
  const { job } = await callApi<{ job: { id: string } }>(api.url, 'POST', `/v1/books/${tocBook}/toc/generate`, user.token, { fresh: true });
  const done = (await waitForJob(api.url, user.token, job.id, 60_000)) as { status: string; result?: { proposalId: string } };
  const ms = performance.now() - started;
  if (done.status !== 'succeeded' || !done.result) throw new Error(`The template TOC job on ${target.label} ended ${done.status}`);
  const proposal = await callApi<{ chapters: unknown[] }>(api.url, 'GET', `/v1/books/${tocBook}/toc/proposals/${done.result.proposalId}`, user.token);
  return { ms, chapters: JSON.stringify(proposal.chapters.map((c) => ({ ...(c as object), id: undefined }))) };
}

async function measureRound(target: Target, samples: Samples, options: TemplateLatencyOptions) {
  const idle = probe(target.api.url, target.chapterPath, target.user.token, options.probeMs);
  await new Promise((resolve) => setTimeout(resolve, options.idleMs));
  samples.idle.push(...(await idle()));
  const busy = probe(target.api.url, target.chapterPath, target.user.token, options.probeMs);
  for (let i = 0; i < options.jobsPerRound; i++) {
    const { ms, chapters } = await tocJob(target);
    samples.jobs.push(ms);
    samples.chapters ??= chapters;
    if (chapters !== samples.chapters) throw new Error(`${target.label} proposed another TOC for the same summary`);
  }
  samples.busy.push(...(await busy()));
}

/**
 * Starts both servers (pushed onto `servers`, which the caller stops), warms each with one unmeasured job (the worker
 * thread starts then), and measures `rounds` rounds, alternating which server goes first.
 */
export async function templateModeLatency(dataDir: string, adminToken: string, tag: string, servers: ChildServer[], options: TemplateLatencyOptions) {
  const before = await startTarget('API, template mode on the event loop (TEMPLATE_THREADS=0)', `${dataDir}/template-0`, adminToken, '0', tag);
  servers.push(before.api);
  const now = await startTarget('API, template mode on worker threads (TEMPLATE_THREADS default)', `${dataDir}/template-pool`, adminToken, null, tag);
  servers.push(now.api);
  const results = new Map<Target, Samples>([before, now].map((target) => [target, { idle: [], busy: [], jobs: [], chapters: null }]));
  for (const target of [before, now]) await tocJob(target);
  for (let round = 0; round < options.rounds; round++) {
    for (const target of round % 2 === 0 ? [before, now] : [now, before]) await measureRound(target, results.get(target)!, options);
  }
  const [eventLoop, workers] = [results.get(before)!, results.get(now)!];
  if (eventLoop.chapters !== workers.chapters) throw new Error('The two servers proposed different TOCs for the same summary');
  for (const target of [before, now]) await target.api.stop();
  return { eventLoop, workers };
}

/** Prints both servers' probe latencies, idle and during the jobs, and the job times. */
export function reportTemplateModeLatency(result: Awaited<ReturnType<typeof templateModeLatency>>, options: TemplateLatencyOptions, out: (text: string) => void) {
  const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
  const figures = (label: string, s: Samples) => {
    const row = [
      `idle p50 ${ms(percentile(s.idle, 50))}, p99 ${ms(percentile(s.idle, 99))}`.padEnd(30),
      `during jobs p50 ${ms(percentile(s.busy, 50))}, p99 ${ms(percentile(s.busy, 99))}, max ${ms(Math.max(...s.busy))}`.padEnd(48),
      `job p50 ${ms(percentile(s.jobs, 50))}`,
    ];
    out(`  ${label.padEnd(27)} ${row.join(' ')}`);
  };
  out(`\n(4) Template mode off the event loop: an author's GET chapter every ${options.probeMs} ms (open loop) on a template-mode API, idle for`);
  out(`    ${options.idleMs / 1000} s, then while ${options.jobsPerRound} TOC jobs on a 20,000-character summary run back to back (fresh: no cache); ${options.rounds} rounds, servers alternating`);
  figures('on the event loop (before)', result.eventLoop);
  figures('on a worker thread (now)', result.workers);
  const busyP99 = (s: Samples) => percentile(s.busy, 99);
  const ratio = (s: Samples) => `×${(busyP99(s) / percentile(s.idle, 99)).toFixed(1)}`;
  out(`  p99 during the jobs: before ${ms(busyP99(result.eventLoop))}, now ${ms(busyP99(result.workers))} (÷${(busyP99(result.eventLoop) / busyP99(result.workers)).toFixed(0)}); ` +
    `each ÷ its own idle p99: before ${ratio(result.eventLoop)}, now ${ratio(result.workers)}; both proposed the same TOC`);
  out(`  (${result.workers.busy.length} probes during ${result.workers.jobs.length} jobs on the worker server, ${result.eventLoop.busy.length} during ${result.eventLoop.jobs.length} on the event-loop server)`);
}
