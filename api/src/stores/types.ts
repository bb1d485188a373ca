import type { Role } from '../../../shared/schemas/identity.js';
import type { CHAPTER_STATUSES } from '../../../shared/schemas/chapters.js';
import type { TOKEN_SOURCES } from '../../../shared/schemas/identity.js';
import type { ExportsStore } from './export-types.js';
import type { AdminLedgerStore, RequestMetricsStore } from './admin-types.js';
import type {
  AnswersStore, ContinuityStore, CacheStore, DocWritesStore, DraftsStore, GoogleCredentialsStore, JobsStore, LedgerStore, ProposalsStore, QuestionsStore,
} from './engine-types.js';

/** Stored records. Field names double as SQLite column names and MongoDB fields (`id` is `_id` there). */
export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  googleSub: string | null;
  quotaDailyTokens: number | null;
  quotaMonthlyTokens: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TokenRecord {
  id: string;
  userId: string;
  hash: string;
  label: string | null;
  source: (typeof TOKEN_SOURCES)[number];
  clientId: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface BookRecord {
  id: string;
  userId: string;
  title: string;
  subtitle: string | null;
  description: string | null;
  genre: string | null;
  audience: string | null;
  language: string | null;
  targetWords: number | null;
  /** The author's instructions for every draft and revision (null: none). */
  standingInstructions: string | null;
  /** A passage in the author's voice, the drafts' style reference (never their material). */
  voiceSample: string | null;
  documentId: string | null;
  tabId: string | null;
  summary: string;
  summaryVersion: number;
  summaryUpdatedAt: string;
  version: number;
  tocVersion: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface SummaryVersionRecord {
  bookId: string;
  version: number;
  summary: string;
  words: number;
  createdAt: string;
}

export interface ChapterRecord {
  id: string;
  bookId: string;
  parentId: string | null;
  position: number;
  title: string;
  description: string | null;
  status: (typeof CHAPTER_STATUSES)[number];
  archivedAt: string | null;
  /** When the author last renamed or re-described this chapter themselves (a proposal never overwrites that). */
  authoredAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AuditRecord {
  id: string;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/** Result of a compare-and-swap write: the new record, a stale version, or nothing there. */
export type CasResult<T> = { ok: true; record: T } | { ok: false; reason: 'conflict'; current: T } | { ok: false; reason: 'missing' };

export type UserPatch = Partial<Pick<UserRecord, 'name' | 'role' | 'disabled' | 'googleSub' | 'quotaDailyTokens' | 'quotaMonthlyTokens'>>;
export type BookPatch = Partial<
  Pick<
    BookRecord,
    'title' | 'subtitle' | 'description' | 'genre' | 'audience' | 'language' | 'targetWords' | 'standingInstructions' | 'voiceSample' | 'documentId' | 'tabId'
  >
>;
export type ChapterPatch = Partial<Pick<ChapterRecord, 'title' | 'description' | 'status' | 'parentId' | 'position' | 'archivedAt' | 'authoredAt'>>;

export interface UsersStore {
  /** Inserts a user; false when the email is taken. */
  create(user: UserRecord): Promise<boolean>;
  get(id: string): Promise<UserRecord | null>;
  getByEmail(email: string): Promise<UserRecord | null>;
  getByGoogleSub(sub: string): Promise<UserRecord | null>;
  update(id: string, patch: UserPatch, expectedVersion: number | null, at: string): Promise<CasResult<UserRecord>>;
  /** Newest first, ids below `beforeId`; `q` matches email or name (case-insensitive substring). */
  list(query: { limit: number; beforeId: string | null; q: string | null }): Promise<UserRecord[]>;
  count(): Promise<number>;
  /** Administrators who are not disabled. */
  countActiveAdmins(): Promise<number>;
}

export interface TokensStore {
  /** Inserts a token; false when a token with its hash exists (only a configured ADMIN_TOKEN can be issued twice). */
  create(token: TokenRecord): Promise<boolean>;
  findByHash(hash: string): Promise<TokenRecord | null>;
  /** Every token of the user, revoked and expired ones included, newest first. */
  listByUser(userId: string): Promise<TokenRecord[]>;
  /** Marks one of the user's tokens revoked; false when it is not theirs or already revoked. */
  revoke(userId: string, tokenId: string, at: string): Promise<boolean>;
  revokeAll(userId: string, at: string): Promise<number>;
  touch(tokenId: string, at: string): Promise<void>;
  /**
   * Records that a Google ID token (by its hash) was exchanged, until it expires: true the first time, false when it
   * was exchanged before (so one ID token cannot mint two API tokens, on any instance). Drops expired records.
   */
  claimIdToken(hash: string, expiresAt: string, now: string): Promise<boolean>;
}

export interface BooksStore {
  insert(book: BookRecord): Promise<void>;
  /** The user's books, trashed ones included. */
  countByUser(userId: string): Promise<number>;
  /** The user's book; trashed books only with `includeDeleted`. */
  get(userId: string, bookId: string, includeDeleted?: boolean): Promise<BookRecord | null>;
  list(userId: string, query: { limit: number; beforeId: string | null; documentId: string | null; trash: boolean }): Promise<BookRecord[]>;
  update(userId: string, bookId: string, patch: BookPatch, expectedVersion: number | null, at: string): Promise<CasResult<BookRecord>>;
  setDeleted(userId: string, bookId: string, deletedAt: string | null, at: string): Promise<BookRecord | null>;
  /** Removes books trashed before `cutoff` with everything under them; returns their ids. */
  purgeDeletedBefore(cutoff: string): Promise<string[]>;
  /** The book's TOC version (any owner, trashed or not); null when there is no such book. */
  tocVersion(bookId: string): Promise<number | null>;
  /** Adds one to the book's TOC version and moves its `updatedAt`. */
  bumpTocVersion(bookId: string, at: string): Promise<void>;
  /** Writes the book's summary fields as given (no version check: the caller's transaction read them). */
  setSummary(bookId: string, summary: Pick<BookRecord, 'summary' | 'summaryVersion' | 'summaryUpdatedAt'>): Promise<void>;
  addSummaryVersion(entry: SummaryVersionRecord): Promise<void>;
  /** Drops the book's summary versions numbered `version` and below. */
  dropSummaryVersionsThrough(bookId: string, version: number): Promise<void>;
  /** Newest first. */
  summaryHistory(bookId: string, limit: number): Promise<SummaryVersionRecord[]>;
}

export interface ChaptersStore {
  get(bookId: string, chapterId: string): Promise<ChapterRecord | null>;
  /**
   * A chapter of the user's live book, with the ownership check, in one read (SQLite keeps recent ones in memory):
   * null when the book is the user's live book but has no such chapter; 'no-book' when it is not.
   */
  getOwned(userId: string, bookId: string, chapterId: string): Promise<Readonly<ChapterRecord> | null | 'no-book'>;
  /** Every chapter of the book, archived ones included, by parent then position. */
  listByBook(bookId: string): Promise<ChapterRecord[]>;
  /** Chapters of the book, archived ones included. */
  countByBook(bookId: string): Promise<number>;
  insert(chapter: ChapterRecord): Promise<void>;
  /** Compare-and-swap on the chapter's version (none when `expectedVersion` is null); bumps the version. */
  update(bookId: string, chapterId: string, patch: ChapterPatch, options: { expectedVersion: number | null; at: string }): Promise<CasResult<ChapterRecord>>;
}

export interface AuditStore {
  append(event: AuditRecord): Promise<void>;
  list(query: { limit: number; beforeId: string | null; type: string | null; userId: string | null }): Promise<AuditRecord[]>;
  purgeBefore(cutoff: string): Promise<number>;
}

export interface StoreHealth {
  ok: boolean;
  details: Record<string, unknown>;
}

/**
 * The whole persistence layer, composed here and only here: one store per domain, the transaction primitive, and
 * lifecycle. Stores hold primitive operations; the rules that combine them live in the services.
 */
export interface DomainStores {
  readonly users: UsersStore;
  readonly tokens: TokensStore;
  readonly books: BooksStore;
  readonly chapters: ChaptersStore;
  readonly audit: AuditStore;
  readonly questions: QuestionsStore;
  readonly answers: AnswersStore;
  readonly proposals: ProposalsStore;
  readonly drafts: DraftsStore;
  readonly jobs: JobsStore;
  readonly ledger: LedgerStore;
  readonly aiCache: CacheStore;
  readonly docWrites: DocWritesStore;
  readonly googleCredentials: GoogleCredentialsStore;
  readonly continuity: ContinuityStore;
  readonly exports: ExportsStore;
  readonly adminLedger: AdminLedgerStore;
  readonly requestMetrics: RequestMetricsStore;
}

/**
 * The stores whose operations can join a transaction (MongoDB passes its session to these; SQLite's one
 * connection runs everything inside it). Add a store here when a rule needs it inside `atomically`.
 */
export type TransactionStores = Pick<DomainStores, 'books' | 'chapters' | 'drafts' | 'continuity' | 'ledger'> & {
  /** A job's own writes (create, transition) are transactions of their own; inside another one, only these. */
  readonly jobs: Pick<JobsStore, 'getById' | 'setReservedTokens'>;
};

export interface AtomicOptions {
  /**
   * A key that transactions over the same thing share (e.g. `books:<userId>` for the per-user book cap). MongoDB
   * writes its lock row first, so concurrent transactions that only read the thing conflict and retry; SQLite's
   * transactions already run one at a time.
   */
  lock?: string;
}

export interface Store extends DomainStores {
  readonly kind: 'sqlite' | 'mongodb';
  /**
   * Runs `work` in one transaction: all of its writes land, or none (when it throws). `work` may run more than once
   * (MongoDB retries a transaction that conflicted), so it must only use `tx` and return its outcome. Calling the
   * store itself (or `atomically` again) from `work` is a mistake: SQLite refuses it at once.
   */
  atomically<T>(work: (tx: TransactionStores) => Promise<T>, options?: AtomicOptions): Promise<T>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
