import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { openMongoStore } from '../../stores/mongodb/mongo-store.js';
import { openSqliteStore } from '../../stores/sqlite/sqlite-store.js';
import type { EngineStore } from '../../stores/engine-types.js';
import type { Store } from '../../stores/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store & EngineStore;
  }
}

async function openFullMongoStore(config: Config, log: (message: string) => void): Promise<Store & EngineStore> {
  const store = await openMongoStore(config.mongodb, log);
  if (!('jobs' in store)) {
    await store.close();
    throw new Error('The MongoDB store does not hold the authoring engine records yet; use STORE=sqlite.');
  }
  return store as Store & EngineStore;
}

/** Opens the configured store (or uses the one given, for tests) and closes it on shutdown. */
export default fp<{ config: Config; store?: Store & EngineStore }>(
  async (app, options) => {
    const log = (message: string) => app.log.info(message);
    const store =
      options.store ??
      (options.config.store === 'mongodb'
        ? await openFullMongoStore(options.config, log)
        : openSqliteStore(options.config.dataDir, log));
    app.decorate('store', store);
    // A store handed in by a test belongs to the test, which closes it.
    if (!options.store) app.addHook('onClose', async () => store.close());
  },
  { name: 'store' },
);
