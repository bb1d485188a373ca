import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

const HOUR_MS = 3_600_000;
const JOB_DRAIN_MS = 20_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** The bootstrap admin token when this start created one (printed once by the server), else null. */
    bootstrapToken: string | null;
  }
}

/**
 * Start-up: first admin, interrupted jobs failed (retryable); hourly retention of trash, audit, AI cache, exports,
 * ended jobs and the usage ledger; shutdown drains running jobs for up to 20 s.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const { identity, books, audit, jobs, exports, quota } = app.services;
    const { createdToken } = await identity.bootstrap(config.adminToken);
    app.decorate('bootstrapToken', createdToken);

    const sweep = async () => {
      try {
        const purged = await books.purgeTrash();
        await exports.deleteForBooks(purged);
        const expired = await audit.purgeExpired();
        await app.store.aiCache.purgeExpired(new Date().toISOString());
        const expiredExports = await exports.purgeExpired();
        const expiredJobs = await jobs.purgeEnded();
        const expiredLedgerRows = await quota.purgeExpiredUsage();
        const removed = { purgedBooks: purged.length, expiredAuditEvents: expired, expiredExports, expiredJobs, expiredLedgerRows };
        if (Object.values(removed).some((count) => count > 0)) app.log.info(removed, 'retention sweep');
      } catch (error) {
        app.log.error({ err: error }, 'retention sweep failed');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      const interrupted = await jobs.recoverInterrupted();
      if (interrupted > 0) app.log.warn({ interrupted }, 'failed jobs interrupted by a restart (retryable)');
      await sweep();
      timer = setInterval(sweep, HOUR_MS).unref();
    });
    app.addHook('preClose', async () => jobs.drain(JOB_DRAIN_MS));
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'maintenance', dependencies: ['services'] },
);
