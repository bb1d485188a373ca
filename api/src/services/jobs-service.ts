import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../../../shared/ids.js';
import type { Job, JobKind } from '../../../shared/schemas/ai.js';
import { canonicalJson } from '../ai/ai-cache.js';
import { AppError, notFound } from '../lib/app-error.js';
import type { JobRecord, JobsStore } from '../stores/engine-types.js';
import type { UserRecord } from '../stores/types.js';
import type { Clock } from './clock.js';
import { quotaExceeded, type QuotaService } from './quota-service.js';

const LEASE_MS = 30_000;
const HEARTBEAT_MS = 10_000;
const MAX_RUNNING_PER_USER = 2;

/** What a running job may do: report progress, notice cancellation. */
export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  progress(percent: number, stage: string): Promise<void>;
}

export interface JobSpec {
  user: UserRecord;
  kind: JobKind;
  bookId: string;
  chapterId: string | null;
  targetId: string;
  params: unknown;
  /** Worst-case tokens to reserve; 0 when the call is free (offline provider, cache hit). */
  reserveTokens: number;
  run(context: JobContext): Promise<Record<string, unknown>>;
}

export function presentJob(job: JobRecord): Job {
  return {
    id: job.id, kind: job.kind, status: job.status, progress: job.progress, stage: job.stage, bookId: job.bookId,
    chapterId: job.chapterId, result: job.result, error: job.error, createdAt: job.createdAt, updatedAt: job.updatedAt,
  };
}

export type JobEvent = { type: 'progress' | 'result' | 'error'; job: Job };

/**
 * Jobs persisted in the store, executed in this process by a bounded pool (at most 2 per user), each with a
 * deadline and a lease kept alive by a heartbeat. Events go to SSE subscribers.
 */
export function createJobsService(deps: { jobs: JobsStore; quota: QuotaService; clock: Clock; log: FastifyBaseLogger; concurrency: number; timeoutMs: number }) {
  const { jobs, clock, log } = deps;
  const events = new EventEmitter().setMaxListeners(0);
  const queue: Array<{ job: JobRecord; spec: JobSpec }> = [];
  const running = new Map<string, { userId: string; controller: AbortController; done: Promise<void> }>();
  let accepting = true;

  const now = () => clock.now().toISOString();
  const lease = () => new Date(clock.now().getTime() + LEASE_MS).toISOString();
  const interrupted = { code: 'INTERNAL', message: 'Interrupted: the server running it stopped; start it again.', retryable: true };

  // One heartbeat renews the lease of every job this process holds (queued or running) and fails jobs whose
  // lease ran out, wherever they were running: a crashed instance's jobs end within a lease period.
  const heartbeat = setInterval(() => {
    void (async () => {
      const held = [...queue.map((entry) => entry.job.id), ...running.keys()];
      for (const id of held) await jobs.update(id, { leaseUntil: lease() }, now());
      const failed = await jobs.failExpired(now(), interrupted);
      if (failed > 0) log.warn({ failed }, 'failed jobs whose lease ran out (retryable)');
    })().catch((error: unknown) => log.error({ err: error }, 'job heartbeat failed'));
  }, HEARTBEAT_MS).unref();
  const emit = (job: JobRecord, type: JobEvent['type']) => events.emit(job.id, { type, job: presentJob(job) } satisfies JobEvent);

  async function finish(jobId: string, patch: Parameters<JobsStore['update']>[1]) {
    const job = await jobs.update(jobId, { ...patch, leaseUntil: null, reservedTokens: 0 }, now());
    if (job) emit(job, job.status === 'succeeded' ? 'result' : 'error');
  }

  async function execute(job: JobRecord, spec: JobSpec) {
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(new AppError('AI_UNAVAILABLE', 'The job ran past its deadline.')), deps.timeoutMs);
    try {
      await jobs.update(job.id, { status: 'running', leaseUntil: lease(), stage: 'starting', progress: 1 }, now());
      const result = await spec.run({
        jobId: job.id,
        signal: controller.signal,
        progress: async (percent, stage) => {
          const updated = await jobs.update(job.id, { progress: Math.max(1, Math.min(99, Math.round(percent))), stage }, now());
          if (updated) emit(updated, 'progress');
        },
      });
      if (controller.signal.aborted) throw controller.signal.reason;
      await finish(job.id, { status: 'succeeded', progress: 100, stage: 'done', result });
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      if (reason === 'cancelled') {
        await finish(job.id, { status: 'cancelled', stage: 'cancelled', error: { code: 'CONFLICT', message: 'Cancelled.', retryable: true } });
      } else if (reason instanceof AppError) {
        const retryable = ['AI_UNAVAILABLE', 'AI_INVALID_OUTPUT', 'RATE_LIMITED', 'CONFLICT'].includes(reason.code);
        await finish(job.id, { status: 'failed', stage: 'failed', error: { code: reason.code, message: reason.message, retryable } });
      } else {
        log.error({ err: reason, jobId: job.id, kind: job.kind }, 'job failed unexpectedly');
        await finish(job.id, { status: 'failed', stage: 'failed', error: { code: 'INTERNAL', message: 'The job failed on our side; it has been logged.', retryable: true } });
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  function pump() {
    while (running.size < deps.concurrency) {
      const index = queue.findIndex(({ job }) => [...running.values()].filter((r) => r.userId === job.userId).length < MAX_RUNNING_PER_USER);
      if (index < 0) return;
      const [{ job, spec }] = queue.splice(index, 1) as [{ job: JobRecord; spec: JobSpec }];
      const controller = new AbortController();
      const done = execute(job, { ...spec, run: (ctx) => spec.run({ ...ctx, signal: AbortSignal.any([ctx.signal, controller.signal]) }) }).finally(() => {
        running.delete(job.id);
        pump();
      });
      running.set(job.id, { userId: job.userId, controller, done });
    }
  }

  return {
    events,

    /**
     * Creates the job (reserving quota atomically) and queues it; the same request while one is active returns
     * that job, different parameters → JOB_ACTIVE.
     */
    async start(spec: JobSpec): Promise<JobRecord> {
      if (!accepting) throw new AppError('AI_UNAVAILABLE', 'The server is shutting down; try again in a moment.');
      const at = now();
      const record: JobRecord = {
        id: newId('job'), userId: spec.user.id, bookId: spec.bookId, chapterId: spec.chapterId, targetId: spec.targetId, kind: spec.kind,
        paramsHash: createHash('sha256').update(canonicalJson(spec.params)).digest('hex'), status: 'queued', progress: 0, stage: 'queued',
        result: null, error: null, reservedTokens: spec.reserveTokens, leaseUntil: lease(), createdAt: at, updatedAt: at,
      };
      const outcome = await jobs.createWithReservation(record, spec.reserveTokens > 0 ? deps.quota.check(spec.user, spec.reserveTokens) : null);
      if (outcome.outcome === 'existing') return outcome.job;
      if (outcome.outcome === 'job_active') {
        throw new AppError('JOB_ACTIVE', 'This is already being generated with other settings; wait for it or cancel it.', { jobId: outcome.job.id });
      }
      if (outcome.outcome === 'quota') throw quotaExceeded(outcome, spec.reserveTokens, deps.quota.windows());
      queue.push({ job: outcome.job, spec });
      pump();
      return outcome.job;
    },

    async get(userId: string, jobId: string) {
      const job = await jobs.get(userId, jobId);
      if (!job) throw notFound('job');
      return job;
    },

    async cancel(userId: string, jobId: string) {
      const job = await this.get(userId, jobId);
      if (job.status !== 'queued' && job.status !== 'running') return job;
      const queuedAt = queue.findIndex((entry) => entry.job.id === jobId);
      if (queuedAt >= 0) {
        queue.splice(queuedAt, 1);
        await finish(jobId, { status: 'cancelled', stage: 'cancelled', error: { code: 'CONFLICT', message: 'Cancelled.', retryable: true } });
      } else if (running.has(jobId)) {
        running.get(jobId)!.controller.abort('cancelled');
        await running.get(jobId)!.done;
      } else {
        // Held by no live process (its server crashed): nothing runs it, so it is simply marked cancelled.
        await finish(jobId, { status: 'cancelled', stage: 'cancelled', error: { code: 'CONFLICT', message: 'Cancelled.', retryable: true } });
      }
      return this.get(userId, jobId);
    },

    list: (userId: string, query: { bookId?: string; active?: boolean; limit: number }) =>
      jobs.list(userId, { bookId: query.bookId ?? null, active: query.active ?? false, limit: query.limit }),

    /** Start-up: jobs whose lease expired were interrupted by a crash or restart: failed, retryable. */
    async recoverInterrupted() {
      return jobs.failExpired(now(), interrupted);
    },

    /** Shutdown: stop taking jobs, let running ones finish for up to `graceMs`, then abort them. */
    async drain(graceMs: number) {
      accepting = false;
      clearInterval(heartbeat);
      queue.length = 0;
      const all = Promise.all([...running.values()].map((r) => r.done));
      const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([all, timer]);
      for (const r of running.values()) r.controller.abort(new AppError('AI_UNAVAILABLE', 'The server shut down during the job; start it again.'));
      await all;
    },

    stats: () => ({ running: running.size, queued: queue.length }),
  };
}
export type JobsService = ReturnType<typeof createJobsService>;
