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

/** The store the configuration names: MongoDB, or the embedded SQLite file under `DATA_DIR`. */
export async function openConfiguredStore(config: Config, log: (message: string) => void): Promise<Store> {
  return config.store === 'mongodb' ? openMongoStore(config.mongodb, log) : openSqliteStore(config.dataDir, log);
}

/** Opens the configured store (or uses the one given, for tests) and closes it on shutdown. */
export default fp<{ config: Config; store?: Store }>(
  async (app, options) => {
    const store = options.store ?? (await openConfiguredStore(options.config, (message) => app.log.info(message)));
    app.decorate('store', store);
    // A store handed in by a test belongs to the test, which closes it.
    if (!options.store) app.addHook('onClose', async () => store.close());
  },
  { name: 'store' },
);
