import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEndpoints } from '../../shared/contract/admin.js';
import { ALL_ENDPOINTS, buildPath } from '../../shared/contract/index.js';
import { AI_JOB_KINDS } from '../../shared/schemas/ai.js';
import { STATS_RANGES, USAGE_CSV_COLUMNS, type AdminStats, type AdminUsage, type StatsRange } from '../../shared/schemas/admin.js';
import { createRequestMetrics, histogramQuantile, LATENCY_BOUNDS_MS } from '../src/services/admin-request-metrics.js';
import type { LedgerRecord } from '../src/stores/engine-types.js';
import { SUMMARY, runJob } from './helpers/journey.js';
import { ADMIN_TOKEN, buildTestApp, errorOf, openStoreOf, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, type OpenAiTestServer } from './support/openai-test-server.js';

/**
 * The admin reports against the ledger itself: every total, group, page, CSV row and overview bucket is compared
 * with sums computed here from every ledger row, read through the store (so the same test holds on MongoDB). Also: the request-metrics rollup (status classes, the two
 * kinds of 429, flushed to the store and surviving a restart), and 403 for authors on every /v1/admin/* route.
 */

const AI_PER_MIN = 4;
let server: OpenAiTestServer;
let t: TestApp;
let author: { id: string; token: string; email: string };
let other: { id: string; token: string; email: string };
const DELETED_USER = `usr_${ulid()}`;

const admin = <T>(url: string) => t.as(ADMIN_TOKEN, { method: 'GET', url }).then((response) => {
  expect(response.statusCode, response.body).toBe(200);
  return response.json<T>();
});
const usage = (query: Record<string, string>) => admin<AdminUsage>(`/v1/admin/usage?${new URLSearchParams(query)}`);
const stats = (range: StatsRange) => admin<AdminStats>(`/v1/admin/stats?range=${range}`);

/** A deterministic spread of ledger rows over the last 35 days: users, operations, models, outcomes, cache hits. */
function seededRows(userIds: string[]): LedgerRecord[] {
  const models = ['gpt-4o-mini', 'gpt-4o', 'offline-templates-v1', 'weird,"model"', '=HYPERLINK("x")'];
  const outcomes = ['ok', 'ok', 'ok', 'truncated', 'rate_limited'];
  const now = Date.now();
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  return Array.from({ length: 240 }, (_, i) => {
    const at = now - next(35 * 24) * 3_600_000 - next(3_600_000);
    const cached = next(4) === 0;
    const inputTokens = cached ? 0 : 100 + next(5_000);
    const outputTokens = cached ? 0 : next(3_000);
    return {
      id: `led_${ulid(at)}`, userId: userIds[i % userIds.length]!, bookId: null, jobId: null,
      operation: AI_JOB_KINDS[next(AI_JOB_KINDS.length)]!, provider: 'openai', model: models[next(models.length)]!, inputTokens, outputTokens,
      costMicros: cached ? 0 : next(90_000), cached, outcome: outcomes[next(outcomes.length)]!, latencyMs: next(20_000),
      createdAt: new Date(at).toISOString(),
    };
  });
}

beforeAll(async () => {
  server = await startOpenAiTestServer();
  t = await buildTestApp(openAiTestEnv(server, { RATE_LIMIT_AI_PER_MIN: String(AI_PER_MIN), AI_TIMEOUT_MS: '15000' }));
  author = await t.newUser();
  other = await t.newUser();
  for (const row of seededRows([author.id, other.id, DELETED_USER])) await t.app.store.ledger.record(row);
  // And rows made the real way: one interview through the OpenAI-compatible test server (tokens and prices).
  const book = (await t.as(other.token, { method: 'POST', url: '/v1/books', payload: { title: 'Ledger book' } })).json<{ id: string }>();
  await t.as(other.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: SUMMARY, version: 1 } });
  await runJob(t, other.token, 'POST', `/v1/books/${book.id}/interview/generate`, {});
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

interface Sums { calls: number; cachedCalls: number; inputTokens: number; outputTokens: number; costUsd: number }

type LedgerFilter = { from?: string; to?: string; userId?: string; operation?: string; model?: string; outcome?: string };

/** Every ledger row, newest first: the users of this file are the only ones metered (the capped one never is). */
async function ledgerRows(): Promise<LedgerRecord[]> {
  const rows = (await Promise.all([author.id, other.id, DELETED_USER].map((userId) => t.app.store.ledger.listByUser(userId, 100_000)))).flat();
  return rows.sort((a, b) => (a.id < b.id ? 1 : -1));
}

/** The same filter, written independently over the rows. */
async function matching(filter: LedgerFilter): Promise<LedgerRecord[]> {
  const day = (value: string, end: boolean) =>
    /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(Date.parse(`${value}T00:00:00Z`) + (end ? 86_400_000 : 0)).toISOString() : value;
  const from = filter.from && day(filter.from, false);
  const to = filter.to && day(filter.to, true);
  return (await ledgerRows()).filter(
    (row) =>
      (from === undefined || row.createdAt >= from) && (to === undefined || row.createdAt < to) &&
      (['userId', 'operation', 'model', 'outcome'] as const).every((key) => filter[key] === undefined || row[key] === filter[key]),
  );
}

function sumRows(rows: LedgerRecord[]): Sums {
  const sum = (pick: (row: LedgerRecord) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    calls: rows.length, cachedCalls: sum((row) => (row.cached ? 1 : 0)), inputTokens: sum((row) => row.inputTokens),
    outputTokens: sum((row) => row.outputTokens), costUsd: sum((row) => row.costMicros) / 1e6,
  };
}

async function expectedTotals(filter: LedgerFilter): Promise<Sums> {
  return sumRows(await matching(filter));
}

async function expectedGroups(filter: LedgerFilter, key: (row: LedgerRecord) => string): Promise<Record<string, Sums>> {
  const groups = new Map<string, LedgerRecord[]>();
  for (const row of await matching(filter)) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return Object.fromEntries([...groups].map(([k, rows]) => [k, sumRows(rows)]));
}

const sumsOf = (s: Sums): Sums => ({ calls: s.calls, cachedCalls: s.cachedCalls, inputTokens: s.inputTokens, outputTokens: s.outputTokens, costUsd: s.costUsd });

describe('usage report', () => {
  const today = new Date().toISOString().slice(0, 10);
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  const filters = (): Array<Record<string, string>> => [
    {},
    { userId: author.id },
    { userId: DELETED_USER },
    { operation: 'draft.generate' },
    { model: 'gpt-4o' },
    { model: 'test-model' },
    { outcome: 'ok' },
    { from: tenDaysAgo, to: today },
    { from: new Date(Date.now() - 3 * 86_400_000).toISOString(), to: new Date().toISOString() },
    { userId: other.id, operation: 'interview.generate', outcome: 'ok', from: tenDaysAgo },
  ];

  it('totals equal the sums computed from the ledger table, for every filter', async () => {
    const all = await expectedTotals({});
    expect(all.calls).toBeGreaterThan(240); // the seeded rows and the real interview call(s)
    expect((await expectedTotals({ model: 'test-model' })).inputTokens).toBeGreaterThan(0);
    for (const filter of filters()) {
      const report = await usage(filter);
      expect(report.totals, JSON.stringify(filter)).toEqual(sumsOf(await expectedTotals(filter)));
    }
  });

  it('groups by day, user, operation and model equal GROUP BY over the ledger, with user emails as labels', async () => {
    const keys: Record<string, (row: LedgerRecord) => string> = {
      day: (row) => row.createdAt.slice(0, 10), user: (row) => row.userId, operation: (row) => row.operation, model: (row) => row.model,
    };
    for (const filter of filters()) {
      for (const [groupBy, key] of Object.entries(keys)) {
        const report = await usage({ ...filter, groupBy });
        expect(report.groupBy).toBe(groupBy);
        expect(report.groupsTruncated).toBe(false);
        const got = Object.fromEntries(report.groups.map(({ key: k, label: _label, ...sums }) => [k, sums]));
        expect(got, `${groupBy} ${JSON.stringify(filter)}`).toEqual(await expectedGroups(filter, key));
      }
    }
    const byUser = await usage({ groupBy: 'user' });
    expect(byUser.groups.find((g) => g.key === author.id)?.label).toBe(author.email);
    expect(byUser.groups.find((g) => g.key === DELETED_USER)?.label).toBeNull();
    // Template mode's model is named as such; a model's group is shown by its name.
    const byModel = await usage({ groupBy: 'model' });
    expect(byModel.groups.find((g) => g.key === 'offline-templates-v1')?.label).toBe('offline-templates-v1 · template mode (no AI model)');
    expect(byModel.groups.find((g) => g.key === 'gpt-4o')?.label).toBeNull();
    const byDay = (await usage({ groupBy: 'day' })).groups.map((g) => g.key);
    expect(byDay).toEqual([...byDay].sort());
  });

  it('pages through every matching row once, newest first, each row as stored', async () => {
    const filter = { userId: author.id };
    const seen: AdminUsage['items'] = [];
    let cursor: string | null = null;
    do {
      const page: AdminUsage = await usage({ ...filter, limit: '37', ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const rows = await matching(filter);
    expect(seen.map((item) => item.id)).toEqual(rows.map((row) => row.id));
    const first = rows[0]!;
    expect(seen[0]).toMatchObject({
      userId: author.id, userEmail: author.email, operation: first.operation, model: first.model, inputTokens: first.inputTokens,
      outputTokens: first.outputTokens, costUsd: first.costMicros / 1e6, cached: first.cached, createdAt: first.createdAt,
    });
  });

  it('refuses a window that ends before it starts, and a malformed day', async () => {
    const backwards = await t.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/admin/usage?from=2025-02-01&to=2025-01-01' });
    expect(backwards.statusCode).toBe(400);
    expect(errorOf(backwards).code).toBe('VALIDATION');
    expect((await t.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/admin/usage?from=yesterday' })).statusCode).toBe(400);
  });
});

/** RFC 4180 parsing, strict: quoted fields, doubled quotes, CRLF records; throws on anything malformed. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  let fieldStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === '"') {
      if (!fieldStart) throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      fieldStart = false;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      fieldStart = true;
      i++;
    } else if (c === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStart = true;
      i += 2;
    } else if (c === '\n') {
      throw new Error(`bare LF at ${i}`);
    } else {
      field += c;
      fieldStart = false;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || record.length > 0) throw new Error('last record not ended with CRLF');
  return records;
}

describe('usage CSV', () => {
  it('is well-formed RFC 4180 with a header row, one record per ledger row, values as in the table', async () => {
    const response = await t.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/admin/usage.csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="usage-start-to-now\.csv"$/);
    const records = parseCsv(response.body);
    expect(records[0]).toEqual([...USAGE_CSV_COLUMNS]);
    const rows = await ledgerRows();
    expect(records.length - 1).toBe(rows.length);
    expect(response.headers['x-csv-rows']).toBe(String(rows.length));
    expect(records.every((record) => record.length === USAGE_CSV_COLUMNS.length)).toBe(true);
    const column = (name: (typeof USAGE_CSV_COLUMNS)[number]) => USAGE_CSV_COLUMNS.indexOf(name);
    records.slice(1).forEach((record, i) => {
      const row = rows[i]!;
      expect(record[column('id')]).toBe(row.id);
      expect(record[column('inputTokens')]).toBe(String(row.inputTokens));
      expect(Number(record[column('costUsd')])).toBe(row.costMicros / 1e6);
      expect(record[column('cached')]).toBe(row.cached ? 'true' : 'false');
      // A cell a spreadsheet would evaluate as a formula is defused with a leading apostrophe.
      const model = String(row.model);
      expect(record[column('model')]).toBe(/^[=+\-@]/.test(model) ? `'${model}` : model);
    });
    expect(response.body).toContain('"weird,""model"""');
    const sum = records.slice(1).reduce((total, record) => total + Number(record[column('outputTokens')]), 0);
    expect(sum).toBe((await expectedTotals({})).outputTokens);
  });

  it('applies the same filters as the report', async () => {
    const filter = { userId: other.id, outcome: 'ok' };
    const response = await t.as(ADMIN_TOKEN, { method: 'GET', url: `/v1/admin/usage.csv?${new URLSearchParams(filter)}` });
    expect(parseCsv(response.body).length - 1).toBe((await expectedTotals(filter)).calls);
    const empty = await t.as(ADMIN_TOKEN, { method: 'GET', url: '/v1/admin/usage.csv?model=no-such-model' });
    expect(parseCsv(empty.body)).toEqual([[...USAGE_CSV_COLUMNS]]);
  });
});

describe('overview stats', () => {
  it('ledger series and totals equal the ledger, bucket by bucket, for 24h, 7d and 30d', async () => {
    for (const range of Object.keys(STATS_RANGES) as StatsRange[]) {
      const result = await stats(range);
      const { stepS, durationS } = STATS_RANGES[range];
      expect(result.stepS).toBe(stepS);
      expect(Date.parse(result.to) - Date.parse(result.from)).toBe(durationS * 1000);
      expect(Date.parse(result.to)).toBeGreaterThan(Date.now() - 1000);
      const n = durationS / stepS;
      expect(result.series.t).toHaveLength(n);
      const rows = await matching({ from: result.from, to: result.to });
      const expected = { aiCalls: new Array(n).fill(0), cachedCalls: new Array(n).fill(0), tokens: new Array(n).fill(0), costMicros: new Array(n).fill(0) };
      for (const row of rows) {
        const b = Math.floor((Date.parse(row.createdAt) - Date.parse(result.from)) / (stepS * 1000));
        expected.aiCalls[b]++;
        expected.cachedCalls[b] += row.cached ? 1 : 0;
        expected.tokens[b] += row.inputTokens + row.outputTokens;
        expected.costMicros[b] += row.costMicros;
      }
      expect(result.series.aiCalls, range).toEqual(expected.aiCalls);
      expect(result.series.cachedCalls, range).toEqual(expected.cachedCalls);
      expect(result.series.tokens, range).toEqual(expected.tokens);
      expect(result.series.costUsd, range).toEqual(expected.costMicros.map((micros: number) => micros / 1e6));
      expect(result.series.cacheHitRatio, range).toEqual(expected.aiCalls.map((calls: number, i: number) => (calls ? expected.cachedCalls[i] / calls : null)));
      const totals = await expectedTotals({ from: result.from, to: result.to });
      expect(result.totals).toMatchObject({
        aiCalls: totals.calls, cachedCalls: totals.cachedCalls, inputTokens: totals.inputTokens, outputTokens: totals.outputTokens,
        tokens: totals.inputTokens + totals.outputTokens, costUsd: totals.costUsd, cacheHitRatio: totals.cachedCalls / totals.calls,
      });
    }
  });

  it('counts requests per minute: status classes, quota and rate-limit 429s apart, p95 latency', async () => {
    // A user with a 1-token daily quota is refused for quota until the AI rate limit refuses them outright.
    const capped = await t.newUser();
    await t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${capped.id}`, payload: { quotaDailyTokens: 1 } });
    const book = (await t.as(capped.token, { method: 'POST', url: '/v1/books', payload: { title: 'Capped' } })).json<{ id: string }>();
    await t.as(capped.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: SUMMARY, version: 1 } });

    const before = (await stats('24h')).totals;
    const codes: number[] = [];
    const hit = async (token: string, method: 'GET' | 'POST', url: string) => codes.push((await t.as(token, { method, url, payload: method === 'POST' ? {} : undefined })).statusCode);
    for (let i = 0; i < 3; i++) await hit(author.token, 'GET', '/v1/me');
    for (let i = 0; i < 2; i++) await hit(author.token, 'GET', '/v1/no-such-route');
    await hit(author.token, 'GET', '/v1/admin/stats');
    for (let i = 0; i < AI_PER_MIN + 2; i++) await hit(capped.token, 'POST', `/v1/books/${book.id}/interview/generate`);
    expect(codes).toEqual([200, 200, 200, 404, 404, 403, ...new Array(AI_PER_MIN).fill(429), 429, 429]);
    const after = await stats('24h');

    // The first stats call itself was answered after it computed its body, so it counts in the second.
    expect(after.totals.requests - before.requests).toBe(codes.length + 1);
    expect(after.totals.clientErrors - before.clientErrors).toBe(3);
    expect(after.totals.quota429 - before.quota429).toBe(AI_PER_MIN);
    expect(after.totals.rateLimited429 - before.rateLimited429).toBe(2);
    expect(after.totals.serverErrors).toBe(0);
    expect(after.totals.p95LatencyMs).toBeGreaterThan(0);
    const last = after.series.requests.length - 1;
    expect(after.series.requests.reduce((a, b) => a + b, 0)).toBe(after.totals.requests);
    expect(after.series.p95LatencyMs[last]).not.toBeNull();
  });

  it('flushes minutes to the store, where reports read them back (and the last minute at shutdown)', async () => {
    const before = (await stats('24h')).totals.requests;
    await t.app.requestMetrics.flush({ all: true });
    expect(t.app.requestMetrics.unflushed()).toEqual([]);
    const minutes = () => t.app.store.requestMetrics.list('2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z');
    expect((await minutes()).reduce((n, m) => n + m.requests, 0)).toBe(before + 1);
    expect((await stats('24h')).totals.requests).toBe(before + 1);

    // Another instance's flush of the same minute adds up instead of overwriting.
    const minute = (await minutes()).at(-1)!;
    await t.app.store.requestMetrics.add([{ minute: minute.minute, requests: 5, clientErrors: 0, serverErrors: 1, quota429: 0, rateLimited429: 0, latencyTotalMs: 50, latencyBuckets: [0, 0, 0, 0, 5] }]);
    const row = (await minutes()).find((m) => m.minute === minute.minute)!;
    expect(row.requests).toBe(minute.requests + 5);
    expect(row.serverErrors).toBe(1);
    expect(row.latencyBuckets[4]).toBeGreaterThanOrEqual(5);
  });
});

describe('latency histogram', () => {
  it('puts p95 inside the right bucket, and counts streams without timing them', () => {
    const metrics = createRequestMetrics({ store: t.app.store.requestMetrics, now: () => Date.parse('2030-01-01T00:00:30.000Z') });
    for (let ms = 1; ms <= 100; ms++) metrics.observe({ statusCode: 200, errorCode: null, latencyMs: ms });
    metrics.observe({ statusCode: 200, errorCode: null, latencyMs: null });
    const [minute] = metrics.unflushed();
    expect(minute).toMatchObject({ minute: '2030-01-01T00:00:00.000Z', requests: 101, latencyTotalMs: 5050 });
    expect(minute!.latencyBuckets.reduce((a, b) => a + b, 0)).toBe(100);
    const p95 = histogramQuantile(minute!.latencyBuckets, 0.95)!;
    expect(p95).toBeGreaterThan(70);
    expect(p95).toBeLessThanOrEqual(100);
    expect(histogramQuantile([], 0.95)).toBeNull();
    // Past the last bound, the quantile is the last bound (a floor, not a guess).
    const slow = new Array(LATENCY_BOUNDS_MS.length + 1).fill(0);
    slow[LATENCY_BOUNDS_MS.length] = 3;
    expect(histogramQuantile(slow, 0.95)).toBe(LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]);
  });
});

describe('system info', () => {
  it('reports store, AI chain with circuit state, cache, limits, version and uptime', async () => {
    const { system } = await stats('24h');
    expect(system.store).toMatchObject({ kind: 'sqlite', ok: true });
    expect(system.store.details).toMatchObject({ kind: 'sqlite' });
    expect(system.ai).toMatchObject({
      provider: 'openai', offline: false, models: [{ model: 'test-model', state: 'closed', failures: 0, openUntil: null }], templateThreads: null,
    });
    expect(system.cache.maxBytes).toBe(t.config.ai.cacheMaxBytes);
    expect(system.cache.entries).toBeGreaterThan(0);
    expect(system.rateLimits).toEqual({ defaultPerMin: t.config.rateLimit.defaultPerMin, aiPerMin: AI_PER_MIN, authPerMin: t.config.rateLimit.authPerMin, shared: false });
    expect(system.uptimeS).toBeGreaterThanOrEqual(0);
    expect(system.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('admin access and audit', () => {
  it('answers 403 FORBIDDEN to an author on every /v1/admin/* route of the contract', async () => {
    const routes = ALL_ENDPOINTS.filter(([, def]) => def.path.startsWith('/v1/admin/'));
    for (const name of Object.keys(adminEndpoints)) expect(routes.map(([n]) => n)).toContain(name);
    expect(routes.every(([, def]) => def.auth === 'admin')).toBe(true);
    for (const [name, def] of routes) {
      const url = buildPath(def.path, { userId: other.id, tokenId: 'tok_x' });
      const response = await t.as(author.token, { method: def.method, url, ...(def.method === 'GET' || def.method === 'DELETE' ? {} : { payload: {} }) });
      expect(response.statusCode, name).toBe(403);
      expect(errorOf(response).code, name).toBe('FORBIDDEN');
      const anonymous = await t.app.inject({ method: def.method, url });
      expect(anonymous.statusCode, name).toBe(401);
    }
  });

  it('audits quota changes with the old and new values', async () => {
    const user = await t.newUser();
    const patch = await t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload: { quotaDailyTokens: 5_000, quotaMonthlyTokens: 90_000 } });
    expect(patch.statusCode).toBe(200);
    await t.as(ADMIN_TOKEN, { method: 'PATCH', url: `/v1/admin/users/${user.id}`, payload: { quotaDailyTokens: null } });
    const events = (await admin<{ items: Array<{ type: string; details: Record<string, unknown> }> }>(`/v1/admin/audit?type=user.updated&userId=${user.id}`)).items;
    expect(events.map((e) => e.details)).toEqual([
      { changed: ['quotaDailyTokens'], before: { quotaDailyTokens: 5_000 }, after: { quotaDailyTokens: null } },
      { changed: ['quotaDailyTokens', 'quotaMonthlyTokens'], before: { quotaDailyTokens: null, quotaMonthlyTokens: null }, after: { quotaDailyTokens: 5_000, quotaMonthlyTokens: 90_000 } },
    ]);
  });
});

describe('request metrics at shutdown', () => {
  it('the last, unfinished minute is flushed when the app closes', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-admin-metrics-'));
    try {
      const second = await buildTestApp({}, { dataDir });
      await second.app.inject({ method: 'GET', url: '/health/live' });
      await second.app.inject({ method: 'GET', url: '/health/live' });
      await second.close();
      const store = await openStoreOf(second);
      const minutes = await store.requestMetrics.list('2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z');
      await store.close();
      // The two probes, and the requests that created the test users.
      expect(minutes.reduce((n, m) => n + m.requests, 0)).toBeGreaterThanOrEqual(2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
