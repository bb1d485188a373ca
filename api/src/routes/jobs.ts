import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { defineRoute } from '../lib/route.js';
import { sseStream } from '../lib/sse.js';
import { presentJob, type JobEvent } from '../services/jobs-service.js';
import type { RouteRequest } from '../lib/route.js';

export default async function jobRoutes(app: FastifyInstance) {
  const { jobs, eventStreams, quota, aiOperations } = app.services;

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

  defineRoute(app, endpoints.quote, async ({ principal, body }) =>
    aiOperations.quote(principal.user, body.operation, body, body.params),
  );
}
