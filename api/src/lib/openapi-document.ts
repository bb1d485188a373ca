import { z } from 'zod';
import type { EndpointDef } from '../../../shared/contract/endpoint.js';
import { ERROR_CODES, ErrorBodySchema, type ErrorCode } from '../../../shared/errors.js';
import { JobSchema } from '../../../shared/schemas/ai.js';
import { EXPORT_FILE_TYPES } from '../../../shared/schemas/exports.js';
import type { JobEventType } from '../stores/engine-types.js';
import { errorStatusesOf } from './openapi-errors.js';

type Json = Record<string, unknown>;
type Operation = Json & { responses?: Record<string, Json>; parameters?: Json[]; requestBody?: Json };
export interface OpenApiDocument extends Json {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: Json;
}

/** Job events a client reads from the stream; each `data` is the job's state as JSON. */
export const JOB_EVENT_TYPES = ['progress', 'result', 'error'] as const satisfies readonly JobEventType[];
// Fails to compile when the store gains an event type the document does not list.
const everyEventTypeListed: Exclude<JobEventType, (typeof JOB_EVENT_TYPES)[number]> extends never ? true : never = true;
void everyEventTypeListed;

const toJsonSchema = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });
  return rest;
};

// The error body as documented: `code` is one of the shared codes (clients still map unknown ones to a generic case).
const ErrorDocSchema = z.object({ error: ErrorBodySchema.shape.error.extend({ code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]) }) });

const header = (description: string, schema: Json, required = false) => ({ description, required, schema });
const HEADERS = {
  RequestId: header('The id of this request; quote it when reporting a problem.', { type: 'string' }, true),
  RateLimitLimit: header('Requests allowed a minute in this route group.', { type: 'integer' }),
  RateLimitRemaining: header('Requests left in the current minute.', { type: 'integer' }),
  RateLimitReset: header('Seconds until the minute window resets.', { type: 'integer' }),
  RetryAfter: header('Seconds to wait before retrying.', { type: 'integer' }),
  QuotaLimit: header('The AI token quota of the window that refused (QUOTA_EXCEEDED only).', { type: 'integer' }),
  QuotaRemaining: header('Tokens left in that window (QUOTA_EXCEEDED only).', { type: 'integer' }),
  QuotaReset: header('When that window resets, ISO 8601 UTC (QUOTA_EXCEEDED only).', { type: 'string', format: 'date-time' }),
};
const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });
const EVERY_RESPONSE_HEADERS = {
  'x-request-id': ref('headers', 'RequestId'),
  'x-ratelimit-limit': ref('headers', 'RateLimitLimit'),
  'x-ratelimit-remaining': ref('headers', 'RateLimitRemaining'),
  'x-ratelimit-reset': ref('headers', 'RateLimitReset'),
};
const TOO_MANY_HEADERS = {
  ...EVERY_RESPONSE_HEADERS,
  'retry-after': ref('headers', 'RetryAfter'),
  'x-quota-limit': ref('headers', 'QuotaLimit'),
  'x-quota-remaining': ref('headers', 'QuotaRemaining'),
  'x-quota-reset': ref('headers', 'QuotaReset'),
};

/** One error response per status, naming the codes it can carry. */
function errorResponse(status: number, codes: ErrorCode[]): Json {
  return {
    description: `Error: ${codes.join(', ')} (decide by \`error.code\`).`,
    headers: status === 429 ? TOO_MANY_HEADERS : EVERY_RESPONSE_HEADERS,
    content: { 'application/json': { schema: ref('schemas', 'Error') } },
  };
}

/** The success response of an endpoint whose body is not JSON or absent (204). */
function streamOrEmptyResponse(endpoint: EndpointDef): Json | null {
  if (endpoint.status === 204) return { description: 'Done; no body.', headers: EVERY_RESPONSE_HEADERS };
  if (endpoint.produces === 'text/csv') {
    return {
      description: 'RFC 4180 CSV with a header row and CRLF line ends.', headers: EVERY_RESPONSE_HEADERS,
      content: { 'text/csv': { schema: { type: 'string' } } },
    };
  }
  if (endpoint.produces === 'application/octet-stream') {
    const file = { schema: { type: 'string', format: 'binary' } };
    return {
      description: 'The file, with Content-Disposition naming it; the media type is that of its format.',
      headers: { ...EVERY_RESPONSE_HEADERS, 'content-disposition': { schema: { type: 'string' }, required: true } },
      content: Object.fromEntries(Object.values(EXPORT_FILE_TYPES).map(({ mediaType }) => [mediaType.split(';')[0], file])),
    };
  }
  if (endpoint.produces === 'text/event-stream') {
    return {
      description: `Server-sent events \`${JOB_EVENT_TYPES.join('`, `')}\`, each with an \`id\` (resume with Last-Event-ID) and the job as JSON \`data\`; a comment ping every 15 s; the stream ends after the final event.`,
      headers: EVERY_RESPONSE_HEADERS,
      content: {
        'text/event-stream': {
          schema: { type: 'string' },
          // One event of the stream (OpenAPI 3.2 calls this itemSchema); `data` holds a Job.
          'x-itemSchema': {
            type: 'object', required: ['id', 'event', 'data'],
            properties: {
              id: { type: 'string', pattern: '^\\d+$' },
              event: { type: 'string', enum: [...JOB_EVENT_TYPES] },
              data: { type: 'string', contentMediaType: 'application/json', contentSchema: ref('schemas', 'Job') },
            },
          },
        },
      },
    };
  }
  return null;
}

const LAST_EVENT_ID = {
  name: 'last-event-id', in: 'header', required: false,
  description: 'Resume after this event id (sent automatically by EventSource on reconnect).',
  schema: { type: 'string', pattern: '^\\d{1,15}$' },
};

const acceptsNoBody = (schema: z.ZodType) => schema.safeParse(undefined).success;

/** Completes one operation from its declaration: id, security, every status with its media type and headers. */
function completeOperation(name: string, endpoint: EndpointDef, operation: Operation): void {
  operation.operationId = name;
  if (endpoint.auth === 'none') operation.security = [];
  if (endpoint.body && operation.requestBody) operation.requestBody.required = !acceptsNoBody(endpoint.body);
  if (endpoint.produces === 'text/event-stream') operation.parameters = [...(operation.parameters ?? []), LAST_EVENT_ID];
  const responses: Record<string, Json> = {};
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (/^\dXX$/.test(status)) continue;
    responses[status] = { ...response, description: status === String(endpoint.status) ? 'OK' : (response.description as string), headers: EVERY_RESPONSE_HEADERS };
  }
  const success = streamOrEmptyResponse(endpoint);
  if (success) responses[endpoint.status] = success;
  for (const [status, codes] of errorStatusesOf(endpoint)) {
    if (!responses[status]) responses[status] = errorResponse(status, codes);
  }
  operation.responses = responses;
}

/**
 * Turns the document @fastify/swagger generated from the routes into the one a generated client can trust: every
 * operation completed from its shared declaration, plus servers and the shared error, job and header components.
 */
export function completeOpenApiDocument(
  document: OpenApiDocument,
  endpoints: ReadonlyArray<[string, EndpointDef]>,
  serverUrl: string,
): OpenApiDocument {
  for (const [name, endpoint] of endpoints) {
    const operation = document.paths[endpoint.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[endpoint.method.toLowerCase()];
    if (!operation) throw new Error(`${name} (${endpoint.method} ${endpoint.path}) has no route`);
    completeOperation(name, endpoint, operation);
  }
  const components = document.components ?? {};
  return {
    ...document,
    servers: [{ url: serverUrl, description: 'This server' }],
    components: {
      ...components,
      schemas: { ...(components.schemas as Json | undefined), Error: toJsonSchema(ErrorDocSchema), Job: toJsonSchema(JobSchema) },
      headers: HEADERS,
    },
  };
}
