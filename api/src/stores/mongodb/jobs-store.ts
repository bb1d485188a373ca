import type { ClientSession } from 'mongodb';
import type { JobCreateResult, JobEventRecord, JobRecord, JobsStore, JobStatus, QuotaUse } from '../engine-types.js';
import { asStored, fromDoc, fromDocOrNull, storedFields, toDoc, type Collections } from './collections.js';
import { definedOnly, rollback, withinTransaction, writeLock, type MongoContext } from './helpers.js';

/** Jobs that hold their (user, kind, target) slot and their token reservation. */
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['queued', 'running'];
const isActive = { status: { $in: [...ACTIVE_JOB_STATUSES] } };
const leaseExpired = (before: string) => ({ $or: [{ leaseUntil: null }, { leaseUntil: { $lt: before } }] });

/** Tokens the user's ledger counts since each window start, and tokens their active jobs still reserve. */
async function quotaUse({ ledger, jobs }: Collections, userId: string, dayStart: string, monthStart: string, session?: ClientSession): Promise<QuotaUse> {
  const since = dayStart < monthStart ? dayStart : monthStart;
  const tokens = { $add: ['$inputTokens', '$outputTokens'] };
  const sumSince = (start: string) => ({ $sum: { $cond: [{ $gte: ['$createdAt', start] }, tokens, 0] } });
  const [used] = await ledger
    .aggregate<{ dayUsed: number; monthUsed: number }>(
      [{ $match: { userId, createdAt: { $gte: since } } }, { $group: { _id: null, dayUsed: sumSince(dayStart), monthUsed: sumSince(monthStart) } }],
      { session },
    )
    .toArray();
  const [held] = await jobs
    .aggregate<{ reserved: number }>([{ $match: { userId, ...isActive } }, { $group: { _id: null, reserved: { $sum: '$reservedTokens' } } }], { session })
    .toArray();
  return { dayUsed: used?.dayUsed ?? 0, monthUsed: used?.monthUsed ?? 0, reserved: held?.reserved ?? 0 };
}

export function createMongoJobsStore(ctx: MongoContext): JobsStore {
  const { collections, session: outer } = ctx;
  const { jobs, jobEvents, locks } = collections;
  // Writing the user's lock row first makes concurrent job writes of one user conflict; the driver retries the
  // loser with a snapshot that holds the winner's write (so N creates against a quota allowing k create exactly k).
  const lockUser = (userId: string, session: ClientSession) => writeLock(locks, `jobs:${userId}`, session);
  const addEvent = (job: JobRecord, type: JobEventRecord['type'], at: string, session: ClientSession, partial: JobEventRecord['job']['partial'] = null) =>
    jobEvents.insertOne({ _id: `${job.id}:${job.seq}`, jobId: job.id, seq: job.seq, type, job: asStored(partial ? { ...job, partial } : job), createdAt: at }, { session });

  return {
    async create(job, windows, decide) {
      return withinTransaction<JobCreateResult>(ctx, async (session) => {
        await lockUser(job.userId, session);
        const activeDoc = await jobs.findOne({ userId: job.userId, kind: job.kind, targetId: job.targetId, ...isActive }, { session });
        const use = windows ? await quotaUse(collections, job.userId, windows.dayStart, windows.monthStart, session) : { dayUsed: 0, monthUsed: 0, reserved: 0 };
        const decision = decide({ active: activeDoc ? fromDoc<JobRecord>(activeDoc) : null, use });
        if (decision.outcome !== 'create') return rollback<JobCreateResult>(session, decision);
        const doc = toDoc<JobRecord>({ ...job, reservedTokens: decision.reservedTokens, seq: 1 });
        await jobs.insertOne(doc, { session });
        // The job as stored (and as SQLite reads it back), not as given.
        const created = fromDoc<JobRecord>(doc);
        await addEvent(created, 'progress', created.createdAt, session);
        return { outcome: 'created', job: created };
      });
    },
    async get(userId, jobId) {
      return fromDocOrNull<JobRecord>(await jobs.findOne({ _id: jobId, userId }, { session: outer }));
    },
    async getById(jobId) {
      return fromDocOrNull<JobRecord>(await jobs.findOne({ _id: jobId }, { session: outer }));
    },
    async list(userId, { bookId, active, limit }) {
      const docs = await jobs
        .find({ userId, ...(bookId === null ? {} : { bookId }), ...(active ? isActive : {}) }, { session: outer })
        .sort({ _id: -1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => fromDoc<JobRecord>(doc));
    },
    async transition(jobId, guard, patch, type, at, partial) {
      return withinTransaction<JobRecord | null>(ctx, async (session) => {
        const current = await jobs.findOne({ _id: jobId }, { session });
        if (!current) return null;
        if (guard.runningPerUserBelow !== undefined) {
          await lockUser(current.userId, session);
          const running = await jobs.countDocuments({ userId: current.userId, status: 'running' }, { session });
          if (running >= guard.runningPerUserBelow) return rollback<JobRecord | null>(session, null);
        }
        const filter = {
          _id: jobId, status: { $in: [...guard.statuses] }, ...(guard.leaseExpiredBefore === undefined ? {} : leaseExpired(guard.leaseExpiredBefore)),
        };
        const doc = await jobs.findOneAndUpdate(filter, { $set: { ...storedFields(definedOnly(patch)), updatedAt: at }, $inc: { seq: 1 } }, { returnDocument: 'after', session });
        if (!doc) return rollback<JobRecord | null>(session, null);
        const job = fromDoc<JobRecord>(doc);
        await addEvent(job, type, at, session, partial);
        return job;
      });
    },
    async renewLease(jobId, leaseUntil) {
      return fromDocOrNull<JobRecord>(await jobs.findOneAndUpdate({ _id: jobId, ...isActive }, { $set: { leaseUntil } }, { returnDocument: 'after', session: outer }));
    },
    async requestCancel(userId, jobId) {
      await jobs.updateOne({ _id: jobId, userId, ...isActive }, { $set: { cancelRequested: true } }, { session: outer });
      return fromDocOrNull<JobRecord>(await jobs.findOne({ _id: jobId, userId }, { session: outer }));
    },
    async expired(now, limit) {
      const docs = await jobs.find({ ...isActive, ...leaseExpired(now) }, { session: outer }).sort({ _id: 1 }).limit(limit).toArray();
      return docs.map((doc) => fromDoc<JobRecord>(doc));
    },
    async events(jobId, afterSeq) {
      const docs = await jobEvents.find({ jobId, seq: { $gt: afterSeq } }, { session: outer }).sort({ seq: 1 }).toArray();
      return docs.map(({ _id, ...event }) => event);
    },
    async setReservedTokens(jobId, tokens) {
      await jobs.updateOne({ _id: jobId }, { $set: { reservedTokens: tokens } }, { session: outer });
    },
    async quotaUse(userId, dayStart, monthStart) {
      return quotaUse(collections, userId, dayStart, monthStart, outer);
    },
    async purge({ statuses, updatedBefore, limit }) {
      if (limit < 1) return 0; // a MongoDB limit of 0 means none
      return withinTransaction<number>(ctx, async (session) => {
        const found = await jobs.find({ status: { $in: [...statuses] }, updatedAt: { $lt: updatedBefore } }, { projection: { _id: 1 }, session }).limit(limit).toArray();
        const ids = found.map((doc) => doc._id);
        if (ids.length === 0) return 0;
        await jobEvents.deleteMany({ jobId: { $in: ids } }, { session });
        return (await jobs.deleteMany({ _id: { $in: ids } }, { session })).deletedCount;
      });
    },
  };
}
