import type {
  CacheRecord, CacheStore, JobCreateResult, JobEventRecord, JobEventType, JobGuard, JobPartial, JobPatch, JobRecord, JobsStore, JobStatus, LedgerRecord,
  LedgerStore, QuotaUse,
} from '../engine-types.js';
import { insert, jsonIn, jsonOut, setClause, statementCache, type Db, writeTransaction } from './helpers.js';

const J_JSON = ['result', 'error', 'params'] as const;
const ACTIVE = "status IN ('queued', 'running')";

type LedgerRow = Omit<LedgerRecord, 'cached'> & { cached: number };
const ledgerIn = (row: LedgerRow): LedgerRecord => ({ ...row, cached: row.cached === 1 });
const jobIn = (row: unknown): JobRecord | null => {
  const job = jsonIn<(Omit<JobRecord, 'cancelRequested'> & { cancelRequested: number }) | undefined>(row, J_JSON);
  return job ? { ...job, cancelRequested: job.cancelRequested === 1 } : null;
};

export function createSqliteJobsStore(db: Db): JobsStore {
  const prepare = statementCache(db);
  const read = (id: string) => jobIn(prepare('SELECT * FROM jobs WHERE id = ?').get(id));
  const addEvent = (job: JobRecord, type: JobEventType, at: string, partial: JobPartial | null = null) =>
    prepare('INSERT INTO job_events (jobId, seq, type, job, createdAt) VALUES (?, ?, ?, ?, ?)').run(job.id, job.seq, type, JSON.stringify(partial ? { ...job, partial } : job), at);

  const quotaUse = (userId: string, dayStart: string, monthStart: string): QuotaUse => {
    const tokens = (since: string) =>
      (prepare('SELECT COALESCE(SUM(inputTokens + outputTokens), 0) AS n FROM ledger WHERE userId = ? AND createdAt >= ?').get(userId, since) as {
        n: number;
      }).n;
    const reserved = (prepare(`SELECT COALESCE(SUM(reservedTokens), 0) AS n FROM jobs WHERE userId = ? AND ${ACTIVE}`).get(userId) as { n: number }).n;
    return { dayUsed: tokens(dayStart), monthUsed: tokens(monthStart), reserved };
  };

  const createTx = writeTransaction(db, (job: JobRecord, windows: Parameters<JobsStore['create']>[1], decide: Parameters<JobsStore['create']>[2]): JobCreateResult => {
    const active = jobIn(prepare(`SELECT * FROM jobs WHERE userId = ? AND kind = ? AND targetId = ? AND ${ACTIVE} LIMIT 1`).get(job.userId, job.kind, job.targetId));
    const use = windows ? quotaUse(job.userId, windows.dayStart, windows.monthStart) : { dayUsed: 0, monthUsed: 0, reserved: 0 };
    const decision = decide({ active, use });
    if (decision.outcome !== 'create') return decision;
    const created: JobRecord = { ...job, reservedTokens: decision.reservedTokens, seq: 1 };
    insert(prepare, 'jobs', jsonOut(created, J_JSON));
    addEvent(created, 'progress', created.createdAt);
    return { outcome: 'created', job: read(job.id)! };
  });

  const transitionTx = writeTransaction(db, (jobId: string, guard: JobGuard, patch: JobPatch, type: JobEventType, at: string, partial: JobPartial | null) => {
    const set = setClause(jsonOut(patch as JobRecord, Object.keys(patch).filter((k) => k === 'result' || k === 'error') as Array<keyof JobRecord>));
    const where = [`id = ?`, `status IN (${guard.statuses.map(() => '?').join(', ')})`];
    const values: unknown[] = [jobId, ...guard.statuses];
    if (guard.leaseExpiredBefore !== undefined) {
      where.push('(leaseUntil IS NULL OR leaseUntil < ?)');
      values.push(guard.leaseExpiredBefore);
    }
    if (guard.runningPerUserBelow !== undefined) {
      where.push("(SELECT COUNT(*) FROM jobs AS other WHERE other.userId = jobs.userId AND other.status = 'running') < ?");
      values.push(guard.runningPerUserBelow);
    }
    const changed = prepare(`UPDATE jobs SET ${set.sql ? `${set.sql}, ` : ''}seq = seq + 1, updatedAt = ? WHERE ${where.join(' AND ')}`).run(...set.values, at, ...values).changes;
    if (changed === 0) return null;
    const job = read(jobId)!;
    addEvent(job, type, at, partial);
    return job;
  });

  const purgeTx = writeTransaction(db, (statuses: readonly JobStatus[], updatedBefore: string, limit: number) => {
    const ids = (
      prepare(`SELECT id FROM jobs WHERE status IN (${statuses.map(() => '?').join(', ')}) AND updatedAt < ? LIMIT ?`).all(...statuses, updatedBefore, limit) as Array<{ id: string }>
    ).map((row) => row.id);
    for (const id of ids) {
      prepare('DELETE FROM job_events WHERE jobId = ?').run(id);
      prepare('DELETE FROM jobs WHERE id = ?').run(id);
    }
    return ids.length;
  });

  return {
    async create(job, windows, decide) {
      return createTx(job, windows, decide);
    },
    async get(userId, jobId) {
      const job = read(jobId);
      return job && job.userId === userId ? job : null;
    },
    async getById(jobId) {
      return read(jobId);
    },
    async list(userId, { bookId, active, limit }) {
      return prepare(
        `SELECT * FROM jobs WHERE userId = ? AND (? IS NULL OR bookId = ?) ${active ? `AND ${ACTIVE}` : ''} ORDER BY id DESC LIMIT ?`,
      )
        .all(userId, bookId, bookId, limit)
        .map((row) => jobIn(row)!);
    },
    async transition(jobId, guard, patch, type, at, partial) {
      return transitionTx(jobId, guard, patch, type, at, partial ?? null);
    },
    async renewLease(jobId, leaseUntil) {
      const changed = prepare(`UPDATE jobs SET leaseUntil = ? WHERE id = ? AND ${ACTIVE}`).run(leaseUntil, jobId).changes;
      return changed === 0 ? null : read(jobId);
    },
    async requestCancel(userId, jobId) {
      prepare(`UPDATE jobs SET cancelRequested = 1 WHERE id = ? AND userId = ? AND ${ACTIVE}`).run(jobId, userId);
      const job = read(jobId);
      return job && job.userId === userId ? job : null;
    },
    async expired(now, limit) {
      return prepare(`SELECT * FROM jobs WHERE ${ACTIVE} AND (leaseUntil IS NULL OR leaseUntil < ?) ORDER BY id LIMIT ?`)
        .all(now, limit)
        .map((row) => jobIn(row)!);
    },
    async events(jobId, afterSeq) {
      const rows = prepare('SELECT * FROM job_events WHERE jobId = ? AND seq > ? ORDER BY seq').all(jobId, afterSeq) as Array<Omit<JobEventRecord, 'job'> & { job: string }>;
      return rows.map((row) => ({ ...row, job: JSON.parse(row.job) as JobRecord }));
    },
    async setReservedTokens(jobId, tokens) {
      prepare('UPDATE jobs SET reservedTokens = ? WHERE id = ?').run(tokens, jobId);
    },
    async quotaUse(userId, dayStart, monthStart) {
      return quotaUse(userId, dayStart, monthStart);
    },
    async purge({ statuses, updatedBefore, limit }) {
      return purgeTx(statuses, updatedBefore, limit);
    },
  };
}

export function createSqliteLedgerStore(db: Db): LedgerStore {
  const prepare = statementCache(db);
  return {
    async record(entry) {
      insert(prepare, 'ledger', { ...entry });
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
    async purge({ createdBefore, keepJobStatuses, limit }) {
      // One statement, so one transaction; ledger_time finds the old rows, the jobs' primary key their job.
      const kept = keepJobStatuses.map(() => '?').join(', ');
      return prepare(
        `DELETE FROM ledger WHERE id IN (
           SELECT id FROM ledger WHERE createdAt < ?
             AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = ledger.jobId AND jobs.status IN (${kept}))
           LIMIT ?)`,
      ).run(createdBefore, ...keepJobStatuses, limit).changes;
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
