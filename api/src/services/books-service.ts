import { LIMITS } from '../../../shared/limits.js';
import { newId } from '../../../shared/ids.js';
import { evaluateReadiness } from '../../../shared/readiness.js';
import type { CreateBookBody, UpdateBookBody } from '../../../shared/schemas/books.js';
import { countWords } from '../../../shared/text-count.js';
import { AppError, conflict, notFound } from '../lib/app-error.js';
import { decodeCursor, toPage } from '../lib/paging.js';
import { presentBook } from '../lib/presenters.js';
import type { BookRecord, CasResult, Store } from '../stores/types.js';
import { daysAgo, isoNow, type Clock } from './clock.js';
import { createBookWithinCap, saveSummary } from './book-rules.js';

function unwrap<T>(result: CasResult<T>, what: string, present: (record: T) => unknown): T {
  if (result.ok) return result.record;
  throw result.reason === 'missing' ? notFound(what) : conflict(what, present(result.current));
}

export function createBooksService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;

  /** The user's live book, or 404 (also for another user's book: existence is never confirmed). */
  async function requireBook(userId: string, bookId: string): Promise<BookRecord> {
    const book = await store.books.get(userId, bookId);
    if (!book) throw notFound('book');
    return book;
  }

  async function presentSummary(book: BookRecord) {
    const history = await store.books.summaryHistory(book.id, LIMITS.summaryHistory);
    return { bookId: book.id, summary: book.summary, version: book.summaryVersion, updatedAt: book.summaryUpdatedAt, history };
  }

  return {
    requireBook,

    async create(userId: string, body: CreateBookBody) {
      const at = isoNow(clock);
      const book: BookRecord = {
        id: newId('book'), userId, title: body.title, subtitle: body.subtitle ?? null, description: body.description ?? null,
        genre: body.genre ?? null, audience: body.audience ?? null, language: body.language ?? null,
        targetWords: body.targetWords ?? null, standingInstructions: body.standingInstructions ?? null,
        voiceSample: body.voiceSample ?? null, documentId: body.documentId ?? null, tabId: null, summary: '',
        summaryVersion: 1, summaryUpdatedAt: at, version: 1, tocVersion: 1, createdAt: at, updatedAt: at, deletedAt: null,
      };
      if (!(await createBookWithinCap(store, book, LIMITS.booksPerUser))) {
        throw new AppError('LIMIT_REACHED', `You can keep at most ${LIMITS.booksPerUser} books (the trash included).`);
      }
      return presentBook(book);
    },

    async list(userId: string, query: { limit: number; cursor?: string; documentId?: string; trash?: boolean }) {
      const rows = await store.books.list(userId, {
        limit: query.limit + 1, beforeId: decodeCursor(query.cursor), documentId: query.documentId ?? null, trash: query.trash ?? false,
      });
      return toPage(rows, query.limit, presentBook);
    },

    async get(userId: string, bookId: string) {
      return presentBook(await requireBook(userId, bookId));
    },

    async update(userId: string, bookId: string, body: UpdateBookBody) {
      const { version, ...patch } = body;
      const result = await store.books.update(userId, bookId, patch, version ?? null, isoNow(clock));
      return presentBook(unwrap(result, 'book', presentBook));
    },

    async linkDoc(userId: string, bookId: string, body: { documentId: string; tabId?: string | null; version?: number }) {
      const patch = { documentId: body.documentId, tabId: body.tabId ?? null };
      const result = await store.books.update(userId, bookId, patch, body.version ?? null, isoNow(clock));
      return presentBook(unwrap(result, 'book', presentBook));
    },

    async trash(userId: string, bookId: string) {
      const at = isoNow(clock);
      if (!(await store.books.setDeleted(userId, bookId, at, at))) throw notFound('book');
    },

    async restore(userId: string, bookId: string) {
      const book = await store.books.setDeleted(userId, bookId, null, isoNow(clock));
      if (!book) throw notFound('book in the trash');
      return presentBook(book);
    },

    /** Removes books trashed longer than the trash period, with everything under them. */
    async purgeTrash() {
      return store.books.purgeDeletedBefore(daysAgo(clock, LIMITS.trashDays));
    },

    async getSummary(userId: string, bookId: string) {
      return presentSummary(await requireBook(userId, bookId));
    },

    async putSummary(userId: string, bookId: string, body: { summary: string; version?: number }) {
      const result = await saveSummary(store, userId, bookId, {
        summary: body.summary, words: countWords(body.summary), expectedVersion: body.version ?? null, at: isoNow(clock),
        keep: LIMITS.summaryHistory,
      });
      if (!result.ok && result.reason === 'conflict') throw conflict('summary', await presentSummary(result.current));
      return presentSummary(unwrap(result, 'book', presentBook));
    },

    async readiness(userId: string, bookId: string) {
      const book = await requireBook(userId, bookId);
      return { bookId: book.id, ...evaluateReadiness({ title: book.title, summary: book.summary }) };
    },
  };
}
export type BooksService = ReturnType<typeof createBooksService>;
