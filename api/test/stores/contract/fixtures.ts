import { afterAll, beforeAll, expect } from 'vitest';
import { newId } from '../../../../shared/ids.js';
import type { AuditRecord, BookRecord, ChapterRecord, Store, TokenRecord, UserRecord } from '../../../src/stores/types.js';
import { createBookWithinCap } from '../../../src/services/book-rules.js';

/** Opens a store; the contract closes it. Stores opened by one run may share a database. */
export type StoreFactory = () => Promise<Store>;

/** A store for the enclosing describe block, closed after it. */
export function useStore(open: StoreFactory): () => Store {
  let store: Store | undefined;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.close();
  });
  return () => {
    if (!store) throw new Error('The store is not open');
    return store;
  };
}

let counter = 0;
/** A short string unique within the run, so tests sharing a database never see each other's records. */
export const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** An ISO timestamp `seconds` after the start of `year` (UTC, with milliseconds, as the services write them). */
export const time = (seconds: number, year = 2025) => new Date(Date.UTC(year, 0, 1) + seconds * 1000).toISOString();

export function userRecord(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: newId('user'), email: `user-${unique()}@example.com`, name: null, role: 'author', disabled: false, googleSub: null,
    quotaDailyTokens: null, quotaMonthlyTokens: null, version: 1, createdAt: time(0), updatedAt: time(0), ...overrides,
  };
}

export function tokenRecord(userId: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: newId('token'), userId, hash: `hash-${unique()}`, label: null, source: 'admin', clientId: null, createdAt: time(0),
    expiresAt: null, lastUsedAt: null, revokedAt: null, ...overrides,
  };
}

export function bookRecord(userId: string, overrides: Partial<BookRecord> = {}): BookRecord {
  return {
    id: newId('book'), userId, title: 'A book', subtitle: null, description: null, genre: null, audience: null, language: null,
    targetWords: null, standingInstructions: null, voiceSample: null, documentId: null, tabId: null, summary: '', summaryVersion: 1, summaryUpdatedAt: time(0), version: 1,
    tocVersion: 1, createdAt: time(0), updatedAt: time(0), deletedAt: null, ...overrides,
  };
}

export function chapterRecord(bookId: string, overrides: Partial<ChapterRecord> = {}): ChapterRecord {
  return {
    id: newId('chapter'), bookId, parentId: null, position: 0, title: 'A chapter', description: null, status: 'planned',
    archivedAt: null, authoredAt: null, version: 1, createdAt: time(0), updatedAt: time(0), ...overrides,
  };
}

export function auditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return { id: newId('audit'), type: 'test.event', userId: null, actorId: null, ip: null, details: {}, createdAt: time(0), ...overrides };
}

/** A stored user (books and tokens belong to one: SQLite enforces it with foreign keys). */
export async function givenUser(store: Store, overrides: Partial<UserRecord> = {}): Promise<UserRecord> {
  const user = userRecord(overrides);
  expect(await store.users.create(user)).toBe(true);
  return user;
}

/** A stored book of a new user unless `userId` is given. */
export async function givenBook(store: Store, userId?: string, overrides: Partial<BookRecord> = {}): Promise<BookRecord> {
  const book = bookRecord(userId ?? (await givenUser(store)).id, overrides);
  expect(await createBookWithinCap(store, book, Number.MAX_SAFE_INTEGER)).toBe(true);
  return book;
}

/** Sorts records by id, for comparing sets whose order the contract leaves open. */
export const byId = <T extends { id: string }>(records: T[]) => [...records].sort((a, b) => (a.id < b.id ? -1 : 1));
