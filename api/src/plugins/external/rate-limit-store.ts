import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** What @fastify/rate-limit's `store` option calls: a count and the milliseconds left in the key's window. */
type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** Keys counted at once in memory (least recently used dropped first), as @fastify/rate-limit's own default. */
const MEMORY_KEYS = 5_000;

/**
 * Fixed windows counted in this process. While Redis counts, each key keeps the last shared count Redis returned, so
 * an instance that loses Redis mid-window carries on from that count instead of from zero.
 */
function memoryCounter() {
  const windows = new LRUCache<string, { current: number; resetAt: number }>({ max: MEMORY_KEYS });
  return {
    incr(key: string, windowMs: number) {
      const now = Date.now();
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { current: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.current++;
      return { current: window.current, ttl: window.resetAt - now };
    },
    remember(key: string, current: number, ttl: number) {
      windows.set(key, { current, resetAt: Date.now() + ttl });
    },
  };
}

interface FailoverStoreOptions {
  redis: Redis | null;
  /** Prefix of the Redis keys. */
  prefix: string;
  /** Called once each time counting moves to memory (Redis failed) and back (Redis answered). */
  onSwitch(counting: 'redis' | 'memory'): void;
}

/**
 * A custom store for @fastify/rate-limit (its documented `store` option: a constructor, `incr` and `child`). It counts
 * in Redis while Redis is connected, so every instance shares one window, and in this process whenever Redis is not
 * (down, reconnecting, or a command failed), carrying on from the last count Redis returned: an outage never
 * switches the limits off. Counting returns to Redis as soon as the client is connected again.
 */
export function createFailoverStore({ redis, prefix, onSwitch }: FailoverStoreOptions) {
  const memory = memoryCounter();
  let counting: 'redis' | 'memory' = redis ? 'redis' : 'memory';
  const switchTo = (next: 'redis' | 'memory') => {
    if (next === counting || !redis) return;
    counting = next;
    onSwitch(next);
  };

  const incrInMemory = (key: string, callback: IncrCallback, windowMs: number) => {
    switchTo('memory');
    callback(null, memory.incr(key, windowMs));
  };

  class FailoverStore {
    incr(key: string, callback: IncrCallback, windowMs: number): void {
      if (!redis || redis.status !== 'ready') return incrInMemory(key, callback, windowMs);
      // Starts the window on the first request (SET NX with its expiry), then counts; one round trip, atomic.
      redis
        .multi()
        .set(prefix + key, 0, 'PX', windowMs, 'NX')
        .incr(prefix + key)
        .pttl(prefix + key)
        .exec()
        .then(
          (replies) => {
            const [, counted, left] = (replies ?? []) as Array<[Error | null, number] | undefined>;
            if (!counted || !left || counted[0] || left[0]) return incrInMemory(key, callback, windowMs);
            switchTo('redis');
            const ttl = left[1] > 0 ? left[1] : windowMs;
            memory.remember(key, counted[1], ttl);
            callback(null, { current: counted[1], ttl });
          },
          () => incrInMemory(key, callback, windowMs),
        );
    }

    /** Every route and limiter shares the counters: the key already names the group. */
    child(): FailoverStore {
      return this;
    }
  }

  return { Store: FailoverStore, counting: () => (redis && redis.status !== 'ready' ? 'memory' : counting) };
}
