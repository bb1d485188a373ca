import { describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/ids.js';
import { decideJobCreate } from '../../../src/services/job-rules.js';
import type { JobRecord, QuotaCheck } from '../../../src/stores/engine-types.js';
import { DAY_START, jobRecord, ledgerRecord, MONTH_START, quota } from './engine-fixtures.js';
import { time, useStore, type StoreFactory } from './fixtures.js';
import type { Store } from '../../../src/stores/types.js';

/** Creates the job under the service's rules (one active job per target, quota). */
const create = (store: Store, job: JobRecord, check: QuotaCheck | null) => store.jobs.create(job, check, decideJobCreate(job, check));

/** Creates the job with the quota check and expects it created; returns it as stored. */
async function givenJob(store: Store, job: JobRecord, check = quota(0, null, null)): Promise<JobRecord> {
  const result = await create(store, job, check);
  expect(result).toEqual({ outcome: 'created', job: { ...job, reservedTokens: check.reserveTokens, seq: 1 } });
  return { ...job, reservedTokens: check.reserveTokens, seq: 1 };
}

export function jobsContract(open: StoreFactory): void {
  describe('jobs', () => {
    const store = useStore(open);
    const activeIds = async (userId: string) => (await store().jobs.list(userId, { bookId: null, active: true, limit: 100 })).map((j) => j.id);
    const end = (job: JobRecord, status: JobRecord['status'], at = time(5)) =>
      store().jobs.transition(job.id, { statuses: ['queued', 'running'] }, { status, leaseUntil: null, reservedTokens: 0 }, 'result', at);

    it('creates a job holding its reservation, with its first event, readable by its owner only', async () => {
      const job = await givenJob(store(), jobRecord({ reservedTokens: 999, chapterId: 'ch_A', params: { nested: { ok: true }, n: 1 } }), quota(100, 1_000, 10_000));
      expect(job.reservedTokens).toBe(100);
      expect(await store().jobs.get(job.userId, job.id)).toEqual(job);
      expect(await store().jobs.getById(job.id)).toEqual(job);
      expect(await store().jobs.get(newId('user'), job.id)).toBeNull();
      expect(await store().jobs.events(job.id, 0)).toEqual([{ jobId: job.id, seq: 1, type: 'progress', job, createdAt: job.createdAt }]);
      // Without a quota check nothing is reserved.
      const free = jobRecord({ reservedTokens: 50 });
      expect(await create(store(), free, null)).toEqual({ outcome: 'created', job: { ...free, reservedTokens: 0 } });
    });

    it('returns the active job of the same (user, kind, target): existing for the same params, job_active for others', async () => {
      const first = await givenJob(store(), jobRecord());
      const again = { ...first, id: newId('job') };
      expect(await create(store(), again, null)).toEqual({ outcome: 'existing', job: first });
      expect(await create(store(), { ...again, paramsHash: 'params-b' }, quota(10, 100, 100))).toEqual({ outcome: 'job_active', job: first });
      expect(await activeIds(first.userId)).toEqual([first.id]);

      // Another kind, or another user, on the same target is a different slot.
      const otherKind = await givenJob(store(), jobRecord({ userId: first.userId, targetId: first.targetId, kind: 'questions.generate' }));
      await givenJob(store(), jobRecord({ targetId: first.targetId }));
      // Once the job ended, the slot is free again.
      await end(first, 'succeeded');
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
      await end(ended, 'failed', time(1));
      expect(await store().jobs.quotaUse(userId, DAY_START, MONTH_START)).toEqual({ dayUsed: 200, monthUsed: 500, reserved: 100 });

      const job = jobRecord({ userId });
      expect(await create(store(), job, quota(50, 349, null))).toEqual({ outcome: 'quota', window: 'daily', limit: 349, used: 300 });
      expect(await create(store(), job, quota(50, 350, 649))).toEqual({ outcome: 'quota', window: 'monthly', limit: 649, used: 600 });
      expect(await activeIds(userId)).toEqual([holding.id]);
      await givenJob(store(), job, quota(50, 350, 650));
      // Nothing to reserve is never refused.
      await givenJob(store(), jobRecord({ userId }), quota(0, 0, 0));
      expect(await store().jobs.quotaUse(userId, DAY_START, MONTH_START)).toEqual({ dayUsed: 200, monthUsed: 500, reserved: 150 });
    });

    it('creates exactly as many of concurrent jobs as the quota allows', async () => {
      const userId = newId('user');
      const jobs = Array.from({ length: 20 }, () => jobRecord({ userId }));
      const results = await Promise.all(jobs.map((job) => create(store(), job, quota(100, 500, null))));
      expect(results.filter((result) => result.outcome === 'created')).toHaveLength(5);
      expect(results.filter((result) => result.outcome === 'quota')).toHaveLength(15);
      expect(await activeIds(userId)).toHaveLength(5);
      expect(await store().jobs.quotaUse(userId, DAY_START, MONTH_START)).toEqual({ dayUsed: 0, monthUsed: 0, reserved: 500 });
    });

    it('transitions under a status guard: each one a numbered event; a final status is never overwritten', async () => {
      const job = await givenJob(store(), jobRecord(), quota(80, null, null));
      const running = await store().jobs.transition(job.id, { statuses: ['queued'] }, { status: 'running', progress: 40, stage: 'drafting', leaseUntil: time(90) }, 'progress', time(30));
      expect(running).toEqual({ ...job, status: 'running', progress: 40, stage: 'drafting', leaseUntil: time(90), seq: 2, updatedAt: time(30) });
      // The same start again (another runner) finds the status moved on: nothing written.
      expect(await store().jobs.transition(job.id, { statuses: ['queued'] }, { status: 'running' }, 'progress', time(31))).toBeNull();
      const result = { draftId: 'dr_1', words: 1_200, nested: { ok: true } };
      const done = await store().jobs.transition(job.id, { statuses: ['running'] }, { status: 'succeeded', progress: 100, result, leaseUntil: null, reservedTokens: 0 }, 'result', time(40));
      expect(done).toEqual({ ...running, status: 'succeeded', progress: 100, result, leaseUntil: null, reservedTokens: 0, seq: 3, updatedAt: time(40) });
      const error = { code: 'JOB_CANCELLED', message: 'Été', retryable: true };
      expect(await store().jobs.transition(job.id, { statuses: ['queued', 'running'] }, { status: 'cancelled', error }, 'error', time(41))).toBeNull();
      expect(await store().jobs.get(job.userId, job.id)).toEqual(done);
      expect(await store().jobs.transition(newId('job'), { statuses: ['queued'] }, { progress: 1 }, 'progress', time(42))).toBeNull();

      const events = await store().jobs.events(job.id, 0);
      expect(events.map((e) => [e.seq, e.type, e.job.status])).toEqual([[1, 'progress', 'queued'], [2, 'progress', 'running'], [3, 'result', 'succeeded']]);
      expect(events[2]!.job).toEqual(done);
      expect((await store().jobs.events(job.id, 1)).map((e) => e.seq)).toEqual([2, 3]);
      expect(await store().jobs.events(job.id, 3)).toEqual([]);
    });

    it('starts a job only while its user has fewer running than the limit', async () => {
      const userId = newId('user');
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => givenJob(store(), jobRecord({ userId }))));
      const start = (job: JobRecord) => store().jobs.transition(job.id, { statuses: ['queued'], runningPerUserBelow: 2 }, { status: 'running' }, 'progress', time(2));
      const started = await Promise.all([a!, b!, c!].map(start));
      expect(started.filter(Boolean)).toHaveLength(2);
      const waiting = [a!, b!, c!][started.findIndex((job) => job === null)]!;
      await end([a!, b!, c!][started.findIndex((job) => job !== null)]!, 'succeeded');
      expect(await start(waiting)).toMatchObject({ status: 'running' });
    });

    it('renews leases of active jobs, and flags a cancel request on them only', async () => {
      const job = await givenJob(store(), jobRecord());
      expect(await store().jobs.renewLease(job.id, time(500))).toMatchObject({ leaseUntil: time(500), seq: 1, updatedAt: job.updatedAt });
      expect(await store().jobs.requestCancel(newId('user'), job.id)).toBeNull();
      expect(await store().jobs.requestCancel(job.userId, job.id)).toMatchObject({ cancelRequested: true, status: 'queued', seq: 1 });
      const other = await givenJob(store(), jobRecord());
      await end(other, 'succeeded');
      expect(await store().jobs.requestCancel(other.userId, other.id)).toMatchObject({ cancelRequested: false, status: 'succeeded' });
      expect(await store().jobs.renewLease(other.id, time(500))).toBeNull();
    });

    it('lists the user’s jobs newest first, by book and active only, limited', async () => {
      const userId = newId('user');
      const bookId = newId('book');
      const a = await givenJob(store(), jobRecord({ userId, bookId }));
      const b = await givenJob(store(), jobRecord({ userId }));
      const c = await givenJob(store(), jobRecord({ userId, bookId }));
      await givenJob(store(), jobRecord({ bookId }));
      await end(c, 'cancelled', time(1));
      const ids = async (query: { bookId: string | null; active: boolean; limit: number }) => (await store().jobs.list(userId, query)).map((j) => j.id);
      expect(await ids({ bookId: null, active: false, limit: 10 })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ bookId: null, active: false, limit: 2 })).toEqual([c.id, b.id]);
      expect(await ids({ bookId, active: false, limit: 10 })).toEqual([c.id, a.id]);
      expect(await ids({ bookId, active: true, limit: 10 })).toEqual([a.id]);
      expect(await ids({ bookId: null, active: true, limit: 10 })).toEqual([b.id, a.id]);
      expect((await store().jobs.list(userId, { bookId: null, active: false, limit: 1 }))[0]).toMatchObject({ id: c.id, status: 'cancelled' });
    });

    it('finds active jobs whose lease expired or that never got one; a lease guard ends only those', async () => {
      const now = time(1_000);
      const userId = newId('user');
      const expired = await givenJob(store(), jobRecord({ userId }), quota(10, null, null));
      const never = await givenJob(store(), jobRecord({ userId }), quota(20, null, null));
      const leased = await givenJob(store(), jobRecord({ userId }), quota(30, null, null));
      const finished = await givenJob(store(), jobRecord({ userId }));
      await store().jobs.transition(expired.id, { statuses: ['queued'] }, { status: 'running', leaseUntil: time(999) }, 'progress', time(1));
      await store().jobs.transition(leased.id, { statuses: ['queued'] }, { status: 'running', leaseUntil: time(1_001) }, 'progress', time(1));
      await end(finished, 'succeeded');
      // The store may hold other tests' jobs too: they count, but these are checked one by one.
      const found = (await store().jobs.expired(now, 10_000)).map((job) => job.id);
      expect(found).toEqual(expect.arrayContaining([expired.id, never.id]));
      expect(found).not.toContain(leased.id);
      expect(found).not.toContain(finished.id);
      const error = { code: 'INTERNAL', message: 'Interrupted', retryable: true };
      const fail = (job: JobRecord) =>
        store().jobs.transition(job.id, { statuses: ['queued', 'running'], leaseExpiredBefore: now }, { status: 'failed', error, leaseUntil: null, reservedTokens: 0 }, 'error', now);
      for (const job of [expired, never]) expect(await fail(job)).toMatchObject({ status: 'failed', error, reservedTokens: 0, leaseUntil: null, updatedAt: now });
      expect(await fail(leased)).toBeNull();
      expect(await store().jobs.get(userId, leased.id)).toMatchObject({ status: 'running', error: null, reservedTokens: 30, leaseUntil: time(1_001) });
      expect(await store().jobs.quotaUse(userId, DAY_START, MONTH_START)).toMatchObject({ reserved: 30 });
    });

    it('purges jobs of the given statuses last changed before the instant, with their events, a limited number at a time', async () => {
      // Dated 2001, before every other test's jobs (which share the database), so the counts are this test's own.
      const at = (seconds: number) => time(seconds, 2001);
      const cutoff = at(1_000);
      const given = async (status: JobRecord['status'] | null, endedAt: string) => {
        const job = await givenJob(store(), jobRecord({ createdAt: at(0), updatedAt: at(0) }));
        if (status === 'running') await store().jobs.transition(job.id, { statuses: ['queued'] }, { status }, 'progress', endedAt);
        else if (status !== null) await end(job, status, endedAt);
        return job;
      };
      const gone = [await given('succeeded', at(10)), await given('failed', at(999)), await given('succeeded', at(500))];
      const kept = [
        await given('succeeded', cutoff), // not before the instant
        await given('failed', at(1_001)),
        await given('cancelled', at(10)), // a status not asked for
        await given('running', at(10)),
        await given(null, at(0)), // still queued
      ];
      const query = { statuses: ['succeeded', 'failed'] as const, updatedBefore: cutoff };
      expect(await store().jobs.purge({ ...query, limit: 2 })).toBe(2);
      expect(await store().jobs.purge({ ...query, limit: 2 })).toBe(1);
      expect(await store().jobs.purge({ ...query, limit: 2 })).toBe(0);
      for (const job of gone) {
        expect(await store().jobs.getById(job.id)).toBeNull();
        expect(await store().jobs.events(job.id, 0)).toEqual([]);
      }
      for (const job of kept) {
        expect(await store().jobs.getById(job.id)).not.toBeNull();
        expect((await store().jobs.events(job.id, 0)).length).toBeGreaterThanOrEqual(1);
      }
      // Asked for the other statuses too, the rest of the old ones go; the active ones never do unless asked for.
      expect(await store().jobs.purge({ statuses: ['succeeded', 'failed', 'cancelled'], updatedBefore: at(2_000), limit: 100 })).toBe(3);
      expect(await store().jobs.purge({ statuses: [], updatedBefore: at(2_000), limit: 100 })).toBe(0);
      expect((await Promise.all(kept.map((job) => store().jobs.getById(job.id)))).map((job) => job?.status ?? null)).toEqual([null, null, null, 'running', 'queued']);
    });
  });
}
