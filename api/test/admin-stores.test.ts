import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_JOB_KINDS } from '../../shared/schemas/ai.js';
import { USAGE_GROUP_BY } from '../../shared/schemas/admin.js';
import type { LedgerFilter, LedgerSums, RequestMinute } from '../src/stores/admin-types.js';
import type { LedgerRecord } from '../src/stores/engine-types.js';
import { openMongoStore } from '../src/stores/mongodb/mongo-store.js';
import { openSqliteStore } from '../src/stores/sqlite/sqlite-store.js';
import type { Store } from '../src/stores/types.js';

/**
 * The admin stores' contract, run on SQLite and (when MONGODB_URI is set) on MongoDB: every report equals the same
 * sums computed here from the seeded rows, and request-metric minutes add up.
 */

const DAY = 86_400_000;
const START = Date.parse('2031-03-01T00:00:00.000Z');
const users = [`usr_${ulid()}`, `usr_${ulid()}`, `usr_${ulid()}`];
const models = ['gpt-4o-mini', 'gpt-4o', 'offline-templates-v1'];
const outcomes = ['ok', 'ok', 'truncated', 'retryable'];

function seed(): LedgerRecord[] {
  let state = 11;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
  return Array.from({ length: 150 }, () => {
    const at = START + next(10 * 24) * 3_600_000 + next(3_600_000);
    const cached = next(5) === 0;
    return {
      id: `led_${ulid(at)}`, userId: users[next(users.length)]!, bookId: null, jobId: null, operation: AI_JOB_KINDS[next(AI_JOB_KINDS.length)]!,
      provider: 'openai', model: models[next(models.length)]!, inputTokens: cached ? 0 : next(4_000), outputTokens: cached ? 0 : next(2_000),
      costMicros: cached ? 0 : next(50_000), cached, outcome: outcomes[next(outcomes.length)]!, latencyMs: next(9_000),
      createdAt: new Date(at).toISOString(),
    };
  });
}
const rows = seed();

const NO_FILTER: LedgerFilter = { from: null, to: null, userId: null, operation: null, model: null, outcome: null };
const matches = (row: LedgerRecord, f: LedgerFilter) =>
  (f.from === null || row.createdAt >= f.from) && (f.to === null || row.createdAt < f.to) && (f.userId === null || row.userId === f.userId) &&
  (f.operation === null || row.operation === f.operation) && (f.model === null || row.model === f.model) && (f.outcome === null || row.outcome === f.outcome);
function sums(list: LedgerRecord[]): LedgerSums {
  return {
    calls: list.length, cachedCalls: list.filter((r) => r.cached).length, inputTokens: list.reduce((n, r) => n + r.inputTokens, 0),
    outputTokens: list.reduce((n, r) => n + r.outputTokens, 0), costMicros: list.reduce((n, r) => n + r.costMicros, 0),
  };
}
const keyOf = { day: (r: LedgerRecord) => r.createdAt.slice(0, 10), user: (r: LedgerRecord) => r.userId, operation: (r: LedgerRecord) => r.operation, model: (r: LedgerRecord) => r.model };

const filters: LedgerFilter[] = [
  { ...NO_FILTER, userId: users[0]! },
  { ...NO_FILTER, operation: 'draft.generate' },
  { ...NO_FILTER, model: 'gpt-4o', outcome: 'ok' },
  { ...NO_FILTER, from: new Date(START + 2 * DAY).toISOString(), to: new Date(START + 5 * DAY).toISOString() },
  { ...NO_FILTER, from: new Date(START + 3 * DAY).toISOString(), userId: users[1]!, operation: 'toc.generate' },
];
/** Every filter is narrowed to the seeded window, so rows of other runs sharing a database never count. */
const scoped = (f: LedgerFilter): LedgerFilter => ({
  ...f, from: f.from ?? new Date(START).toISOString(), to: f.to ?? new Date(START + 11 * DAY).toISOString(),
});

function defineAdminStoreContract(kind: string, open: () => Promise<Store>) {
  describe(`admin stores on ${kind}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
      for (const row of rows) await store.ledger.record(row);
    });
    afterAll(async () => store?.close());

    it('totals equal the sums of the matching rows', async () => {
      for (const filter of [NO_FILTER, ...filters].map(scoped)) {
        expect(await store.adminLedger.totals(filter), JSON.stringify(filter)).toEqual(sums(rows.filter((r) => matches(r, filter))));
      }
    });

    it('groups equal the sums per key: days oldest first, the rest by tokens, largest first', async () => {
      for (const filter of [NO_FILTER, ...filters].map(scoped)) {
        for (const groupBy of USAGE_GROUP_BY) {
          const got = await store.adminLedger.groups(filter, groupBy, 1_000);
          const expected = new Map<string, LedgerRecord[]>();
          for (const row of rows.filter((r) => matches(r, filter))) expected.set(keyOf[groupBy](row), [...(expected.get(keyOf[groupBy](row)) ?? []), row]);
          expect(Object.fromEntries(got.map(({ key, ...s }) => [key, s])), `${groupBy} ${JSON.stringify(filter)}`).toEqual(
            Object.fromEntries([...expected].map(([key, list]) => [key, sums(list)])),
          );
          const order = got.map((g) => (groupBy === 'day' ? g.key : -(g.inputTokens + g.outputTokens)));
          expect(order).toEqual([...order].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        }
      }
      expect(await store.adminLedger.groups(scoped(NO_FILTER), 'model', 2)).toHaveLength(2);
    });

    it('lists matching rows newest first, paging by id', async () => {
      const filter = scoped({ ...NO_FILTER, userId: users[2]! });
      const seen: string[] = [];
      let beforeId: string | null = null;
      for (;;) {
        const page: LedgerRecord[] = await store.adminLedger.list(filter, { limit: 17, beforeId });
        seen.push(...page.map((r) => r.id));
        if (page.length < 17) break;
        beforeId = page[page.length - 1]!.id;
      }
      const expected = rows.filter((r) => matches(r, filter)).sort((a, b) => (a.id < b.id ? 1 : -1));
      expect(seen).toEqual(expected.map((r) => r.id));
      const [first] = await store.adminLedger.list(filter, { limit: 1, beforeId: null });
      expect(first).toEqual(expected[0]);
    });

    it('series sums rows per time bucket', async () => {
      const from = new Date(START + DAY).toISOString();
      const to = new Date(START + 8 * DAY).toISOString();
      const stepMs = 6 * 3_600_000;
      const got = await store.adminLedger.series({ from, to, stepMs });
      const expected = new Map<number, LedgerRecord[]>();
      for (const row of rows.filter((r) => r.createdAt >= from && r.createdAt < to)) {
        const bucket = Math.floor((Date.parse(row.createdAt) - Date.parse(from)) / stepMs);
        expected.set(bucket, [...(expected.get(bucket) ?? []), row]);
      }
      expect(got).toEqual([...expected].sort(([a], [b]) => a - b).map(([bucket, list]) => ({ bucket, ...sums(list) })));
    });

    it('request-metric minutes add up across flushes, list by range, and purge', async () => {
      const minute = (iso: string, n: number, buckets: number[]): RequestMinute => ({
        minute: iso, requests: n, clientErrors: 1, serverErrors: 0, quota429: 1, rateLimited429: 0, latencyTotalMs: n * 10, latencyBuckets: buckets,
      });
      const a = '2031-05-01T10:00:00.000Z';
      const b = '2031-05-01T10:01:00.000Z';
      await store.requestMetrics.add([minute(a, 3, [1, 2]), minute(b, 1, [0, 0, 1])]);
      await store.requestMetrics.add([minute(a, 2, [0, 1, 1])]);
      expect(await store.requestMetrics.list(a, '2031-05-01T10:02:00.000Z')).toEqual([
        { minute: a, requests: 5, clientErrors: 2, serverErrors: 0, quota429: 2, rateLimited429: 0, latencyTotalMs: 50, latencyBuckets: [1, 3, 1] },
        minute(b, 1, [0, 0, 1]),
      ]);
      expect(await store.requestMetrics.list(b, '2031-05-01T10:02:00.000Z')).toHaveLength(1);
      expect(await store.requestMetrics.purgeBefore(b)).toBeGreaterThanOrEqual(1);
      expect(await store.requestMetrics.list(a, '2031-05-01T10:02:00.000Z')).toEqual([minute(b, 1, [0, 0, 1])]);
    });
  });
}

const sqliteDir = mkdtempSync(path.join(tmpdir(), 'aa-admin-stores-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));
defineAdminStoreContract('sqlite', async () => openSqliteStore(sqliteDir));

const uri = process.env.MONGODB_URI;
// Never the configured database: this run creates its own and drops it.
const mongoDb = `aa_test_${randomBytes(6).toString('hex')}`;
describe.skipIf(!uri)('mongodb', () => {
  afterAll(async () => {
    const client = new MongoClient(uri!);
    try {
      await client.db(mongoDb).dropDatabase();
    } finally {
      await client.close();
    }
  });
  defineAdminStoreContract('mongodb', () =>
    openMongoStore(
      {
        uri: uri ?? null, db: mongoDb, maxPoolSize: 5, minPoolSize: 0, maxIdleTimeMS: 60_000, serverSelectionTimeoutMS: 5_000,
        connectTimeoutMS: 10_000, socketTimeoutMS: 30_000, retryWrites: true,
      },
      () => {},
    ),
  );
});
