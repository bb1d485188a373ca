import type { Collection, Db } from 'mongodb';
import type {
  AnswerRecord, CacheRecord, ContinuityDeletionRecord, ContinuityNoteRecord, DocWriteRecord, DraftRecord, GoogleCredentialsRecord, JobEventRecord, JobRecord, LedgerRecord, ProposalRecord,
  QuestionRecord,
} from '../engine-types.js';
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

/**
 * A cached AI answer: its `key` becomes `_id`; `expireAt` repeats `expiresAt` as a Date, which is what MongoDB's
 * TTL index needs to drop the document on its own.
 */
export type CacheDoc = Omit<CacheRecord, 'key'> & { _id: string; expireAt: Date };

/** What was last written of a chapter into its document: one per (book, chapter), `_id` = `<bookId>/<chapterId>`. */
export type DocWriteDoc = DocWriteRecord & { _id: string };

/** A user's Google credentials: one per user, `_id` = the user id (so the `_id` index is the unique per-user index). */
export type GoogleCredentialsDoc = GoogleCredentialsRecord & { _id: string };

/** A Google ID token already exchanged for an API token: `_id` = its hash; `expireAt` (a Date) feeds the TTL index. */
export interface IdTokenClaimDoc {
  _id: string;
  expiresAt: string;
  expireAt: Date;
}

/** A job event: `_id` = `<jobId>:<seq>`, so an event is stored once. */
export type JobEventDoc = JobEventRecord & { _id: string };

/** A continuity note the author deleted: `_id` = `<bookId>/<subjectKey>`, so a (book, subject key) is remembered once. */
export type ContinuityDeletionDoc = ContinuityDeletionRecord & { _id: string };

/** Collections of schema version 1 (identity, books, chapters, audit). */
export const CORE_COLLECTION_NAMES = {
  users: 'users',
  tokens: 'tokens',
  books: 'books',
  summaryVersions: 'summary_versions',
  chapters: 'chapters',
  audit: 'audit_events',
  migrations: 'migrations',
  locks: 'locks',
} as const;

/** Collections of schema version 2 (the authoring engine and its Google Docs write records). */
export const ENGINE_COLLECTION_NAMES = {
  questions: 'questions',
  answers: 'answers',
  proposals: 'toc_proposals',
  drafts: 'drafts',
  jobs: 'jobs',
  ledger: 'ledger',
  aiCache: 'ai_cache',
  docWrites: 'doc_writes',
} as const;

/** Collections of schema version 3 (stored Google sign-ins). */
export const CREDENTIAL_COLLECTION_NAMES = {
  googleCredentials: 'google_credentials',
} as const;

/** Collections of schema version 4 (Google ID tokens already exchanged). */
export const SIGN_IN_COLLECTION_NAMES = {
  idTokenClaims: 'id_token_claims',
} as const;

/** Collections of schema version 5 (job events, replayed to reconnecting streams). */
export const JOB_EVENT_COLLECTION_NAMES = {
  jobEvents: 'job_events',
} as const;

/** Collections of schema version 7 (the book's continuity notes). */
export const CONTINUITY_COLLECTION_NAMES = {
  continuityNotes: 'continuity_notes',
} as const;

/** Collections of schema version 10 (the continuity notes the author deleted). */
export const CONTINUITY_DELETION_COLLECTION_NAMES = {
  continuityDeletions: 'continuity_deletions',
} as const;

export const COLLECTION_NAMES = {
  ...CORE_COLLECTION_NAMES, ...ENGINE_COLLECTION_NAMES, ...CREDENTIAL_COLLECTION_NAMES, ...SIGN_IN_COLLECTION_NAMES, ...JOB_EVENT_COLLECTION_NAMES,
  ...CONTINUITY_COLLECTION_NAMES, ...CONTINUITY_DELETION_COLLECTION_NAMES,
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
  questions: Collection<Doc<QuestionRecord>>;
  answers: Collection<Doc<AnswerRecord>>;
  proposals: Collection<Doc<ProposalRecord>>;
  drafts: Collection<Doc<DraftRecord>>;
  jobs: Collection<Doc<JobRecord>>;
  jobEvents: Collection<JobEventDoc>;
  ledger: Collection<Doc<LedgerRecord>>;
  aiCache: Collection<CacheDoc>;
  docWrites: Collection<DocWriteDoc>;
  googleCredentials: Collection<GoogleCredentialsDoc>;
  idTokenClaims: Collection<IdTokenClaimDoc>;
  continuityNotes: Collection<Doc<ContinuityNoteRecord>>;
  continuityDeletions: Collection<ContinuityDeletionDoc>;
}

export function collectionsOf(db: Db): Collections {
  // Every collection by its property name; the names come from the one table above (the type says none is missing).
  const names: Record<keyof Collections, string> = COLLECTION_NAMES;
  return Object.fromEntries(Object.entries(names).map(([key, name]) => [key, db.collection(name)])) as unknown as Collections;
}

/**
 * A value as SQLite keeps it: an object or array goes through JSON there (an undefined member vanishes), anything
 * else is a column (undefined is NULL). BSON would store an undefined member as null, which an optional field of a
 * schema refuses when the record is read back (a block's, a job's params or result).
 */
export function asStored<T>(value: T): T {
  if (value === undefined) return null as T;
  return value !== null && typeof value === 'object' ? (JSON.parse(JSON.stringify(value)) as T) : value;
}

/** Every field as SQLite keeps it (see `asStored`). */
export function storedFields<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, asStored(value)])) as T;
}

export function toDoc<R extends { id: string }>(record: R): Doc<R> {
  const { id, ...rest } = record;
  return { ...storedFields(rest), _id: id };
}

export function fromDoc<R extends { id: string }>(doc: Doc<R>): R {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id } as unknown as R;
}

/** The same, for an optional result. */
export function fromDocOrNull<R extends { id: string }>(doc: Doc<R> | null): R | null {
  return doc ? fromDoc<R>(doc) : null;
}
