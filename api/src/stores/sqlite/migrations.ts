import type Database from 'better-sqlite3';

/** Numbered schema migrations; each runs once, in order, inside a transaction. Never edit a released one. */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'identity, books, summary history, chapters, audit',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, role TEXT NOT NULL, disabled INTEGER NOT NULL,
        googleSub TEXT UNIQUE, quotaDailyTokens INTEGER, quotaMonthlyTokens INTEGER,
        version INTEGER NOT NULL, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL
      );
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY, userId TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, hash TEXT NOT NULL UNIQUE,
        label TEXT, source TEXT NOT NULL, clientId TEXT, createdAt TEXT NOT NULL, expiresAt TEXT, lastUsedAt TEXT,
        revokedAt TEXT
      );
      CREATE INDEX tokens_user ON tokens(userId, id);
      CREATE TABLE books (
        id TEXT PRIMARY KEY, userId TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, title TEXT NOT NULL,
        subtitle TEXT, description TEXT, genre TEXT, audience TEXT, language TEXT, targetWords INTEGER,
        documentId TEXT, tabId TEXT, summary TEXT NOT NULL, summaryVersion INTEGER NOT NULL,
        summaryUpdatedAt TEXT NOT NULL, version INTEGER NOT NULL, tocVersion INTEGER NOT NULL,
        createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL, deletedAt TEXT
      );
      CREATE INDEX books_user ON books(userId, id);
      CREATE INDEX books_user_doc ON books(userId, documentId);
      CREATE INDEX books_deleted ON books(deletedAt) WHERE deletedAt IS NOT NULL;
      CREATE TABLE summary_versions (
        bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE, version INTEGER NOT NULL, summary TEXT NOT NULL,
        words INTEGER NOT NULL, createdAt TEXT NOT NULL, PRIMARY KEY (bookId, version)
      );
      CREATE TABLE chapters (
        id TEXT PRIMARY KEY, bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE, parentId TEXT,
        position INTEGER NOT NULL, title TEXT NOT NULL, description TEXT, status TEXT NOT NULL, archivedAt TEXT,
        version INTEGER NOT NULL, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL
      );
      CREATE INDEX chapters_book ON chapters(bookId, parentId, position);
      CREATE TABLE audit_events (
        id TEXT PRIMARY KEY, type TEXT NOT NULL, userId TEXT, actorId TEXT, ip TEXT, details TEXT NOT NULL,
        createdAt TEXT NOT NULL
      );
      CREATE INDEX audit_type ON audit_events(type, id);
      CREATE INDEX audit_user ON audit_events(userId, id);
      CREATE INDEX audit_created ON audit_events(createdAt);
    `,
  },
  {
    version: 2,
    name: 'authoring engine: questions, answers, proposals, drafts, jobs, ledger, AI cache',
    sql: `
      CREATE TABLE questions (
        id TEXT PRIMARY KEY, bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE, chapterId TEXT,
        position INTEGER NOT NULL, text TEXT NOT NULL, helpText TEXT, lens TEXT, suggestedWords INTEGER,
        regenerations INTEGER NOT NULL, generatedBy TEXT NOT NULL, archivedAt TEXT, version INTEGER NOT NULL,
        createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL
      );
      CREATE INDEX questions_chapter ON questions(bookId, chapterId, position);
      CREATE TABLE answers (
        id TEXT PRIMARY KEY, questionId TEXT NOT NULL UNIQUE, bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE,
        chapterId TEXT, text TEXT NOT NULL, status TEXT NOT NULL, words INTEGER NOT NULL, version INTEGER NOT NULL,
        history TEXT NOT NULL, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL
      );
      CREATE INDEX answers_chapter ON answers(bookId, chapterId);
      CREATE TABLE toc_proposals (
        id TEXT PRIMARY KEY, bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE, chapters TEXT NOT NULL,
        basedOnTocVersion INTEGER NOT NULL, status TEXT NOT NULL, generatedBy TEXT NOT NULL, createdAt TEXT NOT NULL
      );
      CREATE TABLE drafts (
        id TEXT PRIMARY KEY, bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE, chapterId TEXT NOT NULL,
        number INTEGER NOT NULL, style TEXT NOT NULL, targetWords INTEGER NOT NULL, words INTEGER NOT NULL,
        blocks TEXT NOT NULL, generatedBy TEXT NOT NULL, acceptedAt TEXT, createdAt TEXT NOT NULL
      );
      CREATE INDEX drafts_chapter ON drafts(chapterId, id);
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY, userId TEXT NOT NULL, bookId TEXT NOT NULL, chapterId TEXT, targetId TEXT NOT NULL,
        kind TEXT NOT NULL, paramsHash TEXT NOT NULL, status TEXT NOT NULL, progress INTEGER NOT NULL, stage TEXT,
        result TEXT, error TEXT, reservedTokens INTEGER NOT NULL, leaseUntil TEXT, createdAt TEXT NOT NULL,
        updatedAt TEXT NOT NULL
      );
      CREATE INDEX jobs_user ON jobs(userId, id);
      CREATE INDEX jobs_active ON jobs(status) WHERE status IN ('queued', 'running');
      CREATE TABLE ledger (
        id TEXT PRIMARY KEY, userId TEXT NOT NULL, bookId TEXT, jobId TEXT, operation TEXT NOT NULL,
        provider TEXT NOT NULL, model TEXT NOT NULL, inputTokens INTEGER NOT NULL, outputTokens INTEGER NOT NULL,
        costMicros INTEGER NOT NULL, cached INTEGER NOT NULL, outcome TEXT NOT NULL, latencyMs INTEGER NOT NULL,
        createdAt TEXT NOT NULL
      );
      CREATE INDEX ledger_user_time ON ledger(userId, createdAt);
      CREATE INDEX ledger_time ON ledger(createdAt);
      CREATE TABLE ai_cache (
        key TEXT PRIMARY KEY, userId TEXT NOT NULL, value TEXT NOT NULL, bytes INTEGER NOT NULL,
        createdAt TEXT NOT NULL, expiresAt TEXT NOT NULL
      );
      CREATE INDEX ai_cache_user ON ai_cache(userId);
      CREATE INDEX ai_cache_expiry ON ai_cache(expiresAt);
    `,
  },
  {
    version: 3,
    name: 'Google Docs write records',
    sql: `
      CREATE TABLE doc_writes (
        bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE, chapterId TEXT NOT NULL, documentId TEXT NOT NULL,
        tabId TEXT, rangeName TEXT NOT NULL, revisionId TEXT NOT NULL, textHash TEXT NOT NULL, source TEXT NOT NULL,
        writtenAt TEXT NOT NULL, PRIMARY KEY (bookId, chapterId)
      );
    `,
  },
  {
    version: 4,
    name: 'chapters remember author edits',
    sql: `ALTER TABLE chapters ADD COLUMN authoredAt TEXT;`,
  },
  {
    version: 5,
    name: 'Google credentials (encrypted refresh tokens)',
    sql: `
      CREATE TABLE google_credentials (
        userId TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, ciphertext TEXT NOT NULL, scopes TEXT NOT NULL,
        clientId TEXT NOT NULL, updatedAt TEXT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'admin dashboard: request metrics per minute, ledger reports by operation and model',
    sql: `
      CREATE TABLE request_metrics (
        minute TEXT PRIMARY KEY, requests INTEGER NOT NULL, clientErrors INTEGER NOT NULL, serverErrors INTEGER NOT NULL,
        quota429 INTEGER NOT NULL, rateLimited429 INTEGER NOT NULL, latencyTotalMs REAL NOT NULL, latencyBuckets TEXT NOT NULL
      );
      CREATE INDEX ledger_operation_time ON ledger(operation, createdAt);
      CREATE INDEX ledger_model_time ON ledger(model, createdAt);
    `,
  },
  {
    version: 7,
    name: "a user's active jobs found without scanning their history",
    sql: `CREATE INDEX jobs_user_active ON jobs(userId, kind, targetId) WHERE status IN ('queued', 'running');`,
  },
  {
    version: 8,
    name: 'Google ID tokens already exchanged (one sign-in per ID token)',
    sql: `
      CREATE TABLE id_token_claims (hash TEXT PRIMARY KEY, expiresAt TEXT NOT NULL);
      CREATE INDEX id_token_claims_expiry ON id_token_claims(expiresAt);
    `,
  },
  {
    version: 9,
    name: 'jobs run from their record on any instance: parameters, event sequence and log, cancel flag',
    sql: `
      ALTER TABLE jobs ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE jobs ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE jobs ADD COLUMN cancelRequested INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE job_events (
        jobId TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, job TEXT NOT NULL, createdAt TEXT NOT NULL,
        PRIMARY KEY (jobId, seq)
      ) WITHOUT ROWID;
      CREATE INDEX jobs_running_user ON jobs(userId) WHERE status = 'running';
    `,
  },
  {
    version: 10,
    name: "books carry the author's standing instructions for drafts and revisions",
    sql: `ALTER TABLE books ADD COLUMN standingInstructions TEXT;`,
  },
  {
    version: 11,
    name: 'the book remembers: follow-up questions, continuity notes and flags, a voice sample per book',
    sql: `
      ALTER TABLE questions ADD COLUMN parentQuestionId TEXT;
      CREATE INDEX questions_parent ON questions(parentQuestionId) WHERE parentQuestionId IS NOT NULL;
      ALTER TABLE drafts ADD COLUMN continuityFlags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE books ADD COLUMN voiceSample TEXT;
      CREATE TABLE continuity_notes (
        id TEXT PRIMARY KEY, bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE, kind TEXT NOT NULL,
        subject TEXT NOT NULL, detail TEXT NOT NULL, source TEXT NOT NULL, locked INTEGER NOT NULL, editedAt TEXT,
        generatedBy TEXT, version INTEGER NOT NULL, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL
      );
      CREATE INDEX continuity_notes_book ON continuity_notes(bookId, id);
    `,
  },
  {
    version: 12,
    name: 'draft versions made from another: revised by instruction, a block reworked or edited by hand',
    sql: `
      ALTER TABLE drafts ADD COLUMN basedOnDraftId TEXT;
      ALTER TABLE drafts ADD COLUMN change TEXT;
    `,
  },
  {
    version: 13,
    name: 'exported files of books (the bytes are files under DATA_DIR/exports)',
    sql: `
      CREATE TABLE exports (
        id TEXT PRIMARY KEY, userId TEXT NOT NULL, bookId TEXT NOT NULL, jobId TEXT NOT NULL, format TEXT NOT NULL,
        filename TEXT NOT NULL, mediaType TEXT NOT NULL, bytes INTEGER NOT NULL, chapters INTEGER NOT NULL,
        skipped TEXT NOT NULL, expiresAt TEXT NOT NULL, createdAt TEXT NOT NULL, updatedAt TEXT NOT NULL
      );
      CREATE INDEX exports_book ON exports(userId, bookId, id);
      CREATE INDEX exports_expiry ON exports(expiresAt);
    `,
  },
  {
    version: 14,
    name: 'continuity notes the author deleted are remembered, so extractions never bring them back',
    sql: `
      CREATE TABLE continuity_deletions (
        bookId TEXT NOT NULL REFERENCES books(id) ON DELETE CASCADE, subjectKey TEXT NOT NULL, subject TEXT NOT NULL,
        deletedAt TEXT NOT NULL, PRIMARY KEY (bookId, subjectKey)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 15,
    name: 'jobs found by status and last change (ended jobs are deleted after their retention)',
    sql: `CREATE INDEX jobs_status_updated ON jobs(status, updatedAt);`,
  },
  {
    version: 16,
    name: 'a deleted continuity note is kept whole, so the author can restore it',
    sql: `ALTER TABLE continuity_deletions ADD COLUMN note TEXT;`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The highest migration recorded in the database (0 for a new file). */
export function appliedSchemaVersion(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, appliedAt TEXT NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Runs pending migrations under SQLite's write lock (BEGIN IMMEDIATE), so two processes starting together
 * cannot both apply one. Refuses a database written by newer code.
 */
export function migrate(db: Database.Database, beforeFirstPending: (fromVersion: number) => void): number[] {
  const current = appliedSchemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new Error(`The store is at schema version ${current}, newer than this code (${LATEST_SCHEMA_VERSION}); upgrade the server.`);
  }
  const pending = MIGRATIONS.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  if (current > 0) beforeFirstPending(current);
  const applied: number[] = [];
  for (const migration of pending) {
    db.transaction(() => {
      const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (done) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, appliedAt) VALUES (?, ?, ?)').run(
        migration.version, migration.name, new Date().toISOString(),
      );
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}
