import { MongoClient, type ClientSession } from 'mongodb';
import type { Config } from '../../config.js';
import type { DomainStores, Store, TransactionStores } from '../types.js';
import { createMongoAdminLedgerStore, createMongoRequestMetricsStore } from './admin-stores.js';
import { createMongoAnswersStore } from './answers-store.js';
import { createMongoAuditStore } from './audit-store.js';
import { createMongoBooksStore } from './books-store.js';
import { createMongoCacheStore } from './cache-store.js';
import { createMongoChaptersStore } from './chapters-store.js';
import { collectionsOf } from './collections.js';
import { createMongoContinuityStore } from './continuity-store.js';
import { createMongoDocWritesStore } from './doc-writes-store.js';
import { createMongoDraftsStore } from './drafts-store.js';
import { createMongoExportsStore } from './exports-store.js';
import { createMongoGoogleCredentialsStore } from './google-credentials-store.js';
import { ensureIndexes } from './indexes.js';
import { createMongoJobsStore } from './jobs-store.js';
import { createMongoLedgerStore } from './ledger-store.js';
import { appliedMongoSchemaVersion, migrateMongo } from './migrations.js';
import { trackPool } from './pool-stats.js';
import { createMongoProposalsStore } from './proposals-store.js';
import { createMongoQuestionsStore } from './questions-store.js';
import { createMongoTokensStore } from './tokens-store.js';
import { createMongoUsersStore } from './users-store.js';
import { inTransaction, writeLock, type MongoContext } from './helpers.js';

/** Multi-record writes use transactions, which MongoDB only offers on a replica set (or through mongos). */
async function requireTransactions(client: MongoClient): Promise<void> {
  const hello = await client.db('admin').command({ hello: 1 });
  if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') {
    throw new Error('MongoDB must run as a replica set (one node is fine): the store writes related records in transactions.');
  }
}

/**
 * Opens the MongoDB store (identity, books and the authoring engine's records): one pooled client for the process,
 * migrations, then indexes. Never logs or reports the URI (it may carry credentials).
 */
export async function openMongoStore(options: Config['mongodb'], log: (message: string) => void): Promise<Store> {
  if (!options.uri) throw new Error('MongoDB store: MONGODB_URI is not set');
  const client = new MongoClient(options.uri, {
    appName: 'auto-author',
    maxPoolSize: options.maxPoolSize,
    minPoolSize: options.minPoolSize,
    maxIdleTimeMS: options.maxIdleTimeMS,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS,
    connectTimeoutMS: options.connectTimeoutMS,
    socketTimeoutMS: options.socketTimeoutMS,
    retryWrites: options.retryWrites,
  });
  const poolStats = trackPool(client, options.maxPoolSize);
  const db = client.db(options.db);
  const collections = collectionsOf(db);
  const exports = createMongoExportsStore(db);
  let schemaVersion: number;
  try {
    await client.connect();
    await requireTransactions(client);
    const applied = await migrateMongo(db, collections, log);
    if (applied.length > 0) log(`Applied store migrations ${applied.join(', ')}`);
    await ensureIndexes(collections);
    await exports.ensureIndexes();
    schemaVersion = await appliedMongoSchemaVersion(collections);
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  log(`Connected to MongoDB database ${options.db} (schema version ${schemaVersion})`);

  const ctx: MongoContext = { client, collections };
  const stores: DomainStores = {
    users: createMongoUsersStore(collections),
    tokens: createMongoTokensStore(collections),
    books: createMongoBooksStore(ctx),
    chapters: createMongoChaptersStore(ctx),
    audit: createMongoAuditStore(collections),
    adminLedger: createMongoAdminLedgerStore(collections),
    requestMetrics: createMongoRequestMetricsStore(db),
    questions: createMongoQuestionsStore(client, collections),
    answers: createMongoAnswersStore(collections),
    proposals: createMongoProposalsStore(collections),
    drafts: createMongoDraftsStore(ctx),
    jobs: createMongoJobsStore(ctx),
    ledger: createMongoLedgerStore(ctx),
    aiCache: createMongoCacheStore(collections),
    docWrites: createMongoDocWritesStore(collections),
    googleCredentials: createMongoGoogleCredentialsStore(collections),
    continuity: createMongoContinuityStore(ctx),
    exports,
  };
  /** The stores of `TransactionStores`, bound to one transaction's session. */
  const inSession = (session: ClientSession): TransactionStores => {
    const bound = { ...ctx, session };
    return {
      books: createMongoBooksStore(bound), chapters: createMongoChaptersStore(bound), drafts: createMongoDraftsStore(bound),
      continuity: createMongoContinuityStore(bound),
      ledger: createMongoLedgerStore(bound), jobs: createMongoJobsStore(bound),
    };
  };

  return {
    kind: 'mongodb',
    ...stores,
    atomically: (work, options) =>
      inTransaction(client, async (session) => {
        if (options?.lock) await writeLock(collections.locks, options.lock, session);
        return work(inSession(session));
      }),
    async health() {
      try {
        await db.command({ ping: 1 });
        return { ok: true, details: { kind: 'mongodb', schemaVersion, pool: poolStats() } };
      } catch {
        return { ok: false, details: { kind: 'mongodb', pool: poolStats() } };
      }
    },
    async close() {
      await client.close();
    },
  };
}
