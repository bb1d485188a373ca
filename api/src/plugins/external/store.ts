import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { openMongoStore } from '../../stores/mongodb/mongo-store.js';
import { openSqliteStore } from '../../stores/sqlite/sqlite-store.js';
import type { Store } from '../../stores/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

/** Opens the configured store (or uses the one given, for tests) and closes it on shutdown. */
export default fp<{ config: Config; store?: Store }>(
  async (app, options) => {
    const log = (message: string) => app.log.info(message);
    const store =
      options.store ??
      (options.config.store === 'mongodb'
        ? await openMongoStore(options.config.mongodb, log)
        : openSqliteStore(options.config.dataDir, log));
    app.decorate('store', store);
    // A store handed in by a test belongs to the test, which closes it.
    if (!options.store) app.addHook('onClose', async () => store.close());
  },
  { name: 'store' },
);
