import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

/**
 * Responses are written by fast-json-stringify (Fastify's own serializer) from each route's zod response schema as
 * JSON Schema, output side (zod's `toJSONSchema`): only the declared fields reach the wire, as with
 * fastify-type-provider-zod's serializer, at about a fifth of its cost (it parses every answer with zod before
 * `JSON.stringify`). Compiled once per route and status when the routes are ready. A missing required field still
 * fails the answer (500); wrong types are not checked again here: the presenters build every answer from typed records.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) =>
  fastJson(z.toJSONSchema(schema, { io: 'output', target: 'draft-7' }) as Parameters<typeof fastJson>[0]);
