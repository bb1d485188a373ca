import type { FastifyBaseLogger } from 'fastify';
import type { JobKind } from '../../../shared/schemas/ai.js';
import { AppError, notFound } from '../lib/app-error.js';
import type { JobRecord, JobsStore } from '../stores/engine-types.js';
import type { UserRecord, UsersStore } from '../stores/types.js';
import type { Clock } from './clock.js';
import { ACTIVE_STATUSES, CANCELLED, INTERRUPTED, jobErrorOf, MAX_RUNNING_PER_USER } from './job-rules.js';
import type { JobTransitions } from './job-transitions.js';

/** What a running job may do: report progress (which also notices a cancel request), and stop when `signal` fires. */
export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  /** Records progress; throws once the job was cancelled or taken from this runner, so work stops between AI calls. */
  progress(percent: number, stage: string): Promise<void>;
  /** Reports an item of the answer being written (in order, as a progress event); never throws. */
  item(index: number, item: unknown): void;
}

export type JobWork = (context: JobContext) => Promise<Record<string, unknown>>;

/** Rebuilds a job's work from its record (kind, targets, params), so any instance can run any job. */
export type JobHandler = (user: UserRecord, job: JobRecord) => Promise<JobWork>;

/** Why a runner stopped a job (the AbortSignal's reason). */
const CANCEL = Symbol('cancel requested');
const LOST = Symbol('ended elsewhere');
export const SHUTDOWN = new AppError('AI_UNAVAILABLE', 'The server shut down during the job; start it again.');

/** How one attempt at a job ended: done (final state written, or nothing to do), busy (its user has 2 running), retry. */
export type RunOutcome = 'done' | 'busy' | 'retry';

/**
 * Runs jobs from their records, whatever queue delivered them: the start, progress and end go through the one
 * transition; the held jobs' leases are renewed at each heartbeat, which also reads their cancel flags; the sweep
 * ends other runners' jobs whose lease ran out.
 */
export function createJobExecution(deps: {
  jobs: JobsStore; users: Pick<UsersStore, 'get'>; transitions: JobTransitions; clock: Clock; log: FastifyBaseLogger;
  timeoutMs: number; leaseMs: number; handlers: Map<JobKind, JobHandler>;
}) {
  const { jobs, transitions, log } = deps;
  const held = new Map<string, AbortController>();
  const attempts = new Set<Promise<RunOutcome>>();
  const now = () => deps.clock.now().toISOString();
  const lease = () => new Date(deps.clock.now().getTime() + deps.leaseMs).toISOString();

  /** The job after a transition of this runner: aborts the work when it was cancelled or ended elsewhere. */
  function observe(controller: AbortController, job: JobRecord | null) {
    if (!job || !ACTIVE_STATUSES.includes(job.status)) controller.abort(LOST);
    else if (job.cancelRequested) controller.abort(CANCEL);
  }

  async function attempt(job: JobRecord, controller: AbortController): Promise<Record<string, unknown>> {
    const user = await deps.users.get(job.userId);
    const handler = deps.handlers.get(job.kind);
    if (!user || !handler) throw notFound('job');
    const work = await handler(user, job);
    // Items are recorded one after another, off the model's stream; the job ends only after the last is recorded.
    let items = Promise.resolve();
    const result = await work({
      jobId: job.id,
      signal: controller.signal,
      progress: async (percent, stage) => {
        if (!controller.signal.aborted) {
          observe(controller, await transitions.transition(job.id, { statuses: ['running'] }, { progress: Math.max(1, Math.min(99, Math.round(percent))), stage }, 'progress'));
        }
        controller.signal.throwIfAborted();
      },
      item: (index, item) => {
        items = items.then(async () => {
          if (!controller.signal.aborted) observe(controller, await transitions.transition(job.id, { statuses: ['running'] }, {}, 'progress', { index, item }));
        }).catch((error: unknown) => log.warn({ err: error, jobId: job.id }, 'could not record an item of the answer being written'));
      },
    });
    await items;
    controller.signal.throwIfAborted();
    return result;
  }

  /**
   * One attempt at the job. `takeOver` lets a queue that knows the previous holder is gone (BullMQ's stalled-job
   * recovery) restart a job left running; `canRetry` says the queue will deliver it again after a transient failure.
   */
  async function run(jobId: string, options: { takeOver: boolean; canRetry: boolean }): Promise<RunOutcome> {
    const found = await jobs.getById(jobId);
    if (!found || !(found.status === 'queued' || (options.takeOver && found.status === 'running' && !held.has(jobId)))) return 'done';
    const controller = new AbortController();
    held.set(jobId, controller);
    const pastDeadline = new AppError('AI_UNAVAILABLE', 'The job ran past its deadline; try again, perhaps with less to generate.');
    const timer = setTimeout(() => controller.abort(pastDeadline), deps.timeoutMs);
    try {
      const guard = found.status === 'queued' ? { statuses: ['queued'] as const, runningPerUserBelow: MAX_RUNNING_PER_USER } : { statuses: ['running'] as const };
      const started = await transitions.transition(jobId, guard, { status: 'running', stage: 'starting', progress: Math.max(1, found.progress), leaseUntil: lease() }, 'progress');
      if (!started) return (await jobs.getById(jobId))?.status === 'queued' ? 'busy' : 'done';
      observe(controller, started);
      if (controller.signal.aborted) throw controller.signal.reason;
      const result = await attempt(started, controller);
      await transitions.end(jobId, ['running'], { status: 'succeeded', result });
      return 'done';
    } catch (error) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
      if (reason === LOST) return 'done';
      if (reason === CANCEL) {
        await transitions.end(jobId, ['running'], { status: 'cancelled', error: CANCELLED });
        return 'done';
      }
      // Only what may pass by itself is retried: an outage, a rate limit, a shutdown; never a deadline or a bad request.
      const transient = reason === SHUTDOWN || (reason !== pastDeadline && reason instanceof AppError && ['AI_UNAVAILABLE', 'RATE_LIMITED'].includes(reason.code));
      if (transient && options.canRetry) {
        // Back to the queue with its reservation: another attempt (on any instance) settles it.
        const requeued = await transitions.transition(jobId, { statuses: ['running'] }, { status: 'queued', stage: 'waiting to retry', leaseUntil: new Date(deps.clock.now().getTime() + deps.timeoutMs + deps.leaseMs).toISOString() }, 'progress');
        if (requeued) return 'retry';
      }
      const { error: jobError, unexpected } = jobErrorOf(reason);
      if (unexpected) log.error({ err: reason, jobId }, 'job failed unexpectedly');
      await transitions.end(jobId, ['running'], { status: 'failed', error: jobError });
      return 'done';
    } finally {
      clearTimeout(timer);
      held.delete(jobId);
    }
  }

  return {
    /** Runs one attempt and keeps track of it until it settles (see `settled`). */
    run(jobId: string, options: { takeOver: boolean; canRetry: boolean }): Promise<RunOutcome> {
      const attempt = run(jobId, options);
      attempts.add(attempt);
      void attempt.finally(() => attempts.delete(attempt)).catch(() => undefined);
      return attempt;
    },
    held,

    /** Resolves once every attempt running now has ended (shutdown waits for it). */
    async settled() {
      await Promise.allSettled([...attempts]);
    },

    /** Renews the leases of the jobs this process holds (and of `waiting` ones it queued), reading their cancel flags. */
    async heartbeat(waiting: Iterable<string>) {
      for (const [jobId, controller] of held) observe(controller, await jobs.renewLease(jobId, lease()));
      for (const jobId of waiting) await jobs.renewLease(jobId, lease());
    },

    /** Ends jobs whose holder stopped renewing their lease (a crash): failed and retryable, or cancelled when asked. */
    async sweep(): Promise<number> {
      const at = now();
      let ended = 0;
      for (const job of await jobs.expired(at, 100)) {
        if (held.has(job.id)) continue;
        const outcome = job.cancelRequested ? { status: 'cancelled' as const, error: CANCELLED } : { status: 'failed' as const, error: INTERRUPTED };
        if (await transitions.end(job.id, ACTIVE_STATUSES, outcome, at)) ended += 1;
      }
      return ended;
    },

    /** Stops one held job now (a cancel request that reached this process). */
    cancelHeld(jobId: string) {
      held.get(jobId)?.abort(CANCEL);
    },

    abortAll(reason: unknown) {
      for (const controller of held.values()) controller.abort(reason);
    },
  };
}
export type JobExecution = ReturnType<typeof createJobExecution>;
