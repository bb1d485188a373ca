import { Piscina } from 'piscina';
import { AppError } from '../lib/app-error.js';
import type { AiTask } from './llm.js';
import { taskByKey, taskKey } from './tasks/task-list.js';
import type { TemplateAnswer, TemplateRequest } from './template-worker.js';
import { buildTemplateWorkerFile } from './template-worker-file.js';

/**
 * Template answers that analyse less author text than this (`AiTask.offlineTextChars`) are given on the event loop:
 * handing them to a worker would cost it more than the analysis (measured: see BENCHMARKS.md).
 */
export const TEMPLATE_WORKER_MIN_CHARS = 500;
/** Threads above the first that stay idle this long are stopped (the first stays once started). */
const IDLE_THREAD_MS = 60_000;
/**
 * The threads' nice value (Linux and macOS; piscina sets it through its optional @napi-rs/nice): when a thread and the
 * event loop want the same core, the event loop wins, so a template job slows down rather than an author's request
 * (measured with both pinned to one core: see BENCHMARKS.md).
 */
const THREAD_NICE_INCREMENT = 10;

export interface TemplatePoolStats {
  /** Worker threads running now, and their thread ids. */
  threads: number;
  threadIds: number[];
  /** Threads working on an answer (or still starting). */
  busy: number;
  /** Template answers the workers finished (or failed, or were cancelled in) so far. */
  completed: number;
  /** Answers waiting for a free thread. */
  queued: number;
}

/**
 * Template mode's language analysis (compromise: tens to hundreds of milliseconds of CPU for a long summary or answer)
 * runs on worker threads (piscina), so the event loop keeps answering every other request meanwhile. The pool starts
 * on the first long input; a cancelled answer stops its thread (piscina replaces it), so nothing stays busy.
 */
export function createTemplatePool(options: {
  threads: number;
  minChars?: number;
  onError?: (error: unknown) => void;
  /** Builds the worker's file (tests replace it to see a failed build). */
  buildWorkerFile?: typeof buildTemplateWorkerFile;
}) {
  const minChars = options.minChars ?? TEMPLATE_WORKER_MIN_CHARS;
  const buildWorkerFile = options.buildWorkerFile ?? buildTemplateWorkerFile;
  let pool: Piscina<TemplateRequest, TemplateAnswer> | null = null;
  let opening: Promise<{ pool: Piscina<TemplateRequest, TemplateAnswer>; file: () => string; remove: () => void } | null> | null = null;
  let closed = false;
  /** The pool, started on the first long answer; null when its worker cannot be built (answers stay on the event loop). */
  const open = () =>
    (opening ??= buildWorkerFile().then(
      ({ file, remove }) => {
        pool = new Piscina({
          filename: file(), minThreads: 1, maxThreads: options.threads, idleTimeout: IDLE_THREAD_MS, niceIncrement: THREAD_NICE_INCREMENT,
          // Plain JavaScript: the threads need none of the parent's flags (`--import tsx` would load a loader for nothing).
          execArgv: [],
        });
        // A thread that fails with no answer in hand is reported here (and replaced); an answer's own failure rejects it.
        pool.on('error', (error: unknown) => options.onError?.(error));
        return { pool, file, remove };
      },
      (error: unknown) => {
        options.onError?.(new Error('The template-mode worker could not be built: template answers run on the event loop.', { cause: error }));
        return null;
      },
    ));

  /** Whether this answer goes to a worker: a long analysis, a task the worker can find, and a pool to take it. */
  const offThread = <I>(task: AiTask<I, unknown>, input: I) =>
    options.threads > 0 && !closed && (task.offlineTextChars?.(input) ?? 0) >= minChars && taskByKey(taskKey(task)) === task;

  return {
    /** The task's template answer (exactly what `task.offline(input)` returns or throws); `signal` cancels it. */
    async answer<I, O>(task: AiTask<I, O>, input: I, signal: AbortSignal): Promise<O> {
      const opened = offThread(task, input) ? await open() : null;
      if (!opened || closed) return task.offline(input);
      signal.throwIfAborted();
      let answer: TemplateAnswer;
      try {
        opened.file();
        answer = await opened.pool.run({ task: taskKey(task), input }, { signal });
      } catch (error) {
        // piscina wraps the cancel in its own AbortError: the caller gets the reason it gave, as from any AI call.
        throw signal.aborted ? signal.reason : error;
      }
      if ('refused' in answer) throw new AppError(answer.refused.code, answer.refused.message, answer.refused.details);
      return answer.output as O;
    },

    stats(): TemplatePoolStats {
      const threads = pool?.threads ?? [];
      return {
        threads: threads.length, threadIds: threads.map((thread) => thread.threadId), busy: threads.length - (pool?.idleThreads ?? 0),
        completed: pool?.completed ?? 0, queued: pool?.queueSize ?? 0,
      };
    },

    /** Shutdown (after the jobs have drained): stops every thread. Later answers run on the event loop. */
    async close() {
      closed = true;
      const opened = await opening;
      await pool?.destroy();
      pool = null;
      opened?.remove();
    },
  };
}
export type TemplatePool = ReturnType<typeof createTemplatePool>;
