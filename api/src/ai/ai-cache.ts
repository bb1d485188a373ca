import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CacheStore } from '../stores/engine-types.js';

/** Canonical JSON: object keys sorted, so equal content always hashes alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The cache key: the user namespaces it; provider, model, prompt version and inputs (never ids) make it. */
export function cacheKey(parts: { userId: string; provider: string; model: string; promptVersion: string; input: unknown }): string {
  return createHash('sha256')
    .update(canonicalJson([parts.userId, parts.provider, parts.model, parts.promptVersion, parts.input]))
    .digest('hex');
}

export interface CachedAnswer {
  output: unknown;
  model: string;
}

/** The few Redis commands the cache uses (an ioredis client fits). */
export interface CacheRedis {
  get(key: string): Promise<string | null>;
  pttl(key: string): Promise<number>;
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
}

/** Where the cache reports a Redis failure; it keeps serving from memory and the store. */
export interface CacheLog {
  warn(details: object, message: string): void;
}

const REDIS_PREFIX = 'aa-ai:';
/** At most one Redis warning per this interval, so an outage does not log one line per AI call. */
const WARN_EVERY_MS = 30_000;

/**
 * Up to three levels: an in-process LRU bounded by bytes and TTL; Redis when given (shared by instances, same
 * TTL, keys under `aa-ai:`); the store, so restarts and other instances hit. Reads go LRU → Redis → store and a
 * lower-level hit refills the levels above it with the time it has left; writes go to all. Redis is best
 * effort: its errors are logged and treated as misses. Concurrent identical requests share one upstream call
 * (single flight).
 */
export function createAiCache(options: {
  store: CacheStore;
  maxBytes: number;
  ttlMs: number;
  now?: () => Date;
  redis?: CacheRedis | null;
  log?: CacheLog;
}) {
  const now = options.now ?? (() => new Date());
  const redis = options.redis ?? null;
  const memory = new LRUCache<string, string>({
    maxSize: options.maxBytes,
    sizeCalculation: (value, key) => value.length * 2 + key.length,
    ttl: options.ttlMs,
  });
  const inFlight = new Map<string, Promise<unknown>>();
  let hits = 0;
  let misses = 0;
  let redisHits = 0;
  let redisErrors = 0;
  let lastWarnAt = -Infinity;

  const redisFailed = (operation: string, error: unknown) => {
    redisErrors++;
    const at = Date.now();
    if (at - lastWarnAt < WARN_EVERY_MS) return;
    lastWarnAt = at;
    options.log?.warn({ err: error, operation, redisErrors }, 'AI cache: Redis failed; using memory and the store');
  };
  /** The value and the milliseconds it has left (both sent at once on the one connection). */
  const redisGet = async (key: string): Promise<{ text: string; leftMs: number } | null> => {
    if (!redis) return null;
    try {
      const [text, leftMs] = await Promise.all([redis.get(REDIS_PREFIX + key), redis.pttl(REDIS_PREFIX + key)]);
      return text === null ? null : { text, leftMs };
    } catch (error) {
      redisFailed('get', error);
      return null;
    }
  };
  const redisSet = async (key: string, value: string, ttlMs: number): Promise<void> => {
    if (!redis || ttlMs <= 0) return;
    try {
      await redis.set(REDIS_PREFIX + key, value, 'PX', Math.ceil(ttlMs));
    } catch (error) {
      redisFailed('set', error);
    }
  };

  return {
    async get(key: string): Promise<CachedAnswer | null> {
      let text = memory.get(key);
      if (text === undefined) {
        const shared = await redisGet(key);
        if (shared !== null) {
          text = shared.text;
          redisHits++;
          // PTTL is -1 only for a key set without expiry (not by this cache): keep the default TTL then.
          memory.set(key, text, shared.leftMs > 0 ? { ttl: Math.min(shared.leftMs, options.ttlMs) } : undefined);
        }
      }
      if (text === undefined) {
        const at = now();
        const row = await options.store.get(key, at.toISOString());
        if (row) {
          text = row.value;
          const leftMs = Date.parse(row.expiresAt) - at.getTime();
          if (leftMs > 0) {
            memory.set(key, text, { ttl: Math.min(leftMs, options.ttlMs) });
            await redisSet(key, text, Math.min(leftMs, options.ttlMs));
          }
        }
      }
      if (text === undefined) {
        misses++;
        return null;
      }
      hits++;
      return JSON.parse(text) as CachedAnswer;
    },
    async put(key: string, userId: string, answer: CachedAnswer): Promise<void> {
      const value = JSON.stringify(answer);
      memory.set(key, value);
      const at = now();
      await Promise.all([
        options.store.put({
          key, userId, value, bytes: value.length, createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + options.ttlMs).toISOString(),
        }),
        redisSet(key, value, options.ttlMs),
      ]);
    },
    /** The in-flight upstream call for this key, if another request is already making it. */
    pending(key: string): Promise<unknown> | undefined {
      return inFlight.get(key);
    },
    /** Runs `work` once for concurrent callers of the same key. */
    singleFlight<T>(key: string, work: () => Promise<T>): Promise<T> {
      const pending = inFlight.get(key);
      if (pending) return pending as Promise<T>;
      const promise = work().finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },
    stats() {
      return { entries: memory.size, bytes: memory.calculatedSize, hits, misses, ...(redis ? { redisHits, redisErrors } : {}) };
    },
  };
}
export type AiCache = ReturnType<typeof createAiCache>;
