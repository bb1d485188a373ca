import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { EndpointAuth } from '../../../../shared/contract/endpoint.js';
import type { Config } from '../../config.js';
import { AppError } from '../../lib/app-error.js';
import { createFailureWindow } from '../../lib/failure-window.js';
import type { Principal } from '../../services/identity-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The onRequest hook that admits a route's callers: a user, or an administrator. */
    authHook(auth: Exclude<EndpointAuth, 'none'>): onRequestHookHandler;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    rateGroup?: string;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function admitted(principal: Principal, auth: EndpointAuth): Principal {
  if (auth === 'admin' && principal.user.role !== 'admin') throw new AppError('FORBIDDEN', 'This needs an administrator.');
  return principal;
}

/**
 * Authentication in onRequest, before rate limiting (which is keyed by user; its hook is added to each route after
 * this one). Bad tokens from one address are counted and, past RATE_LIMIT_AUTH_PER_MIN a minute, refused with
 * RATE_LIMITED before any lookup.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const failures = createFailureWindow({ maxPerWindow: config.rateLimit.authPerMin });
    app.decorateRequest('principal', null);

    const { identity, audit } = app.services;

    /** The slow path: the store decides, and failures are counted per address. */
    async function authenticate(request: FastifyRequest, raw: string, auth: EndpointAuth): Promise<Principal> {
      const result = await identity.authenticate(raw);
      if ('error' in result) {
        if (result.error === 'UNAUTHORIZED') {
          const count = failures.record(request.ip);
          if (count === 1 || count === config.rateLimit.authPerMin) {
            await audit.record(count === 1 ? 'auth.failed' : 'auth.locked', { ip: request.ip, details: { count } });
          }
          throw new AppError('UNAUTHORIZED', 'The API token is not valid; it may have been revoked or expired.');
        }
        throw new AppError('ACCOUNT_DISABLED', 'This account is disabled.');
      }
      return admitted(result, auth);
    }

    /**
     * The onRequest hook for routes that need `auth`, attached to each route (`defineRoute`), so that routes without
     * auth run no hook and no request reads its route's options. Callback style: a token that authenticated a moment
     * ago (cached) costs no promise at all.
     */
    app.decorate('authHook', (auth: Exclude<EndpointAuth, 'none'>): onRequestHookHandler => (request, _reply, done) => {
      const lockedFor = failures.lockedForS(request.ip);
      if (lockedFor > 0) {
        return done(new AppError('RATE_LIMITED', `Too many failed sign-in attempts; retry in ${lockedFor} s.`, { retryAfterS: lockedFor }, {
          'retry-after': String(lockedFor),
        }));
      }
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
  { name: 'auth', dependencies: ['services'] },
);
