import type { z } from 'zod';
import { evaluateReadiness } from '../../../../shared/readiness.js';
import type { AiGateway } from '../../ai/ai-gateway.js';
import { estimateTokens, type AiTask } from '../../ai/llm.js';
import { AppError } from '../../lib/app-error.js';
import type { BookRecord, Store, UserRecord } from '../../stores/types.js';
import type { BooksService } from '../books-service.js';
import type { ChaptersService } from '../chapters-service.js';
import type { Clock } from '../clock.js';
import type { JobWork } from '../job-execution.js';

/** What an operation module may use to plan and run its job. */
export interface OperationDeps {
  store: Store;
  books: BooksService;
  chapters: ChaptersService;
  ai: AiGateway;
  clock: Clock;
}

/** The record a job works on: `chapterId` is set for chapter and question kinds, `questionId` for question kinds. */
export interface OperationTarget {
  bookId: string;
  chapterId: string | null;
  questionId: string | null;
}

/** The worst-case tokens a job reserves (0 when free), and whether its answer is cached. */
export interface Reservation {
  tokens: number;
  cached: boolean;
}

/** A job planned for its target: its worst-case reservation (also the quote), and the work a runner executes. */
export interface JobPlan {
  reserve(): Promise<Reservation>;
  work: JobWork;
}

/** Every job's params carry `fresh`: bypass the AI cache and ask the model again. */
export interface OperationParams {
  fresh: boolean;
}

/**
 * One AI operation, a row of the operation table. `params` parses a start's body (or a quote's params) into what the
 * job stores, defaults applied; `plan` checks what must hold (throwing before anything is reserved) and returns the
 * reservation and the work. Any instance rebuilds the work from the stored job with the same `plan`.
 */
export interface AiOperation<P extends OperationParams = OperationParams> {
  params: z.ZodType<P>;
  plan(user: UserRecord, target: OperationTarget, params: P): Promise<JobPlan>;
}

/**
 * Worst-case tokens of `calls` calls of a task (each may need one repair attempt), or 0 when the call is free:
 * the offline provider, or a cache hit (never refused for quota).
 */
export async function reservationFor<I, O>(
  ai: AiGateway,
  task: AiTask<I, O>,
  input: I,
  options: { userId: string; fresh: boolean; calls?: number },
): Promise<Reservation> {
  if (ai.provider.offline) return { tokens: 0, cached: false };
  if (!options.fresh && (await ai.isCached(task, input, options.userId))) return { tokens: 0, cached: true };
  const { system, user } = task.messages(input);
  const perCall = estimateTokens(system) + estimateTokens(user) + task.maxOutputTokens(input);
  return { tokens: perCall * 2 * (options.calls ?? 1), cached: false };
}

/** Refuses AI work on a brief that the shared readiness rule finds incomplete (no tokens spent on it). */
export function requireReadyBrief(book: BookRecord): void {
  const readiness = evaluateReadiness({ title: book.title, summary: book.summary });
  if (!readiness.ready) {
    const missing = readiness.checks.filter((check) => !check.ok).map((check) => check.message);
    throw new AppError('VALIDATION', `The book brief is not ready yet: ${missing.join(' ')}`, { readiness });
  }
}

/** The chapter of a chapter or question operation (the table's target rule guarantees it). */
export function chapterOf(target: OperationTarget): string {
  if (!target.chapterId) throw new AppError('VALIDATION', 'This operation needs chapterId.', { field: 'chapterId' });
  return target.chapterId;
}
