import cors from '@fastify/cors';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-google-access-token', 'x-request-id', 'last-event-id'];
export const CORS_EXPOSED_HEADERS = [
  'x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
  'x-quota-limit', 'x-quota-remaining', 'x-quota-reset',
];

/**
 * The headers helmet 8 sends with its defaults, minus the CSP (the API answers JSON; the pages that need a CSP set
 * their own) and with a cross-origin resource policy (the extension and add-on read the API from other origins).
 * They never vary, so they are set from this object in one hook instead of by helmet's eleven middlewares.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** True when an Origin matches an exact origin or a /regex/ of the allow-list; `null` never does. */
export function isAllowedOrigin(origin: string | undefined, rules: Array<string | RegExp>): boolean {
  if (!origin || origin === 'null') return false;
  return rules.some((rule) => (typeof rule === 'string' ? rule === origin : rule.test(origin)));
}

function setSecurityHeaders(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
  reply.headers(SECURITY_HEADERS);
  done();
}

/** Security headers and the CORS allow-list (no cookies, no `Origin: null`). */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    app.addHook('onRequest', setSecurityHeaders);
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
