import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/** "Job `jobId` has a new event numbered `seq`": subscribers read the events themselves from the store. */
export interface JobNotice {
  jobId: string;
  seq: number;
}

export interface JobEventBus {
  publish(notice: JobNotice): void;
  /** Calls `listener` for every notice about the job (from any instance); returns the unsubscribe function. */
  subscribe(jobId: string, listener: (notice: JobNotice) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = 'aa:job-events';

/**
 * Notices of new job events: delivered in this process at once and, when Redis is configured, to every other
 * instance through Redis pub/sub. A notice only says that something changed; the store holds the events, so a
 * notice lost during a Redis outage delays a stream until the next one (or the client's poll), never loses an event.
 */
export function createJobEventBus(deps: { redis: Redis | null; log: FastifyBaseLogger }): JobEventBus {
  const local = new EventEmitter().setMaxListeners(0);
  const instance = randomUUID();
  let subscriber: Redis | null = null;
  if (deps.redis) {
    // A connection in subscriber mode cannot send other commands: its own, which queues while it (re)connects.
    subscriber = deps.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, lazyConnect: false });
    subscriber.on('error', () => undefined); // the shared client logs outages
    subscriber.subscribe(CHANNEL).catch((error: unknown) => deps.log.warn({ err: error }, 'job events: could not subscribe to Redis'));
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { from, jobId, seq } = JSON.parse(message) as JobNotice & { from: string };
        if (from !== instance) local.emit(jobId, { jobId, seq });
      } catch {
        // not ours
      }
    });
  }
  return {
    publish(notice) {
      local.emit(notice.jobId, notice);
      deps.redis?.publish(CHANNEL, JSON.stringify({ from: instance, ...notice })).catch(() => undefined);
    },
    subscribe(jobId, listener) {
      local.on(jobId, listener);
      return () => local.off(jobId, listener);
    },
    async close() {
      local.removeAllListeners();
      subscriber?.disconnect();
    },
  };
}
