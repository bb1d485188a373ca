import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ENDPOINTS, type EndpointDef } from '../../shared/contract/index.js';
import { ID_PREFIX, type IdKind } from '../../shared/ids.js';
import {
  bodyArb, brokenParam, contentTypeArb, contractViolation, junkAuthorization, pathParams, queryArb, requestIdArb,
  fillContextRefs, routableParam, sameRouteParam, schemaKeys, unknownId, type ParamChoice,
} from './helpers/fuzz-arbitraries.js';
import { runJob, SUMMARY } from './helpers/journey.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Property-based fuzzing of every route the contract declares: random and malformed bodies, params, query strings,
 * content types and Authorization headers. Whatever arrives, the API answers below 500, and every error leaves in
 * the shared shape with a known code, the status that code maps to, and the request id of the x-request-id header.
 *
 * Reproduce a failure with FUZZ_SEED=<seed printed by fast-check>; FUZZ_RUNS raises the runs per route.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 80);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** fast-check options: bounded runs, and a short failure report (the default one prints megabyte bodies). */
function fcOptions<Ts>(numRuns: number): fc.Parameters<Ts> {
  return {
    numRuns,
    ...(SEED !== undefined && { seed: SEED }),
    asyncReporter: async (details) => {
      if (!details.failed) return;
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(
        `Property failed after ${details.numRuns} runs (reproduce with FUZZ_SEED=${details.seed}, path ${details.counterexamplePath}; ` +
          `shrunk ${details.numShrinks} times):\n${cause.slice(0, 2_000)}`,
      );
    },
  };
}

type Method = InjectOptions['method'];
/**
 * OPTIONS has its own tests below: it reaches the CORS plugin's preflight route, which answered body errors in
 * Fastify's own shape while the error handler was registered after that plugin.
 */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

/** Routes whose success would take the caller's own token or account away: they get a fresh author per run. */
const DESTRUCTIVE = new Set(['revokeAllMyTokens', 'revokeMyToken', 'adminUpdateUser', 'adminRevokeToken']);
/** Routes the admin token must never be sent to (revoking it would end the run). */
const NEVER_AS_ADMIN = new Set(['revokeAllMyTokens', 'revokeMyToken']);

interface Context {
  authorToken: string;
  ids: Record<string, string>;
}

type AuthChoice = { kind: 'author' } | { kind: 'admin' } | { kind: 'absent' } | { kind: 'junk'; value: string };

interface FuzzRequest {
  method: (typeof METHODS)[number] | 'OPTIONS';
  params: ParamChoice[];
  query: string;
  body: string | undefined;
  contentType: string | undefined;
  auth: AuthChoice;
  requestId: string | undefined;
}

let t: TestApp;

beforeAll(async () => {
  // Bad tokens must not lock the test's address out; the lockout has its own tests.
  t = await buildTestApp({ RATE_LIMIT_AUTH_PER_MIN: '1000000', RATE_LIMIT_AI_PER_MIN: '1000000' });
});
afterAll(() => t?.close());

/** Routes whose handlers need AI-made records (proposals, questions, drafts, jobs) to get past "not found". */
const RICH_TAGS = new Set(['interview', 'toc', 'questions', 'drafts', 'jobs', 'usage']);

/**
 * A fresh author with a book, a chapter and the id of their token, so "valid" params reach the handlers; `rich`
 * adds (through the offline provider) a summary, an interview, a TOC proposal, chapter questions with answers and
 * a draft, and the ids of those records and of a job.
 */
async function newContext(rich = false): Promise<Context> {
  const author = await t.newUser();
  const tokens = await t.as(author.token, { method: 'GET', url: '/v1/me/tokens' });
  const book = await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: 'Fuzz book' } });
  expect(book.statusCode).toBe(201);
  const bookId = book.json<{ id: string }>().id;
  const chapter = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/chapters`, payload: { title: 'Fuzz chapter' } });
  expect(chapter.statusCode).toBe(201);
  const ctx: Context = {
    authorToken: author.token,
    ids: {
      bookId,
      chapterId: chapter.json<{ id: string }>().id,
      userId: author.id,
      tokenId: tokens.json<{ items: Array<{ id: string }> }>().items[0]!.id,
    },
  };
  if (rich) await enrich(ctx);
  return ctx;
}

async function enrich(ctx: Context) {
  const { bookId, chapterId } = ctx.ids;
  const put = await t.as(ctx.authorToken, { method: 'PUT', url: `/v1/books/${bookId}/summary`, payload: { summary: SUMMARY } });
  expect(put.statusCode).toBe(200);
  await runJob(t, ctx.authorToken, 'POST', `/v1/books/${bookId}/interview/generate`);
  const toc = await runJob(t, ctx.authorToken, 'POST', `/v1/books/${bookId}/toc/generate`);
  const questions = await runJob(t, ctx.authorToken, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/questions/generate`, { count: 5 });
  const questionIds: string[] = questions.result.questionIds;
  const batch = await t.as(ctx.authorToken, {
    method: 'POST',
    url: `/v1/books/${bookId}/chapters/${chapterId}/answers/batch`,
    payload: { answers: questionIds.slice(1).map((questionId, i) => ({ questionId, status: 'final', text: `Answer ${i}: a concrete story about a first one-to-one that went quiet, and what helped.` })) },
  });
  expect(batch.statusCode).toBe(200);
  const draft = await runJob(t, ctx.authorToken, 'POST', `/v1/books/${bookId}/chapters/${chapterId}/drafts/generate`, { style: 'conversational', targetWords: 400 });
  Object.assign(ctx.ids, { proposalId: toc.result.proposalId, questionId: questionIds[0], draftId: draft.result.draftId, jobId: draft.id });
}

/** The value a `valid` choice resolves to: a real id from the context, else a well-formed id of the right kind. */
function validParam(name: string, ctx: Context): string {
  const real = ctx.ids[name];
  if (real) return real;
  const kind = name.replace(/Id$/, '') as IdKind;
  return `${ID_PREFIX[kind] ?? 'x'}_01ARZ3NDEKTSV4RRFFQ69G5FAV`;
}

function buildUrl(def: EndpointDef, params: ParamChoice[], query: string, ctx: Context): string {
  let index = 0;
  const path = def.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const choice = params[index++] ?? { kind: 'valid' };
    return choice.kind === 'valid' ? validParam(name, ctx) : choice.value;
  });
  return path + query;
}

function authArb(name: string, def: EndpointDef): fc.Arbitrary<AuthChoice> {
  const right: AuthChoice = def.auth === 'admin' ? { kind: 'admin' } : { kind: 'author' };
  const other: AuthChoice = def.auth === 'admin' || NEVER_AS_ADMIN.has(name) ? { kind: 'author' } : { kind: 'admin' };
  return fc.oneof(
    // Junk and missing tokens are rarer here: the authentication properties below send nothing else.
    { weight: 12, arbitrary: fc.constant(right) },
    { weight: 2, arbitrary: fc.constant(other) },
    { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
    { weight: 2, arbitrary: junkAuthorization.map((value) => ({ kind: 'junk' as const, value })) },
  );
}

function requestArb(name: string, def: EndpointDef, options: { params?: fc.Arbitrary<ParamChoice>; wrongMethods?: boolean } = {}) {
  const paramCount = pathParams(def.path).length;
  return fc.record({
    method: options.wrongMethods === false
      ? fc.constant(def.method)
      : fc.oneof({ weight: 9, arbitrary: fc.constant(def.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
    params: fc.array(options.params ?? routableParam, { minLength: paramCount, maxLength: paramCount }),
    query: queryArb(schemaKeys(def.query)),
    body: bodyArb(def.body),
    contentType: contentTypeArb,
    auth: authArb(name, def),
    requestId: requestIdArb,
  }) satisfies fc.Arbitrary<FuzzRequest>;
}

function authorization(auth: AuthChoice, ctx: Context): string | undefined {
  switch (auth.kind) {
    case 'author':
      return `Bearer ${ctx.authorToken}`;
    case 'admin':
      return `Bearer ${ADMIN_TOKEN}`;
    case 'junk':
      return auth.value;
    default:
      return undefined;
  }
}

async function send(
  url: string,
  request: Pick<FuzzRequest, 'method' | 'body' | 'contentType' | 'requestId'>,
  auth: string | undefined,
  ctx?: Context,
) {
  const body = request.body === undefined || !ctx ? request.body : fillContextRefs(request.body, (name) => validParam(name, ctx));
  const headers: Record<string, string> = {};
  if (auth !== undefined) headers.authorization = auth;
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  if (request.requestId !== undefined) headers['x-request-id'] = request.requestId;
  return t.app.inject({ method: request.method as Method, url, headers, ...(body !== undefined && { payload: body }) });
}

/** Sends one fuzzed request and throws (with the request) when the answer breaks the contract. */
async function check(name: string, def: EndpointDef, request: FuzzRequest, ctx: Context) {
  const url = buildUrl(def, request.params, request.query, ctx);
  const response = await send(url, request, authorization(request.auth, ctx), ctx);
  const where = () => `${name}: ${request.method} ${url.slice(0, 300)} (auth ${request.auth.kind}, content-type ${String(request.contentType)}, body ${String(request.body).slice(0, 200)})`;
  const violation = contractViolation(response, request.requestId, request.method === 'HEAD');
  if (violation) throw new Error(`${violation}\n  request: ${where()}`);
  // A success on the declared method with real ids is the declared success status.
  const exact = request.method === def.method && request.params.every((p) => p.kind === 'valid');
  if (exact && response.statusCode < 300 && response.statusCode !== def.status && !(def.otherResponses && response.statusCode in def.otherResponses)) {
    throw new Error(`answered ${response.statusCode}, declared ${def.status}\n  request: ${where()}`);
  }
  return response;
}

describe('fuzz: every route in ALL_ENDPOINTS survives malformed requests', () => {
  it('covers a non-trivial contract', () => {
    expect(ALL_ENDPOINTS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ALL_ENDPOINTS.map(([, def]) => def.auth))).toEqual(new Set(['none', 'user', 'admin']));
  });

  for (const [name, def] of ALL_ENDPOINTS) {
    it(`${name}: ${def.method} ${def.path} (${def.auth})`, async () => {
      const rich = RICH_TAGS.has(def.tag);
      let ctx = await newContext(rich);
      await fc.assert(
        fc.asyncProperty(requestArb(name, def), async (request) => {
          if (DESTRUCTIVE.has(name)) ctx = await newContext();
          await check(name, def, request, ctx);
        }),
        fcOptions(RUNS),
      );
    });
  }
});

describe('fuzz: authentication comes first and answers in the error shape', () => {
  const authenticated = ALL_ENDPOINTS.filter(([, def]) => def.auth !== 'none');
  const adminOnly = ALL_ENDPOINTS.filter(([, def]) => def.auth === 'admin');
  let ctx: Context;
  beforeAll(async () => {
    ctx = await newContext();
  });

  it('a junk or missing Authorization header is 401 UNAUTHORIZED on every authenticated route, whatever the request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...authenticated).chain(([name, def]) =>
          fc.tuple(
            fc.constant([name, def] as const),
            requestArb(name, def, { wrongMethods: false, params: sameRouteParam }),
            fc.option(junkAuthorization, { nil: undefined }),
          ),
        ),
        async ([[name, def], request, junk]) => {
          const response = await check(name, def, { ...request, auth: junk === undefined ? { kind: 'absent' } : { kind: 'junk', value: junk } }, ctx);
          if (request.method === 'HEAD') return;
          expect(response.statusCode, `${name} with ${JSON.stringify(junk)?.slice(0, 80)}: ${response.body.slice(0, 300)}`).toBe(401);
          expect(response.json().error.code).toBe('UNAUTHORIZED');
        },
      ),
      fcOptions(RUNS * 2),
    );
  });

  it('an author token on an admin route is 403 FORBIDDEN, whatever the request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...adminOnly).chain(([name, def]) => fc.tuple(fc.constant([name, def] as const), requestArb(name, def, { wrongMethods: false, params: sameRouteParam }))),
        async ([[name, def], request]) => {
          const response = await check(name, def, { ...request, auth: { kind: 'author' } }, ctx);
          expect(response.statusCode, `${name}: ${response.body.slice(0, 300)}`).toBe(403);
          expect(response.json().error.code).toBe('FORBIDDEN');
        },
      ),
      fcOptions(RUNS),
    );
  });
});

/** `/`, `/app` and `/admin` themselves (not the files under them). */
const PAGE_ENTRY = /^\/(app|admin)?(\?|$)/;
/** A URL's path with its dot segments resolved, as the request reaches the router (`/.?=` is `/?=`). */
function dotsResolved(url: string): string {
  try {
    const resolved = new URL(url, 'http://localhost');
    return `${resolved.pathname}${resolved.search}`;
  } catch {
    return url;
  }
}

describe('fuzz: unknown routes and methods', () => {
  it('random paths under any method answer in the error shape', async () => {
    const segment = fc.oneof(
      fc.constantFrom('v1', 'books', 'chapters', 'admin', 'users', 'me', 'tokens', 'toc', 'summary', 'health', '..', '.', '', 'openapi.json', 'docs', 'static', 'json'),
      unknownId,
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => encodeURIComponent(s)),
    );
    const ctx = await newContext();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.array(segment, { minLength: 0, maxLength: 7 }),
        queryArb(['limit', 'cursor']),
        bodyArb(undefined),
        contentTypeArb,
        fc.oneof(fc.constant<AuthChoice>({ kind: 'author' }), fc.constant<AuthChoice>({ kind: 'absent' }), junkAuthorization.map((value): AuthChoice => ({ kind: 'junk', value }))),
        async (method, segments, query, body, contentType, auth) => {
          const url = `/${segments.join('/')}${query}`;
          // The pages' own entry points are HTML, not API: `/` and each page redirect (or, unbuilt, say so).
          if (PAGE_ENTRY.test(url) || PAGE_ENTRY.test(dotsResolved(url))) return;
          const response = await send(url, { method, body, contentType, requestId: undefined }, authorization(auth, ctx));
          const violation = contractViolation(response, undefined, method === 'HEAD');
          if (violation) throw new Error(`${violation}\n  request: ${method} ${url.slice(0, 300)}`);
        },
      ),
      fcOptions(RUNS * 2),
    );
  });
});

describe('fuzz: OPTIONS (the CORS preflight route)', () => {
  it('OPTIONS /v1/books with an invalid JSON body answers 400 VALIDATION in the error shape', async () => {
    const response = await t.app.inject({ method: 'OPTIONS', url: '/v1/books', headers: { 'content-type': 'application/json' }, payload: '{bad' });
    expect(contractViolation(response)).toBeNull();
  });

  it('OPTIONS on any route with any body and content type answers in the error shape', async () => {
    const ctx = await newContext();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ALL_ENDPOINTS).chain(([name, def]) =>
          fc.tuple(fc.constant([name, def] as const), requestArb(name, def, { wrongMethods: false }), fc.boolean()),
        ),
        async ([[name, def], request, preflight]) => {
          const url = buildUrl(def, request.params, request.query, ctx);
          const headers: Record<string, string> = preflight ? { origin: 'https://docs.google.com', 'access-control-request-method': def.method } : {};
          if (request.contentType !== undefined) headers['content-type'] = request.contentType;
          const auth = authorization(request.auth, ctx);
          if (auth !== undefined) headers.authorization = auth;
          const response = await t.app.inject({ method: 'OPTIONS', url, headers, ...(request.body !== undefined && { payload: request.body }) });
          const violation = contractViolation(response);
          if (violation) throw new Error(`${violation}\n  request: ${name}: OPTIONS ${url.slice(0, 200)} (content-type ${String(request.contentType)}, body ${String(request.body).slice(0, 100)})`);
        },
      ),
      fcOptions(RUNS),
    );
  });
});

describe('fuzz: path segments the URL layer cannot decode or route', () => {
  const parameterized = ALL_ENDPOINTS.filter(([, def]) => pathParams(def.path).length > 0);

  // Each of these is a single request against a real route; they are the smallest reproductions of the property below.
  it('GET /v1/books/% (malformed percent-encoding) answers 4xx in the error shape with x-request-id', async () => {
    const ctx = await newContext();
    const response = await t.as(ctx.authorToken, { method: 'GET', url: '/v1/books/%' });
    expect(contractViolation(response)).toBeNull();
  });

  it('GET /v1/books/<201 characters> (over maxParamLength) answers 4xx in the error shape with x-request-id', async () => {
    const ctx = await newContext();
    const response = await t.as(ctx.authorToken, { method: 'GET', url: `/v1/books/${'a'.repeat(201)}` });
    expect(contractViolation(response)).toBeNull();
  });

  it('malformed, encoded-surrogate and over-long params on every parameterized route answer in the error shape', async () => {
    const ctx = await newContext();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...parameterized).chain(([name, def]) =>
          fc.tuple(
            fc.constant([name, def] as const),
            requestArb(name, def, {
              params: fc.oneof(routableParam, brokenParam.map((value): ParamChoice => ({ kind: 'text', value }))),
            }),
            brokenParam,
            fc.nat(),
          ),
        ),
        async ([[name, def], request, broken, at]) => {
          // At least one parameter is broken; the others are anything.
          const params = [...request.params];
          params[at % params.length] = { kind: 'text', value: broken };
          await check(name, def, { ...request, params }, ctx);
        },
      ),
      fcOptions(RUNS * 2),
    );
  });
});
