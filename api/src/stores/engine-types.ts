import type { Block } from '../../../shared/blocks.js';
import type { AiJobKind, GeneratedBy, JobKind } from '../../../shared/schemas/ai.js';
import type { DraftChange, ProposalChapterSchema } from '../../../shared/schemas/authoring.js';
import type { z } from 'zod';
import type { ContinuityFlag, ContinuityKind, ContinuitySourceSchema } from '../../../shared/schemas/continuity.js';
import type { CasResult } from './types.js';

type ContinuitySource = z.infer<typeof ContinuitySourceSchema>;

/** Records of the authoring engine: questions, answers, proposals, drafts, jobs, ledger, AI cache. */
export interface QuestionRecord {
  id: string;
  bookId: string;
  /** Null for kick-off interview questions. */
  chapterId: string | null;
  position: number;
  text: string;
  helpText: string | null;
  lens: 'reader' | 'sceptic' | 'practitioner' | 'editor' | null;
  suggestedWords: number | null;
  regenerations: number;
  /** The question this one follows up (null for a question of its own). */
  parentQuestionId: string | null;
  generatedBy: GeneratedBy;
  archivedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AnswerHistoryEntry {
  version: number;
  text: string;
  status: 'draft' | 'final';
  updatedAt: string;
}

export interface AnswerRecord {
  id: string;
  questionId: string;
  bookId: string;
  chapterId: string | null;
  text: string;
  status: 'draft' | 'final';
  words: number;
  version: number;
  /** Earlier versions, newest first, bounded. */
  history: AnswerHistoryEntry[];
  createdAt: string;
  updatedAt: string;
}

export interface ProposalRecord {
  id: string;
  bookId: string;
  chapters: Array<z.infer<typeof ProposalChapterSchema>>;
  basedOnTocVersion: number;
  status: 'pending' | 'applied';
  generatedBy: GeneratedBy;
  createdAt: string;
}

export interface DraftRecord {
  id: string;
  bookId: string;
  chapterId: string;
  number: number;
  style: 'professional' | 'conversational' | 'academic' | 'creative' | 'technical';
  targetWords: number;
  words: number;
  blocks: Block[];
  /** Blocks contradicting locked continuity notes when the draft was written. */
  continuityFlags: ContinuityFlag[];
  generatedBy: GeneratedBy;
  /** The version this one was made from, and how (both null for a draft generated from the answers). */
  basedOnDraftId: string | null;
  change: DraftChange | null;
  acceptedAt: string | null;
  createdAt: string;
}

/** One fact of a book's continuity notes (see shared/schemas/continuity.ts). */
export interface ContinuityNoteRecord {
  id: string;
  bookId: string;
  kind: ContinuityKind;
  subject: string;
  detail: string;
  source: ContinuitySource;
  locked: boolean;
  /** When the author last edited the note (an extraction never replaces an edited or locked note). */
  editedAt: string | null;
  /** Null for a note the author wrote. */
  generatedBy: GeneratedBy | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type ContinuityNotePatch = Partial<Pick<ContinuityNoteRecord, 'kind' | 'subject' | 'detail' | 'locked' | 'editedAt'>>;

/** A note the author deleted, remembered so that no later extraction brings it back (one per book and subject key). */
export interface ContinuityDeletionRecord {
  bookId: string;
  /** The deleted note's subject as extractions match notes (`noteKey` in services/continuity-rules.ts). */
  subjectKey: string;
  /** The subject as the author last saw it. */
  subject: string;
  deletedAt: string;
  /**
   * The note as it was when the author deleted it, so it can be restored; null when its subject went by a rename (the
   * note lives on under its new subject).
   */
  note: ContinuityNoteRecord | null;
}

/** A book's continuity notes. Primitives only: the cap and which notes an extraction replaces are services' rules. */
export interface ContinuityStore {
  /** The book's notes, oldest first. */
  list(bookId: string): Promise<ContinuityNoteRecord[]>;
  get(bookId: string, noteId: string): Promise<ContinuityNoteRecord | null>;
  count(bookId: string): Promise<number>;
  insert(notes: ContinuityNoteRecord[]): Promise<void>;
  /** Deletes the book's notes with these ids; returns how many went. */
  remove(bookId: string, noteIds: string[]): Promise<number>;
  update(bookId: string, noteId: string, patch: ContinuityNotePatch, expectedVersion: number | null, at: string): Promise<CasResult<ContinuityNoteRecord>>;
  /** Remembers deletions; one of a (book, subject key) already remembered is replaced (its subject and time). */
  rememberDeletions(deletions: ContinuityDeletionRecord[]): Promise<void>;
  /** The book's remembered deletions, oldest first. */
  listDeletions(bookId: string): Promise<ContinuityDeletionRecord[]>;
  /** Forgets the book's deletions of these subject keys; returns how many went. */
  forgetDeletions(bookId: string, subjectKeys: string[]): Promise<number>;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobRecord {
  id: string;
  userId: string;
  bookId: string;
  chapterId: string | null;
  /** What the job works on (book, chapter or question id): one active job per (user, kind, target). */
  targetId: string;
  kind: JobKind;
  paramsHash: string;
  status: JobStatus;
  progress: number;
  stage: string | null;
  result: Record<string, unknown> | null;
  error: { code: string; message: string; retryable: boolean } | null;
  /** Tokens still held against the user's quota while the job runs. */
  reservedTokens: number;
  leaseUntil: string | null;
  /** The request's parameters, so that any instance can run the job from its record. */
  params: Record<string, unknown>;
  /** Sequence number of the job's latest event (1 = created); each transition adds one. */
  seq: number;
  /** Set by a cancel request; the runner holding the job sees it at its heartbeat and between AI calls. */
  cancelRequested: boolean;
  createdAt: string;
  updatedAt: string;
}

export type JobEventType = 'progress' | 'result' | 'error';

/** An item of the answer being written (a draft block, a question…), sent with the progress event that reports it. */
export interface JobPartial {
  index: number;
  item: unknown;
}

/** One stored job event: the job as it was after the transition numbered `seq` (replayed to reconnecting streams). */
export interface JobEventRecord {
  jobId: string;
  seq: number;
  type: JobEventType;
  /** With `partial` when the event reported an item of the answer being written. */
  job: JobRecord & { partial?: JobPartial | null };
  createdAt: string;
}

export interface LedgerRecord {
  id: string;
  userId: string;
  bookId: string | null;
  jobId: string | null;
  operation: AiJobKind;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  cached: boolean;
  outcome: string;
  latencyMs: number;
  createdAt: string;
}

export interface CacheRecord {
  key: string;
  userId: string;
  value: string;
  bytes: number;
  createdAt: string;
  expiresAt: string;
}

/** What book progress reads, for every chapter of a book at once (a fixed number of queries, whatever the size). */
export interface BookProgressRows {
  /** The active chapter questions (each chapter's by position), with the answer each has, if any. */
  questions: Array<{ chapterId: string; suggestedWords: number | null; answer: Pick<AnswerRecord, 'text' | 'status' | 'words'> | null }>;
  /** Each chapter that has drafts: how many, and the accepted one's id. */
  drafts: Array<{ chapterId: string; count: number; acceptedId: string | null }>;
}

export interface QuestionsStore {
  /** Every chapter's questions with their answers, and every chapter's draft count and accepted draft. */
  bookProgress(bookId: string): Promise<BookProgressRows>;
  /** Active questions of a chapter (or the interview when chapterId is null), by position. */
  list(bookId: string, chapterId: string | null): Promise<QuestionRecord[]>;
  get(bookId: string, questionId: string): Promise<QuestionRecord | null>;
  /** Inserts the new questions and archives the replaced ones, atomically (generate-then-swap). */
  swap(bookId: string, chapterId: string | null, insert: QuestionRecord[], archiveIds: string[], at: string): Promise<void>;
  /** Rewrites one question in place (regenerate), compare-and-swap on its version. */
  replaceText(
    bookId: string,
    questionId: string,
    change: Pick<QuestionRecord, 'text' | 'helpText' | 'lens' | 'suggestedWords' | 'generatedBy'>,
    expectedVersion: number,
    at: string,
  ): Promise<QuestionRecord | null>;
}

export interface AnswersStore {
  listByQuestions(questionIds: string[]): Promise<AnswerRecord[]>;
  listByChapter(bookId: string, chapterId: string | null): Promise<AnswerRecord[]>;
  getByQuestion(questionId: string): Promise<AnswerRecord | null>;
  /** Inserts the first answer to its question; false when the question already has one (nothing written). */
  insert(answer: AnswerRecord): Promise<boolean>;
  /** Rewrites the answer if it is still at `expectedVersion`, bumping the version; null when it is not (nothing written). */
  replace(answerId: string, expectedVersion: number, change: Pick<AnswerRecord, 'text' | 'status' | 'words' | 'history' | 'updatedAt'>): Promise<AnswerRecord | null>;
  /** Chapters of the book that have at least one non-empty answer. */
  chaptersWithAnswers(bookId: string): Promise<string[]>;
}

export interface ProposalsStore {
  create(proposal: ProposalRecord): Promise<void>;
  get(bookId: string, proposalId: string): Promise<ProposalRecord | null>;
  markApplied(proposalId: string): Promise<void>;
}

export interface DraftsStore {
  insert(draft: DraftRecord): Promise<void>;
  get(chapterId: string, draftId: string): Promise<DraftRecord | null>;
  list(chapterId: string, limit: number, beforeId: string | null): Promise<DraftRecord[]>;
  count(chapterId: string): Promise<number>;
  /** Ids of the chapter's drafts that are not accepted, newest first. */
  unacceptedIds(chapterId: string): Promise<string[]>;
  remove(chapterId: string, draftIds: string[]): Promise<void>;
  /** Sets `acceptedAt` of one draft of the chapter (null un-accepts it); returns it, or null when there is no such draft. */
  setAcceptedAt(chapterId: string, draftId: string, at: string | null): Promise<DraftRecord | null>;
  accepted(chapterId: string): Promise<DraftRecord | null>;
  chaptersWithDrafts(bookId: string): Promise<string[]>;
}

export interface QuotaCheck {
  reserveTokens: number;
  dailyLimit: number | null;
  monthlyLimit: number | null;
  dayStart: string;
  monthStart: string;
}

export type QuotaUse = { dayUsed: number; monthUsed: number; reserved: number };

/** What the store read inside its transaction when a job is created, for the service's rules to decide on. */
export interface JobCreateState {
  /** The active job of the same (user, kind, target), if any. */
  active: JobRecord | null;
  /** The user's quota use (zeros when no windows were asked for). */
  use: QuotaUse;
}

export type JobCreateResult =
  | { outcome: 'created'; job: JobRecord }
  | { outcome: 'existing'; job: JobRecord }
  | { outcome: 'job_active'; job: JobRecord }
  | { outcome: 'quota'; window: 'daily' | 'monthly'; limit: number; used: number };

/** The rules' verdict: create (holding `reservedTokens`), or the outcome to return without writing. */
export type JobCreateDecision = { outcome: 'create'; reservedTokens: number } | Exclude<JobCreateResult, { outcome: 'created' }>;

/** Conditions a transition applies under (compare-and-swap): all must hold, or nothing is written. */
export interface JobGuard {
  statuses: readonly JobStatus[];
  /** Only when the lease ran out before this instant (or the job never had one). */
  leaseExpiredBefore?: string;
  /** Only while the job's user has fewer jobs than this running. */
  runningPerUserBelow?: number;
}

export type JobPatch = Partial<Pick<JobRecord, 'status' | 'progress' | 'stage' | 'result' | 'error' | 'leaseUntil' | 'reservedTokens'>>;

/** Job records and their events. Primitives only: the rules (one active job per target, quotas) are the service's. */
export interface JobsStore {
  /**
   * Atomically: reads the active job of the same (user, kind, target) and, when `windows` are given, the user's
   * quota use; `decide` (a pure function, it may run more than once) rules; on 'create' the job is inserted with
   * its first event (seq 1).
   */
  create(job: JobRecord, windows: { dayStart: string; monthStart: string } | null, decide: (state: JobCreateState) => JobCreateDecision): Promise<JobCreateResult>;
  get(userId: string, jobId: string): Promise<JobRecord | null>;
  /** Any user's job (for the runner). */
  getById(jobId: string): Promise<JobRecord | null>;
  list(userId: string, query: { bookId: string | null; active: boolean; limit: number }): Promise<JobRecord[]>;
  /**
   * Atomically, when `guard` holds: applies the patch, adds one to `seq`, moves `updatedAt` and stores the event
   * of that sequence number. Returns the job after it, or null when the guard failed (nothing written).
   */
  transition(jobId: string, guard: JobGuard, patch: JobPatch, type: JobEventType, at: string, partial?: JobPartial | null): Promise<JobRecord | null>;
  /** Extends the lease of an active job (no event); returns the job, or null when it is no longer active. */
  renewLease(jobId: string, leaseUntil: string): Promise<JobRecord | null>;
  /** Flags the user's active job for cancellation (no event); returns the job (flagged or final), or null when not theirs. */
  requestCancel(userId: string, jobId: string): Promise<JobRecord | null>;
  /** Active jobs whose lease ran out before `now` (or that never got one), oldest first. */
  expired(now: string, limit: number): Promise<JobRecord[]>;
  /** The job's events after `afterSeq`, in order. */
  events(jobId: string, afterSeq: number): Promise<JobEventRecord[]>;
  /** Sets the tokens the job still holds against its user's quota (no event). */
  setReservedTokens(jobId: string, tokens: number): Promise<void>;
  /** Tokens used (ledger) and reserved (active jobs) by the user since the given instants. */
  quotaUse(userId: string, dayStart: string, monthStart: string): Promise<QuotaUse>;
  /**
   * Deletes up to `limit` jobs whose status is one of `statuses` and whose last change was before `updatedBefore`,
   * each with its events, in one transaction; returns how many jobs went.
   */
  purge(query: { statuses: readonly JobStatus[]; updatedBefore: string; limit: number }): Promise<number>;
}

export interface LedgerStore {
  /** Appends a metered call (releasing its job's reservation is the service's: see `services/metering-rules.ts`). */
  record(entry: LedgerRecord): Promise<void>;
  listByUser(userId: string, limit: number): Promise<LedgerRecord[]>;
  totals(userId: string, since: string): Promise<{ calls: number; cachedCalls: number; inputTokens: number; outputTokens: number; costMicros: number }>;
  /**
   * Deletes up to `limit` rows recorded before `createdBefore`, except the rows of a job whose status is one of
   * `keepJobStatuses`, in one transaction; returns how many rows went.
   */
  purge(query: { createdBefore: string; keepJobStatuses: readonly JobStatus[]; limit: number }): Promise<number>;
}

export interface CacheStore {
  get(key: string, now: string): Promise<CacheRecord | null>;
  put(record: CacheRecord): Promise<void>;
  purgeUser(userId: string): Promise<number>;
  purgeExpired(now: string): Promise<number>;
}

/** What was last written of a chapter into the linked document (to notice author edits before a rewrite). */
export interface DocWriteRecord {
  bookId: string;
  chapterId: string;
  documentId: string;
  tabId: string | null;
  rangeName: string;
  revisionId: string;
  textHash: string;
  /** 'api' for the Docs writer, 'addon' for writes an Apps Script host made itself. */
  source: 'api' | 'addon';
  writtenAt: string;
}

export interface DocWritesStore {
  upsert(record: DocWriteRecord): Promise<void>;
  listByBook(bookId: string): Promise<DocWriteRecord[]>;
}

/** A user's Google sign-in for the Docs writer: the refresh token, sealed by the token cipher (never stored plain). */
export interface GoogleCredentialsRecord {
  userId: string;
  /** `v1.<kid>.<iv>.<tag>.<data>` from the token cipher, bound to the user id. */
  ciphertext: string;
  /** Scopes Google granted. */
  scopes: string[];
  /** The OAuth client the token was issued to (only that client can refresh it). */
  clientId: string;
  updatedAt: string;
}

export interface GoogleCredentialsStore {
  get(userId: string): Promise<GoogleCredentialsRecord | null>;
  /** Stores the user's credentials, replacing any earlier ones. */
  put(record: GoogleCredentialsRecord): Promise<void>;
  /**
   * Swaps the ciphertext only if it is still `expected` (re-encryption under a rotated key must not undo a newer
   * sign-in); true when it was swapped.
   */
  replaceCiphertext(userId: string, expected: string, next: string, at: string): Promise<boolean>;
}
