import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

export interface NoticeBus<T> {
  publish(notice: T): void;
  /** Calls `listener` for every notice with this key (`*`: every notice), from any instance; returns the unsubscribe. */
  subscribe(key: string, listener: (notice: T) => void): () => void;
  close(): Promise<void>;
}

/**
 * Small notices that something changed ("job X has event 7", "user Y's identity changed"): delivered in this
 * process at once and, when Redis is configured, to every other instance through Redis pub/sub. A notice only
 * says what to re-read; the store holds the truth, so a notice lost in a Redis outage delays a reader, never
 * misleads it.
 */
export function createNoticeBus<T extends object>(deps: { redis: Redis | null; log: FastifyBaseLogger; channel: string; keyOf: (notice: T) => string }): NoticeBus<T> {
  const local = new EventEmitter().setMaxListeners(0);
  const instance = randomUUID();
  const emit = (notice: T) => {
    local.emit(deps.keyOf(notice), notice);
    local.emit('*', notice);
  };
  let subscriber: Redis | null = null;
  if (deps.redis) {
    // A connection in subscriber mode cannot send other commands: its own, which queues while it (re)connects.
    subscriber = deps.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, lazyConnect: false });
    subscriber.on('error', () => undefined); // the shared client logs outages
    subscriber.subscribe(deps.channel).catch((error: unknown) => deps.log.warn({ err: error, channel: deps.channel }, 'could not subscribe to Redis'));
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { from, notice } = JSON.parse(message) as { from: string; notice: T };
        if (from !== instance) emit(notice);
      } catch {
        // not one of ours
      }
    });
  }
  return {
    publish(notice) {
      emit(notice);
      deps.redis?.publish(deps.channel, JSON.stringify({ from: instance, notice })).catch(() => undefined);
    },
    subscribe(key, listener) {
      local.on(key, listener);
      return () => local.off(key, listener);
    },
    async close() {
      local.removeAllListeners();
      subscriber?.disconnect();
    },
  };
}
