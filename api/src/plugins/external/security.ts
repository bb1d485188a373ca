import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-google-access-token', 'x-request-id', 'last-event-id'];
const CORS_EXPOSED_HEADERS = [
  'x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
  'x-quota-limit', 'x-quota-remaining', 'x-quota-reset',
  // The name an export download is offered under (the extension and the add-on read it cross-origin).
  'content-disposition',
];

/** True when an Origin matches an exact origin or a /regex/ of the allow-list; `null` never does. */
function isAllowedOrigin(origin: string | undefined, rules: Array<string | RegExp>): boolean {
  if (!origin || origin === 'null') return false;
  return rules.some((rule) => (typeof rule === 'string' ? rule === origin : rule.test(origin)));
}

/**
 * Helmet's headers that mean something for a JSON answer: HSTS, nosniff, frame and referrer policies, and a
 * cross-origin resource policy (the extension and the add-on read the API from other origins). Those that only act on
 * HTML documents or retired browsers (opener policy, origin-agent cluster, DNS prefetch, IE's download options,
 * Flash's cross-domain policies, the XSS auditor) are off, and Fastify sends no X-Powered-By to remove: each one is
 * work and bytes on every answer. The pages served as HTML add them back (plugins/app/pages.ts).
 */
export const JSON_ANSWER_HEADERS = {
  contentSecurityPolicy: false,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  xPoweredBy: false,
} as const;

/**
 * `x-request-id` on every response, helmet's security headers for JSON answers and the CORS allow-list, registered
 * before every route so errors raised later still carry them. Helmet's content security policy is off here: the API
 * answers JSON, and each HTML page (/app, /admin, /docs) sends its own. CORS: an allowed origin (exact or /regex/ from CORS_ORIGINS) is
 * echoed with the exposed headers and preflights are answered before authentication (browsers send them without
 * credentials); any other origin, and `Origin: null`, gets no CORS headers. No cookies, so never credentials.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      // API answers are private to their caller: no browser or proxy may keep a copy (an event stream sets its own).
      if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
      done();
    });
    await app.register(helmet, JSON_ANSWER_HEADERS);
    await app.register(cors, {
      origin: (origin, callback) => callback(null, isAllowedOrigin(origin, config.corsOrigins)),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      credentials: false,
      maxAge: 600,
      // A request from an allowed origin without Access-Control-Request-Method is answered as a preflight rather
      // than with the plugin's plain-text 400, which is not in the shared error shape.
      strictPreflight: false,
    });
  },
  { name: 'security' },
);
