import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { AppError } from '../../lib/app-error.js';

export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-google-access-token', 'x-request-id', 'last-event-id'];
export const CORS_EXPOSED_HEADERS = [
  'x-request-id', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
  'x-quota-limit', 'x-quota-remaining', 'x-quota-reset',
];
const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const CORS_MAX_AGE_S = 600;

/**
 * On every response: the headers that matter for an API answering JSON (OWASP's REST cheat sheet: no sniffing, no
 * framing, HTTPS only, no referrer; a cross-origin resource policy because the extension and the add-on read the API
 * from other origins), and `Vary: Origin` since CORS answers depend on it.
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-resource-policy': 'cross-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  vary: 'Origin',
});

/**
 * Added on HTML pages (/app, /admin, /docs): the rest of helmet 8's defaults, which only a browser document uses
 * (each page sets its own content security policy).
 */
export const DOCUMENT_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** True when an Origin matches an exact origin or a /regex/ of the allow-list; `null` never does. */
export function isAllowedOrigin(origin: string | undefined, rules: Array<string | RegExp>): boolean {
  if (!origin || origin === 'null') return false;
  return rules.some((rule) => (typeof rule === 'string' ? rule === origin : rule.test(origin)));
}

/** An onRequest hook for a scope serving HTML pages. */
export function setDocumentHeaders(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
  reply.headers(DOCUMENT_SECURITY_HEADERS);
  done();
}

const EXPOSED = CORS_EXPOSED_HEADERS.join(', ');
const PREFLIGHT_HEADERS = Object.freeze({
  'access-control-allow-methods': CORS_METHODS,
  'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
  'access-control-max-age': String(CORS_MAX_AGE_S),
  'content-length': '0',
});

/**
 * The request id, security headers and CORS in one callback hook (an async hook would cost a promise and a microtask
 * turn on every request), first on every request: preflights are answered here, before authentication, since
 * browsers send them without credentials. An allowed origin (exact or /regex/ from CORS_ORIGINS) is echoed with the
 * exposed headers; any other origin, and `Origin: null`, gets no CORS headers. No cookies, so never
 * `Access-Control-Allow-Credentials`.
 */
function securityHook(config: Config) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.header('x-request-id', request.id);
    reply.headers(API_SECURITY_HEADERS);
    const { origin } = request.headers;
    if (origin === undefined || !isAllowedOrigin(origin, config.corsOrigins)) return done();
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-expose-headers', EXPOSED);
    if (request.method !== 'OPTIONS') return done();
    if (!request.headers['access-control-request-method']) {
      return done(new AppError('VALIDATION', 'A CORS preflight needs an Access-Control-Request-Method header.'));
    }
    reply.code(204).headers(PREFLIGHT_HEADERS).send();
  };
}

/**
 * `x-request-id` on every response, security headers and the CORS allow-list; the HTML pages add
 * `DOCUMENT_SECURITY_HEADERS` in their own scopes. Registered before every route, so errors raised later still carry
 * them.
 */
export default fp<{ config: Config }>(
  async (app: FastifyInstance, { config }) => {
    app.addHook('onRequest', securityHook(config));
  },
  { name: 'security' },
);
