import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config.js';
import { shortRequestLog } from './lib/request-log-controller.js';
import { serializeRequest } from './lib/request-log.js';
import { serializerCompiler } from './lib/serializer.js';
import { validatorCompiler } from './lib/validator.js';
import auth from './plugins/app/auth.js';
import errors, { notFound } from './plugins/app/errors.js';
import maintenance from './plugins/app/maintenance.js';
import pages from './plugins/app/pages.js';
import requestMetrics from './plugins/app/request-metrics.js';
import services from './plugins/app/services.js';
import openapi from './plugins/external/openapi.js';
import rateLimit from './plugins/external/rate-limit.js';
import redis from './plugins/external/redis.js';
import security from './plugins/external/security.js';
import store from './plugins/external/store.js';
import adminRoutes from './routes/admin.js';
import adminStatsRoutes from './routes/admin-stats.js';
import bookRoutes from './routes/books.js';
import chapterRoutes from './routes/chapters.js';
import identityRoutes from './routes/identity.js';
import systemRoutes from './routes/system.js';
import { systemClock, type Clock } from './services/clock.js';
import type { GoogleKeySource } from './services/google-verifier.js';
import type { LlmProvider } from './ai/llm.js';
import ai from './plugins/external/ai.js';
import authoringRoutes from './routes/authoring.js';
import jobRoutes from './routes/jobs.js';
import docRoutes from './routes/docs.js';
import exportRoutes from './routes/exports.js';
import type { Store } from './stores/types.js';

export interface AppOptions {
  config: Config;
  /** A store owned by the caller (tests); otherwise the configured one is opened. */
  store?: Store;
  clock?: Clock;
  /** An LLM provider to use instead of the configured one (tests). */
  provider?: LlmProvider;
  /** Base of the Docs API retry backoff in ms (tests shorten it). */
  docsBackoffMs?: number;
  googleKeySource?: GoogleKeySource;
}

/**
 * The server's own request ids: a random prefix per process and a counter, unique across instances and restarts
 * without drawing randomness on every request (ids identify, they are not secrets). A client's own `x-request-id` is
 * logged beside it (`clientRequestId`), never used as it: a client could otherwise reuse or forge another's id.
 */
function requestIdSource(): () => string {
  const prefix = `req_${randomBytes(9).toString('base64url')}.`;
  let next = 0;
  return () => `${prefix}${(next++).toString(36)}`;
}

/**
 * TRUST_PROXY as a hop count: the address `hops` proxies in front of the server saw is the client's (proxy-addr's
 * hop-count rule). Fastify 5.12 no longer takes a number (it would trust no proxy), since a client that reaches the
 * server directly can then write X-Forwarded-For itself: a count is for servers only the proxies can reach; otherwise
 * list the proxies' addresses.
 */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** Options for the Fastify factory: logging with redaction, request ids, body limit, proxy trust. */
export function serverOptions(config: Config): FastifyServerOptions {
  const newRequestId = requestIdSource();
  return {
    logger: {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-google-access-token"]', '*.token', '*.idToken', '*.accessToken', '*.refreshToken'],
        censor: '[redacted]',
      },
      serializers: { req: serializeRequest },
    },
    // One short line per request, at debug (Fastify's own are two long lines at info).
    logController: shortRequestLog(config.logLevel),
    requestIdHeader: false,
    genReqId: () => newRequestId(),
    // Errors Fastify raises before routing (undecodable URL, over-long parameter) still leave in the shared shape.
    frameworkErrors: (error, request, reply) => {
      (reply as unknown as FastifyReply)
        .code(error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 404 : 400)
        .header('x-request-id', request.id)
        .send({
          error: {
            code: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'NOT_FOUND' : 'VALIDATION',
            message: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'No such resource.' : 'The URL is not valid.',
            requestId: request.id,
          },
        });
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    routerOptions: { maxParamLength: 200 },
  };
}

/** The whole API as one plugin; `server.ts` is the only place that listens. */
export default fp<AppOptions>(
  async (app: FastifyInstance, options) => {
    const { config } = options;
    const clock = options.clock ?? systemClock;
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(errors);
    await app.register(store, { config, store: options.store });
    await app.register(requestMetrics);
    await app.register(redis, { config });
    await app.register(ai, { config, clock, provider: options.provider });
    await app.register(services, { config, clock, googleKeySource: options.googleKeySource, docsBackoffMs: options.docsBackoffMs });
    await app.register(security, { config });
    await app.register(openapi, { config });
    await app.register(rateLimit, { config });
    await app.register(auth, { config });
    await app.register(notFound);
    await app.register(maintenance, { config });

    await app.register(systemRoutes, { config });
    await app.register(identityRoutes);
    await app.register(adminRoutes);
    await app.register(adminStatsRoutes, { config, clock });
    await app.register(bookRoutes);
    await app.register(chapterRoutes);
    await app.register(authoringRoutes);
    await app.register(jobRoutes);
    await app.register(docRoutes);
    await app.register(exportRoutes, { config });
    await app.register(pages);
  },
  { name: 'auto-author' },
);
