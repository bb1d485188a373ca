import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, createAiCache } from '../src/ai/ai-cache.js';
import { SUMMARY } from './helpers/journey.js';
import { freePort, hasRedisServer, startRedis, stopRedis } from './helpers/redis-server.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

if (!hasRedisServer) {
  console.warn('redis.test.ts skipped: no redis-server binary on PATH (install it with `apt-get install -y redis-server`).');
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!hasRedisServer)('REDIS_URL: shared rate limits, AI cache and readiness across instances', () => {
  let port = 0;
  let server: ChildProcess | null = null;
  let probe: Redis;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    port = await freePort();
    server = await startRedis(port);
    probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    probe.on('error', () => {}); // expected while the outage test has Redis down
    await probe.connect();
    // Two instances with their own SQLite data directories (so their own users and stores), one Redis.
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_DEFAULT_PER_MIN: '5' };
    a = await buildTestApp(env);
    b = await buildTestApp(env);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    probe?.disconnect();
    await stopRedis(server);
  });

  beforeEach(async () => {
    if (server && server.exitCode === null && server.signalCode === null) await probe.flushall();
  });

  it('both instances are connected to the same Redis; an instance without REDIS_URL has none', async () => {
    expect(a.app.redis?.status).toBe('ready');
    expect(b.app.redis?.status).toBe('ready');
    const plain = await buildTestApp();
    try {
      expect(plain.app.redis).toBeNull();
      const ready = await plain.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().checks.redis).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it('the anonymous per-address limit is shared: the 6th request across both instances is 429 RATE_LIMITED', async () => {
    const remoteAddress = '198.51.100.23';
    const meta = (t: TestApp) => t.app.inject({ method: 'GET', url: '/v1/meta', remoteAddress });
    // Alternate, so each instance alone sees only 3 requests, under the limit of 5.
    const order = [a, b, a, b, a];
    for (const [i, t] of order.entries()) {
      const response = await meta(t);
      expect(response.statusCode, `request ${i + 1}`).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBe('5');
      expect(response.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    const refused = await meta(b);
    expect(refused.statusCode).toBe(429);
    const error = errorOf(refused);
    expect(error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(error.details).toMatchObject({ retryAfterS: retryAfter, limit: 5 });
    expect(refused.headers['x-ratelimit-limit']).toBe('5');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    // Instance A refuses too, and another address is unaffected.
    expect((await meta(a)).statusCode).toBe(429);
    expect((await a.app.inject({ method: 'GET', url: '/v1/meta', remoteAddress: '198.51.100.24' })).statusCode).toBe(200);
    // The counters live in Redis under the aa-rl: namespace.
    const keys = await probe.keys('aa-rl:*');
    expect(keys).toContain(`aa-rl:default:ip:${remoteAddress}`);
    expect(Number(await probe.get(`aa-rl:default:ip:${remoteAddress}`))).toBe(7);
    const ttl = await probe.pttl(`aa-rl:default:ip:${remoteAddress}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('readiness shows redis ok', async () => {
    for (const t of [a, b]) {
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      const body = ready.json();
      expect(body.status).toBe('ok');
      expect(body.checks.store.status).toBe('ok');
      expect(body.checks.redis.status).toBe('ok');
      expect(typeof body.checks.redis.details.latencyMs).toBe('number');
    }
  });

  it('an AI answer cached by instance A is a hit on instance B (other SQLite directory) through Redis', async () => {
    const key = cacheKey({ userId: 'usr_shared', provider: 'offline', model: 'offline-1', promptVersion: 'v1', input: { summary: 'A book about tides' } });
    const answer = { output: { questions: ['Where does the tide go?'] }, model: 'offline-1' };
    expect(await b.app.ai.cache.get(key)).toBeNull();
    await a.app.ai.cache.put(key, 'usr_shared', answer);

    // In Redis under aa-ai: with the cache TTL (AI_CACHE_TTL_S, 30 days by default).
    const ttl = await probe.pttl(`aa-ai:${key}`);
    expect(ttl).toBeGreaterThan(a.config.ai.cacheTtlS * 1000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(a.config.ai.cacheTtlS * 1000);

    const before = b.app.ai.cache.stats();
    expect(await b.app.ai.cache.get(key)).toEqual(answer);
    expect(b.app.ai.cache.stats()).toMatchObject({ hits: before.hits + 1, redisHits: (before.redisHits ?? 0) + 1 });
    // B's own store never held it: the hit came through Redis.
    expect(await b.app.store.aiCache.get(key, new Date().toISOString())).toBeNull();
    expect(await a.app.store.aiCache.get(key, new Date().toISOString())).not.toBeNull();
  });

  it('a Redis hit is kept in memory only for the time the Redis entry has left', async () => {
    const key = cacheKey({ userId: 'usr_short', provider: 'offline', model: 'offline-1', promptVersion: 'v1', input: 'short' });
    await probe.set(`aa-ai:${key}`, JSON.stringify({ output: 'brief', model: 'offline-1' }), 'PX', 300);
    expect(await b.app.ai.cache.get(key)).toEqual({ output: 'brief', model: 'offline-1' });
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await probe.exists(`aa-ai:${key}`)).toBe(0);
    expect(await b.app.ai.cache.get(key)).toBeNull();
  });

  it('a store hit refills Redis with the time it has left', async () => {
    const key = cacheKey({ userId: 'usr_refill', provider: 'offline', model: 'offline-1', promptVersion: 'v1', input: 'refill' });
    await a.app.ai.cache.put(key, 'usr_refill', { output: 'x', model: 'offline-1' });
    await probe.del(`aa-ai:${key}`);
    // A fresh cache object over A's store (empty memory), sharing Redis: it reads the store and refills Redis.
    const cold = createAiCache({ store: a.app.store.aiCache, maxBytes: 1 << 20, ttlMs: a.config.ai.cacheTtlS * 1000, redis: a.app.redis });
    expect(await cold.get(key)).toEqual({ output: 'x', model: 'offline-1' });
    expect(await probe.get(`aa-ai:${key}`)).toBe(JSON.stringify({ output: 'x', model: 'offline-1' }));
    expect(await probe.pttl(`aa-ai:${key}`)).toBeGreaterThan(0);
  });

  it('with Redis killed: readiness is 200 degraded, books, anonymous routes and the AI cache keep working; it recovers', async () => {
    const author = await a.newUser();
    const key = cacheKey({ userId: author.id, provider: 'offline', model: 'offline-1', promptVersion: 'v1', input: 'before the outage' });
    await a.app.ai.cache.put(key, author.id, { output: 'kept', model: 'offline-1' });

    await stopRedis(server);
    await until(() => a.app.redis!.status !== 'ready' && b.app.redis!.status !== 'ready', 'both clients to notice the outage');

    for (const t of [a, b]) {
      const started = Date.now();
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(ready.statusCode).toBe(200);
      const body = ready.json();
      expect(body.status).toBe('degraded');
      expect(body.checks.store.status).toBe('ok');
      expect(body.checks.redis.status).toBe('degraded');
      expect(body.checks.redis.details).not.toHaveProperty('error');
      expect(body.checks.redis.details.rateLimits).toBe('memory');
      expect(JSON.stringify(body)).not.toContain(String(port));
    }

    // Rate limits are counted in this process meanwhile, never switched off: the 6th anonymous request is refused.
    for (let i = 0; i < 5; i++) {
      const response = await b.app.inject({ method: 'GET', url: '/v1/meta', remoteAddress: '198.51.100.99' });
      expect(response.statusCode, `request ${i + 1}`).toBe(200);
    }
    const refused = await b.app.inject({ method: 'GET', url: '/v1/meta', remoteAddress: '198.51.100.99' });
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused).code).toBe('RATE_LIMITED');

    const created = await a.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: 'Written during the outage' } });
    expect(created.statusCode).toBe(201);
    const read = await a.as(author.token, { method: 'GET', url: `/v1/books/${created.json().id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().title).toBe('Written during the outage');

    // The AI cache swallows Redis errors: memory and the store still answer, and writes still land in the store.
    expect(await a.app.ai.cache.get(key)).toEqual({ output: 'kept', model: 'offline-1' });
    const during = cacheKey({ userId: author.id, provider: 'offline', model: 'offline-1', promptVersion: 'v1', input: 'during the outage' });
    await a.app.ai.cache.put(during, author.id, { output: 'stored', model: 'offline-1' });
    expect(await a.app.store.aiCache.get(during, new Date().toISOString())).not.toBeNull();
    expect(await b.app.ai.cache.get(during)).toBeNull();
    expect(a.app.ai.cache.stats().redisErrors).toBeGreaterThan(0);

    // Redis comes back on the same port: the clients reconnect and readiness is ok again.
    server = await startRedis(port);
    await until(() => a.app.redis!.status === 'ready' && b.app.redis!.status === 'ready', 'both clients to reconnect');
    // Counting goes back to Redis with the next counted request.
    expect((await a.app.inject({ method: 'GET', url: '/v1/meta', remoteAddress: '198.51.100.98' })).statusCode).toBe(200);
    const ready = await a.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', checks: { redis: { status: 'ok', details: { rateLimits: 'redis' } } } });
  });
});

describe.skipIf(!hasRedisServer)('REDIS_URL with Redis stopped mid-minute: the AI start limit holds', () => {
  let port = 0;
  let server: ChildProcess | null = null;
  let t: TestApp;

  beforeAll(async () => {
    port = await freePort();
    server = await startRedis(port);
    t = await buildTestApp({ REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_AI_PER_MIN: '' });
  });
  afterAll(async () => {
    await t?.close();
    await stopRedis(server);
  });

  it('20 starts pass (half before, half during the outage) and the 21st in the minute is refused', async () => {
    expect(t.config.rateLimit.aiPerMin).toBe(20);
    const author = await t.newUser();
    const bookIds: string[] = [];
    for (let i = 0; i < 21; i++) {
      const book = (await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: `Limits ${i}` } })).json();
      await t.as(author.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: SUMMARY } });
      bookIds.push(book.id);
    }
    const start = (bookId: string) => t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/interview/generate` });

    for (const [i, bookId] of bookIds.slice(0, 10).entries()) expect((await start(bookId)).statusCode, `start ${i + 1}`).toBe(202);
    await stopRedis(server);
    await until(() => t.app.redis!.status !== 'ready', 'the client to notice the outage');
    for (const [i, bookId] of bookIds.slice(10, 20).entries()) expect((await start(bookId)).statusCode, `start ${i + 11}`).toBe(202);

    const refused = await start(bookIds[20]!);
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused)).toMatchObject({ code: 'RATE_LIMITED', details: { limit: 20 } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    const ready = (await t.app.inject({ method: 'GET', url: '/health/ready' })).json();
    expect(ready).toMatchObject({ status: 'degraded', checks: { redis: { status: 'degraded', details: { rateLimits: 'memory' } } } });
  });
});
