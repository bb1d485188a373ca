import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { LATEST_MONGO_SCHEMA_VERSION } from '../../src/stores/mongodb/migrations.js';
import { openMongoStore } from '../../src/stores/mongodb/mongo-store.js';
import { draftRecord, questionRecord } from './contract/engine-fixtures.js';
import { bookRecord, chapterRecord, userRecord } from './contract/fixtures.js';
import { defineStoreContract } from './store-contract.js';

const uri = process.env.MONGODB_URI;
// Never the configured database: each run creates its own and drops it.
/** A record as code older than its newest fields stored it: `_id` for `id`, the named fields absent. */
function legacyDoc<R extends { id: string }>(record: R, ...absent: Array<keyof R>): Record<string, unknown> {
  const { id, ...rest } = record as R & Record<string, unknown>;
  for (const field of absent) delete rest[field as string];
  return { _id: id, ...rest };
}

const testDbName = () => `aa_test_${randomBytes(6).toString('hex')}`;
const dbName = testDbName();
/** A second database, for a store that starts at an older schema version. */
const upgradeDbName = testDbName();

const options = (db = dbName): Config['mongodb'] => ({
  uri: uri ?? null, db, maxPoolSize: 10, minPoolSize: 0, maxIdleTimeMS: 60_000, serverSelectionTimeoutMS: 5_000,
  connectTimeoutMS: 10_000, socketTimeoutMS: 30_000, retryWrites: true,
});

describe.skipIf(!uri)('mongodb store', () => {
  const admin = new MongoClient(uri ?? 'mongodb://unused');
  afterAll(async () => {
    try {
      for (const name of [dbName, upgradeDbName]) {
        if (name.startsWith('aa_test_') && name !== process.env.MONGODB_DB) await admin.db(name).dropDatabase();
      }
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
        expect((await db.collection('answers').indexes()).find((index) => index.name === 'answers_question')).toMatchObject({ unique: true });
        const jobIndexes = await db.collection('jobs').indexes();
        expect(jobIndexes.find((index) => index.name === 'jobs_active_target')).toMatchObject({
          unique: true, partialFilterExpression: { status: { $in: ['queued', 'running'] } },
        });
        expect(jobIndexes.find((index) => index.name === 'jobs_active')).toMatchObject({ partialFilterExpression: expect.any(Object) });
        expect((await db.collection('ai_cache').indexes()).find((index) => index.name === 'ai_cache_expiry')).toMatchObject({ expireAfterSeconds: 0 });
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

    it('keeps the AI cache expiry as a Date too, for the TTL index', async () => {
      const store = await openMongoStore(options(), () => {});
      try {
        const record = {
          key: `ttl-${randomBytes(4).toString('hex')}`, userId: 'usr_ttl', value: '{}', bytes: 2,
          createdAt: '2100-01-01T00:00:00.000Z', expiresAt: '2100-01-02T00:00:00.000Z',
        };
        await store.aiCache.put(record);
        const stored = await admin.db(dbName).collection<{ _id: string }>('ai_cache').findOne({ _id: record.key });
        expect(stored).toMatchObject({ expiresAt: record.expiresAt, expireAt: new Date(record.expiresAt) });
        expect(await store.aiCache.get(record.key, '2100-01-01T12:00:00.000Z')).toEqual(record);
      } finally {
        await store.close();
      }
    });

    it('upgrades a store at schema version 1, saying a backup should exist', async () => {
      const migrations = admin.db(upgradeDbName).collection<{ _id: number; name: string; appliedAt: string }>('migrations');
      await migrations.insertOne({ _id: 1, name: 'identity, books, summary history, chapters, audit', appliedAt: new Date().toISOString() });
      // Records as older code wrote them, without the fields added since: they must read as SQLite's defaults.
      const user = userRecord();
      const book = bookRecord(user.id);
      const chapter = chapterRecord(book.id);
      const question = questionRecord(book.id, chapter.id);
      const draft = draftRecord(book.id, chapter.id);
      const old = admin.db(upgradeDbName);
      await old.collection('users').insertOne(legacyDoc(user));
      await old.collection('books').insertOne(legacyDoc(book, 'standingInstructions', 'voiceSample'));
      await old.collection('chapters').insertOne(legacyDoc(chapter, 'authoredAt'));
      await old.collection('questions').insertOne(legacyDoc(question, 'parentQuestionId'));
      await old.collection('drafts').insertOne(legacyDoc(draft, 'continuityFlags', 'basedOnDraftId', 'change'));
      const log: string[] = [];
      const store = await openMongoStore(options(upgradeDbName), (message) => log.push(message));
      try {
        expect(await store.books.get(user.id, book.id)).toEqual({ ...book, standingInstructions: null, voiceSample: null });
        expect(await store.chapters.get(book.id, chapter.id)).toEqual({ ...chapter, authoredAt: null });
        expect(await store.questions.get(book.id, question.id)).toEqual({ ...question, parentQuestionId: null });
        expect(await store.drafts.get(chapter.id, draft.id)).toEqual({ ...draft, continuityFlags: [], basedOnDraftId: null, change: null });
        expect(log.some((message) => message.includes('make sure a backup exists'))).toBe(true);
        expect(log).toContain(`Applied store migrations ${Array.from({ length: LATEST_MONGO_SCHEMA_VERSION - 1 }, (_, i) => i + 2).join(', ')}`);
        const names = (await admin.db(upgradeDbName).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
        expect(names).toEqual(expect.arrayContaining(['questions', 'answers', 'toc_proposals', 'drafts', 'jobs', 'ledger', 'ai_cache', 'google_credentials']));
        expect((await store.health()).details).toMatchObject({ schemaVersion: LATEST_MONGO_SCHEMA_VERSION });
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
