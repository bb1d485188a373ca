// `npm run bench:api`: the real API and a bare Fastify baseline, each in its own process, loaded by autocannon from
// this one. On a small machine only ratios measured in the same run mean much; see BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { summarizeCpuProfile } from './cpu-profile.js';
import { REPO_ROOT, startServer, waitForOk, type ChildServer } from './processes.js';
import { placeCpus } from './cpu-placement.js';
import {
  formatTable, formatTargets, medianBy, okPerSecond, percentOfBare, serverMicrosPerRequest, type Measurement, type RoundMeasurement,
} from './report.js';
import { refreshVersions, seed, type BenchChapter, type Seed } from './seed.js';

// The API's config caps every RATE_LIMIT_*_PER_MIN at 1 000 000 a minute (~16 700 req/s per user), far above
// what 2 cores serve, so the limiter is counted but never refuses.
const RATE_LIMIT = '1000000';
/** Authors seeded at most; connections beyond share them (each still on its own chapter). */
const MAX_AUTHORS = 50;
const TARGET_KEYS = ['bare', 'stock', 'live', 'get', 'patch'] as const;
type TargetKey = (typeof TARGET_KEYS)[number];
/**
 * `stock` (Fastify with the API's stock request stack and no API code, api/bench/stock-fastify.ts) and `live` (the
 * API's plugins without auth or store) are opt-in: they split a request's cost while profiling.
 */
const DEFAULT_TARGETS: TargetKey[] = ['bare', 'get', 'patch'];

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function readOptions() {
  const targets = (process.env.BENCH_TARGETS || DEFAULT_TARGETS.join(',')).split(',').map((key) => key.trim());
  const unknown = targets.filter((key) => !(TARGET_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new Error(`BENCH_TARGETS: unknown ${unknown.join(', ')} (use ${TARGET_KEYS.join(',')})`);
  return {
    durationS: envInt('BENCH_DURATION_S', 4, 1, 3_600),
    warmupS: envInt('BENCH_WARMUP_S', 1, 0, 600),
    rounds: envInt('BENCH_ROUNDS', 7, 1, 50),
    connections: envInt('BENCH_CONNECTIONS', 50, 1, 10_000),
    targets: new Set(targets as TargetKey[]),
    cpuProfile: ['1', 'true'].includes(process.env.BENCH_CPU_PROF ?? ''),
  };
}
type BenchOptions = ReturnType<typeof readOptions>;

/** Gives connection i its own chapter (i mod n), so PATCHes on one chapter never race each other. */
function perChapterClients(chapters: BenchChapter[], request: (chapter: BenchChapter) => autocannon.Request) {
  let next = 0;
  return (client: autocannon.Client) => client.setRequests([request(chapters[next++ % chapters.length]!)]);
}

/** PATCH with the chapter's current version; the answer (200, or the 409's `current`) carries the next one. */
function patchRequest(chapter: BenchChapter): autocannon.Request {
  let revision = 0;
  return {
    method: 'PATCH',
    path: chapter.path,
    headers: { authorization: `Bearer ${chapter.token}`, 'content-type': 'application/json' },
    setupRequest: (request) => ({ ...request, body: JSON.stringify({ version: chapter.version, title: `Chapter rev ${++revision}` }) }),
    onResponse: (status, body) => {
      if (status !== 200 && status !== 409) return;
      try {
        const parsed = JSON.parse(body) as { version?: number; error?: { details?: { current?: { version?: number } } } };
        chapter.version = parsed.version ?? parsed.error?.details?.current?.version ?? chapter.version;
      } catch {
        // A body that is not JSON leaves the version as it was; the next PATCH shows whether it was stale.
      }
    },
  };
}

interface Target {
  key: TargetKey;
  name: string;
  server: ChildServer;
  prepare?: () => Promise<void>;
  options: () => Partial<autocannon.Options>;
}

function targetsFor(bare: ChildServer, stock: ChildServer | null, api: ChildServer, data: Seed): Target[] {
  return [
    { key: 'bare', name: 'bare Fastify GET /', server: bare, options: () => ({}) },
    ...(stock ? [{ key: 'stock' as const, name: 'stock-stack Fastify GET /', server: stock, options: () => ({}) }] : []),
    { key: 'live', name: 'GET /health/live', server: api, options: () => ({ requests: [{ method: 'GET', path: '/health/live' }] }) },
    {
      key: 'get',
      name: 'GET chapter',
      server: api,
      options: () => ({ setupClient: perChapterClients(data.chapters, (chapter) => ({ method: 'GET', path: chapter.path, headers: { authorization: `Bearer ${chapter.token}` } })) }),
    },
    {
      key: 'patch',
      name: 'PATCH chapter',
      server: api,
      // A run cut off mid-request may have applied a PATCH whose answer it dropped.
      prepare: () => refreshVersions(api.url, data),
      options: () => ({ setupClient: perChapterClients(data.chapters, patchRequest) }),
    },
  ];
}

async function measure(target: Target, options: BenchOptions): Promise<Measurement> {
  const run = async (durationS: number) => {
    await target.prepare?.();
    const serverBefore = target.server.cpuSeconds();
    const generatorBefore = process.cpuUsage();
    const result = await autocannon({
      url: target.server.url, connections: options.connections, duration: durationS, title: target.name, ...target.options(),
    });
    const serverAfter = target.server.cpuSeconds();
    const generator = process.cpuUsage(generatorBefore);
    return {
      name: target.name,
      result,
      serverCpuS: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
      generatorCpuS: (generator.user + generator.system) / 1e6,
    };
  };
  if (options.warmupS > 0) await run(options.warmupS);
  return run(options.durationS);
}

async function startAll(dataDir: string, adminToken: string, profileDir: string | null, cpus: string | null, withStock: boolean, servers: ChildServer[]) {
  const api = startServer('API server', 'api/src/server.ts', {
    env: {
      ...process.env,
      PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: '', DATA_DIR: dataDir, STORE: 'sqlite', LOG_LEVEL: 'warn', ADMIN_TOKEN: adminToken,
      RATE_LIMIT_DEFAULT_PER_MIN: RATE_LIMIT, RATE_LIMIT_AI_PER_MIN: RATE_LIMIT, RATE_LIMIT_AUTH_PER_MIN: RATE_LIMIT,
      AI_PROVIDER: 'offline', OPENAI_API_KEY: '', MONGODB_URI: '', REDIS_URL: '', CORS_ORIGINS: '', TRUST_PROXY: 'false',
    },
    nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    cpus,
  });
  const bare = startServer('bare Fastify', 'api/bench/bare-fastify.ts', { env: { ...process.env, PORT: '0' }, cpus });
  const stock = withStock ? startServer('stock-stack Fastify', 'api/bench/stock-fastify.ts', { env: { ...process.env, PORT: '0' }, cpus }) : null;
  const started = await Promise.allSettled([api, bare, ...(stock ? [stock] : [])]);
  for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value);
  for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
  const [apiServer, bareServer, stockServer = null] = servers as [ChildServer, ChildServer, ChildServer?];
  await waitForOk(`${apiServer.url}/health/ready`);
  await waitForOk(bareServer.url);
  if (stockServer) await waitForOk(stockServer.url);
  return { api: apiServer, bare: bareServer, stock: stockServer };
}

/** The commit measured, and whether the working tree differs from it (figures belong to code, not to a date). */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function main(): Promise<number> {
  const options = readOptions();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'auto-author-bench-'));
  const profileDir = options.cpuProfile ? path.join(os.tmpdir(), `auto-author-bench-profile-${Date.now()}`) : null;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const servers: ChildServer[] = [];
  const stopAll = () => Promise.all(servers.map((server) => server.stop()));
  const cleanUp = () => rm(dataDir, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll().then(cleanUp).finally(() => process.exit(130)));
  }

  try {
    const cpu = os.cpus();
    process.stdout.write(
      `Auto-Author API benchmark: ${cpu.length} CPU(s) (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ` +
        `${options.connections} connections, ${options.rounds} round(s) of ${options.warmupS} s warm-up + ${options.durationS} s per target; ` +
        `code ${codeVersion()}\n`,
    );
    const placement = placeCpus();
    process.stdout.write(`CPUs: ${placement.describe()}\n`);
    const load = os.loadavg()[0] ?? 0;
    if (load > 1) {
      process.stdout.write(`Load average ${load.toFixed(2)} before starting: other work shares these cores, so expect noisy figures.\n`);
    }
    if (profileDir) process.stdout.write('CPU profiling the API server: its figures are slowed by the profiler.\n');
    const adminToken = `bench-admin-${randomBytes(16).toString('hex')}`;
    const { api, bare, stock } = await startAll(dataDir, adminToken, profileDir, placement.serverCpus, options.targets.has('stock'), servers);
    const data = await seed(api.url, adminToken, options.connections, Math.min(options.connections, MAX_AUTHORS));
    process.stdout.write(`API at ${api.url}, bare Fastify at ${bare.url}; seeded ${data.chapters.length} chapters in the books of ${Math.min(options.connections, MAX_AUTHORS)} authors\n`);

    // Rounds alternate the targets, so a spell of load from elsewhere hits the baseline and the API alike; each
    // round's ratios are against that round's baseline.
    const targets = targetsFor(bare, stock, api, data).filter((target) => options.targets.has(target.key));
    const rounds = new Map<TargetKey, RoundMeasurement[]>(targets.map((target) => [target.key, []]));
    for (let round = 1; round <= options.rounds; round++) {
      const inRound = new Map<TargetKey, Measurement>();
      for (const target of targets) inRound.set(target.key, await measure(target, options));
      const baseline = inRound.get('bare');
      const summary = targets.map((target) => {
        const m = inRound.get(target.key)!;
        const vsBare = baseline && target.key !== 'bare' ? okPerSecond(m) / okPerSecond(baseline) : null;
        const [bareMicros, micros] = [baseline && serverMicrosPerRequest(baseline), serverMicrosPerRequest(m)];
        const vsBareCpu = vsBare !== null && bareMicros && micros ? bareMicros / micros : null;
        rounds.get(target.key)!.push({ ...m, round, vsBare, vsBareCpu });
        return `${target.name} ${okPerSecond(m).toFixed(0)} 2xx/s${vsBare === null ? '' : ` (${percentOfBare(vsBare)})`}`;
      });
      process.stdout.write(`  round ${round}/${options.rounds}: ${summary.join(' · ')}\n`);
    }

    // The median round of each target: by its share of bare Fastify, or by 2xx/s for the baseline itself.
    const medianRounds = targets.map(({ key }) =>
      medianBy(rounds.get(key)!, (m) => m.vsBare ?? okPerSecond(m)),
    );
    process.stdout.write(`\n${formatTable(medianRounds)}\n\n`);
    process.stdout.write(`${formatTargets(rounds.get('get') ?? [], rounds.get('patch') ?? [])}\n`);
    process.stdout.write(
      'Each row is the median round of its target. Latency is over all answers; req/s and "vs bare" count 2xx only\n' +
        '(a 409 or 429 is not served). server/loadgen CPU: share of one core used during the run; µs CPU/req: server CPU\n' +
        'per answer, steadier than req/s when other work shares the machine. A loadgen near 100% means that target was\n' +
        'limited by autocannon.\n',
    );

    for (const server of servers) {
      if (!server.alive()) throw new Error(`${server.name} died during the run. Its output:\n${server.output().trim()}`);
    }
    const empty = [...rounds.values()].flat().filter((m) => m.result['2xx'] === 0);
    if (empty.length > 0) throw new Error(`No 2xx answers from ${empty.map((m) => m.name).join(', ')}: the run measured only failures.`);
    return 0;
  } finally {
    await stopAll();
    await cleanUp();
    if (profileDir) {
      // Node writes one profile per thread: CPU.<date>.<time>.<pid>.<thread>.<seq>; thread 0 serves the requests
      // (the others are tsx's module loader).
      const mainThread = (await readdir(profileDir)).find((name) => /\.\d+\.0\.\d+\.cpuprofile$/.test(name));
      if (mainThread) {
        const file = path.join(profileDir, mainThread);
        process.stdout.write(`\nCPU profile of the API server: ${file}\n${summarizeCpuProfile(file, REPO_ROOT)}\n`);
      } else {
        process.stdout.write(`\nNo CPU profile was written to ${profileDir} (did the server exit gracefully?)\n`);
      }
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench:api failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
