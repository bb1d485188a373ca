import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { clientRequestIdOf, redactQuery } from './request-log.js';

/**
 * Fastify's per-request log lines, made short: instead of "incoming request" and "request completed" (two lines a
 * request, each carrying the whole request or reply) one line, "GET /v1/books 200 4 ms", at debug. At the default
 * level the lines that matter (start-up, jobs, warnings, errors) are then not buried under traffic; LOG_LEVEL=debug
 * shows every request. A request that failed in the framework keeps Fastify's own error line.
 */
class ShortRequestLog extends LogController {
  constructor(private readonly debugEnabled: boolean) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    // Checked first so a request at the default level builds no message at all.
    if (!this.debugEnabled) return;
    const clientRequestId = clientRequestIdOf(request);
    request.log.debug(clientRequestId ? { clientRequestId } : {}, `${request.method} ${redactQuery(request.url)} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`);
  }
}

/** The `logController` for a server logging at `level`. */
export function shortRequestLog(level: string): LogController {
  return new ShortRequestLog(level === 'debug' || level === 'trace');
}
