import type { ClientSession, MongoClient } from 'mongodb';
import type { JobCreateResult, JobRecord, JobsStore, JobStatus } from '../engine-types.js';
import { fromDoc, fromDocOrNull, toDoc, type Collections } from './collections.js';
import { definedOnly, inTransaction, rollback } from './helpers.js';

/** Jobs that hold their (user, kind, target) slot and their token reservation. */
export const ACTIVE_JOB_STATUSES: readonly JobStatus[] = ['queued', 'running'];
const isActive = { status: { $in: [...ACTIVE_JOB_STATUSES] } };

type QuotaUse = Awaited<ReturnType<JobsStore['quotaUse']>>;

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

export function createMongoJobsStore(client: MongoClient, collections: Collections): JobsStore {
  const { jobs, locks } = collections;
  return {
    async createWithReservation(job, quota) {
      return inTransaction<JobCreateResult>(client, async (session) => {
        // As for the book cap: writing the user's lock row first makes concurrent creates of one user conflict, and
        // the driver retries the loser with a snapshot that holds the winner's job, so N creates against a quota
        // allowing k create exactly k.
        await locks.updateOne({ _id: `jobs:${job.userId}` }, { $inc: { writes: 1 } }, { upsert: true, session });
        const activeDoc = await jobs.findOne({ userId: job.userId, kind: job.kind, targetId: job.targetId, ...isActive }, { session });
        if (activeDoc) {
          const active = fromDoc<JobRecord>(activeDoc);
          return rollback<JobCreateResult>(session, { outcome: active.paramsHash === job.paramsHash ? 'existing' : 'job_active', job: active });
        }
        if (quota && quota.reserveTokens > 0) {
          const use = await quotaUse(collections, job.userId, quota.dayStart, quota.monthStart, session);
          const checks = [['daily', quota.dailyLimit, use.dayUsed], ['monthly', quota.monthlyLimit, use.monthUsed]] as const;
          for (const [window, limit, used] of checks) {
            if (limit !== null && used + use.reserved + quota.reserveTokens > limit) {
              return rollback<JobCreateResult>(session, { outcome: 'quota', window, limit, used: used + use.reserved });
            }
          }
        }
        const created: JobRecord = { ...job, reservedTokens: quota?.reserveTokens ?? 0 };
        await jobs.insertOne(toDoc(created), { session });
        return { outcome: 'created', job: created };
      });
    },
    async get(userId, jobId) {
      return fromDocOrNull<JobRecord>(await jobs.findOne({ _id: jobId, userId }));
    },
    async list(userId, { bookId, active, limit }) {
      const docs = await jobs
        .find({ userId, ...(bookId === null ? {} : { bookId }), ...(active ? isActive : {}) })
        .sort({ _id: -1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => fromDoc<JobRecord>(doc));
    },
    async update(jobId, patch, at) {
      const doc = await jobs.findOneAndUpdate({ _id: jobId }, { $set: { ...definedOnly(patch), updatedAt: at } }, { returnDocument: 'after' });
      return fromDocOrNull<JobRecord>(doc);
    },
    async failExpired(now, error) {
      const result = await jobs.updateMany(
        { ...isActive, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
        { $set: { status: 'failed', error, reservedTokens: 0, leaseUntil: null, updatedAt: now } },
      );
      return result.modifiedCount;
    },
    async quotaUse(userId, dayStart, monthStart) {
      return quotaUse(collections, userId, dayStart, monthStart);
    },
  };
}
