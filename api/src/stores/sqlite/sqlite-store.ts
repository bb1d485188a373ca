import path from 'node:path';
import Database from 'better-sqlite3';
import type { DomainStores, Store } from '../types.js';
import { createSqliteAnswersStore, createSqliteDraftsStore, createSqliteProposalsStore, createSqliteQuestionsStore } from './authoring-stores.js';
import { createSqliteContinuityStore } from './continuity-store.js';
import { createSqliteDocWritesStore } from './doc-writes-store.js';
import { createSqliteExportsStore } from './exports-store.js';
import { createSqliteGoogleCredentialsStore } from './google-credentials-store.js';
import { createSqliteCacheStore, createSqliteJobsStore, createSqliteLedgerStore } from './metering-stores.js';
import { createSqliteAdminLedgerStore, createSqliteRequestMetricsStore } from './admin-stores.js';
import { createSqliteAuditStore } from './audit-store.js';
import { createSqliteBooksStore } from './books-store.js';
import { createSqliteChaptersStore } from './chapters-store.js';
import { ensurePrivateDatabase, vacuumInto } from './private-files.js';
import { appliedSchemaVersion, migrate } from './migrations.js';
import { createSqliteTokensStore } from './tokens-store.js';
import { createSqliteUsersStore } from './users-store.js';
import { createTransactionGate } from './helpers.js';

export const SQLITE_FILE = 'auto-author.sqlite';

/**
 * Opens (creating when needed) the embedded store under `dataDir`: WAL with synchronous=NORMAL, which survives
 * a killed process (a test proves it) but may lose the last transactions on a power loss.
 */
export function openSqliteStore(dataDir: string, log: (message: string) => void = () => {}): Store & { backup(file: string): Promise<void> } {
  const file = path.join(dataDir, SQLITE_FILE);
  ensurePrivateDatabase(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const backupTo = (target: string) => vacuumInto(db, target);
  let applied: number[];
  try {
    applied = migrate(db, (fromVersion) => {
      const target = path.join(dataDir, 'backups', `pre-migration-v${fromVersion}-${Date.now()}.sqlite`);
      backupTo(target);
      log(`Backed up the store to ${path.basename(target)} before migrating`);
    });
  } catch (error) {
    db.close(); // a refused or failed store must not stay open
    throw error;
  }
  const schemaVersion = appliedSchemaVersion(db);
  if (applied.length > 0) log(`Applied store migrations ${applied.join(', ')}`);
  const stores: DomainStores = {
    users: createSqliteUsersStore(db),
    tokens: createSqliteTokensStore(db),
    books: createSqliteBooksStore(db),
    chapters: createSqliteChaptersStore(db),
    audit: createSqliteAuditStore(db),
    adminLedger: createSqliteAdminLedgerStore(db),
    requestMetrics: createSqliteRequestMetricsStore(db),
    questions: createSqliteQuestionsStore(db),
    answers: createSqliteAnswersStore(db),
    proposals: createSqliteProposalsStore(db),
    drafts: createSqliteDraftsStore(db),
    jobs: createSqliteJobsStore(db),
    ledger: createSqliteLedgerStore(db),
    aiCache: createSqliteCacheStore(db),
    docWrites: createSqliteDocWritesStore(db),
    googleCredentials: createSqliteGoogleCredentialsStore(db),
    continuity: createSqliteContinuityStore(db),
    exports: createSqliteExportsStore(db, dataDir),
  };
  const transactions = createTransactionGate(db);
  return {
    kind: 'sqlite',
    ...transactions.gated(stores),
    atomically: (work) => transactions.run(() => work(stores)),
    async health() {
      try {
        db.prepare('SELECT 1').get();
        return { ok: true, details: { kind: 'sqlite', schemaVersion, journalMode: 'wal' } };
      } catch {
        return { ok: false, details: { kind: 'sqlite' } };
      }
    },
    async backup(target) {
      await transactions.idle(); // VACUUM INTO cannot run inside a transaction
      backupTo(target);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
