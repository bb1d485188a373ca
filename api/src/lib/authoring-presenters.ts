import type { Answer, Draft, Question, TocProposal } from '../../../shared/schemas/authoring.js';
import type { AnswerRecord, DraftRecord, ProposalRecord, QuestionRecord } from '../stores/engine-types.js';

export function presentAnswer(answer: AnswerRecord): Answer {
  return {
    id: answer.id, questionId: answer.questionId, text: answer.text, status: answer.status, words: answer.words,
    version: answer.version, createdAt: answer.createdAt, updatedAt: answer.updatedAt,
  };
}

/** `followUpId`: the question's follow-up, when it has one (the caller knows its siblings). */
export function presentQuestion(question: QuestionRecord, answer: AnswerRecord | null, followUpId: string | null = null): Question {
  const answered = answer !== null && answer.text.trim().length > 0;
  return {
    id: question.id, bookId: question.bookId, chapterId: question.chapterId, position: question.position, text: question.text,
    helpText: question.helpText, lens: question.lens, suggestedWords: question.suggestedWords,
    status: answered ? answer.status : 'unanswered', regenerations: question.regenerations,
    parentQuestionId: question.parentQuestionId, followUpId,
    answer: answer ? presentAnswer(answer) : null, generatedBy: question.generatedBy, createdAt: question.createdAt,
    updatedAt: question.updatedAt,
  };
}

export function presentDraft(draft: DraftRecord): Draft {
  return {
    id: draft.id, bookId: draft.bookId, chapterId: draft.chapterId, number: draft.number, style: draft.style,
    targetWords: draft.targetWords, words: draft.words, blocks: draft.blocks,
    unsupportedBlocks: draft.blocks.filter((block) => 'unsupported' in block && block.unsupported).length,
    accepted: draft.acceptedAt !== null, acceptedAt: draft.acceptedAt, continuityFlags: draft.continuityFlags, generatedBy: draft.generatedBy,
    basedOnDraftId: draft.basedOnDraftId, change: draft.change, createdAt: draft.createdAt,
  };
}

export function presentProposal(proposal: ProposalRecord): TocProposal {
  return {
    id: proposal.id, bookId: proposal.bookId, chapters: proposal.chapters, basedOnTocVersion: proposal.basedOnTocVersion,
    status: proposal.status, generatedBy: proposal.generatedBy, createdAt: proposal.createdAt,
  };
}
