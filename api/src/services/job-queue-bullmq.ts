import { DelayedError, Queue, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { JobQueueFactory } from './jobs-service.js';

/** How long queueing a job may take before the job runs in this process instead. */
const ADD_TIMEOUT_MS = 2_000;

const QUEUE_NAME = 'aa-jobs';
/** How long a job whose user already has 2 running waits before a worker looks at it again. */
const PER_USER_WAIT_MS = 1_000;
/** Deliveries of one job: the first, and retries after transient failures (model outage, rate limit, shutdown). */
const ATTEMPTS = 3;

/**
 * Jobs queued and run with BullMQ on Redis: a worker in every API process (JOBS_CONCURRENCY at once), so any
 * instance runs any job. BullMQ holds the queue (a restart loses nothing queued) and recovers a job whose worker
 * died (stalled-job recovery: its lock, shorter than the store lease, expires and another worker takes it over).
 * The store stays the job's truth; a delivery of a job already started or final is a no-op. While Redis is
 * unreachable, new jobs run in this process (the embedded pool) rather than being refused.
 */
export function bullJobQueue(redisUrl: string, log: FastifyBaseLogger): JobQueueFactory {
  return (execution, timings, local) => {
    // BullMQ's own connections: blocking commands and retries without a limit, unlike the shared fail-fast client.
    const connect = () => {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
      redis.on('error', () => undefined); // the shared client logs outages
      return redis;
    };
    const queueConnection = connect();
    const workerConnection = connect();
    const queue = new Queue<{ jobId: string }>(QUEUE_NAME, {
      connection: queueConnection,
      defaultJobOptions: { attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 1_000, removeOnFail: 5_000 },
    });
    // The lock is renewed every lockDuration/2 while the process lives; a dead worker's job is found stalled within
    // about two lock periods, before its store lease runs out (so it is recovered rather than failed).
    const lockDuration = Math.max(2 * timings.heartbeatMs, Math.floor(timings.leaseMs / 3));
    const worker = new Worker<{ jobId: string }>(
      QUEUE_NAME,
      async (job, token) => {
        // Only a stalled job (its worker stopped renewing the lock: presumed dead) may be taken over while running.
        const outcome = await execution.run(job.data.jobId, { takeOver: job.stalledCounter > 0, canRetry: job.attemptsMade + 1 < (job.opts.attempts ?? 1) });
        if (outcome === 'busy') {
          await job.moveToDelayed(Date.now() + PER_USER_WAIT_MS, token);
          throw new DelayedError();
        }
        if (outcome === 'retry') throw new Error('A transient failure: the queue delivers the job again.');
      },
      { connection: workerConnection, concurrency: timings.concurrency, lockDuration, stalledInterval: lockDuration, maxStalledCount: 1 },
    );
    // Outages are logged by the shared Redis client; BullMQ's own reports would repeat them on every retry.
    worker.on('error', () => undefined);
    queue.on('error', () => undefined);
    let closing = false;

    return {
      async enqueue(job) {
        if (queueConnection.status === 'ready') {
          try {
            await Promise.race([
              queue.add('run', { jobId: job.id }, { jobId: job.id }),
              new Promise((_, reject) => setTimeout(() => reject(new Error('queueing timed out')), ADD_TIMEOUT_MS).unref()),
            ]);
            return;
          } catch (error) {
            log.warn({ err: error, jobId: job.id }, 'could not queue the job in Redis: it runs in this process');
          }
        }
        // Should the add land after all, its delivery finds the job started (or over) and does nothing.
        await local.enqueue(job);
      },
      discard(jobId) {
        local.discard(jobId);
        // The store already says cancelled (a delivery would do nothing); this only tidies the queue.
        queue.remove(jobId).catch(() => undefined);
      },
      waiting: () => local.waiting(),
      stats: () => ({ running: execution.held.size, queued: local.stats().queued }),
      async close() {
        if (closing) return;
        closing = true;
        // No new deliveries; the running jobs end (the caller aborts them after its grace period); then BullMQ is
        // closed without waiting on Redis, which may be down (a job it could not mark done is simply delivered
        // again, finds itself final in the store, and does nothing).
        const closingWorker = worker.close().catch(() => undefined);
        await Promise.all([execution.settled(), local.close()]);
        const bounded = (work: Promise<unknown>) => Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
        await bounded(closingWorker);
        await bounded(queue.close());
        queueConnection.disconnect();
        workerConnection.disconnect();
      },
    };
  };
}
