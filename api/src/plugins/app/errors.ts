import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_STATUS, type ErrorCode } from '../../../../shared/errors.js';
import { AppError } from '../../lib/app-error.js';
import { authorIssue } from '../../lib/validation-messages.js';
import { rateLimitKey } from '../external/rate-limit.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION',
};

const STATUS_CODES: Record<number, ErrorCode> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };

function send(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message: string, details?: unknown) {
  return reply.code(ERROR_STATUS[code]).send({ error: { code, message, requestId: request.id, ...(details !== undefined && { details }) } });
}

/**
 * One error handler, registered before any route so every route uses it: every failure leaves in the shared
 * shape, and 5xx never reveal internals.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        if (error.headers) reply.headers(error.headers);
        if (error.statusCode >= 500) request.log.warn({ code: error.code }, error.message);
        return send(reply, request, error.code, error.message, error.details);
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = error.validationContext ?? 'body';
        const input = { body: request.body, querystring: request.query, params: request.params, headers: request.headers }[where];
        const issues = error.validation.map((issue) => authorIssue(issue, where, input));
        return send(reply, request, 'VALIDATION', issues.slice(0, 3).map((i) => i.message).join(' '), { issues });
      }
      const status = error.statusCode ?? 500;
      const mapped = (error.code && FASTIFY_CODES[error.code]) ?? (status >= 400 && status < 500 ? STATUS_CODES[status] ?? 'VALIDATION' : null);
      if (mapped) return send(reply, request, mapped, error.message);
      request.log.error({ err: error }, 'unhandled error');
      return send(reply, request, 'INTERNAL', 'Something went wrong on our side; it has been logged.');
    });
  },
  { name: 'errors' },
);

/** Unknown routes answered a minute per user (or address): probing for routes gets throttled. */
const NOT_FOUND_PER_MIN = 60;

/** A rate-limited 404 for unknown routes, in the shared shape (registered after the rate limiter). */
export const notFound = fp(
  async (app) => {
    app.setNotFoundHandler(
      { preHandler: app.rateLimit({ max: NOT_FOUND_PER_MIN, keyGenerator: rateLimitKey('not-found') }) },
      (request, reply) => send(reply, request, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`),
    );
  },
  { name: 'not-found', dependencies: ['rate-limit'] },
);
