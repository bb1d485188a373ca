import { newId } from '../../../../shared/ids.js';
import type {
  CacheRecord, ContinuityNoteRecord, DraftRecord, JobRecord, LedgerRecord, ProposalRecord, QuestionRecord, QuotaCheck,
} from '../../../src/stores/engine-types.js';
import { time, unique } from './fixtures.js';
import type { putAnswer } from '../../../src/services/answer-rules.js';

export const OFFLINE = { provider: 'offline', model: 'offline-1', promptVersion: 'v1', offline: true } as const;

export function questionRecord(bookId: string, chapterId: string | null, overrides: Partial<QuestionRecord> = {}): QuestionRecord {
  return {
    id: newId('question'), bookId, chapterId, position: 0, text: 'What does the reader need first?', helpText: null, lens: 'reader',
    suggestedWords: 200, regenerations: 0, parentQuestionId: null, generatedBy: { ...OFFLINE }, archivedAt: null, version: 1, createdAt: time(0), updatedAt: time(0),
    ...overrides,
  };
}

type AnswerInput = Parameters<typeof putAnswer>[1];

/** The input of `putAnswer` for a question. */
export function answerInput(question: QuestionRecord, overrides: Partial<AnswerInput> = {}): AnswerInput {
  return { questionId: question.id, bookId: question.bookId, chapterId: question.chapterId, text: 'An answer', status: 'draft', words: 2, ...overrides };
}

/** The options of `putAnswer`: unchecked unless a version is expected. */
export const upsertOptions = (at: string, expectedVersion: number | null = null, historyLimit = 10) =>
  ({ expectedVersion, at, historyLimit, newId: () => newId('answer') });

export function proposalRecord(bookId: string, overrides: Partial<ProposalRecord> = {}): ProposalRecord {
  return {
    id: newId('proposal'), bookId, basedOnTocVersion: 1, status: 'pending', generatedBy: { ...OFFLINE }, createdAt: time(0),
    chapters: [
      { id: null, title: 'Beginnings', description: 'Where it starts', children: [{ id: null, title: 'First steps', description: null }] },
      { id: 'ch_01ARZ3NDEKTSV4RRFFQ69G5FAV', title: 'Kept', description: null, children: [] },
    ],
    ...overrides,
  };
}

export function draftRecord(bookId: string, chapterId: string, overrides: Partial<DraftRecord> = {}): DraftRecord {
  return {
    id: newId('draft'), bookId, chapterId, number: 1, style: 'conversational', targetWords: 1200, words: 4, generatedBy: { ...OFFLINE },
    blocks: [
      { type: 'heading', level: 2, text: 'Été 🌍' },
      { type: 'paragraph', text: 'Four words of prose.', sources: [{ questionId: 'q_01ARZ3NDEKTSV4RRFFQ69G5FAV', answerVersion: 2 }], unsupported: false },
      { type: 'list', ordered: false, items: ['one', 'two'], sources: [], unsupported: true },
    ],
    continuityFlags: [], basedOnDraftId: null, change: null, acceptedAt: null, createdAt: time(0), ...overrides,
  };
}

/** A queued job of a user on a new target (a new user unless given). */
export function noteRecord(bookId: string, overrides: Partial<ContinuityNoteRecord> = {}): ContinuityNoteRecord {
  return {
    id: newId('continuityNote'), bookId, kind: 'person', subject: 'María Ñúñez 🌍', detail: 'Runs the night shift.',
    source: { chapterId: 'ch_A', draftId: 'dr_A', answers: [{ questionId: 'q_A', answerVersion: 2 }] }, locked: false, editedAt: null,
    generatedBy: { ...OFFLINE }, version: 1, createdAt: time(0), updatedAt: time(0), ...overrides,
  };
}

export function jobRecord(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: newId('job'), userId: newId('user'), bookId: newId('book'), chapterId: null, targetId: `target-${unique()}`, kind: 'draft.generate',
    paramsHash: 'params-a', status: 'queued', progress: 0, stage: 'queued', result: null, error: null, reservedTokens: 0, leaseUntil: null,
    params: { style: 'professional', targetWords: 600 }, seq: 1, cancelRequested: false, createdAt: time(0), updatedAt: time(0), ...overrides,
  };
}

/** A quota check: windows start at day 10 and at the start of the year (times in seconds after it). */
export const DAY_START = time(10 * 86_400);
export const MONTH_START = time(0);
export const quota = (reserveTokens: number, dailyLimit: number | null, monthlyLimit: number | null): QuotaCheck =>
  ({ reserveTokens, dailyLimit, monthlyLimit, dayStart: DAY_START, monthStart: MONTH_START });

export function ledgerRecord(userId: string, overrides: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    id: newId('ledger'), userId, bookId: null, jobId: null, operation: 'draft.generate', provider: 'openai', model: 'gpt-test',
    inputTokens: 10, outputTokens: 5, costMicros: 1_500, cached: false, outcome: 'ok', latencyMs: 120, createdAt: time(10 * 86_400 + 60),
    ...overrides,
  };
}

/**
 * A cached answer. Expiry times are far in the future (2100): MongoDB's TTL monitor deletes documents whose date
 * has passed by the wall clock, which would make past-dated test rows vanish at random.
 */
export const future = (seconds: number) => time(seconds, 2100);

export function cacheRecord(userId: string, overrides: Partial<CacheRecord> = {}): CacheRecord {
  return { key: `key-${unique()}`, userId, value: '{"output":"é"}', bytes: 15, createdAt: future(0), expiresAt: future(3600), ...overrides };
}
