import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { endpoints } from '../../../shared/contract/index.js';
import { GenerateDraftBodySchema, GenerateQuestionsBodySchema } from '../../../shared/schemas/authoring.js';
import type { JobKind } from '../../../shared/schemas/ai.js';
import { AppError } from '../lib/app-error.js';
import { defineRoute } from '../lib/route.js';
import { sseStream } from '../lib/sse.js';
import { presentJob, type JobEvent } from '../services/jobs-service.js';
import type { UserRecord } from '../stores/types.js';
import type { RouteRequest } from '../lib/route.js';

/** Quote params follow the generate endpoint's own body schema; anything else is a VALIDATION error. */
function parseParams<S extends z.ZodType>(schema: S, params: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'The quote params are not valid for this operation.', {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}

export default async function jobRoutes(app: FastifyInstance) {
  const { jobs, eventStreams, quota, interview, tocProposals, questions, drafts } = app.services;

  defineRoute(app, endpoints.getJob, async ({ principal, params }) => presentJob(await jobs.get(principal.user.id, params.jobId)));
  defineRoute(app, endpoints.cancelJob, async ({ principal, params }) => presentJob(await jobs.cancel(principal.user.id, params.jobId)));
  defineRoute(app, endpoints.listJobs, async ({ principal, query }) => ({
    items: (await jobs.list(principal.user.id, query)).map(presentJob),
    nextCursor: null,
  }));

  // Server-sent events, read from the store: those after Last-Event-ID (or the current state), then each change
  // from any instance; the stream ends after the final event.
  defineRoute(app, endpoints.jobEvents, async (request: RouteRequest<typeof endpoints.jobEvents>, reply) => {
    const lastEventId = request.headers['last-event-id'];
    const afterSeq = typeof lastEventId === 'string' && /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : null;
    let stopFollowing: () => void = () => undefined;
    const stream = sseStream(reply, () => {
      forget();
      stopFollowing();
    });
    // Counted against the user's cap (429 past it), and closed if the token is revoked or the user disabled or demoted.
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const forget = eventStreams.open(request.principal, token, stream.end);
    const send = (event: JobEvent) => stream.send(String(event.seq), event.type, JSON.stringify(event.job));
    try {
      // Throws NOT_FOUND (answered as JSON) before anything is written.
      stopFollowing = await jobs.follow(request.principal.user.id, request.params.jobId, afterSeq, send, stream.end);
    } catch (error) {
      forget();
      throw error;
    }
    stream.start();
  });

  defineRoute(app, endpoints.myUsage, async ({ principal }) => quota.usage(principal.user));

  defineRoute(app, endpoints.quote, async ({ principal, body }) => {
    const user = principal.user;
    const params = body.params ?? {};
    const planned = await plan(user, body.operation, body.bookId, body.chapterId, body.questionId, params);
    if (!planned.quote) throw new AppError('INTERNAL', 'The cost of this could not be estimated; try again.');
    const tokens = planned.quote.tokens;
    return {
      estimatedTokens: tokens,
      estimatedCostUsd: app.ai.gateway.estimateCostUsd(tokens),
      cached: planned.quote.cached,
      offline: app.ai.gateway.provider.offline,
    };
  });

  async function plan(user: UserRecord, operation: JobKind, bookId: string, chapterId: string | undefined, questionId: string | undefined, params: Record<string, unknown>) {
    const need = (value: string | undefined, name: string) => {
      if (!value) throw new AppError('VALIDATION', `This operation needs ${name}.`, { field: name });
      return value;
    };
    switch (operation) {
      case 'interview.generate':
        return interview.generate(user, bookId, false, 'quote');
      case 'toc.generate':
        return tocProposals.generate(user, bookId, false, 'quote');
      case 'questions.generate': {
        const { count } = parseParams(GenerateQuestionsBodySchema, params);
        return questions.generate(user, bookId, need(chapterId, 'chapterId'), { count, fresh: false }, 'quote');
      }
      case 'question.regenerate':
        return questions.regenerate(user, bookId, need(chapterId, 'chapterId'), need(questionId, 'questionId'), false, 'quote');
      case 'draft.generate': {
        // The same rules as starting the draft: a quote never plans what the generate call would refuse.
        const { style, targetWords } = parseParams(GenerateDraftBodySchema, { style: 'professional', targetWords: 1_500, ...params });
        return drafts.generate(user, bookId, need(chapterId, 'chapterId'), { style, targetWords, fresh: false }, 'quote');
      }
    }
  }
}
