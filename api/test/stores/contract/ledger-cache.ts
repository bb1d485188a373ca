import { describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/ids.js';
import { decideJobCreate } from '../../../src/services/job-rules.js';
import { recordMeteredCall } from '../../../src/services/metering-rules.js';
import type { LedgerRecord } from '../../../src/stores/engine-types.js';
import { cacheRecord, future, jobRecord, ledgerRecord, quota } from './engine-fixtures.js';
import { time, useStore, type StoreFactory } from './fixtures.js';

export function ledgerContract(open: StoreFactory): void {
  describe('ledger', () => {
    const store = useStore(open);

    it('records a call and lowers its job’s reservation by the tokens used, never below zero', async () => {
      const job = jobRecord();
      expect((await store().jobs.create(job, quota(100, null, null), decideJobCreate(job, quota(100, null, null)))).outcome).toBe('created');
      const reserved = async () => (await store().jobs.get(job.userId, job.id))?.reservedTokens;
      await recordMeteredCall(store(), ledgerRecord(job.userId, { jobId: job.id, bookId: job.bookId, inputTokens: 30, outputTokens: 10 }));
      expect(await reserved()).toBe(60);
      // A cache hit uses no tokens and releases nothing.
      await recordMeteredCall(store(), ledgerRecord(job.userId, { jobId: job.id, inputTokens: 0, outputTokens: 0, cached: true }));
      expect(await reserved()).toBe(60);
      await recordMeteredCall(store(), ledgerRecord(job.userId, { jobId: job.id, inputTokens: 50, outputTokens: 50 }));
      expect(await reserved()).toBe(0);
      expect(await store().ledger.listByUser(job.userId, 10)).toHaveLength(3);
      // A call of no job, or of a job that is gone, is still recorded.
      await recordMeteredCall(store(), ledgerRecord(job.userId, { jobId: newId('job') }));
      expect(await store().ledger.listByUser(job.userId, 10)).toHaveLength(4);
    });

    it('lists the user’s calls newest first, limited', async () => {
      const userId = newId('user');
      const calls = [
        ledgerRecord(userId, { cached: true, inputTokens: 0, outputTokens: 0, costMicros: 0, outcome: 'cache_hit' }),
        ledgerRecord(userId, { bookId: newId('book'), jobId: newId('job'), operation: 'toc.generate', costMicros: 3_000_000_000, latencyMs: 0 }),
        ledgerRecord(userId, { outcome: 'error', provider: 'offline', model: 'offline-1' }),
      ];
      for (const call of calls) await store().ledger.record(call);
      await store().ledger.record(ledgerRecord(newId('user')));
      expect(await store().ledger.listByUser(userId, 10)).toEqual([...calls].reverse());
      expect(await store().ledger.listByUser(userId, 2)).toEqual([calls[2], calls[1]]);
      expect(await store().ledger.listByUser(newId('user'), 10)).toEqual([]);
    });

    it('totals the user’s calls since an instant', async () => {
      const userId = newId('user');
      const since = time(1_000);
      await store().ledger.record(ledgerRecord(userId, { createdAt: time(999), inputTokens: 1_000 }));
      await store().ledger.record(ledgerRecord(userId, { createdAt: since, inputTokens: 10, outputTokens: 5, costMicros: 100 }));
      await store().ledger.record(ledgerRecord(userId, { createdAt: time(2_000), inputTokens: 20, outputTokens: 7, costMicros: 250 }));
      await store().ledger.record(ledgerRecord(userId, { createdAt: time(3_000), inputTokens: 0, outputTokens: 0, costMicros: 0, cached: true }));
      await store().ledger.record(ledgerRecord(newId('user'), { createdAt: time(2_000), inputTokens: 5_000 }));
      expect(await store().ledger.totals(userId, since)).toEqual({ calls: 3, cachedCalls: 1, inputTokens: 30, outputTokens: 12, costMicros: 350 });
      expect(await store().ledger.totals(newId('user'), since)).toEqual({ calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 });
    });

    it('purges rows recorded before the instant, a limited number at a time, except those of a job in a kept status', async () => {
      // Dated 2001, before every other test's rows (which share the database), so the counts are this test's own.
      const at = (seconds: number) => time(seconds, 2001);
      const cutoff = at(1_000);
      const userId = newId('user');
      const job = async (status: 'queued' | 'running' | 'succeeded') => {
        const record = jobRecord({ userId, createdAt: at(0), updatedAt: at(0) });
        await store().jobs.create(record, null, decideJobCreate(record, null));
        if (status !== 'queued') await store().jobs.transition(record.id, { statuses: ['queued'] }, { status }, 'progress', at(5));
        return record.id;
      };
      const [queued, running, succeeded] = [await job('queued'), await job('running'), await job('succeeded')];
      const row = (createdAt: string, jobId: string | null = null) => ledgerRecord(userId, { createdAt, jobId });
      const gone = [row(at(10)), row(at(999)), row(at(500), succeeded), row(at(20), newId('job'))]; // the last one's job is gone
      const kept = [
        row(cutoff), // not before the instant
        row(at(1_001)),
        row(at(10), queued),
        row(at(10), running),
      ];
      for (const entry of [...gone, ...kept]) await store().ledger.record(entry);
      const query = { createdBefore: cutoff, keepJobStatuses: ['queued', 'running'] as const };
      expect(await store().ledger.purge({ ...query, limit: 3 })).toBe(3);
      expect(await store().ledger.purge({ ...query, limit: 3 })).toBe(1);
      expect(await store().ledger.purge({ ...query, limit: 3 })).toBe(0);
      const byId = (rows: LedgerRecord[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(await store().ledger.listByUser(userId, 100))).toEqual(byId(kept));
      // The kept statuses are the caller's: asked for none, the old rows of active jobs go too.
      expect(await store().ledger.purge({ createdBefore: cutoff, keepJobStatuses: [], limit: 100 })).toBe(2);
      expect(byId(await store().ledger.listByUser(userId, 100))).toEqual(byId(kept.slice(0, 2)));
    });
  });
}

export function aiCacheContract(open: StoreFactory): void {
  describe('AI cache', () => {
    const store = useStore(open);

    it('returns a stored answer until it expires, and replaces it on a second put', async () => {
      const userId = newId('user');
      const record = cacheRecord(userId);
      await store().aiCache.put(record);
      expect(await store().aiCache.get(record.key, future(10))).toEqual(record);
      expect(await store().aiCache.get(record.key, future(3_599))).toEqual(record);
      expect(await store().aiCache.get(record.key, future(3_600))).toBeNull();
      expect(await store().aiCache.get(`${record.key}-other`, future(10))).toBeNull();

      const renewed = { ...record, value: '{"output":"two"}', bytes: 16, createdAt: future(4_000), expiresAt: future(8_000) };
      await store().aiCache.put(renewed);
      expect(await store().aiCache.get(record.key, future(4_001))).toEqual(renewed);
    });

    it('purges one user’s answers, and only theirs', async () => {
      const userId = newId('user');
      const mine = [cacheRecord(userId), cacheRecord(userId, { expiresAt: future(1) })];
      const theirs = cacheRecord(newId('user'));
      for (const record of [...mine, theirs]) await store().aiCache.put(record);
      expect(await store().aiCache.purgeUser(userId)).toBe(2);
      expect(await store().aiCache.get(mine[0]!.key, future(0))).toBeNull();
      expect(await store().aiCache.get(theirs.key, future(0))).toEqual(theirs);
      expect(await store().aiCache.purgeUser(userId)).toBe(0);
    });

    it('purges expired answers and keeps the live ones', async () => {
      const userId = newId('user');
      const expired = cacheRecord(userId, { expiresAt: future(100) });
      const expiringNow = cacheRecord(userId, { expiresAt: future(200) });
      const live = cacheRecord(userId, { expiresAt: future(201) });
      for (const record of [expired, expiringNow, live]) await store().aiCache.put(record);
      // Other tests' rows may expire by then too: they count, these are checked one by one.
      expect(await store().aiCache.purgeExpired(future(200))).toBeGreaterThanOrEqual(2);
      expect(await store().aiCache.get(live.key, future(0))).toEqual(live);
      expect(await store().aiCache.purgeUser(userId)).toBe(1);
    });
  });
}
