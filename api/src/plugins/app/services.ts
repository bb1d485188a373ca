import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { createAuditService } from '../../services/audit-service.js';
import { createBooksService } from '../../services/books-service.js';
import { createChaptersService } from '../../services/chapters-service.js';
import type { Clock } from '../../services/clock.js';
import { createGoogleSignInService } from '../../services/google-signin-service.js';
import { googleKeySource, type GoogleKeySource } from '../../services/google-verifier.js';
import { createIdentityService } from '../../services/identity-service.js';
import type { Store } from '../../stores/types.js';

function createServices(app: { store: Store; log: FastifyBaseLogger }, options: ServicesOptions) {
  const { config, clock } = options;
  const store = app.store;
  const audit = createAuditService({ store, clock, log: app.log, retentionDays: config.auditRetentionDays });
  const identity = createIdentityService({ store, audit, clock });
  const googleSignIn = createGoogleSignInService({
    store, identity, audit, clock, clientIds: config.google.clientIds, allowedDomains: config.google.allowedDomains,
    keySource: options.googleKeySource ?? googleKeySource(),
  });
  const books = createBooksService({ store, clock });
  const chapters = createChaptersService({ store, books, clock });
  return { audit, identity, googleSignIn, books, chapters };
}

export type Services = ReturnType<typeof createServices>;

interface ServicesOptions {
  config: Config;
  clock: Clock;
  googleKeySource?: GoogleKeySource;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** Builds the services (rules, typed errors) on top of the store. */
export default fp<ServicesOptions>(
  async (app, options) => {
    app.decorate('services', createServices(app, options));
  },
  { name: 'services', dependencies: ['store'] },
);
