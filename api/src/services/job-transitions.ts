import type { Job } from '../../../shared/schemas/ai.js';
import type { JobEventRecord, JobEventType, JobGuard, JobPartial, JobPatch, JobRecord, JobsStore } from '../stores/engine-types.js';
import type { Clock } from './clock.js';
import type { JobEventBus } from './job-events.js';
import type { JobError } from './job-rules.js';

export function presentJob(job: JobRecord & { partial?: JobPartial | null }): Job {
  return {
    id: job.id, kind: job.kind, status: job.status, progress: job.progress, stage: job.stage, bookId: job.bookId,
    chapterId: job.chapterId, result: job.result, error: job.error, partial: job.partial ?? null, createdAt: job.createdAt, updatedAt: job.updatedAt,
  };
}

/** One job event as streams send it: `seq` is its SSE id (what a reconnecting client sends as Last-Event-ID). */
export type JobEvent = { seq: number; type: JobEventType; job: Job };

export const presentEvent = (event: JobEventRecord): JobEvent => ({ seq: event.seq, type: event.type, job: presentJob(event.job) });

/**
 * The one way a job changes state: the store applies the change under its guard (compare-and-swap on the status,
 * so a final status is never overwritten) together with the numbered event, then the event is published. Returns
 * the job after the change, or null when the guard failed.
 */
export function createJobTransitions(deps: { jobs: JobsStore; bus: JobEventBus; clock: Clock }) {
  async function transition(jobId: string, guard: JobGuard, patch: JobPatch, type: JobEventType, partial?: JobPartial): Promise<JobRecord | null> {
    const job = await deps.jobs.transition(jobId, guard, patch, type, deps.clock.now().toISOString(), partial ?? null);
    if (job) deps.bus.publish({ jobId, seq: job.seq });
    return job;
  }

  return {
    transition,

    /**
     * Ends an active job (from `statuses`): its lease and the rest of its quota reservation are released in the
     * same write, so whichever path ends the job settles the reservation, exactly once.
     */
    end(jobId: string, statuses: JobGuard['statuses'], outcome: { status: 'succeeded'; result: Record<string, unknown> } | { status: 'failed' | 'cancelled'; error: JobError }, leaseExpiredBefore?: string) {
      const patch: JobPatch = outcome.status === 'succeeded'
        ? { status: 'succeeded', progress: 100, stage: 'done', result: outcome.result, error: null }
        : { status: outcome.status, stage: outcome.status, error: outcome.error };
      return transition(jobId, { statuses, ...(leaseExpiredBefore === undefined ? {} : { leaseExpiredBefore }) }, { ...patch, leaseUntil: null, reservedTokens: 0 }, outcome.status === 'succeeded' ? 'result' : 'error');
    },

  };
}
export type JobTransitions = ReturnType<typeof createJobTransitions>;
