import { z } from 'zod';
import { JobSchema } from '../schemas/ai.js';
import { JobParamsSchema, ListJobsQuerySchema, QuoteBodySchema, QuoteSchema, UsageSchema } from '../schemas/usage.js';
import { endpoint } from './endpoint.js';

export const jobEndpoints = {
  getJob: endpoint({
    method: 'GET', path: '/v1/jobs/:jobId', auth: 'user', tag: 'jobs', status: 200,
    summary: "A job's state, progress, result and error", params: JobParamsSchema, response: JobSchema,
  }),
  jobEvents: endpoint({
    method: 'GET', path: '/v1/jobs/:jobId/events', auth: 'user', tag: 'jobs', status: 200, produces: 'text/event-stream',
    summary: 'Server-sent events: progress, result, error (resume with Last-Event-ID)', params: JobParamsSchema,
  }),
  cancelJob: endpoint({
    method: 'POST', path: '/v1/jobs/:jobId/cancel', auth: 'user', tag: 'jobs', status: 200,
    summary: 'Cancel a queued or running job', params: JobParamsSchema, response: JobSchema,
  }),
  listJobs: endpoint({
    method: 'GET', path: '/v1/jobs', auth: 'user', tag: 'jobs', status: 200,
    summary: 'Your recent jobs (filter by book, active only)', query: ListJobsQuerySchema,
    response: z.object({ items: z.array(JobSchema), nextCursor: z.string().nullable() }),
  }),
  myUsage: endpoint({
    method: 'GET', path: '/v1/me/usage', auth: 'user', tag: 'usage', status: 200,
    summary: 'Quota left today and this month, recent AI calls and cost', response: UsageSchema,
  }),
  quote: endpoint({
    method: 'POST', path: '/v1/quote', auth: 'user', tag: 'usage', status: 200,
    summary: 'Estimate tokens and cost of a generation, or say it is cached (free)', body: QuoteBodySchema,
    response: QuoteSchema, errors: ['NOT_FOUND', 'QUESTION_ANSWERED', 'LIMIT_REACHED'],
  }),
};
