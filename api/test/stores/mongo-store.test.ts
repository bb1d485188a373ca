import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { LATEST_MONGO_SCHEMA_VERSION } from '../../src/stores/mongodb/migrations.js';
import { openMongoStore } from '../../src/stores/mongodb/mongo-store.js';
import { defineStoreContract } from './store-contract.js';

const uri = process.env.MONGODB_URI;
// Never the configured database: each run creates its own and drops it.
const dbName = `aa_test_${randomBytes(6).toString('hex')}`;

const options = (): Config['mongodb'] => ({
  uri: uri ?? null, db: dbName, maxPoolSize: 10, minPoolSize: 0, maxIdleTimeMS: 60_000, serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 10_000, socketTimeoutMS: 30_000, retryWrites: true,
});

describe.skipIf(!uri)('mongodb store', () => {
  const admin = new MongoClient(uri ?? 'mongodb://unused');
  afterAll(async () => {
    try {
      if (dbName.startsWith('aa_test_') && dbName !== process.env.MONGODB_DB) await admin.db(dbName).dropDatabase();
    } finally {
      await admin.close();
    }
  });

  defineStoreContract('mongodb', () => openMongoStore(options(), () => {}));

  describe('start-up', () => {
    it('creates the unique indexes and records its migrations', async () => {
      const store = await openMongoStore(options(), () => {});
      try {
        const db = admin.db(dbName);
        const userIndexes = await db.collection('users').indexes();
        expect(userIndexes.find((index) => index.name === 'users_email')).toMatchObject({ unique: true });
        expect(userIndexes.find((index) => index.name === 'users_google_sub')).toMatchObject({ unique: true });
        expect((await db.collection('tokens').indexes()).find((index) => index.name === 'tokens_hash')).toMatchObject({ unique: true });
        expect(await db.collection<{ _id: number }>('migrations').countDocuments({ _id: { $lte: LATEST_MONGO_SCHEMA_VERSION } })).toBe(LATEST_MONGO_SCHEMA_VERSION);
      } finally {
        await store.close();
      }
    });

    it('reports pool figures in health and never the URI', async () => {
      const store = await openMongoStore(options(), () => {});
      try {
        const health = await store.health();
        expect(health.ok).toBe(true);
        expect(health.details.pool).toMatchObject({ maxPoolSize: 10, inUse: expect.any(Number), available: expect.any(Number) });
        expect(JSON.stringify(health)).not.toContain(uri!);
      } finally {
        await store.close();
      }
    });

    it('refuses a store whose schema is newer than this code', async () => {
      const migrations = admin.db(dbName).collection<{ _id: number; name: string; appliedAt: string }>('migrations');
      const future = { _id: LATEST_MONGO_SCHEMA_VERSION + 1, name: 'from the future', appliedAt: new Date().toISOString() };
      await migrations.insertOne(future);
      try {
        await expect(openMongoStore(options(), () => {})).rejects.toThrow(/newer than this code/);
      } finally {
        await migrations.deleteOne({ _id: future._id });
      }
    });
  });
});
