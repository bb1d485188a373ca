import type { z } from 'zod';

/** The outcome of reading a success body against its schema. */
export type LenientResult =
  | { ok: true; value: unknown }
  | { ok: false; issues: Array<{ path: string; message: string }> };

/**
 * Reads a success body leniently, so a newer server never breaks an older front-end:
 * - unknown fields are ignored (zod objects strip them; the parsed value is returned);
 * - values the schema does not know but that have the right type (a new enum member, a new union variant, a
 *   value outside a declared range) are tolerated: the raw JSON is returned as is;
 * - a field the schema requires that is missing, or present with the wrong type (`invalid_type` anywhere), is a
 *   shape the caller cannot use: that is reported so the client can throw INVALID_RESPONSE.
 */
export function parseLeniently(schema: z.ZodType, body: unknown): LenientResult {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fatal = parsed.error.issues.filter((issue) => issue.code === 'invalid_type');
  if (fatal.length === 0) return { ok: true, value: body };
  return {
    ok: false,
    issues: fatal.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  };
}
