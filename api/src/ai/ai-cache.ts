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

/**
 * Two levels: an in-process LRU bounded by bytes and TTL, backed by the store so restarts and other instances
 * hit. Concurrent identical requests share one upstream call (single flight).
 */
export function createAiCache(options: { store: CacheStore; maxBytes: number; ttlMs: number; now?: () => Date }) {
  const now = options.now ?? (() => new Date());
  const memory = new LRUCache<string, string>({
    maxSize: options.maxBytes,
    sizeCalculation: (value, key) => value.length * 2 + key.length,
    ttl: options.ttlMs,
  });
  const inFlight = new Map<string, Promise<unknown>>();
  let hits = 0;
  let misses = 0;

  return {
    async get(key: string): Promise<CachedAnswer | null> {
      let text = memory.get(key);
      if (text === undefined) {
        const row = await options.store.get(key, now().toISOString());
        if (row) {
          text = row.value;
          memory.set(key, text);
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
      await options.store.put({
        key, userId, value, bytes: value.length, createdAt: at.toISOString(), expiresAt: new Date(at.getTime() + options.ttlMs).toISOString(),
      });
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
      return { entries: memory.size, bytes: memory.calculatedSize, hits, misses };
    },
  };
}
export type AiCache = ReturnType<typeof createAiCache>;
