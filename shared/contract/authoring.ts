import { JobStartedSchema, GenerateBodySchema } from '../schemas/ai.js';
import {
  AcceptedDraftSchema, ApplyProposalBodySchema, BatchAnswersBodySchema, BatchAnswersResultSchema, BookProgressSchema, ChapterProgressSchema,
  DraftParamsSchema, DraftSchema, EditBlockBodySchema, GenerateDraftBodySchema, ReviseDraftBodySchema, ReworkBlockBodySchema, GenerateQuestionsBodySchema, InterviewSchema,
  ListQuestionsQuerySchema, ProposalParamsSchema, PutAnswerBodySchema, PutInterviewAnswersBodySchema, QuestionPageSchema,
  InterviewQuestionParamsSchema, QuestionParamsSchema, QuestionSchema, TocProposalSchema,
} from '../schemas/authoring.js';
import { BookParamsSchema } from '../schemas/books.js';
import { AddMaterialBodySchema, ReworkPassageBodySchema } from '../schemas/passages.js';
import { ChapterParamsSchema, TocSchema } from '../schemas/chapters.js';
import { PageQuerySchema, pageOf } from '../schemas/common.js';
import { z } from 'zod';
import { endpoint } from './endpoint.js';

const started = { status: 202, response: JobStartedSchema, rateGroup: 'ai' } as const;

export const authoringEndpoints = {
  generateInterview: endpoint({
    method: 'POST', path: '/v1/books/:bookId/interview/generate', auth: 'user', tag: 'interview', ...started,
    summary: 'Generate the kick-off interview (job)', params: BookParamsSchema, body: GenerateBodySchema.nullish(),
  }),
  getInterview: endpoint({
    method: 'GET', path: '/v1/books/:bookId/interview', auth: 'user', tag: 'interview', status: 200,
    summary: 'The kick-off interview questions with their answers', params: BookParamsSchema, response: InterviewSchema,
  }),
  putInterviewAnswers: endpoint({
    method: 'PUT', path: '/v1/books/:bookId/interview/answers', auth: 'user', tag: 'interview', status: 200,
    summary: 'Save kick-off answers (compare-and-swap per answer when version is sent)', params: BookParamsSchema,
    body: PutInterviewAnswersBodySchema, response: InterviewSchema, errors: ['CONFLICT'],
  }),
  followUpInterviewQuestion: endpoint({
    method: 'POST', path: '/v1/books/:bookId/interview/questions/:questionId/followup', auth: 'user', tag: 'interview',
    ...started, summary: 'Ask one follow-up to an answered interview question (job; none for a long and complete answer)',
    params: InterviewQuestionParamsSchema, body: GenerateBodySchema.nullish(), errors: ['LIMIT_REACHED'],
  }),
  generateToc: endpoint({
    method: 'POST', path: '/v1/books/:bookId/toc/generate', auth: 'user', tag: 'toc', ...started,
    summary: 'Propose a table of contents (job → proposal)', params: BookParamsSchema, body: GenerateBodySchema.nullish(),
  }),
  getProposal: endpoint({
    method: 'GET', path: '/v1/books/:bookId/toc/proposals/:proposalId', auth: 'user', tag: 'toc', status: 200,
    summary: 'A stored TOC proposal', params: ProposalParamsSchema, response: TocProposalSchema,
  }),
  applyProposal: endpoint({
    method: 'POST', path: '/v1/books/:bookId/toc/proposals/:proposalId/apply', auth: 'user', tag: 'toc', status: 200,
    summary: 'Merge a proposal into the TOC by id; chapters with material are never dropped', params: ProposalParamsSchema,
    body: ApplyProposalBodySchema, response: z.object({ toc: TocSchema, kept: z.array(z.string()) }), errors: ['LIMIT_REACHED'],
  }),
  generateQuestions: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/questions/generate', auth: 'user', tag: 'questions', ...started,
    summary: "Generate a chapter's questions (job); answered questions are kept", params: ChapterParamsSchema,
    body: GenerateQuestionsBodySchema.nullish(),
  }),
  listQuestions: endpoint({
    method: 'GET', path: '/v1/books/:bookId/chapters/:chapterId/questions', auth: 'user', tag: 'questions', status: 200,
    summary: "A chapter's questions, filtered by status before paging", params: ChapterParamsSchema,
    query: ListQuestionsQuerySchema, response: QuestionPageSchema,
  }),
  putAnswer: endpoint({
    method: 'PUT', path: '/v1/books/:bookId/chapters/:chapterId/questions/:questionId/answer', auth: 'user', tag: 'questions',
    status: 200, summary: 'Save an answer (draft or final)', params: QuestionParamsSchema, body: PutAnswerBodySchema,
    response: QuestionSchema,
  }),
  batchAnswers: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/answers/batch', auth: 'user', tag: 'questions', status: 200,
    summary: 'Save 1–100 answers; per-item results; a repeated question id is one write (last wins)',
    params: ChapterParamsSchema, body: BatchAnswersBodySchema, response: BatchAnswersResultSchema,
  }),
  regenerateQuestion: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/questions/:questionId/regenerate', auth: 'user',
    tag: 'questions', ...started, summary: 'Replace one unanswered question in place (at most 5 times)',
    params: QuestionParamsSchema, body: GenerateBodySchema.nullish(), errors: ['QUESTION_ANSWERED', 'LIMIT_REACHED', 'CONFLICT'],
  }),
  followUpQuestion: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/questions/:questionId/followup', auth: 'user', tag: 'questions',
    ...started, summary: 'Ask one follow-up question grounded in the final answer (job; none for a long and complete answer)',
    params: QuestionParamsSchema, body: GenerateBodySchema.nullish(), errors: ['LIMIT_REACHED'],
  }),
  chapterProgress: endpoint({
    method: 'GET', path: '/v1/books/:bookId/chapters/:chapterId/progress', auth: 'user', tag: 'questions', status: 200,
    summary: "A chapter's answers and coverage", params: ChapterParamsSchema, response: ChapterProgressSchema,
  }),
  bookProgress: endpoint({
    method: 'GET', path: '/v1/books/:bookId/progress', auth: 'user', tag: 'questions', status: 200,
    summary: 'Coverage of every active chapter', params: BookParamsSchema, response: BookProgressSchema,
  }),
  generateDraft: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/drafts/generate', auth: 'user', tag: 'drafts', ...started,
    summary: "Draft the chapter from the author's answers (job)", params: ChapterParamsSchema, body: GenerateDraftBodySchema,
    errors: ['LIMIT_REACHED'],
  }),
  listDrafts: endpoint({
    method: 'GET', path: '/v1/books/:bookId/chapters/:chapterId/drafts', auth: 'user', tag: 'drafts', status: 200,
    summary: "A chapter's drafts, newest first", params: ChapterParamsSchema, query: PageQuerySchema,
    response: pageOf(DraftSchema),
  }),
  getDraft: endpoint({
    method: 'GET', path: '/v1/books/:bookId/chapters/:chapterId/drafts/:draftId', auth: 'user', tag: 'drafts', status: 200,
    summary: 'One draft with its blocks and provenance', params: DraftParamsSchema, response: DraftSchema,
  }),
  reworkPassage: endpoint({
    method: 'POST', path: '/v1/books/:bookId/passages/rework', auth: 'user', tag: 'passages', ...started,
    summary: 'Rewrite, expand, shorten or continue a passage of the document (job; the result is in job.result, never saved)',
    params: BookParamsSchema, body: ReworkPassageBodySchema,
  }),
  addChapterMaterial: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/material', auth: 'user', tag: 'passages', status: 201,
    summary: "Add a passage of the document as material for the chapter's interview (an answered question)",
    params: ChapterParamsSchema, body: AddMaterialBodySchema, response: QuestionSchema,
  }),
  acceptDraft: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/drafts/:draftId/accept', auth: 'user', tag: 'drafts',
    status: 200, summary: "Make this draft the chapter's accepted text (and start updating the continuity notes from it)",
    params: DraftParamsSchema, response: AcceptedDraftSchema,
  }),
  reviseDraft: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/drafts/:draftId/revise', auth: 'user', tag: 'drafts', ...started,
    summary: "A new version from this draft and the author's instruction (job); with blockIds only those blocks change",
    params: DraftParamsSchema, body: ReviseDraftBodySchema, errors: ['LIMIT_REACHED'],
  }),
  reworkDraftBlock: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/drafts/:draftId/rework', auth: 'user', tag: 'drafts', ...started,
    summary: 'A new version with one block regenerated, expanded, shortened or rephrased (job); every other block unchanged',
    params: DraftParamsSchema, body: ReworkBlockBodySchema, errors: ['LIMIT_REACHED'],
  }),
  editDraftBlock: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/drafts/:draftId/edit', auth: 'user', tag: 'drafts',
    status: 201, summary: "A new version with one block in the author's own words (its sources kept, marked as the author's)",
    params: DraftParamsSchema, body: EditBlockBodySchema, response: DraftSchema, errors: ['LIMIT_REACHED'],
  }),
};
