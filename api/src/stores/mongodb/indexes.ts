import type { IndexDescription } from 'mongodb';
import type { Collections } from './collections.js';

export const INDEX_NAMES = {
  usersEmail: 'users_email',
  usersGoogleSub: 'users_google_sub',
  tokensHash: 'tokens_hash',
} as const;

/** Only string values are indexed: a sparse index would still index `null`, and most users have no Google sub. */
const isString = { $type: 'string' };

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
};

/** Creates every index (a no-op for those that already exist with the same definition). */
export async function ensureIndexes(collections: Collections): Promise<void> {
  for (const [name, specs] of Object.entries(INDEXES) as Array<[keyof Collections, IndexDescription[]]>) {
    await collections[name].createIndexes(specs);
  }
}
