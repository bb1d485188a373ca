import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { appliedSchemaVersion, LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/stores/sqlite/migrations.js';
import { openSqliteStore, SQLITE_FILE } from '../../src/stores/sqlite/sqlite-store.js';
import { defineStoreContract } from './store-contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'aa-sqlite-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
const freshDir = () => path.join(root, `store-${++dirs}`);

// Every block of the contract opens the same data directory, as successive server starts would.
const contractDir = freshDir();
defineStoreContract('sqlite', async () => openSqliteStore(contractDir));

/** The migration versions recorded in a store directory's file, or in the given SQLite file. */
const appliedVersions = (dirOrFile: string) => {
  const file = dirOrFile.endsWith('.sqlite') ? dirOrFile : path.join(dirOrFile, SQLITE_FILE);
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  } finally {
    db.close();
  }
};

describe('sqlite atomically', () => {
  it('refuses a call to the store itself from inside the work (it would wait for its own transaction)', async () => {
    const store = openSqliteStore(freshDir());
    try {
      await expect(store.atomically(async () => store.users.count())).rejects.toThrow('use `tx`');
      await expect(store.atomically(async () => store.atomically(async () => 1))).rejects.toThrow('use `tx`');
      expect(await store.users.count()).toBe(0); // and the store is free again
    } finally {
      await store.close();
    }
  });
});

describe('sqlite migrations', () => {
  it('are idempotent: a second start on the same directory applies nothing and keeps the data', async () => {
    const dir = freshDir();
    const firstLog: string[] = [];
    const first = openSqliteStore(dir, (message) => firstLog.push(message));
    expect(firstLog).toContain(`Applied store migrations ${MIGRATIONS.map((m) => m.version).join(', ')}`);
    await first.audit.append({ id: 'aud_01ARZ3NDEKTSV4RRFFQ69G5FAV', type: 't', userId: null, actorId: null, ip: null, details: {}, createdAt: '2025-01-01T00:00:00.000Z' });
    await first.close();

    const secondLog: string[] = [];
    const second = openSqliteStore(dir, (message) => secondLog.push(message));
    expect(secondLog).toEqual([]);
    expect(await second.audit.list({ limit: 5, beforeId: null, type: null, userId: null })).toHaveLength(1);
    await second.close();
    expect(appliedVersions(dir)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(existsSync(path.join(dir, 'backups'))).toBe(false);
  });

  it('refuses a store whose schema is newer than this code', async () => {
    const dir = freshDir();
    await openSqliteStore(dir).close();
    const db = new Database(path.join(dir, SQLITE_FILE));
    db.prepare('INSERT INTO schema_migrations (version, name, appliedAt) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'from the future', new Date().toISOString());
    db.close();
    expect(() => openSqliteStore(dir)).toThrow(/newer than this code/);
    // Refusing changed nothing: the newer version is still recorded.
    expect(appliedVersions(dir)).toContain(LATEST_SCHEMA_VERSION + 1);
  });

  // Building a store one migration behind needs two migrations; with one there is nothing to back up (new files are not).
  it.skipIf(MIGRATIONS.length < 2)('backs up a store before migrating it', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const previous = MIGRATIONS.slice(0, -1);
    const db = new Database(path.join(dir, SQLITE_FILE));
    appliedSchemaVersion(db); // creates schema_migrations
    for (const migration of previous) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, appliedAt) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
    }
    db.close();

    const log: string[] = [];
    const store = openSqliteStore(dir, (message) => log.push(message));
    await store.close();
    const fromVersion = previous[previous.length - 1]!.version;
    const backups = readdirSync(path.join(dir, 'backups'));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(new RegExp(`^pre-migration-v${fromVersion}-\\d+\\.sqlite$`));
    expect(log.some((message) => message.startsWith('Backed up the store'))).toBe(true);
    expect(appliedVersions(dir)).toEqual(MIGRATIONS.map((m) => m.version));
    // The backup is the store as it was before the migration.
    expect(appliedVersions(path.join(dir, 'backups', backups[0]!))).toEqual(previous.map((m) => m.version));
  });
});

describe('the store is private to the server', () => {
  const mode = (file: string) => statSync(file).mode & 0o777;

  it('creates DATA_DIR owner-only and its files (database, write-ahead log, backups) owner-only, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const dir = path.join(freshDir(), 'nested');
      const store = openSqliteStore(dir);
      await store.users.create({
        id: 'usr_private', email: 'private@example.com', name: null, role: 'author', disabled: false, googleSub: null,
        quotaDailyTokens: null, quotaMonthlyTokens: null, version: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
      });
      const file = path.join(dir, SQLITE_FILE);
      expect(mode(dir)).toBe(0o700);
      for (const each of [file, `${file}-wal`, `${file}-shm`]) expect(mode(each), each).toBe(0o600);
      const backup = path.join(dir, 'backups', 'copy.sqlite');
      await store.backup(backup);
      expect(mode(path.dirname(backup))).toBe(0o700);
      expect(mode(backup)).toBe(0o600);
      expect(appliedVersions(backup)).toEqual(MIGRATIONS.map((m) => m.version));
      await store.close();
    } finally {
      process.umask(previous);
    }
  });

  it('makes an existing, readable store owner-only when it opens it', async () => {
    const dir = freshDir();
    await openSqliteStore(dir).close();
    chmodSync(dir, 0o755);
    chmodSync(path.join(dir, SQLITE_FILE), 0o644);
    const store = openSqliteStore(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, SQLITE_FILE))).toBe(0o600);
    await store.close();
  });
});
