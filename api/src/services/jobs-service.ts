import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../../../shared/ids.js';
import type { JobKind } from '../../../shared/schemas/ai.js';
import { canonicalJson } from '../ai/ai-cache.js';
import { AppError, notFound } from '../lib/app-error.js';
import type { JobRecord, JobsStore } from '../stores/engine-types.js';
import type { UserRecord, UsersStore } from '../stores/types.js';
import { purgeInBatches } from './batched-purge.js';
import { daysAgo, type Clock } from './clock.js';
import type { JobEventBus } from './job-events.js';
import { createJobExecution, SHUTDOWN, type JobHandler } from './job-execution.js';
import { createLocalJobQueue, type JobQueue } from './job-queue-local.js';
import { CANCELLED, decideJobCreate, ENDED_JOB_RETENTION_DAYS, FINAL_STATUSES, JOB_PURGE } from './job-rules.js';
import { createJobTransitions, presentEvent, type JobEvent } from './job-transitions.js';
import { quotaExceeded, type QuotaService } from './quota-service.js';

export { presentJob, type JobEvent } from './job-transitions.js';
export type { JobContext, JobHandler } from './job-execution.js';

export interface JobSpec {
  user: UserRecord;
  kind: JobKind;
  bookId: string;
  chapterId: string | null;
  targetId: string;
  /** What the job's handler rebuilds the work from (stored with the job). */
  params: Record<string, unknown>;
  /** Worst-case tokens to reserve; 0 when the call is free (offline provider, cache hit). */
  reserveTokens: number;
}

export interface JobsTimings {
  concurrency: number;
  timeoutMs: number;
  leaseMs: number;
  heartbeatMs: number;
}

/** A queue other than the in-process one (BullMQ), built once the runner exists; `local` is the in-process pool. */
export type JobQueueFactory = (execution: ReturnType<typeof createJobExecution>, timings: JobsTimings, local: JobQueue) => JobQueue;

/**
 * Jobs: the store is their one source of truth. Starting one reserves quota atomically with creating it; every
 * state change goes through one transition (store, then the event bus); a runner (this process, or BullMQ workers
 * in every instance) executes them from their records; streams replay the stored events.
 */
export function createJobsService(deps: {
  jobs: JobsStore; users: Pick<UsersStore, 'get'>; quota: QuotaService; clock: Clock; log: FastifyBaseLogger; bus: JobEventBus;
  timings: JobsTimings; queue?: JobQueueFactory;
}) {
  const { jobs, clock, log, bus, timings } = deps;
  const handlers = new Map<JobKind, JobHandler>();
  const transitions = createJobTransitions({ jobs, bus, clock });
  const execution = createJobExecution({ jobs, users: deps.users, transitions, clock, log, timeoutMs: timings.timeoutMs, leaseMs: timings.leaseMs, handlers });
  const local = createLocalJobQueue(execution, timings.concurrency);
  const queue = deps.queue ? deps.queue(execution, timings, local) : local;
  let accepting = true;

  const heartbeat = setInterval(() => {
    void (async () => {
      await execution.heartbeat(queue.waiting());
      const ended = await execution.sweep();
      if (ended > 0) log.warn({ ended }, 'ended jobs whose lease ran out (their server stopped)');
    })().catch((error: unknown) => log.error({ err: error }, 'job heartbeat failed'));
  }, timings.heartbeatMs).unref();

  async function get(userId: string, jobId: string) {
    const job = await jobs.get(userId, jobId);
    if (!job) throw notFound('job');
    return job;
  }

  /** Resolves when the job is final or `ms` passed, whichever comes first. */
  async function settled(userId: string, jobId: string, ms: number): Promise<JobRecord> {
    let wake: () => void = () => undefined;
    const unsubscribe = bus.subscribe(jobId, () => wake());
    const until = Date.now() + ms;
    try {
      for (;;) {
        const job = await get(userId, jobId);
        const left = until - Date.now();
        if (FINAL_STATUSES.has(job.status) || left <= 0) return job;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, timings.heartbeatMs));
          wake = () => (clearTimeout(timer), resolve());
        });
      }
    } finally {
      unsubscribe();
    }
  }

  return {
    /** Registers how jobs of a kind are run; returns the handler it replaces (tests wrap one). */
    handle(kind: JobKind, handler: JobHandler): JobHandler | undefined {
      const previous = handlers.get(kind);
      handlers.set(kind, handler);
      return previous;
    },

    /**
     * Creates the job (reserving quota atomically) and queues it; the same request while one is active returns
     * that job, different parameters → JOB_ACTIVE.
     */
    async start(spec: JobSpec): Promise<JobRecord> {
      if (!accepting) throw new AppError('AI_UNAVAILABLE', 'The server is shutting down; try again in a moment.');
      const at = clock.now().toISOString();
      // A queued job is held by this process (in memory) or by the queue (BullMQ): a lease long enough to wait its turn.
      const queuedLease = new Date(clock.now().getTime() + (deps.queue ? timings.timeoutMs : 0) + timings.leaseMs).toISOString();
      const record: JobRecord = {
        id: newId('job'), userId: spec.user.id, bookId: spec.bookId, chapterId: spec.chapterId, targetId: spec.targetId, kind: spec.kind,
        paramsHash: createHash('sha256').update(canonicalJson(spec.params)).digest('hex'), status: 'queued', progress: 0, stage: 'queued',
        result: null, error: null, reservedTokens: spec.reserveTokens, leaseUntil: queuedLease, params: spec.params, seq: 1, cancelRequested: false,
        createdAt: at, updatedAt: at,
      };
      const check = spec.reserveTokens > 0 ? deps.quota.check(spec.user, spec.reserveTokens) : null;
      const outcome = await jobs.create(record, check, decideJobCreate(record, check));
      if (outcome.outcome === 'existing') return outcome.job;
      if (outcome.outcome === 'job_active') {
        throw new AppError('JOB_ACTIVE', 'This is already being generated with other settings; wait for it or cancel it.', { jobId: outcome.job.id });
      }
      if (outcome.outcome === 'quota') throw quotaExceeded(outcome, spec.reserveTokens, deps.quota.windows());
      bus.publish({ jobId: outcome.job.id, seq: outcome.job.seq });
      try {
        await queue.enqueue(outcome.job);
      } catch (error) {
        // Not queued (Redis unreachable): end it now, releasing its reservation, rather than leave it to its lease.
        log.error({ err: error, jobId: outcome.job.id }, 'could not queue a job');
        const unavailable = new AppError('AI_UNAVAILABLE', 'The job queue is not reachable right now; try again in a moment.');
        await transitions.end(outcome.job.id, ['queued'], { status: 'failed', error: { code: unavailable.code, message: unavailable.message, retryable: true } });
        throw unavailable;
      }
      return outcome.job;
    },

    get,

    /**
     * Flags the job for cancellation. A queued job ends at once; a running one ends when its runner (on any
     * instance) sees the flag, at its next heartbeat or step; this waits for that, for up to two heartbeats.
     */
    async cancel(userId: string, jobId: string) {
      const job = await jobs.requestCancel(userId, jobId);
      if (!job) throw notFound('job');
      if (FINAL_STATUSES.has(job.status)) return job;
      if (job.status === 'queued') {
        const ended = await transitions.end(jobId, ['queued'], { status: 'cancelled', error: CANCELLED });
        if (ended) {
          queue.discard(jobId);
          return ended;
        }
      }
      execution.cancelHeld(jobId);
      return settled(userId, jobId, 2 * timings.heartbeatMs + 1_000);
    },

    list: (userId: string, query: { bookId?: string; active?: boolean; limit: number }) =>
      jobs.list(userId, { bookId: query.bookId ?? null, active: query.active ?? false, limit: query.limit }),

    /**
     * Follows the job's events for a stream: first those after `afterSeq` from the store (or, without it, the
     * current state), then each new one, in order and once each; `onEnd` runs after the final event. Returns the
     * function that stops following.
     */
    async follow(userId: string, jobId: string, afterSeq: number | null, send: (event: JobEvent) => void, onEnd: () => void): Promise<() => void> {
      const job = await get(userId, jobId);
      let last = afterSeq !== null && afterSeq <= job.seq ? afterSeq : job.seq - 1;
      let stopped = false;
      let first = true;
      let chain = Promise.resolve();
      const stop = () => {
        if (stopped) return;
        stopped = true;
        unsubscribe();
        clearInterval(safetyNet);
        onEnd();
      };
      const pull = () => {
        chain = chain.then(async () => {
          if (stopped) return;
          let events = await jobs.events(jobId, last);
          if (first && events.length === 0) {
            // Nothing was missed: a stream on a finished job still gets its final event, then ends.
            const current = await jobs.getById(jobId);
            if (current && FINAL_STATUSES.has(current.status)) {
              events = await jobs.events(jobId, current.seq - 1);
              // A job that ended before events were stored (an older version) has none: its record stands in.
              if (events.length === 0) events = [{ jobId, seq: current.seq, type: current.status === 'succeeded' ? 'result' : 'error', job: current, createdAt: current.updatedAt }];
            }
          }
          first = false;
          for (const event of events) {
            if (stopped) return;
            last = event.seq;
            send(presentEvent(event));
            if (FINAL_STATUSES.has(event.job.status)) return stop();
          }
        }).catch((error: unknown) => log.warn({ err: error, jobId }, 'job stream: reading events failed'));
      };
      const unsubscribe = bus.subscribe(jobId, pull);
      // Notices are hints (one lost in a Redis outage must not stall a stream): the store is read now and then anyway.
      const safetyNet = setInterval(pull, timings.heartbeatMs).unref();
      pull();
      return stop;
    },

    /**
     * Retention (the hourly sweep): deletes the jobs that ended over ENDED_JOB_RETENTION_DAYS ago, with their events,
     * a batch per transaction with the event loop free in between, within the sweep's time budget (JOB_PURGE);
     * returns how many went. Read later, such a job is simply not found (404).
     */
    async purgeEnded(): Promise<number> {
      const query = { statuses: [...FINAL_STATUSES], updatedBefore: daysAgo(clock, ENDED_JOB_RETENTION_DAYS) };
      return purgeInBatches((limit) => jobs.purge({ ...query, limit }), JOB_PURGE);
    },

    /** Start-up: jobs whose lease expired were interrupted by a crash or restart: failed, retryable. */
    recoverInterrupted: () => execution.sweep(),

    /** Shutdown: stop taking jobs, let running ones finish for up to `graceMs`, then abort them. */
    async drain(graceMs: number) {
      accepting = false;
      clearInterval(heartbeat);
      const closed = queue.close();
      const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([closed, timer]);
      execution.abortAll(SHUTDOWN);
      await closed;
      await bus.close();
    },

    stats: () => queue.stats(),
  };
}
export type JobsService = ReturnType<typeof createJobsService>;
