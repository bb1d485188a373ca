import type { JobRecord } from '../stores/engine-types.js';
import type { JobExecution } from './job-execution.js';
import { MAX_RUNNING_PER_USER } from './job-rules.js';

/** Where started jobs wait for a runner: this process (embedded default) or BullMQ on Redis. */
export interface JobQueue {
  enqueue(job: JobRecord): Promise<void>;
  /** Forgets a job that ended before it ran (cancelled while queued). */
  discard(jobId: string): void;
  /** Jobs this process queued and still owes a run (their leases are renewed with the running ones). */
  waiting(): Iterable<string>;
  stats(): { running: number; queued: number };
  /** Stops taking jobs and waits for the running ones (the caller aborts them after its grace period). */
  close(): Promise<void>;
}

/**
 * The embedded runner: a bounded pool in this process (JOBS_CONCURRENCY, at most 2 running per user). Its queue
 * lives in memory, so queued jobs of a process that stops are failed (retryable) when their lease runs out.
 */
export function createLocalJobQueue(execution: JobExecution, concurrency: number): JobQueue {
  const queue: Array<{ id: string; userId: string }> = [];
  const running = new Map<string, { userId: string; done: Promise<void> }>();
  let open = true;

  const runningFor = (userId: string) => [...running.values()].filter((entry) => entry.userId === userId).length;
  function pump() {
    while (open && running.size < concurrency) {
      const index = queue.findIndex((entry) => runningFor(entry.userId) < MAX_RUNNING_PER_USER);
      if (index < 0) return;
      const [next] = queue.splice(index, 1) as [{ id: string; userId: string }];
      const done = execution.run(next.id, { takeOver: false, canRetry: false }).then(
        () => undefined,
        () => undefined, // run() records every failure on the job itself
      ).finally(() => {
        running.delete(next.id);
        pump();
      });
      running.set(next.id, { userId: next.userId, done });
    }
  }

  return {
    async enqueue(job) {
      queue.push({ id: job.id, userId: job.userId });
      pump();
    },
    discard(jobId) {
      const index = queue.findIndex((entry) => entry.id === jobId);
      if (index >= 0) queue.splice(index, 1);
    },
    waiting: () => queue.map((entry) => entry.id),
    stats: () => ({ running: running.size, queued: queue.length }),
    async close() {
      open = false;
      queue.length = 0;
      await Promise.all([...running.values()].map((entry) => entry.done));
    },
  };
}
