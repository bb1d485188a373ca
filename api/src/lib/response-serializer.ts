import type { FastifySchemaCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import * as z from 'zod';

type SerializerCompiler = Parameters<import('fastify').FastifyInstance['setSerializerCompiler']>[0];

/**
 * Schema kinds whose output depends on the direction: encoding skips defaults and catches, runs pipes (codecs)
 * backwards and refuses transforms. A response schema without any of them gives the same output either way.
 */
const DIRECTIONAL = new Set(['transform', 'pipe', 'default', 'prefault', 'catch', 'success']);

/** The schemas directly inside `def` (object fields, array items, union options, wrapped types…). */
function childrenOf(def: Record<string, unknown>): unknown[] {
  const children: unknown[] = [];
  for (const key of ['innerType', 'element', 'catchall', 'rest', 'left', 'right', 'keyType', 'valueType', 'in', 'out']) {
    if (def[key]) children.push(def[key]);
  }
  for (const key of ['options', 'items']) if (Array.isArray(def[key])) children.push(...(def[key] as unknown[]));
  if (def.shape && typeof def.shape === 'object') children.push(...Object.values(def.shape as object));
  if (typeof def.getter === 'function') children.push((def.getter as () => unknown)());
  return children;
}

/** True when parsing and encoding `schema` may give different output (or when it cannot tell). */
export function isDirectional(schema: z.core.$ZodType, seen = new Set<unknown>()): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown>;
  if (typeof def.type !== 'string' || DIRECTIONAL.has(def.type)) return true;
  return childrenOf(def).some((child) => !(child instanceof z.core.$ZodType) || isDirectional(child, seen));
}

/**
 * fastify-type-provider-zod's serializer, faster for plain response schemas: it encodes (`safeEncode`), which takes
 * zod's slow generic path, about ten times the cost of parsing on a chapter. For a schema with no transforms,
 * codecs, defaults or catches, parsing checks and strips exactly the same, so those responses are parsed instead;
 * anything that fails, and every other schema, goes through the original serializer (same output, same errors).
 */
export const responseSerializerCompiler: SerializerCompiler = (routeSchema) => {
  const encode = (zodSerializerCompiler as SerializerCompiler)(routeSchema);
  const { schema } = routeSchema as Parameters<FastifySchemaCompiler<unknown>>[0];
  if (!(schema instanceof z.core.$ZodType) || isDirectional(schema)) return encode;
  return (data) => {
    const result = z.safeParse(schema, data);
    return result.success ? JSON.stringify(result.data) : encode(data);
  };
};
