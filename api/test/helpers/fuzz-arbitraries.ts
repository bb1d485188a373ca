import fc from 'fast-check';
import type { z } from 'zod';
import { ERROR_STATUS } from '../../../shared/errors.js';
import { ID_PREFIX } from '../../../shared/ids.js';

/**
 * fast-check arbitraries for throwing malformed requests at the API, and the one check every answer must pass.
 * Shared by the fuzz tests; nothing here knows a particular route beyond what the contract declares.
 */

/** Parses the `:name` segments of a Fastify path. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]!);
}

/** Replaces lone surrogates so `encodeURIComponent` cannot throw. */
const wellFormed = (value: string) => value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
export const encode = (value: string) => encodeURIComponent(wellFormed(value));

const LONE_SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Text of every flavour: ASCII, any code point, graphemes, lone surrogates, control and bidi characters. */
export const anyText = (maxLength = 40) =>
  fc.oneof(
    fc.string({ unit: 'grapheme-ascii', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: fc.oneof(LONE_SURROGATE, fc.constantFrom('a', '\u0000', '\u202e', '\ufeff', 'e\u0301', '🌍')), maxLength }),
    fc.constantFrom('', ' ', '\t\n', '\u00a0', '\u200b', 'null', 'undefined', '<script>alert(1)</script>', "'; DROP TABLE books; --", '${x}', '__proto__', 'constructor'),
  );

/** A well-formed id of some kind that does not exist. */
export const unknownId = fc
  .tuple(fc.constantFrom(...Object.values(ID_PREFIX)), fc.ulid())
  .map(([prefix, ulid]) => `${prefix}_${ulid}`);

/** Strings that are long but stay under the body limit. */
const longText = fc
  .tuple(fc.constantFrom('x', 'é', '🌍', '\ud800', ' '), fc.integer({ min: 200, max: 25_000 }))
  .map(([unit, count]) => unit.repeat(count));

/** Numbers a validator has to think about. */
const edgeNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1, 2, 3, 100, 101, 200, 201, 999, 1000, 1_000_001, -0.5, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e12 + 1, 1e308, Number.MIN_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any value that survives a JSON round trip (plus objects with hostile keys). */
export const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2 }).map((value) => {
    try {
      const text = JSON.stringify(value);
      return text === undefined ? null : (JSON.parse(text) as unknown);
    } catch {
      return null;
    }
  }),
  fc.constantFrom({ constructor: { prototype: { admin: true } } }, { toString: 1, valueOf: 'x', hasOwnProperty: null }),
);

/** A value of the wrong (or right, or edge) type for any field. */
export const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: anyText() },
  { weight: 1, arbitrary: longText },
  { weight: 2, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { $gt: '' }, ['a', 'b']) },
  { weight: 1, arbitrary: unknownId },
  { weight: 1, arbitrary: jsonish },
);

type ZodDef = { type: string } & Record<string, unknown>;
const defOf = (schema: unknown): ZodDef | null =>
  (schema as { _zod?: { def?: ZodDef } } | undefined)?._zod?.def ?? null;

/**
 * A value shaped like the zod schema, with any part replaced by a hostile or wrong-typed value: deep enough to
 * get past the outer validation and into the handlers, wrong enough to probe every field.
 */
export function nearValid(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (!def || depth > 4) return fieldValue;
  const shaped = shapedFor(def, depth);
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: fieldValue });
}

function shapedFor(def: ZodDef, depth: number): fc.Arbitrary<unknown> {
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const entries = Object.keys(shape).map((key) => [key, nearValid(shape[key], depth + 1)] as const);
      const extra = fc.dictionary(fc.constantFrom('extra', '__proto__', 'id', 'userId', 'role', 'version'), fieldValue, { maxKeys: 2 });
      return fc
        .tuple(fc.record(Object.fromEntries(entries), { requiredKeys: [] }), extra)
        .map(([known, more]) => ({ ...more, ...(known as object) }));
    }
    case 'array':
      return fc.array(nearValid(def.element, depth + 1), { maxLength: depth === 0 ? 5 : 3 });
    case 'optional':
    case 'nullable':
    case 'default':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return fc.oneof(nearValid(def.innerType, depth), fc.constant(null));
    case 'pipe':
      return nearValid(def.in, depth);
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((option) => nearValid(option, depth + 1)));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'string':
      return fc.oneof(anyText(60), fc.constantFrom('a', 'Title', 'someone@example.com', 'abc_DEF-123'));
    case 'number':
    case 'int':
      return edgeNumber;
    case 'boolean':
      return fc.boolean();
    default:
      return fieldValue;
  }
}

/**
 * A placeholder for a real id of the caller (`@ctx:chapterId@`), filled in when the request is sent, so plausible
 * bodies can name existing chapters and questions. `id` and `parentId` (TOC items, sections) name chapters.
 */
export function contextRef(key: string): string {
  const name = key === 'id' || key === 'parentId' ? 'chapterId' : key.replace(/Ids$/, 'Id');
  return `@ctx:${name}@`;
}

/** Replaces `contextRef` placeholders in a request body. */
export function fillContextRefs(text: string, resolve: (name: string) => string): string {
  return text.replace(/@ctx:(\w+)@/g, (_, name: string) => resolve(name));
}

/**
 * A value the schema most likely accepts (required keys present, short printable strings, small numbers, valid enum
 * members), so a good share of fuzzed requests gets past validation and into the services and the store.
 */
export function plausible(schema: unknown, key = '', depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (!def || depth > 4) return fc.constant(null);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const keys = Object.keys(shape);
      const required = keys.filter((k) => !['optional', 'default'].includes(defOf(shape[k])?.type ?? ''));
      return fc.record(Object.fromEntries(keys.map((k) => [k, plausible(shape[k], k, depth + 1)])), { requiredKeys: required });
    }
    case 'array':
      return fc.array(plausible(def.element, key, depth + 1), { minLength: 1, maxLength: 4 });
    case 'optional':
    case 'default':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return plausible(def.innerType, key, depth);
    case 'nullable':
      return fc.oneof({ weight: 4, arbitrary: plausible(def.innerType, key, depth) }, { weight: 1, arbitrary: fc.constant(null) });
    case 'pipe':
      return plausible(def.in, key, depth);
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((option) => plausible(option, key, depth + 1)));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'string':
      if (/^id$|Ids?$/.test(key)) return fc.oneof({ weight: 3, arbitrary: fc.constant(contextRef(key)) }, { weight: 1, arbitrary: unknownId });
      if (/email/i.test(key)) return fc.emailAddress().filter((email) => email.length < 200);
      if (/documentId/.test(key)) return fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/);
      return fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((text) => text.trim().length > 0), fc.constantFrom('Chapter one', 'A summary.', 'été 🌍 日本語'));
    case 'number':
    case 'int':
      return /words/i.test(key) ? fc.integer({ min: 1_000, max: 1_000_000 }) : fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(20, 100, 1_000));
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constant(null);
  }
}

/** Text that is not valid JSON (or is, but hostile: deep nesting, prototype keys, BOM). */
export const invalidJsonText = fc.oneof(
  fc.constantFrom(
    '{', '}', '{"a":', '{"title":"x",}', "{'title':'x'}", '{"title":"x"}{"title":"y"}', 'NaN', 'undefined', '[1,2,',
    '\ufeff{"title":"x"}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"title":"\\ud800"}',
    '{"title":"\\u0000"}', '{"a":1e999999}', '"unterminated', '\u0000', '--', 'title=x&summary=y', '<xml/>',
  ),
  fc.integer({ min: 1_000, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 1_000, max: 5_000 }).map((depth) => `{"constructor":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

/** A request body: none, JSON of anything, schema-shaped JSON, broken JSON, or too large. */
export function bodyArb(schema: unknown): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: jsonish.map((value) => JSON.stringify(value)) },
    { weight: 5, arbitrary: nearValid(schema ?? null).map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 5, arbitrary: plausible(schema ?? null).map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 2, arbitrary: invalidJsonText },
    { weight: 1, arbitrary: fc.constantFrom(1_100_000, 2_000_000).map((size) => JSON.stringify({ title: 'x'.repeat(size), summary: 'y' })) },
  );
}

export const contentTypeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined, 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'text/plain',
      'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/jsonx', 'application/xml', '',
      ';;;', '*/*', 'application/json, text/plain', 'application/octet-stream', 'application/merge-patch+json',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
);

/** Values for a query-string key: edge numbers, garbage cursors, booleans in odd spellings, long text. */
const queryValue = fc.oneof(
  fc.constantFrom(
    '', '-1', '0', '1', '20', '100', '101', 'NaN', 'Infinity', '-Infinity', '1e309', '0x10', '1.5', ' 5 ', '007', '1e2', '9'.repeat(400),
    'true', 'false', 'TRUE', '1', 'yes', 'null', '[]', '{}',
  ),
  fc.base64String({ maxLength: 60 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  unknownId.map((id) => Buffer.from(id).toString('base64url')),
  anyText(20),
  fc.integer({ min: 201, max: 3_000 }).map((n) => 'c'.repeat(n)),
);

/** A query string: known and unknown keys, duplicated keys, bracket "arrays", raw and encoded. */
export function queryArb(knownKeys: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...knownKeys, 'limit', 'cursor') },
    { weight: 1, arbitrary: fc.constantFrom(...knownKeys, 'limit', 'cursor').map((k) => `${k}[]`) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'a[b]', '', '&', '=') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 8 }) },
  );
  const pair = fc.tuple(key, queryValue, fc.boolean()).map(([k, v, raw]) =>
    raw ? `${k}=${v.replace(/[#\s]/g, '')}` : `${encode(k)}=${encode(v)}`,
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 6, arbitrary: fc.array(pair, { minLength: 1, maxLength: 6 }).map((pairs) => `?${pairs.join('&')}`) },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&&', '?limit', '?limit=&cursor=', '?limit=1&limit=2&limit=3', '?cursor=%zz', '?limit=%', '?%ED%A0%80=1') },
  );
}

/** A path parameter value that still routes (percent-encoded, at most ~180 characters). */
export type ParamChoice = { kind: 'valid' } | { kind: 'text'; value: string };

export const routableParam: fc.Arbitrary<ParamChoice> = fc.oneof(
  { weight: 9, arbitrary: fc.constant({ kind: 'valid' as const }) },
  { weight: 2, arbitrary: unknownId.map((id) => ({ kind: 'text' as const, value: id })) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 50 }).map((s) => ({ kind: 'text' as const, value: encode(s) })) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((s) => ({ kind: 'text' as const, value: encode(s) })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('..', '.', '%2E%2E', '%25', '%2F', '%00', '%20', 'null', 'undefined', '0', '-1', '%C3%A9%F0%9F%8C%8D', 'bk_', 'usr_01', '*', '%3F', '%23')
      .map((value) => ({ kind: 'text' as const, value })),
  },
);

/** Like `routableParam`, minus segments URL normalisation removes (`.`, `..`, empty): the request keeps its route. */
export const sameRouteParam: fc.Arbitrary<ParamChoice> = routableParam.filter((choice) => {
  if (choice.kind === 'valid') return true;
  try {
    return !['', '.', '..'].includes(decodeURIComponent(choice.value));
  } catch {
    return true;
  }
});

/** Path segments that break the URL layer: malformed percent-encoding, encoded lone surrogates, over-long. */
export const brokenParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%%', '%zz', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', 'a%', '%0', '..%', '%u0041'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 10 }).map((s) => `${encode(s)}%${s.length % 2 ? 'G' : ''}`),
  fc.integer({ min: 201, max: 3_000 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 70, max: 400 }).map((n) => '%C3%A9'.repeat(n)),
);

/** Junk Authorization header values (never a valid token). */
export const junkAuthorization = fc.oneof(
  fc.constantFrom(
    '', 'Bearer', 'Bearer ', 'Bearer  ', 'Basic Zm9vOmJhcg==', 'Token abc', 'bearer', 'Bearer null', 'Bearer undefined',
    'Bearer aa_', `Bearer aa_${'A'.repeat(43)}`, `Bearer ${'x'.repeat(201)}`, `Bearer ${'x'.repeat(5000)}`, 'Bearer a b c',
    'Bearer \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9',
  ),
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 20, maxLength: 80 }).map((s) => `Bearer ${s.replace(/\s/g, '')}`),
  fc.base64String({ minLength: 40, maxLength: 48 }).map((s) => `Bearer aa_${s}`),
);

const SERVER_REQUEST_ID = /^req_[\w-]+\.[0-9a-z]+$/;

export const requestIdArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.stringMatching(/^[\w.:-]{1,64}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a b', 'x'.repeat(65), '<script>', 'id\u00e9', '../../etc') },
);

export interface ApiAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Why an answer breaks the API's promises, or null when it keeps them. */
export function contractViolation(response: ApiAnswer, sentRequestId?: string, headRequest = false): string | null {
  const { statusCode } = response;
  const header = response.headers['x-request-id'];
  if (statusCode >= 500) return `server error ${statusCode}: ${response.body.slice(0, 300)}`;
  if (statusCode < 200 || (statusCode >= 300 && statusCode < 400)) return `unexpected status ${statusCode}`;
  if (typeof header !== 'string' || header.length === 0) return `no x-request-id header (status ${statusCode}, body ${response.body.slice(0, 200)})`;
  // The id is always the server's own; a client's x-request-id is only logged beside it.
  if (!SERVER_REQUEST_ID.test(header) || header === sentRequestId) return `x-request-id ${header} is not the server's own id`;
  if (statusCode < 400 || headRequest) return null;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return `${statusCode} body is not JSON: ${response.body.slice(0, 200)}`;
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).join() !== 'error' || !error || typeof error !== 'object') {
    return `${statusCode} body is not {error:{…}}: ${response.body.slice(0, 300)}`;
  }
  const { code, message, requestId } = error;
  if (typeof code !== 'string' || !(code in ERROR_STATUS)) return `unknown error code ${String(code)}`;
  if (ERROR_STATUS[code as keyof typeof ERROR_STATUS] !== statusCode) return `code ${code} answered with status ${statusCode}`;
  if (typeof message !== 'string' || message.length === 0) return `error ${code} without a message`;
  if (typeof requestId !== 'string' || requestId !== header) return `error.requestId ${String(requestId)} differs from x-request-id ${header}`;
  return null;
}

/** The keys a query schema declares (for generating plausible query strings). */
export function schemaKeys(schema: z.ZodType | undefined): string[] {
  let def = defOf(schema);
  while (def && ['optional', 'nullable', 'default', 'pipe'].includes(def.type)) def = defOf(def.innerType ?? def.in);
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}
