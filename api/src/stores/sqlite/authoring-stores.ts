import type {
  AnswerRecord, AnswersStore, DraftRecord, DraftsStore, ProposalRecord, ProposalsStore, QuestionRecord, QuestionsStore,
} from '../engine-types.js';
import { insert, jsonIn, jsonOut, statementCache, type Db, writeTransaction } from './helpers.js';

const Q_JSON = ['generatedBy'] as const;
const A_JSON = ['history'] as const;
const P_JSON = ['chapters', 'generatedBy'] as const;
const D_JSON = ['blocks', 'generatedBy'] as const;

export function createSqliteQuestionsStore(db: Db): QuestionsStore {
  const prepare = statementCache(db);
  const read = (bookId: string, id: string) =>
    jsonIn<QuestionRecord | undefined>(prepare('SELECT * FROM questions WHERE id = ? AND bookId = ?').get(id, bookId), Q_JSON) ?? null;
  const swapTx = writeTransaction(db, (insertRows: QuestionRecord[], archiveIds: string[], bookId: string, at: string) => {
    for (const id of archiveIds) {
      prepare('UPDATE questions SET archivedAt = ?, updatedAt = ?, version = version + 1 WHERE id = ? AND bookId = ?').run(at, at, id, bookId);
    }
    for (const row of insertRows) insert(prepare, 'questions', jsonOut(row, Q_JSON));
  });
  return {
    async list(bookId, chapterId) {
      const rows = prepare(
        'SELECT * FROM questions WHERE bookId = ? AND chapterId IS ? AND archivedAt IS NULL ORDER BY position, id',
      ).all(bookId, chapterId);
      return rows.map((row) => jsonIn<QuestionRecord>(row, Q_JSON));
    },
    async get(bookId, questionId) {
      return read(bookId, questionId);
    },
    async swap(bookId, _chapterId, insertRows, archiveIds, at) {
      swapTx(insertRows, archiveIds, bookId, at);
    },
    async replaceText(bookId, questionId, change, expectedVersion, at) {
      const changes = prepare(
        `UPDATE questions SET text = ?, helpText = ?, lens = ?, suggestedWords = ?, generatedBy = ?,
           regenerations = regenerations + 1, version = version + 1, updatedAt = ?
         WHERE id = ? AND bookId = ? AND version = ?`,
      ).run(change.text, change.helpText, change.lens, change.suggestedWords, JSON.stringify(change.generatedBy), at, questionId, bookId, expectedVersion).changes;
      return changes === 1 ? read(bookId, questionId) : null;
    },
  };
}

export function createSqliteAnswersStore(db: Db): AnswersStore {
  const prepare = statementCache(db);
  const byQuestion = (questionId: string) =>
    jsonIn<AnswerRecord | undefined>(prepare('SELECT * FROM answers WHERE questionId = ?').get(questionId), A_JSON) ?? null;
  const upsertTx = writeTransaction(db, (input: Parameters<AnswersStore['upsert']>[0], options: Parameters<AnswersStore['upsert']>[1]) => {
    const current = byQuestion(input.questionId);
    if (options.expectedVersion !== null && (current?.version ?? 0) !== options.expectedVersion) return { ok: false as const, current };
    if (!current) {
      const answer: AnswerRecord = {
        id: options.newId(), ...input, version: 1, history: [], createdAt: options.at, updatedAt: options.at,
      };
      insert(prepare, 'answers', jsonOut(answer, A_JSON));
      return { ok: true as const, answer };
    }
    if (current.text === input.text && current.status === input.status) return { ok: true as const, answer: current };
    const history = [
      { version: current.version, text: current.text, status: current.status, updatedAt: current.updatedAt },
      ...current.history,
    ].slice(0, options.historyLimit);
    prepare('UPDATE answers SET text = ?, status = ?, words = ?, version = version + 1, history = ?, updatedAt = ? WHERE id = ?').run(
      input.text, input.status, input.words, JSON.stringify(history), options.at, current.id,
    );
    return { ok: true as const, answer: byQuestion(input.questionId)! };
  });
  return {
    async listByQuestions(questionIds) {
      if (questionIds.length === 0) return [];
      const rows = prepare(`SELECT * FROM answers WHERE questionId IN (SELECT value FROM json_each(?))`).all(JSON.stringify(questionIds));
      return rows.map((row) => jsonIn<AnswerRecord>(row, A_JSON));
    },
    async listByChapter(bookId, chapterId) {
      return prepare('SELECT * FROM answers WHERE bookId = ? AND chapterId IS ?').all(bookId, chapterId).map((row) => jsonIn<AnswerRecord>(row, A_JSON));
    },
    async upsert(input, options) {
      return upsertTx(input, options);
    },
    async chaptersWithAnswers(bookId) {
      return (prepare("SELECT DISTINCT chapterId FROM answers WHERE bookId = ? AND chapterId IS NOT NULL AND trim(text) <> ''").all(bookId) as {
        chapterId: string;
      }[]).map((row) => row.chapterId);
    },
  };
}

export function createSqliteProposalsStore(db: Db): ProposalsStore {
  const prepare = statementCache(db);
  return {
    async create(proposal) {
      insert(prepare, 'toc_proposals', jsonOut(proposal, P_JSON));
    },
    async get(bookId, proposalId) {
      return jsonIn<ProposalRecord | undefined>(prepare('SELECT * FROM toc_proposals WHERE id = ? AND bookId = ?').get(proposalId, bookId), P_JSON) ?? null;
    },
    async markApplied(proposalId) {
      prepare("UPDATE toc_proposals SET status = 'applied' WHERE id = ?").run(proposalId);
    },
  };
}

export function createSqliteDraftsStore(db: Db): DraftsStore {
  const prepare = statementCache(db);
  const read = (chapterId: string, draftId: string) =>
    jsonIn<DraftRecord | undefined>(prepare('SELECT * FROM drafts WHERE id = ? AND chapterId = ?').get(draftId, chapterId), D_JSON) ?? null;
  const createTx = writeTransaction(db, (draft: DraftRecord, keep: number) => {
    insert(prepare, 'drafts', jsonOut(draft, D_JSON));
    const extra = prepare(
      `SELECT id FROM drafts WHERE chapterId = ? AND acceptedAt IS NULL ORDER BY id DESC LIMIT -1 OFFSET ?`,
    ).all(draft.chapterId, keep) as { id: string }[];
    for (const { id } of extra) prepare('DELETE FROM drafts WHERE id = ?').run(id);
  });
  const acceptTx = writeTransaction(db, (chapterId: string, draftId: string, at: string) => {
    if (!read(chapterId, draftId)) return null;
    prepare('UPDATE drafts SET acceptedAt = NULL WHERE chapterId = ?').run(chapterId);
    prepare('UPDATE drafts SET acceptedAt = ? WHERE id = ?').run(at, draftId);
    return read(chapterId, draftId);
  });
  return {
    async create(draft, keep) {
      createTx(draft, keep);
    },
    async get(chapterId, draftId) {
      return read(chapterId, draftId);
    },
    async list(chapterId, limit, beforeId) {
      return prepare('SELECT * FROM drafts WHERE chapterId = ? AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?')
        .all(chapterId, beforeId, beforeId, limit)
        .map((row) => jsonIn<DraftRecord>(row, D_JSON));
    },
    async count(chapterId) {
      return (prepare('SELECT COUNT(*) AS n FROM drafts WHERE chapterId = ?').get(chapterId) as { n: number }).n;
    },
    async accept(chapterId, draftId, at) {
      return acceptTx(chapterId, draftId, at);
    },
    async accepted(chapterId) {
      return jsonIn<DraftRecord | undefined>(prepare('SELECT * FROM drafts WHERE chapterId = ? AND acceptedAt IS NOT NULL').get(chapterId), D_JSON) ?? null;
    },
    async chaptersWithDrafts(bookId) {
      return (prepare('SELECT DISTINCT chapterId FROM drafts WHERE bookId = ?').all(bookId) as { chapterId: string }[]).map((row) => row.chapterId);
    },
  };
}
