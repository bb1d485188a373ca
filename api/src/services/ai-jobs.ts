import type { AiGateway } from '../ai/ai-gateway.js';
import { estimateTokens, type AiTask } from '../ai/llm.js';
import { AppError } from '../lib/app-error.js';
import { evaluateReadiness } from '../../../shared/readiness.js';
import type { BookRecord } from '../stores/types.js';
import type { JobWork } from './job-execution.js';
import { presentJob, type JobSpec, type JobsService } from './jobs-service.js';

/** 'quote' plans a generation and returns its reservation instead of starting the job. */
export type LaunchMode = 'start' | 'quote';

/**
 * Worst-case tokens of `calls` calls of a task (each may need one repair attempt), or 0 when the call is free:
 * the offline provider, or a cache hit (never refused for quota).
 */
export async function reservationFor<I, O>(
  ai: AiGateway,
  task: AiTask<I, O>,
  input: I,
  options: { userId: string; fresh: boolean; calls?: number },
): Promise<{ tokens: number; cached: boolean }> {
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

/** A generation ready to quote or start: its worst-case reservation, and the work a runner executes. */
export interface JobPlan {
  reserve(): Promise<{ tokens: number; cached: boolean }>;
  work: JobWork;
}

/**
 * 'quote' returns the plan's reservation; 'start' starts the job with it. The job stores `spec.params`, from which
 * the service's handler plans the same work again on whichever instance runs it.
 */
export async function launchJob(jobs: JobsService, mode: LaunchMode, spec: Omit<JobSpec, 'reserveTokens'>, plan: JobPlan) {
  const reservation = await plan.reserve();
  if (mode === 'quote') return { quote: reservation };
  return { job: presentJob(await jobs.start({ ...spec, reserveTokens: reservation.tokens })) };
}
