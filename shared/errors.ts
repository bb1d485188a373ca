import { z } from 'zod';

/** Every error code the API can answer with, and the HTTP status it always maps to. */
export const ERROR_STATUS = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  GOOGLE_AUTH_REQUIRED: 401,
  FORBIDDEN: 403,
  ACCOUNT_DISABLED: 403,
  SIGNUP_CLOSED: 403,
  GOOGLE_FORBIDDEN: 403,
  NOT_FOUND: 404,
  DOC_NOT_FOUND: 404,
  CONFLICT: 409,
  JOB_ACTIVE: 409,
  JOB_CANCELLED: 409,
  QUESTION_ANSWERED: 409,
  LIMIT_REACHED: 409,
  DOC_CHAPTER_EDITED: 409,
  DOC_NOT_LINKED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  AI_TRUNCATED: 422,
  QUOTA_EXCEEDED: 429,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  AI_INVALID_OUTPUT: 502,
  AI_UNAVAILABLE: 503,
  GOOGLE_UNAVAILABLE: 503,
  /** Only a job's stored failure, never an answer: the server running it stopped before it ended. */
  JOB_INTERRUPTED: 503,
} as const;

/** A code from the shared error table. */
export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The one error body shape: `{ error: { code, message, requestId, details? } }`. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});

/** Maps an unknown code (from a newer server) to INTERNAL so older clients still decide sensibly. */
export function normalizeErrorCode(code: unknown): ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code) ? (code as ErrorCode) : 'INTERNAL';
}
