import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import type { $ZodType } from 'zod/v4/core';
import { AppError } from './app-error.js';

/** With the `u` flag a surrogate only matches when it is unpaired. */
const LONE_SURROGATE = /\p{Cs}/u;

/** True when some string in `value` holds a lone UTF-16 surrogate (the common, clean case allocates nothing). */
function hasIllFormedText(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (value === null || typeof value !== 'object') return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (hasIllFormedText(item)) return true;
  return false;
}

/** The path of the first string in `value` holding a lone UTF-16 surrogate, or null when every string is well formed. */
export function illFormedTextPath(value: unknown, path: string[] = []): string[] | null {
  if (!hasIllFormedText(value)) return null;
  if (typeof value === 'string') return path;
  for (const [key, item] of Object.entries(value as object)) {
    const found = illFormedTextPath(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * The zod validator, plus one rule for every part of every request: text must be well-formed Unicode. A lone UTF-16
 * surrogate cannot be stored as UTF-8 (it would come back as three U+FFFD, so what was acknowledged would not be what
 * was stored, and limits would count it three times): it is refused, with the field named.
 */
export const validatorCompiler: FastifySchemaCompiler<$ZodType> = (route) => {
  const validate = zodValidatorCompiler(route);
  return (data) => {
    // The zod compiler always answers synchronously with `{ value }` or `{ error }`.
    const result = validate(data) as { value?: unknown; error?: Error };
    if (result.error) return result;
    const path = illFormedTextPath(result.value);
    if (!path) return result;
    const where = route.httpPart ?? 'body';
    const field = path.join('.');
    const message = 'This text holds a broken character (a lone UTF-16 surrogate, often left by a bad copy and paste); remove it and try again.';
    return {
      error: new AppError('VALIDATION', `${field ? `${field}: ` : ''}${message}`, { issues: [{ where, path: field, message }] }),
    };
  };
};
