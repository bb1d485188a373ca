import type { Collection, Db } from 'mongodb';
import type { AuditRecord, BookRecord, ChapterRecord, SummaryVersionRecord, TokenRecord, UserRecord } from '../types.js';

/** A record as stored: its `id` becomes `_id`, every other field keeps its name. */
export type Doc<R extends { id: string }> = Omit<R, 'id'> & { _id: string };

export interface MigrationDoc {
  _id: number;
  name: string;
  appliedAt: string;
}

/** A row whose only job is to be written inside a transaction, so concurrent transactions on the same key conflict. */
export interface LockDoc {
  _id: string;
  writes: number;
}

export const COLLECTION_NAMES = {
  users: 'users',
  tokens: 'tokens',
  books: 'books',
  summaryVersions: 'summary_versions',
  chapters: 'chapters',
  audit: 'audit_events',
  migrations: 'migrations',
  locks: 'locks',
} as const;

export interface Collections {
  users: Collection<Doc<UserRecord>>;
  tokens: Collection<Doc<TokenRecord>>;
  books: Collection<Doc<BookRecord>>;
  summaryVersions: Collection<SummaryVersionRecord>;
  chapters: Collection<Doc<ChapterRecord>>;
  audit: Collection<Doc<AuditRecord>>;
  migrations: Collection<MigrationDoc>;
  locks: Collection<LockDoc>;
}

export function collectionsOf(db: Db): Collections {
  return {
    users: db.collection(COLLECTION_NAMES.users),
    tokens: db.collection(COLLECTION_NAMES.tokens),
    books: db.collection(COLLECTION_NAMES.books),
    summaryVersions: db.collection(COLLECTION_NAMES.summaryVersions),
    chapters: db.collection(COLLECTION_NAMES.chapters),
    audit: db.collection(COLLECTION_NAMES.audit),
    migrations: db.collection(COLLECTION_NAMES.migrations),
    locks: db.collection(COLLECTION_NAMES.locks),
  };
}

export function toDoc<R extends { id: string }>(record: R): Doc<R> {
  const { id, ...rest } = record;
  return { ...rest, _id: id };
}

export function fromDoc<R extends { id: string }>(doc: Doc<R>): R {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id } as unknown as R;
}

/** The same, for an optional result. */
export function fromDocOrNull<R extends { id: string }>(doc: Doc<R> | null): R | null {
  return doc ? fromDoc<R>(doc) : null;
}
