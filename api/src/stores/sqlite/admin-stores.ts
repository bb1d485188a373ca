import type { AdminLedgerStore, LedgerFilter, LedgerSums, RequestMetricsStore, RequestMinute } from '../admin-types.js';
import type { LedgerRecord } from '../engine-types.js';
import { statementCache, type Db, writeTransaction } from './helpers.js';

type LedgerRow = Omit<LedgerRecord, 'cached'> & { cached: number };

const SUMS = `COUNT(*) AS calls, COALESCE(SUM(cached), 0) AS cachedCalls, COALESCE(SUM(inputTokens), 0) AS inputTokens,
  COALESCE(SUM(outputTokens), 0) AS outputTokens, COALESCE(SUM(costMicros), 0) AS costMicros`;

/** Group keys as SQL expressions over the ledger's columns. */
const GROUP_KEY = { day: 'substr(createdAt, 1, 10)', user: 'userId', operation: 'operation', model: 'model' } as const;

/** `WHERE …` for a ledger filter (always valid: `1 = 1` when nothing is set) and its parameters. */
function where(filter: LedgerFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = ['1 = 1'];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    clauses.push(sql);
    params.push(value);
  };
  if (filter.from !== null) add('createdAt >= ?', filter.from);
  if (filter.to !== null) add('createdAt < ?', filter.to);
  if (filter.userId !== null) add('userId = ?', filter.userId);
  if (filter.operation !== null) add('operation = ?', filter.operation);
  if (filter.model !== null) add('model = ?', filter.model);
  if (filter.outcome !== null) add('outcome = ?', filter.outcome);
  return { sql: `WHERE ${clauses.join(' AND ')}`, params };
}

export function createSqliteAdminLedgerStore(db: Db): AdminLedgerStore {
  const prepare = statementCache(db);
  return {
    async list(filter, { limit, beforeId }) {
      const w = where(filter);
      const paging = beforeId === null ? '' : ' AND id < ?';
      const rows = prepare(`SELECT * FROM ledger ${w.sql}${paging} ORDER BY id DESC LIMIT ?`).all(
        ...w.params, ...(beforeId === null ? [] : [beforeId]), limit,
      ) as LedgerRow[];
      return rows.map((row) => ({ ...row, cached: row.cached === 1 }));
    },
    async totals(filter) {
      const w = where(filter);
      return prepare(`SELECT ${SUMS} FROM ledger ${w.sql}`).get(...w.params) as LedgerSums;
    },
    async groups(filter, groupBy, limit) {
      const w = where(filter);
      // Aggregates spelled out: inside an expression, a bare column name would mean one row's value, not the alias.
      const order = groupBy === 'day' ? 'key ASC' : 'SUM(inputTokens) + SUM(outputTokens) DESC, COUNT(*) DESC, key ASC';
      return prepare(`SELECT ${GROUP_KEY[groupBy]} AS key, ${SUMS} FROM ledger ${w.sql} GROUP BY key ORDER BY ${order} LIMIT ?`).all(
        ...w.params, limit,
      ) as Array<LedgerSums & { key: string }>;
    },
    async series({ from, to, stepMs }) {
      // Whole seconds suffice: buckets are minutes or longer and start on whole seconds. Parameters bind as REAL,
      // so they are cast for an integer division.
      const fromS = Math.floor(Date.parse(from) / 1000);
      const stepS = Math.round(stepMs / 1000);
      return prepare(
        `SELECT (CAST(strftime('%s', createdAt) AS INTEGER) - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS bucket, ${SUMS}
         FROM ledger WHERE createdAt >= ? AND createdAt < ? GROUP BY bucket ORDER BY bucket`,
      ).all(fromS, stepS, from, to) as Array<LedgerSums & { bucket: number }>;
    },
  };
}

type MinuteRow = Omit<RequestMinute, 'latencyBuckets'> & { latencyBuckets: string };

/** Adds two latency histograms bucket by bucket (they may differ in length if the bounds ever grow). */
function addBuckets(a: number[], b: number[]): number[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => (a[i] ?? 0) + (b[i] ?? 0));
}

export function createSqliteRequestMetricsStore(db: Db): RequestMetricsStore {
  const prepare = statementCache(db);
  const read = (row: MinuteRow): RequestMinute => ({ ...row, latencyBuckets: JSON.parse(row.latencyBuckets) as number[] });
  // Read-modify-write inside one transaction: SQLite's write lock makes concurrent flushes add up.
  const addTx = writeTransaction(db, (minutes: RequestMinute[]) => {
    for (const m of minutes) {
      const existing = prepare('SELECT * FROM request_metrics WHERE minute = ?').get(m.minute) as MinuteRow | undefined;
      const buckets = existing ? addBuckets(JSON.parse(existing.latencyBuckets) as number[], m.latencyBuckets) : m.latencyBuckets;
      prepare(
        `INSERT INTO request_metrics (minute, requests, clientErrors, serverErrors, quota429, rateLimited429, latencyTotalMs, latencyBuckets)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(minute) DO UPDATE SET requests = requests + excluded.requests, clientErrors = clientErrors + excluded.clientErrors,
           serverErrors = serverErrors + excluded.serverErrors, quota429 = quota429 + excluded.quota429,
           rateLimited429 = rateLimited429 + excluded.rateLimited429, latencyTotalMs = latencyTotalMs + excluded.latencyTotalMs,
           latencyBuckets = ?`,
      ).run(
        m.minute, m.requests, m.clientErrors, m.serverErrors, m.quota429, m.rateLimited429, m.latencyTotalMs,
        JSON.stringify(m.latencyBuckets), JSON.stringify(buckets),
      );
    }
  });
  return {
    async add(minutes) {
      addTx(minutes);
    },
    async list(from, to) {
      return (prepare('SELECT * FROM request_metrics WHERE minute >= ? AND minute < ? ORDER BY minute').all(from, to) as MinuteRow[]).map(read);
    },
    async purgeBefore(cutoff) {
      return prepare('DELETE FROM request_metrics WHERE minute < ?').run(cutoff).changes;
    },
  };
}
