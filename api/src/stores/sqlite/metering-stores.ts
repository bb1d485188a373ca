import type { CacheRecord, CacheStore, JobRecord, JobsStore, LedgerRecord, LedgerStore } from '../engine-types.js';
import { insert, jsonIn, jsonOut, setClause, statementCache, type Db, writeTransaction } from './helpers.js';

const J_JSON = ['result', 'error'] as const;
const ACTIVE = "status IN ('queued', 'running')";

type LedgerRow = Omit<LedgerRecord, 'cached'> & { cached: number };
const ledgerIn = (row: LedgerRow): LedgerRecord => ({ ...row, cached: row.cached === 1 });

export function createSqliteJobsStore(db: Db): JobsStore {
  const prepare = statementCache(db);
  const read = (id: string) => jsonIn<JobRecord | undefined>(prepare('SELECT * FROM jobs WHERE id = ?').get(id), J_JSON) ?? null;

  const quotaUse = (userId: string, dayStart: string, monthStart: string) => {
    const tokens = (since: string) =>
      (prepare('SELECT COALESCE(SUM(inputTokens + outputTokens), 0) AS n FROM ledger WHERE userId = ? AND createdAt >= ?').get(userId, since) as {
        n: number;
      }).n;
    const reserved = (prepare(`SELECT COALESCE(SUM(reservedTokens), 0) AS n FROM jobs WHERE userId = ? AND ${ACTIVE}`).get(userId) as { n: number }).n;
    return { dayUsed: tokens(dayStart), monthUsed: tokens(monthStart), reserved };
  };

  const createTx = writeTransaction(db, (job: JobRecord, quota: Parameters<JobsStore['createWithReservation']>[1]) => {
    const active = jsonIn<JobRecord | undefined>(
      prepare(`SELECT * FROM jobs WHERE userId = ? AND kind = ? AND targetId = ? AND ${ACTIVE} LIMIT 1`).get(job.userId, job.kind, job.targetId),
      J_JSON,
    );
    if (active) return { outcome: active.paramsHash === job.paramsHash ? ('existing' as const) : ('job_active' as const), job: active };
    if (quota && quota.reserveTokens > 0) {
      const use = quotaUse(job.userId, quota.dayStart, quota.monthStart);
      const checks = [
        ['daily', quota.dailyLimit, use.dayUsed] as const,
        ['monthly', quota.monthlyLimit, use.monthUsed] as const,
      ];
      for (const [window, limit, used] of checks) {
        if (limit !== null && used + use.reserved + quota.reserveTokens > limit) {
          return { outcome: 'quota' as const, window, limit, used: used + use.reserved };
        }
      }
    }
    insert(prepare, 'jobs', jsonOut({ ...job, reservedTokens: quota?.reserveTokens ?? 0 }, J_JSON));
    return { outcome: 'created' as const, job: read(job.id)! };
  });

  return {
    async createWithReservation(job, quota) {
      return createTx(job, quota);
    },
    async get(userId, jobId) {
      const job = read(jobId);
      return job && job.userId === userId ? job : null;
    },
    async list(userId, { bookId, active, limit }) {
      return prepare(
        `SELECT * FROM jobs WHERE userId = ? AND (? IS NULL OR bookId = ?) ${active ? `AND ${ACTIVE}` : ''} ORDER BY id DESC LIMIT ?`,
      )
        .all(userId, bookId, bookId, limit)
        .map((row) => jsonIn<JobRecord>(row, J_JSON));
    },
    async update(jobId, patch, at) {
      const set = setClause(jsonOut(patch as JobRecord, Object.keys(patch).filter((k) => k === 'result' || k === 'error') as Array<keyof JobRecord>));
      prepare(`UPDATE jobs SET ${set.sql}, updatedAt = ? WHERE id = ?`).run(...set.values, at, jobId);
      return read(jobId);
    },
    async failExpired(now, error) {
      return prepare(
        `UPDATE jobs SET status = 'failed', error = ?, reservedTokens = 0, leaseUntil = NULL, updatedAt = ?
         WHERE ${ACTIVE} AND (leaseUntil IS NULL OR leaseUntil < ?)`,
      ).run(JSON.stringify(error), now, now).changes;
    },
    async quotaUse(userId, dayStart, monthStart) {
      return quotaUse(userId, dayStart, monthStart);
    },
  };
}

export function createSqliteLedgerStore(db: Db): LedgerStore {
  const prepare = statementCache(db);
  const recordTx = writeTransaction(db, (entry: LedgerRecord) => {
    insert(prepare, 'ledger', { ...entry });
    const used = entry.inputTokens + entry.outputTokens;
    if (entry.jobId && used > 0) {
      prepare('UPDATE jobs SET reservedTokens = MAX(0, reservedTokens - ?) WHERE id = ?').run(used, entry.jobId);
    }
  });
  return {
    async record(entry) {
      recordTx(entry);
    },
    async listByUser(userId, limit) {
      return (prepare('SELECT * FROM ledger WHERE userId = ? ORDER BY id DESC LIMIT ?').all(userId, limit) as LedgerRow[]).map(ledgerIn);
    },
    async totals(userId, since) {
      return prepare(
        `SELECT COUNT(*) AS calls, COALESCE(SUM(cached), 0) AS cachedCalls, COALESCE(SUM(inputTokens), 0) AS inputTokens,
           COALESCE(SUM(outputTokens), 0) AS outputTokens, COALESCE(SUM(costMicros), 0) AS costMicros
         FROM ledger WHERE userId = ? AND createdAt >= ?`,
      ).get(userId, since) as Awaited<ReturnType<LedgerStore['totals']>>;
    },
  };
}

export function createSqliteCacheStore(db: Db): CacheStore {
  const prepare = statementCache(db);
  return {
    async get(key, now) {
      return (prepare('SELECT * FROM ai_cache WHERE key = ? AND expiresAt > ?').get(key, now) as CacheRecord | undefined) ?? null;
    },
    async put(record) {
      prepare('INSERT OR REPLACE INTO ai_cache (key, userId, value, bytes, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)').run(
        record.key, record.userId, record.value, record.bytes, record.createdAt, record.expiresAt,
      );
    },
    async purgeUser(userId) {
      return prepare('DELETE FROM ai_cache WHERE userId = ?').run(userId).changes;
    },
    async purgeExpired(now) {
      return prepare('DELETE FROM ai_cache WHERE expiresAt <= ?').run(now).changes;
    },
  };
}
