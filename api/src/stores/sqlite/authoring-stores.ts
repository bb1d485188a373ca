import type {
  AnswerRecord, AnswersStore, BookProgressRows, DraftRecord, DraftsStore, ProposalRecord, ProposalsStore, QuestionRecord, QuestionsStore,
} from '../engine-types.js';
import { insert, jsonIn, jsonOut, statementCache, type Db, writeTransaction } from './helpers.js';

const Q_JSON = ['generatedBy'] as const;
const A_JSON = ['history'] as const;
const P_JSON = ['chapters', 'generatedBy'] as const;
const D_JSON = ['blocks', 'continuityFlags', 'generatedBy', 'change'] as const;

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
    async bookProgress(bookId) {
      const questions = prepare(
        `SELECT q.chapterId, q.suggestedWords, a.text, a.status, a.words FROM questions q LEFT JOIN answers a ON a.questionId = q.id
         WHERE q.bookId = ? AND q.chapterId IS NOT NULL AND q.archivedAt IS NULL ORDER BY q.position, q.id`,
      ).all(bookId) as Array<{ chapterId: string; suggestedWords: number | null; text: string | null; status: AnswerRecord['status']; words: number }>;
      const drafts = prepare(
        `SELECT chapterId, COUNT(*) AS count, MAX(CASE WHEN acceptedAt IS NOT NULL THEN id END) AS acceptedId FROM drafts WHERE bookId = ? GROUP BY chapterId`,
      ).all(bookId) as BookProgressRows['drafts'];
      return {
        questions: questions.map(({ chapterId, suggestedWords, text, status, words }) => ({
          chapterId, suggestedWords, answer: text === null ? null : { text, status, words },
        })),
        drafts,
      };
    },
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
  return {
    async listByQuestions(questionIds) {
      if (questionIds.length === 0) return [];
      const rows = prepare(`SELECT * FROM answers WHERE questionId IN (SELECT value FROM json_each(?))`).all(JSON.stringify(questionIds));
      return rows.map((row) => jsonIn<AnswerRecord>(row, A_JSON));
    },
    async listByChapter(bookId, chapterId) {
      return prepare('SELECT * FROM answers WHERE bookId = ? AND chapterId IS ?').all(bookId, chapterId).map((row) => jsonIn<AnswerRecord>(row, A_JSON));
    },
    async getByQuestion(questionId) {
      return byQuestion(questionId);
    },
    async insert(answer) {
      return insert(prepare, 'answers', jsonOut(answer, A_JSON), 'ON CONFLICT(questionId) DO NOTHING').changes === 1;
    },
    async replace(answerId, expectedVersion, change) {
      const changed = prepare('UPDATE answers SET text = ?, status = ?, words = ?, history = ?, updatedAt = ?, version = version + 1 WHERE id = ? AND version = ?').run(
        change.text, change.status, change.words, JSON.stringify(change.history), change.updatedAt, answerId, expectedVersion,
      ).changes;
      return changed === 1 ? jsonIn<AnswerRecord>(prepare('SELECT * FROM answers WHERE id = ?').get(answerId), A_JSON) : null;
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
  return {
    async insert(draft) {
      insert(prepare, 'drafts', jsonOut(draft, D_JSON));
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
    async unacceptedIds(chapterId) {
      return (prepare('SELECT id FROM drafts WHERE chapterId = ? AND acceptedAt IS NULL ORDER BY id DESC').all(chapterId) as { id: string }[]).map((row) => row.id);
    },
    async remove(chapterId, draftIds) {
      prepare('DELETE FROM drafts WHERE chapterId = ? AND id IN (SELECT value FROM json_each(?))').run(chapterId, JSON.stringify(draftIds));
    },
    async setAcceptedAt(chapterId, draftId, at) {
      prepare('UPDATE drafts SET acceptedAt = ? WHERE id = ? AND chapterId = ?').run(at, draftId, chapterId);
      return read(chapterId, draftId);
    },
    async accepted(chapterId) {
      return jsonIn<DraftRecord | undefined>(prepare('SELECT * FROM drafts WHERE chapterId = ? AND acceptedAt IS NOT NULL').get(chapterId), D_JSON) ?? null;
    },
    async chaptersWithDrafts(bookId) {
      return (prepare('SELECT DISTINCT chapterId FROM drafts WHERE bookId = ?').all(bookId) as { chapterId: string }[]).map((row) => row.chapterId);
    },
  };
}
