import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdJobPool } from './helpers/engine-fixtures.js';
import { SUMMARY } from './helpers/journey.js';
import { freePort, hasRedisServer, startRedis, stopRedis } from './helpers/redis-server.js';
import { openEventStream, until } from './helpers/sse-client.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, type OpenAiTestServer } from './support/openai-test-server.js';

/**
 * Revocation reaches open event streams: revoking the token, or disabling or demoting the user, closes the
 * principal's streams at once (they would otherwise carry progress and the result until the job ends); other
 * identity changes leave them open. One user may hold a bounded number of streams open (429 past it). With Redis,
 * a change made on one instance reaches the others' cached principals and streams at once.
 */


const url = (t: TestApp) => `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

async function queuedJob(t: TestApp, token: string, title: string) {
  const as = (method: 'POST' | 'PUT', path: string, payload: object) => t.as(token, { method, url: path, payload });
  const book = (await as('POST', '/v1/books', { title })).json<{ id: string }>();
  await as('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY });
  const started = await as('POST', `/v1/books/${book.id}/interview/generate`, {});
  expect(started.statusCode, started.body).toBe(202);
  return started.json<{ job: { id: string } }>().job.id;
}

const admin = (t: TestApp, method: 'PATCH' | 'POST' | 'DELETE', path: string, payload?: object) =>
  t.as(ADMIN_TOKEN, { method, url: path, ...(payload ? { payload } : {}) });
const tokenIdOf = async (t: TestApp, token: string) => (await t.as(token, { method: 'GET', url: '/v1/me/tokens' })).json<{ items: Array<{ id: string }> }>().items[0]!.id;

describe('one server: streams follow what happens to their principal', () => {
  let t: TestApp;
  let release: () => void;

  beforeAll(async () => {
    // One job slot, held: the authors' jobs stay queued, so their streams stay open until something closes them.
    t = await buildTestApp({ JOBS_CONCURRENCY: '1', RATE_LIMIT_AI_PER_MIN: '100000' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    release = (await holdJobPool(t)).release;
  });
  afterAll(async () => {
    release?.();
    await t?.close();
  });

  async function openStream(role: 'author' | 'admin' = 'author') {
    const user = await t.newUser(role);
    const jobId = await queuedJob(t, user.token, `Streams of ${user.email}`);
    const stream = await openEventStream(`${url(t)}/v1/jobs/${jobId}/events`, user.token);
    await until(() => stream.events.length > 0, 5_000, 'the first event');
    return { user, jobId, stream };
  }
  const finalEvents = (events: Array<{ event: string }>) => events.filter((e) => e.event !== 'progress');

  it('revoking the token closes its streams at once, before any further event', async () => {
    const { user, stream } = await openStream();
    expect((await admin(t, 'DELETE', `/v1/admin/users/${user.id}/tokens/${await tokenIdOf(t, user.token)}`)).statusCode).toBe(204);
    const events = await stream.ended;
    expect(events).toHaveLength(1);
    expect(finalEvents(events)).toEqual([]);
  });

  it('disabling the user closes their streams', async () => {
    const { user, stream } = await openStream();
    expect((await admin(t, 'PATCH', `/v1/admin/users/${user.id}`, { disabled: true })).statusCode).toBe(200);
    expect(finalEvents(await stream.ended)).toEqual([]);
  });

  it('demoting an administrator closes their streams', async () => {
    const { user, stream } = await openStream('admin');
    expect((await admin(t, 'PATCH', `/v1/admin/users/${user.id}`, { role: 'author' })).statusCode).toBe(200);
    expect(finalEvents(await stream.ended)).toEqual([]);
  });

  it('other changes (a new token, a quota) leave the streams open: they end with the result', async () => {
    const { user, stream } = await openStream();
    expect((await admin(t, 'POST', `/v1/admin/users/${user.id}/tokens`, {})).statusCode).toBe(201);
    expect((await admin(t, 'PATCH', `/v1/admin/users/${user.id}`, { quotaDailyTokens: 5_000 })).statusCode).toBe(200);
    // Every re-check is done once the change answered; the stream is still registered.
    await new Promise((resolve) => setImmediate(resolve));
    await until(() => t.app.services.eventStreams.count(user.id) === 1, 1_000, 'the stream to stay');
    release();
    const events = await stream.ended;
    expect(events.at(-1)).toMatchObject({ event: 'result' });
  });

  it(`one user holds at most the limit of open streams (429 RATE_LIMITED past it); a closed one frees its place`, async () => {
    // The previous test released the job slot: hold it again, so this job stays queued.
    release = (await holdJobPool(t)).release;
    const user = await t.newUser();
    const jobId = await queuedJob(t, user.token, 'Many windows');
    const open = (signal?: AbortSignal) =>
      fetch(`${url(t)}/v1/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${user.token}` }, signal });
    const controllers = Array.from({ length: 20 }, () => new AbortController());
    const first = await Promise.all(controllers.map((c) => open(c.signal)));
    expect(first.map((r) => r.status)).toEqual(first.map(() => 200));
    const refused = await open();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { error: { code: string; message: string; details: { limit: number } } };
    expect(body.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 20 } });
    expect(body.error.message).toMatch(/close some panels/);
    controllers[0]!.abort();
    await until(() => t.app.services.eventStreams.count(user.id) === 19, 5_000, 'the closed stream to be forgotten');
    const again = new AbortController();
    expect((await open(again.signal)).status).toBe(200);
    for (const c of [...controllers, again]) c.abort();
  });
});

describe.skipIf(!hasRedisServer)('two servers on one Redis and one store: a change on one reaches the other at once', () => {
  let redis: ChildProcess | null = null;
  let ai: OpenAiTestServer;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    ai = await startOpenAiTestServer();
    const env = openAiTestEnv(ai, { REDIS_URL: `redis://127.0.0.1:${port}`, AI_TIMEOUT_MS: '60000', AI_MAX_RETRIES: '0' });
    a = await buildTestApp(env);
    b = await buildTestApp(env, { dataDir: a.dataDir });
    await b.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    ai?.resume();
    await b?.close();
    await a?.close();
    await ai?.close();
    await stopRedis(redis);
  });

  it('a token revoked on A is refused by B at once (not after its principal cache expires), and B closes its stream', async () => {
    ai.pause();
    const user = await a.newUser();
    const jobId = await queuedJob(b, user.token, 'Revoked elsewhere');
    await ai.waitForCalls(1);
    const stream = await openEventStream(`${url(b)}/v1/jobs/${jobId}/events`, user.token);
    await until(() => stream.events.length > 0, 5_000, 'the first event');
    expect((await b.as(user.token, { method: 'GET', url: '/v1/me' })).statusCode).toBe(200); // cached on B now

    expect((await a.as(ADMIN_TOKEN, { method: 'DELETE', url: `/v1/admin/users/${user.id}/tokens/${await tokenIdOf(a, user.token)}` })).statusCode).toBe(204);
    // Well inside the principal cache's 5 s: only the notice through Redis can explain a 401 now.
    const refusedWithin = Date.now() + 1_000;
    let status = 200;
    while (status === 200 && Date.now() < refusedWithin) {
      status = (await b.as(user.token, { method: 'GET', url: '/v1/me' })).statusCode;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
    const events = await stream.ended;
    expect(events.every((e) => e.event === 'progress')).toBe(true);
  }, 30_000);
});
