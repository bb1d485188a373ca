import { MongoServerError, type Db } from 'mongodb';
import {
  CONTINUITY_COLLECTION_NAMES, CONTINUITY_DELETION_COLLECTION_NAMES, CORE_COLLECTION_NAMES, CREDENTIAL_COLLECTION_NAMES, ENGINE_COLLECTION_NAMES, JOB_EVENT_COLLECTION_NAMES, SIGN_IN_COLLECTION_NAMES, type Collections,
} from './collections.js';
import { isDuplicateKey } from './helpers.js';

const NAMESPACE_EXISTS = 48;

/** Creates the named collections that do not exist yet: up front, so transactions never have to create one implicitly. */
async function createCollections(db: Db, names: readonly string[]): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of names) {
    if (existing.has(name)) continue;
    try {
      await db.createCollection(name);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
    }
  }
}

/** Numbered migrations; each must be idempotent (two servers starting together may both run one). Never edit a released one. */
export const MONGO_MIGRATIONS: ReadonlyArray<{ version: number; name: string; up: (db: Db) => Promise<void> }> = [
  {
    version: 1,
    name: 'identity, books, summary history, chapters, audit',
    up: (db) => createCollections(db, Object.values(CORE_COLLECTION_NAMES)),
  },
  {
    version: 2,
    name: 'authoring engine: questions, answers, proposals, drafts, jobs, ledger, AI cache, Google Docs write records',
    // Their indexes (the AI cache's TTL index included) are created at start-up with the others.
    up: (db) => createCollections(db, Object.values(ENGINE_COLLECTION_NAMES)),
  },
  {
    version: 3,
    name: 'Google credentials (encrypted refresh tokens)',
    up: (db) => createCollections(db, Object.values(CREDENTIAL_COLLECTION_NAMES)),
  },
  {
    version: 4,
    name: 'Google ID tokens already exchanged (one sign-in per ID token)',
    up: (db) => createCollections(db, Object.values(SIGN_IN_COLLECTION_NAMES)),
  },
  {
    version: 5,
    name: 'job events (replayed to reconnecting streams); jobs carry params, seq and a cancel flag',
    up: async (db) => {
      await createCollections(db, Object.values(JOB_EVENT_COLLECTION_NAMES));
      await db.collection('jobs').updateMany({ seq: { $exists: false } }, { $set: { seq: 1, params: {}, cancelRequested: false } });
    },
  },
  {
    version: 6,
    name: "books carry the author's standing instructions for drafts and revisions",
    up: async (db) => {
      await db.collection('books').updateMany({ standingInstructions: { $exists: false } }, { $set: { standingInstructions: null } });
    },
  },
  {
    version: 7,
    name: 'the book remembers: follow-up questions, continuity notes and flags, a voice sample per book',
    up: async (db) => {
      await createCollections(db, Object.values(CONTINUITY_COLLECTION_NAMES));
      // Every record carries every field (as SQLite's new columns do): older ones get the empty value.
      await db.collection('questions').updateMany({ parentQuestionId: { $exists: false } }, { $set: { parentQuestionId: null } });
      await db.collection('drafts').updateMany({ continuityFlags: { $exists: false } }, { $set: { continuityFlags: [] } });
      await db.collection('books').updateMany({ voiceSample: { $exists: false } }, { $set: { voiceSample: null } });
    },
  },
  {
    version: 8,
    name: 'draft versions made from another: revised by instruction, a block reworked or edited by hand',
    up: async (db) => {
      await db.collection('drafts').updateMany({ change: { $exists: false } }, { $set: { basedOnDraftId: null, change: null } });
    },
  },
  {
    version: 9,
    name: 'chapters written before chapters remembered author edits read as never renamed by the author',
    // SQLite added the column with NULL for every row; chapters MongoDB stored before the field existed lacked it,
    // and an absent field read as undefined, not null.
    up: async (db) => {
      await db.collection('chapters').updateMany({ authoredAt: { $exists: false } }, { $set: { authoredAt: null } });
    },
  },
  {
    version: 10,
    name: 'continuity notes the author deleted are remembered, so extractions never bring them back',
    up: (db) => createCollections(db, Object.values(CONTINUITY_DELETION_COLLECTION_NAMES)),
  },
];

export const LATEST_MONGO_SCHEMA_VERSION = MONGO_MIGRATIONS[MONGO_MIGRATIONS.length - 1]!.version;

/** The highest migration recorded in the database (0 for a new one). */
export async function appliedMongoSchemaVersion({ migrations }: Collections): Promise<number> {
  const latest = await migrations.find({}, { sort: { _id: -1 }, limit: 1 }).next();
  return latest?._id ?? 0;
}

/** Runs pending migrations in order and records each; refuses a database written by newer code. */
export async function migrateMongo(db: Db, collections: Collections, log: (message: string) => void): Promise<number[]> {
  const current = await appliedMongoSchemaVersion(collections);
  if (current > LATEST_MONGO_SCHEMA_VERSION) {
    throw new Error(
      `The store is at schema version ${current}, newer than this code (${LATEST_MONGO_SCHEMA_VERSION}); upgrade the server.`,
    );
  }
  const pending = MONGO_MIGRATIONS.filter((m) => m.version > current);
  // The driver cannot take a MongoDB backup; the operator's own (mongodump, snapshots) must cover upgrades.
  if (current > 0 && pending.length > 0) log(`Migrating the MongoDB store from schema version ${current}; make sure a backup exists`);
  const applied: number[] = [];
  for (const migration of pending) {
    await migration.up(db);
    try {
      await collections.migrations.insertOne({ _id: migration.version, name: migration.name, appliedAt: new Date().toISOString() });
      applied.push(migration.version);
    } catch (error) {
      // Another server recorded it first: the migration is idempotent, so running it twice did no harm.
      if (!isDuplicateKey(error, '_id_')) throw error;
    }
  }
  return applied;
}
