import { AI_JOB_KINDS, JOB_TARGETS, type AiJobKind } from '../../../shared/schemas/ai.js';
import type { AiGateway } from '../ai/ai-gateway.js';
import { AppError } from '../lib/app-error.js';
import type { JobRecord } from '../stores/engine-types.js';
import type { UserRecord } from '../stores/types.js';
import type { OperationTarget } from './ai-operations/operation.js';
import type { OperationTable } from './ai-operations/table.js';
import { presentJob, type JobsService } from './jobs-service.js';

/** The ids a start (its path params) or a quote (its body) names; which are needed follows the kind's target. */
export interface TargetIds {
  bookId: string;
  chapterId?: string;
  questionId?: string;
}

/** The operation's target from the ids given: VALIDATION naming the id a chapter or question operation lacks. */
function targetOf(kind: AiJobKind, ids: TargetIds): OperationTarget {
  const need = (value: string | undefined, name: string) => {
    if (!value) throw new AppError('VALIDATION', `This operation needs ${name}.`, { field: name });
    return value;
  };
  const target = JOB_TARGETS[kind];
  return {
    bookId: ids.bookId,
    chapterId: target === 'book' || target === 'interview question' ? null : need(ids.chapterId, 'chapterId'),
    questionId: namesQuestion(kind) ? need(ids.questionId, 'questionId') : null,
  };
}

/** Whether the kind works on one question (of a chapter or of the kick-off interview). */
const namesQuestion = (kind: AiJobKind) => JOB_TARGETS[kind] === 'question' || JOB_TARGETS[kind] === 'interview question';

/** The id of the record a job works on, kept with the job (one active job per kind and target). */
function targetIdOf(kind: AiJobKind, target: OperationTarget): string {
  return (namesQuestion(kind) ? target.questionId : JOB_TARGETS[kind] === 'chapter' ? target.chapterId : target.bookId) ?? target.bookId;
}

/**
 * Starts and quotes AI operations from the one operation table, and runs their jobs from their records on any
 * instance (the same `plan` rebuilds the work from the stored kind, target and params).
 */
export function createAiOperationsService(deps: { jobs: JobsService; ai: AiGateway; operations: OperationTable }) {
  const { jobs, ai, operations } = deps;

  for (const kind of AI_JOB_KINDS) {
    jobs.handle(kind, async (user, job: JobRecord) => {
      const target = { bookId: job.bookId, chapterId: job.chapterId, questionId: namesQuestion(kind) ? job.targetId : null };
      return (await operations[kind].plan(user, target, operations[kind].params.parse(job.params))).work;
    });
  }

  /** Parses the params (VALIDATION when they do not fit the operation) and plans the job. */
  async function plan(user: UserRecord, kind: AiJobKind, ids: TargetIds, input: unknown) {
    const operation = operations[kind];
    const target = targetOf(kind, ids);
    const parsed = operation.params.safeParse(input ?? {});
    if (!parsed.success) {
      throw new AppError('VALIDATION', 'The params are not valid for this operation.', {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    }
    return { target, params: parsed.data, planned: await operation.plan(user, target, parsed.data) };
  }

  return {
    /** Starts the job (202 `{ job }`), reserving its worst-case tokens; `body` is the generate endpoint's body. */
    async start(user: UserRecord, kind: AiJobKind, ids: TargetIds, body: unknown) {
      const { target, params, planned } = await plan(user, kind, ids, body);
      const reservation = await planned.reserve();
      const job = await jobs.start({
        user, kind, bookId: target.bookId, chapterId: target.chapterId, targetId: targetIdOf(kind, target), params: { ...params },
        reserveTokens: reservation.tokens,
      });
      return { job: presentJob(job) };
    },

    /** What starting the operation would reserve now, and its cost; the same checks as a start, never the cache bypass. */
    async quote(user: UserRecord, kind: AiJobKind, ids: TargetIds, params: Record<string, unknown> | undefined) {
      const { planned } = await plan(user, kind, ids, { ...params, fresh: false });
      const { tokens, cached } = await planned.reserve();
      return { estimatedTokens: tokens, estimatedCostUsd: ai.estimateCostUsd(tokens), cached, offline: ai.provider.offline };
    },
  };
}
export type AiOperationsService = ReturnType<typeof createAiOperationsService>;
