import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { EndpointAuth } from '../../../../shared/contract/endpoint.js';
import type { Config } from '../../config.js';
import { AppError } from '../../lib/app-error.js';
import { rateLimitKey } from '../external/rate-limit.js';
import type { Principal } from '../../services/identity-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The onRequest hook that admits a route's callers: a user, or an administrator. */
    authHook(auth: Exclude<EndpointAuth, 'none'>): onRequestHookHandler;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function admitted(principal: Principal, auth: EndpointAuth): Principal {
  if (auth === 'admin' && principal.user.role !== 'admin') throw new AppError('FORBIDDEN', 'This needs an administrator.');
  return principal;
}

/**
 * Authentication in onRequest, before rate limiting (which is keyed by user; its hook is added to each route after
 * this one). Failed sign-ins are counted per address by @fastify/rate-limit (so in Redis across instances when
 * configured): past RATE_LIMIT_AUTH_PER_MIN a minute a bad token is answered RATE_LIMITED instead of UNAUTHORIZED.
 * A token that verifies is never refused by that count: behind a proxy many users share an address, and ten bad
 * tokens must not lock them all out.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const countFailedSignIn = app.createRateLimit({ max: config.rateLimit.authPerMin, keyGenerator: rateLimitKey('auth-failed') });
    app.decorateRequest('principal', null);

    const { identity, audit } = app.services;

    /** A token that did not verify: counted against the address, audited on the first failure and at the limit. */
    async function refuse(request: FastifyRequest): Promise<never> {
      const counted = await countFailedSignIn(request);
      // No allow-list is configured, so every address is counted.
      if (counted.isAllowed) throw new Error('failed sign-ins are counted for every address');
      if (counted.isExceeded) {
        const retryAfterS = Math.max(1, counted.ttlInSeconds);
        throw new AppError('RATE_LIMITED', `Too many failed sign-in attempts; retry in ${retryAfterS} s.`, { retryAfterS }, {
          'retry-after': String(retryAfterS),
        });
      }
      const count = counted.max - counted.remaining;
      if (count === 1 || count === counted.max) {
        await audit.record(count === 1 ? 'auth.failed' : 'auth.locked', { ip: request.ip, details: { count } });
      }
      throw new AppError('UNAUTHORIZED', 'The API token is not valid; it may have been revoked or expired.');
    }

    /** The slow path: the store decides. */
    async function authenticate(request: FastifyRequest, raw: string, auth: EndpointAuth): Promise<Principal> {
      const result = await identity.authenticate(raw);
      if (!('error' in result)) return admitted(result, auth);
      if (result.error === 'UNAUTHORIZED') return refuse(request);
      throw new AppError('ACCOUNT_DISABLED', 'This account is disabled.');
    }

    /**
     * The onRequest hook for routes that need `auth`, attached to each route (`defineRoute`), so that routes without
     * auth run no hook and no request reads its route's options. Callback style: a token that authenticated a moment
     * ago (cached) costs no promise at all.
     */
    app.decorate('authHook', (auth: Exclude<EndpointAuth, 'none'>): onRequestHookHandler => (request, _reply, done) => {
      const raw = BEARER.exec(request.headers.authorization ?? '')?.[1];
      if (!raw) return done(new AppError('UNAUTHORIZED', 'Send an API token as "Authorization: Bearer <token>".'));
      const cached = identity.authenticateCached(raw);
      if (cached) {
        try {
          request.principal = admitted(cached, auth);
        } catch (error) {
          return done(error as AppError);
        }
        return done();
      }
      authenticate(request, raw, auth).then(
        (principal) => {
          request.principal = principal;
          done();
        },
        (error: Error) => done(error),
      );
    });
  },
  { name: 'auth', dependencies: ['services', 'rate-limit'] },
);
