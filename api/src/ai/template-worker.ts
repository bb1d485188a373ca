import type { ErrorCode } from '../../../shared/errors.js';
import { AppError } from '../lib/app-error.js';
import { taskByKey } from './tasks/task-list.js';

/** What the template pool sends a worker: the task's key (see task-list.ts) and its input. */
export interface TemplateRequest {
  task: string;
  input: unknown;
}

/**
 * A worker's answer. A refusal (an AppError: "template mode cannot shorten a single sentence") comes back as data,
 * since an error crossing threads keeps its message but loses its class, code and details.
 */
export type TemplateAnswer = { output: unknown } | { refused: { code: ErrorCode; message: string; details: unknown } };

/** Runs in a worker thread of the template pool: the task's template answer, as on the main thread. */
export default function answerTemplate({ task, input }: TemplateRequest): TemplateAnswer {
  const found = taskByKey(task);
  if (!found) throw new Error(`The template worker knows no task ${task}`);
  try {
    return { output: found.offline(input) };
  } catch (error) {
    if (error instanceof AppError) return { refused: { code: error.code, message: error.message, details: error.details } };
    throw error;
  }
}
