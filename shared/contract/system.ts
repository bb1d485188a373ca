import { LiveResponseSchema, MetaSchema, ReadyResponseSchema } from '../schemas/system.js';
import { endpoint } from './endpoint.js';

export const systemEndpoints = {
  live: endpoint({
    method: 'GET', path: '/health/live', auth: 'none', tag: 'health', status: 200,
    summary: 'Liveness: the process answers', response: LiveResponseSchema,
  }),
  ready: endpoint({
    method: 'GET', path: '/health/ready', auth: 'none', tag: 'health', status: 200,
    summary: 'Readiness: store reachable (503 otherwise); AI and Redis outages show as degraded',
    response: ReadyResponseSchema, otherResponses: { 503: ReadyResponseSchema },
  }),
  meta: endpoint({
    method: 'GET', path: '/v1/meta', auth: 'none', tag: 'meta', status: 200,
    summary: 'Version, AI provider, sign-in availability and limits', response: MetaSchema,
  }),
};
