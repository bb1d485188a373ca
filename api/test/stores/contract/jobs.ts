import { describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/ids.js';
import type { JobRecord } from '../../../src/stores/engine-types.js';
import { DAY_START, jobRecord, ledgerRecord, MONTH_START, quota } from './engine-fixtures.js';
import { time, useStore, type FullStore, type StoreFactory } from './fixtures.js';

/** Creates the job with the quota check and expects it created; returns it as stored. */
async function givenJob(store: FullStore, job: JobRecord, check = quota(0, null, null)): Promise<JobRecord> {
  const result = await store.jobs.createWithReservation(job, check);
  expect(result).toEqual({ outcome: 'created', job: { ...job, reservedTokens: check.reserveTokens } });
  return { ...job, reservedTokens: check.reserveTokens };
}

export function jobsContract(open: StoreFactory): void {
  describe('jobs', () => {
    const store = useStore(open);
    const activeIds = async (userId: string) => (await store().jobs.list(userId, { bookId: null, active: true, limit: 100 })).map((j) => j.id);

    it('creates a job holding its reservation, readable by its owner only', async () => {
      const job = await givenJob(store(), jobRecord({ reservedTokens: 999, chapterId: 'ch_A' }), quota(100, 1_000, 10_000));
      expect(job.reservedTokens).toBe(100);
      expect(await store().jobs.get(job.userId, job.id)).toEqual(job);
      expect(await store().jobs.get(newId('user'), job.id)).toBeNull();
      // Without a quota check nothing is reserved.
      const free = jobRecord({ reservedTokens: 50 });
      expect(await store().jobs.createWithReservation(free, null)).toEqual({ outcome: 'created', job: { ...free, reservedTokens: 0 } });
    });

    it('returns the active job of the same (user, kind, target): existing for the same params, job_active for others', async () => {
      const first = await givenJob(store(), jobRecord());
      const again = { ...first, id: newId('job') };
      expect(await store().jobs.createWithReservation(again, null)).toEqual({ outcome: 'existing', job: first });
      expect(await store().jobs.createWithReservation({ ...again, paramsHash: 'params-b' }, quota(10, 100, 100))).toEqual({ outcome: 'job_active', job: first });
      expect(await activeIds(first.userId)).toEqual([first.id]);

      // Another kind, or another user, on the same target is a different slot.
      const otherKind = await givenJob(store(), jobRecord({ userId: first.userId, targetId: first.targetId, kind: 'questions.generate' }));
      await givenJob(store(), jobRecord({ targetId: first.targetId }));
      // Once the job ended, the slot is free again.
      await store().jobs.update(first.id, { status: 'succeeded', progress: 100 }, time(5));
      const next = await givenJob(store(), { ...again, id: newId('job'), paramsHash: 'params-b' });
      expect(await activeIds(first.userId)).toEqual([next.id, otherKind.id]);
    });

    it('refuses a reservation over the daily or monthly quota, counting the ledger and active reservations only', async () => {
      const userId = newId('user');
      await store().ledger.record(ledgerRecord(userId, { inputTokens: 900, outputTokens: 100, createdAt: time(-60) })); // last year
      await store().ledger.record(ledgerRecord(userId, { inputTokens: 200, outputTokens: 100, createdAt: time(100) })); // this month
      await store().ledger.record(ledgerRecord(userId, { inputTokens: 150, outputTokens: 50, createdAt: DAY_START })); // today
      await store().ledger.record(ledgerRecord(newId('user'), { inputTokens: 5_000, createdAt: DAY_START }));
      const holding = await givenJob(store(), jobRecord({ userId }), quota(100, null, null));
      const ended = await givenJob(store(), jobRecord({ userId }), quota(500, null, null));
      await store().jobs.update(ended.id, { status: 'failed' }, time(1));
      expect(await store().jobs.quotaUse(userId, DAY_START, MONTH_START)).toEqual({ dayUsed: 200, monthUsed: 500, reserved: 100 });

      const job = jobRecord({ userId });
      expect(await store().jobs.createWithReservation(job, quota(50, 349, null))).toEqual({ outcome: 'quota', window: 'daily', limit: 349, used: 300 });
      expect(await store().jobs.createWithReservation(job, quota(50, 350, 649))).toEqual({ outcome: 'quota', window: 'monthly', limit: 649, used: 600 });
      expect(await activeIds(userId)).toEqual([holding.id]);
      await givenJob(store(), job, quota(50, 350, 650));
      // Nothing to reserve is never refused.
      await givenJob(store(), jobRecord({ userId }), quota(0, 0, 0));
      expect(await store().jobs.quotaUse(userId, DAY_START, MONTH_START)).toEqual({ dayUsed: 200, monthUsed: 500, reserved: 150 });
    });

    it('creates exactly as many of concurrent jobs as the quota allows', async () => {
      const userId = newId('user');
      const jobs = Array.from({ length: 20 }, () => jobRecord({ userId }));
      const results = await Promise.all(jobs.map((job) => store().jobs.createWithReservation(job, quota(100, 500, null))));
      expect(results.filter((result) => result.outcome === 'created')).toHaveLength(5);
      expect(results.filter((result) => result.outcome === 'quota')).toHaveLength(15);
      expect(await activeIds(userId)).toHaveLength(5);
      expect(await store().jobs.quotaUse(userId, DAY_START, MONTH_START)).toEqual({ dayUsed: 0, monthUsed: 0, reserved: 500 });
    });

    it('updates a job: the patch applies, absent fields stay, updatedAt moves', async () => {
      const job = await givenJob(store(), jobRecord(), quota(80, null, null));
      const running = await store().jobs.update(job.id, { status: 'running', progress: 40, stage: 'drafting', leaseUntil: time(90), result: undefined }, time(30));
      expect(running).toEqual({ ...job, status: 'running', progress: 40, stage: 'drafting', leaseUntil: time(90), updatedAt: time(30) });
      const result = { draftId: 'dr_1', words: 1_200, nested: { ok: true } };
      const done = await store().jobs.update(job.id, { status: 'succeeded', progress: 100, result, leaseUntil: null, reservedTokens: 0 }, time(40));
      expect(done).toEqual({ ...running, status: 'succeeded', progress: 100, result, leaseUntil: null, reservedTokens: 0, updatedAt: time(40) });
      const error = { code: 'AI_UNAVAILABLE', message: 'Été', retryable: true };
      expect(await store().jobs.update(job.id, { error }, time(41))).toMatchObject({ error, result });
      expect(await store().jobs.get(job.userId, job.id)).toMatchObject({ error, result, updatedAt: time(41) });
      expect(await store().jobs.update(newId('job'), { progress: 1 }, time(42))).toBeNull();
    });

    it('lists the user’s jobs newest first, by book and active only, limited', async () => {
      const userId = newId('user');
      const bookId = newId('book');
      const a = await givenJob(store(), jobRecord({ userId, bookId }));
      const b = await givenJob(store(), jobRecord({ userId }));
      const c = await givenJob(store(), jobRecord({ userId, bookId }));
      await givenJob(store(), jobRecord({ bookId }));
      await store().jobs.update(c.id, { status: 'cancelled' }, time(1));
      const ids = async (query: { bookId: string | null; active: boolean; limit: number }) => (await store().jobs.list(userId, query)).map((j) => j.id);
      expect(await ids({ bookId: null, active: false, limit: 10 })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ bookId: null, active: false, limit: 2 })).toEqual([c.id, b.id]);
      expect(await ids({ bookId, active: false, limit: 10 })).toEqual([c.id, a.id]);
      expect(await ids({ bookId, active: true, limit: 10 })).toEqual([a.id]);
      expect(await ids({ bookId: null, active: true, limit: 10 })).toEqual([b.id, a.id]);
      expect((await store().jobs.list(userId, { bookId: null, active: false, limit: 1 }))[0]).toMatchObject({ id: c.id, status: 'cancelled' });
    });

    it('fails only active jobs whose lease expired or that never got one, releasing their reservations', async () => {
      const now = time(1_000);
      const userId = newId('user');
      const expired = await givenJob(store(), jobRecord({ userId }), quota(10, null, null));
      const never = await givenJob(store(), jobRecord({ userId }), quota(20, null, null));
      const leased = await givenJob(store(), jobRecord({ userId }), quota(30, null, null));
      const finished = await givenJob(store(), jobRecord({ userId }));
      await store().jobs.update(expired.id, { status: 'running', leaseUntil: time(999) }, time(1));
      await store().jobs.update(leased.id, { status: 'running', leaseUntil: time(1_001) }, time(1));
      await store().jobs.update(finished.id, { status: 'succeeded', leaseUntil: time(5) }, time(1));
      const error = { code: 'INTERNAL', message: 'Interrupted', retryable: true };
      // The store may hold other tests' jobs too: they count, but these are checked one by one.
      expect(await store().jobs.failExpired(now, error)).toBeGreaterThanOrEqual(2);
      for (const job of [expired, never]) {
        expect(await store().jobs.get(userId, job.id)).toMatchObject({ status: 'failed', error, reservedTokens: 0, leaseUntil: null, updatedAt: now });
      }
      expect(await store().jobs.get(userId, leased.id)).toMatchObject({ status: 'running', error: null, reservedTokens: 30, leaseUntil: time(1_001) });
      expect(await store().jobs.get(userId, finished.id)).toMatchObject({ status: 'succeeded', error: null, leaseUntil: time(5) });
      expect(await store().jobs.quotaUse(userId, DAY_START, MONTH_START)).toMatchObject({ reserved: 30 });
    });
  });
}
