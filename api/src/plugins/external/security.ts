import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-google-access-token', 'x-request-id', 'last-event-id'];
export const CORS_EXPOSED_HEADERS = [
  'x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
  'x-quota-limit', 'x-quota-remaining', 'x-quota-reset',
];

/** True when an Origin matches an exact origin or a /regex/ of the allow-list; `null` never does. */
export function isAllowedOrigin(origin: string | undefined, rules: Array<string | RegExp>): boolean {
  if (!origin || origin === 'null') return false;
  return rules.some((rule) => (typeof rule === 'string' ? rule === origin : rule.test(origin)));
}

/** Security headers and the CORS allow-list (no cookies, no `Origin: null`). */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    // The API answers JSON; pages that need a CSP (/app, /admin, /docs) set their own.
    await app.register(helmet, { contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' } });
    await app.register(cors, {
      origin: (origin, callback) => callback(null, isAllowedOrigin(origin, config.corsOrigins)),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      credentials: false,
      maxAge: 600,
    });
  },
  { name: 'security' },
);
