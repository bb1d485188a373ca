import { z } from 'zod';
import { LIMITS } from '../limits.js';

/** ISO 8601 UTC timestamp with milliseconds. */
export const TimestampSchema = z.string().describe('ISO 8601 UTC timestamp with milliseconds');

/** Id path parameter: any string; a malformed id simply finds nothing (404). */
export const IdParamSchema = z.string();

/** A character that shows: not a space, a control, or an invisible format character (zero-width space, joiners…). */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}]/u;

/** A string of at most `max` UTF-16 units that holds at least one visible character; stored verbatim. */
export function requiredText(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => VISIBLE.test(value), { message: 'Must hold at least one visible character' });
}

/** `limit` and `cursor` of every cursor-paged collection. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageLimitMax).default(LIMITS.pageLimitDefault),
  cursor: z.string().max(LIMITS.cursorMax).optional(),
});

/** A page of a collection: `{ items, nextCursor }`, `nextCursor` null at the end. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Optimistic-concurrency version: starts at 1, +1 on every successful write of the record. */
export const VersionSchema = z.number().int().min(1);

export const BooleanQuerySchema = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true');
