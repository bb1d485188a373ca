import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

const HOUR_MS = 3_600_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** The bootstrap admin token when this start created one (printed once by the server), else null. */
    bootstrapToken: string | null;
  }
}

/** Start-up bootstrap (first admin) and hourly retention: trash older than 30 days, expired audit events. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const { identity, books, audit } = app.services;
    const { createdToken } = await identity.bootstrap(config.adminToken);
    app.decorate('bootstrapToken', createdToken);

    const sweep = async () => {
      try {
        const purged = await books.purgeTrash();
        const expired = await audit.purgeExpired();
        if (purged.length > 0 || expired > 0) app.log.info({ purgedBooks: purged.length, expiredAuditEvents: expired }, 'retention sweep');
      } catch (error) {
        app.log.error({ err: error }, 'retention sweep failed');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      await sweep();
      timer = setInterval(sweep, HOUR_MS).unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'maintenance', dependencies: ['services'] },
);
