import type { z } from 'zod';
import type { ErrorCode } from '../errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call an endpoint. */
export type EndpointAuth = 'none' | 'user' | 'admin';

/** Rate-limit group; AI job kinds get their own groups later. */
export type RateGroup = 'default' | 'auth' | 'ai';

/**
 * A success body that is not JSON: the job event stream (events progress, result, error), a CSV file, or a file
 * download (`application/octet-stream` here; the response carries the file's own media type).
 */
export type StreamMediaType = 'text/event-stream' | 'text/csv' | 'application/octet-stream';

/** What the typed client resolves a file download to. */
export interface DownloadedFile {
  blob: Blob;
  /** From Content-Disposition (`filename*` first), or null. */
  filename: string | null;
  mediaType: string;
}

/** One endpoint, declared once and used by both the API route and the typed client. */
export interface EndpointDef {
  method: HttpMethod;
  /** Fastify-style path, e.g. `/v1/books/:bookId`. */
  path: string;
  auth: EndpointAuth;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success status; 204 has no response body. */
  status: 200 | 201 | 202 | 204;
  response?: z.ZodType;
  /** The success body's media type when it is not JSON (then there is no `response` schema). */
  produces?: StreamMediaType;
  /**
   * Error codes this endpoint answers with beyond those its declaration implies (every endpoint: VALIDATION,
   * RATE_LIMITED, INTERNAL; signed-in: UNAUTHORIZED, ACCOUNT_DISABLED, FORBIDDEN; path params: NOT_FOUND; a body:
   * PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE; a body with `version`: CONFLICT; a job start: JOB_ACTIVE, QUOTA_EXCEEDED,
   * AI_UNAVAILABLE).
   */
  errors?: readonly ErrorCode[];
  /** Other statuses that answer with a non-error body (e.g. readiness 503). */
  otherResponses?: Record<number, z.ZodType>;
  rateGroup?: RateGroup;
}

/** Declares an endpoint, keeping its literal types. */
export function endpoint<const E extends EndpointDef>(def: E): E {
  return def;
}

type InputOf<T> = T extends z.ZodType ? z.input<T> : undefined;
type OutputOf<T> = T extends z.ZodType ? z.output<T> : undefined;

export type EndpointParams<E extends EndpointDef> = InputOf<E['params']>;
export type EndpointQuery<E extends EndpointDef> = InputOf<E['query']>;
export type EndpointBody<E extends EndpointDef> = InputOf<E['body']>;
/** What the client receives (undefined for 204, a DownloadedFile for a file download). */
export type EndpointResult<E extends EndpointDef> = E['produces'] extends 'application/octet-stream' ? DownloadedFile : OutputOf<E['response']>;

/** Parsed request parts as the route handler sees them. */
export interface EndpointRequest<E extends EndpointDef> {
  params: OutputOf<E['params']>;
  query: OutputOf<E['query']>;
  body: OutputOf<E['body']>;
}
/** What a route handler returns (the serializer checks it against the response schema). */
export type EndpointReply<E extends EndpointDef> = E['response'] extends z.ZodType ? z.input<E['response']> : void;

/** Fills `:name` segments of a path from params, URL-encoding each value. */
export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(String(value));
  });
}
