import { z } from 'zod';
import type { EndpointDef } from '../../../shared/contract/endpoint.js';
import { ERROR_STATUS, type ErrorCode } from '../../../shared/errors.js';

/** Codes any endpoint can answer with: a malformed request or URL, the rate limit, an unexpected failure. */
const EVERY_ENDPOINT: ErrorCode[] = ['VALIDATION', 'RATE_LIMITED', 'INTERNAL'];
/** A signed-in endpoint: a missing, revoked or expired token, a disabled account, a role that is not enough. */
const SIGNED_IN: ErrorCode[] = ['UNAUTHORIZED', 'ACCOUNT_DISABLED', 'FORBIDDEN'];
/** A body the server could not read: too large or not JSON. */
const WITH_BODY: ErrorCode[] = ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
/** Starting a job: the same kind already running with other params, the quota, a server shutting down. */
const JOB_START: ErrorCode[] = ['JOB_ACTIVE', 'QUOTA_EXCEEDED', 'AI_UNAVAILABLE'];

/** Whether a body carries a top-level `version`: a compare-and-swap write, stale → 409 CONFLICT. */
function isCompareAndSwap(body: z.ZodType): boolean {
  const schema = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) as { properties?: object; anyOf?: { properties?: object }[] };
  return [schema, ...(schema.anyOf ?? [])].some((member) => member.properties !== undefined && 'version' in member.properties);
}

/**
 * The error codes an endpoint can answer with, derived from its declaration (auth, path params, body, versioned body,
 * job start)
 * plus the ones it declares itself (`errors`). The OpenAPI document lists their statuses; the contract test fails on
 * any other.
 */
export function errorCodesOf(endpoint: EndpointDef): ErrorCode[] {
  const codes = new Set<ErrorCode>(EVERY_ENDPOINT);
  if (endpoint.auth !== 'none') SIGNED_IN.forEach((code) => codes.add(code));
  if (endpoint.params) codes.add('NOT_FOUND');
  // Fastify reads a body on every method but GET, DELETE included.
  if (endpoint.method !== 'GET') WITH_BODY.forEach((code) => codes.add(code));
  if (endpoint.status === 202) JOB_START.forEach((code) => codes.add(code));
  if (endpoint.body && isCompareAndSwap(endpoint.body)) codes.add('CONFLICT');
  endpoint.errors?.forEach((code) => codes.add(code));
  return [...codes];
}

/** The statuses of those codes, each with the codes it carries, in status order. */
export function errorStatusesOf(endpoint: EndpointDef): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(endpoint)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}
