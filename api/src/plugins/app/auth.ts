import fp from 'fastify-plugin';
import type { EndpointAuth } from '../../../../shared/contract/endpoint.js';
import type { Config } from '../../config.js';
import { AppError } from '../../lib/app-error.js';
import { createFailureWindow } from '../../lib/failure-window.js';
import type { Principal } from '../../services/identity-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    auth?: EndpointAuth;
    rateGroup?: string;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Authentication in onRequest, before rate limiting (which is keyed by user). Bad tokens from one address are
 * counted and, past RATE_LIMIT_AUTH_PER_MIN a minute, refused with RATE_LIMITED before any lookup.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const failures = createFailureWindow({ maxPerWindow: config.rateLimit.authPerMin });
    app.decorateRequest('principal', null);

    app.addHook('onRequest', async (request) => {
      const auth = request.routeOptions.config?.auth ?? 'none';
      if (auth === 'none') return;
      const lockedFor = failures.lockedForS(request.ip);
      if (lockedFor > 0) {
        throw new AppError('RATE_LIMITED', `Too many failed sign-in attempts; retry in ${lockedFor} s.`, { retryAfterS: lockedFor }, {
          'retry-after': String(lockedFor),
        });
      }
      const raw = BEARER.exec(request.headers.authorization ?? '')?.[1];
      if (!raw) throw new AppError('UNAUTHORIZED', 'Send an API token as "Authorization: Bearer <token>".');
      const result = await app.services.identity.authenticate(raw);
      if ('error' in result) {
        if (result.error === 'UNAUTHORIZED') {
          const count = failures.record(request.ip);
          if (count === 1 || count === config.rateLimit.authPerMin) {
            await app.services.audit.record(count === 1 ? 'auth.failed' : 'auth.locked', { ip: request.ip, details: { count } });
          }
          throw new AppError('UNAUTHORIZED', 'The API token is not valid; it may have been revoked or expired.');
        }
        throw new AppError('ACCOUNT_DISABLED', 'This account is disabled.');
      }
      if (auth === 'admin' && result.user.role !== 'admin') throw new AppError('FORBIDDEN', 'This needs an administrator.');
      request.principal = result;
    });
  },
  { name: 'auth', dependencies: ['services'] },
);
