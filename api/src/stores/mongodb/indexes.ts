import type { IndexDescription } from 'mongodb';
import type { Collections } from './collections.js';
import { ACTIVE_JOB_STATUSES } from './jobs-store.js';

export const INDEX_NAMES = {
  usersEmail: 'users_email',
  usersGoogleSub: 'users_google_sub',
  tokensHash: 'tokens_hash',
  answersQuestion: 'answers_question',
  jobsActiveTarget: 'jobs_active_target',
} as const;

/** Only string values are indexed: a sparse index would still index `null`, and most users have no Google sub. */
const isString = { $type: 'string' };
/** Queued or running jobs (`$in` in a partial index needs MongoDB 6.0 or later). */
const isActiveJob = { status: { $in: [...ACTIVE_JOB_STATUSES] } };

const INDEXES: { [K in keyof Collections]?: IndexDescription[] } = {
  users: [
    { key: { email: 1 }, name: INDEX_NAMES.usersEmail, unique: true },
    { key: { googleSub: 1 }, name: INDEX_NAMES.usersGoogleSub, unique: true, partialFilterExpression: { googleSub: isString } },
  ],
  tokens: [
    { key: { hash: 1 }, name: INDEX_NAMES.tokensHash, unique: true },
    { key: { userId: 1, _id: 1 }, name: 'tokens_user' },
  ],
  books: [
    { key: { userId: 1, _id: 1 }, name: 'books_user' },
    { key: { userId: 1, documentId: 1 }, name: 'books_user_doc' },
    { key: { deletedAt: 1 }, name: 'books_deleted', partialFilterExpression: { deletedAt: isString } },
  ],
  summaryVersions: [{ key: { bookId: 1, version: 1 }, name: 'summary_versions_book_version', unique: true }],
  chapters: [{ key: { bookId: 1, position: 1, _id: 1 }, name: 'chapters_book' }],
  audit: [
    { key: { type: 1, _id: 1 }, name: 'audit_type' },
    { key: { userId: 1, _id: 1 }, name: 'audit_user' },
    { key: { createdAt: 1 }, name: 'audit_created' },
  ],
  questions: [{ key: { bookId: 1, chapterId: 1, position: 1, _id: 1 }, name: 'questions_chapter' }],
  answers: [
    { key: { questionId: 1 }, name: INDEX_NAMES.answersQuestion, unique: true },
    { key: { bookId: 1, chapterId: 1 }, name: 'answers_chapter' },
  ],
  proposals: [{ key: { bookId: 1 }, name: 'toc_proposals_book' }],
  drafts: [
    { key: { chapterId: 1, _id: 1 }, name: 'drafts_chapter' },
    { key: { bookId: 1, chapterId: 1 }, name: 'drafts_book' },
  ],
  jobs: [
    { key: { userId: 1, _id: 1 }, name: 'jobs_user' },
    { key: { status: 1, leaseUntil: 1 }, name: 'jobs_active', partialFilterExpression: isActiveJob },
    // One active job per (user, kind, target): the store checks it under the user's lock, the index makes it a rule.
    { key: { userId: 1, kind: 1, targetId: 1 }, name: INDEX_NAMES.jobsActiveTarget, unique: true, partialFilterExpression: isActiveJob },
    { key: { userId: 1, status: 1 }, name: 'jobs_user_status' },
    // Retention finds ended jobs by when they last changed (SQLite has the same index).
    { key: { status: 1, updatedAt: 1 }, name: 'jobs_status_updated' },
  ],
  jobEvents: [{ key: { jobId: 1, seq: 1 }, name: 'job_events_job', unique: true }],
  ledger: [
    { key: { userId: 1, createdAt: 1 }, name: 'ledger_user_time' },
    { key: { userId: 1, _id: 1 }, name: 'ledger_user' },
    { key: { createdAt: 1 }, name: 'ledger_time' },
    // The admin reports filter by operation or model over a time range (SQLite has the same two indexes).
    { key: { operation: 1, createdAt: 1 }, name: 'ledger_operation_time' },
    { key: { model: 1, createdAt: 1 }, name: 'ledger_model_time' },
  ],
  aiCache: [
    { key: { userId: 1 }, name: 'ai_cache_user' },
    // MongoDB drops expired answers by itself (within a minute or so); reads still check `expiresAt`.
    { key: { expireAt: 1 }, name: 'ai_cache_expiry', expireAfterSeconds: 0 },
  ],
  docWrites: [{ key: { bookId: 1, writtenAt: 1 }, name: 'doc_writes_book' }],
  idTokenClaims: [{ key: { expireAt: 1 }, name: 'id_token_claims_expiry', expireAfterSeconds: 0 }],
  continuityNotes: [{ key: { bookId: 1, _id: 1 }, name: 'continuity_notes_book' }],
  continuityDeletions: [{ key: { bookId: 1, deletedAt: 1, subjectKey: 1 }, name: 'continuity_deletions_book' }],
};

/** Creates every index (a no-op for those that already exist with the same definition). */
export async function ensureIndexes(collections: Collections): Promise<void> {
  for (const [name, specs] of Object.entries(INDEXES) as Array<[keyof Collections, IndexDescription[]]>) {
    await collections[name].createIndexes(specs);
  }
}
