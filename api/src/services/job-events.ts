import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { createNoticeBus, type NoticeBus } from './notice-bus.js';

/** "Job `jobId` has a new event numbered `seq`": subscribers read the events themselves from the store. */
export interface JobNotice {
  jobId: string;
  seq: number;
}

export type JobEventBus = NoticeBus<JobNotice>;

/** Job event notices, keyed by job id, across instances when Redis is configured. */
export const createJobEventBus = (deps: { redis: Redis | null; log: FastifyBaseLogger }): JobEventBus =>
  createNoticeBus<JobNotice>({ ...deps, channel: 'aa:job-events', keyOf: (notice) => notice.jobId });
