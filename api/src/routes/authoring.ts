import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { defineRoute, userIdOf } from '../lib/route.js';

export default async function authoringRoutes(app: FastifyInstance) {
  const { interview, tocProposals, questions, drafts, continuity, aiOperations } = app.services;

  defineRoute(app, endpoints.generateInterview, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'interview.generate', params, body),
  );
  defineRoute(app, endpoints.followUpInterviewQuestion, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'interview.followup', params, body),
  );
  defineRoute(app, endpoints.getInterview, async (request) => interview.read(userIdOf(request), request.params.bookId));
  defineRoute(app, endpoints.putInterviewAnswers, async (request) =>
    interview.putAnswers(userIdOf(request), request.params.bookId, request.body.answers),
  );

  defineRoute(app, endpoints.generateToc, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'toc.generate', params, body),
  );
  defineRoute(app, endpoints.getProposal, async (request) =>
    tocProposals.get(userIdOf(request), request.params.bookId, request.params.proposalId),
  );
  defineRoute(app, endpoints.applyProposal, async (request) =>
    tocProposals.apply(userIdOf(request), request.params.bookId, request.params.proposalId, request.body?.version),
  );

  defineRoute(app, endpoints.generateQuestions, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'questions.generate', params, body),
  );
  defineRoute(app, endpoints.listQuestions, async (request) =>
    questions.list(userIdOf(request), request.params.bookId, request.params.chapterId, request.query),
  );
  defineRoute(app, endpoints.putAnswer, async ({ principal, params, body }) =>
    questions.putAnswer(principal.user.id, params.bookId, params.chapterId, { questionId: params.questionId, ...body }),
  );
  defineRoute(app, endpoints.batchAnswers, async ({ principal, params, body }) =>
    questions.batch(principal.user.id, params.bookId, params.chapterId, body.answers),
  );
  defineRoute(app, endpoints.regenerateQuestion, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'question.regenerate', params, body),
  );
  defineRoute(app, endpoints.followUpQuestion, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'question.followup', params, body),
  );
  defineRoute(app, endpoints.chapterProgress, async ({ principal, params }) =>
    questions.progress(principal.user.id, params.bookId, params.chapterId),
  );
  defineRoute(app, endpoints.bookProgress, async ({ principal, params }) => questions.bookProgress(principal.user.id, params.bookId));

  defineRoute(app, endpoints.generateDraft, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'draft.generate', params, body),
  );
  defineRoute(app, endpoints.reworkPassage, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'passage.rework', params, body),
  );
  defineRoute(app, endpoints.addChapterMaterial, async ({ principal, params, body }) =>
    questions.addMaterial(principal.user.id, params.bookId, params.chapterId, body.passage),
  );
  defineRoute(app, endpoints.listDrafts, async ({ principal, params, query }) =>
    drafts.list(principal.user.id, params.bookId, params.chapterId, query),
  );
  defineRoute(app, endpoints.getDraft, async ({ principal, params }) =>
    drafts.get(principal.user.id, params.bookId, params.chapterId, params.draftId),
  );
  defineRoute(app, endpoints.acceptDraft, async ({ principal, params }) =>
    drafts.accept(principal.user, params.bookId, params.chapterId, params.draftId),
  );
  // New versions of a draft: the draft named in the path is what they are made from.
  defineRoute(app, endpoints.reviseDraft, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'draft.revise', params, { ...body, draftId: params.draftId }),
  );
  defineRoute(app, endpoints.reworkDraftBlock, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'draft.rework', params, { ...body, draftId: params.draftId }),
  );
  defineRoute(app, endpoints.editDraftBlock, async ({ principal, params, body }) =>
    app.services.draftVersions.editBlock(principal.user.id, params.bookId, params.chapterId, params.draftId, body),
  );

  defineRoute(app, endpoints.listContinuityNotes, async ({ principal, params }) => continuity.list(principal.user.id, params.bookId));
  defineRoute(app, endpoints.createContinuityNote, async ({ principal, params, body }) => continuity.create(principal.user.id, params.bookId, body));
  defineRoute(app, endpoints.updateContinuityNote, async ({ principal, params, body }) =>
    continuity.update(principal.user.id, params.bookId, params.noteId, body),
  );
  defineRoute(app, endpoints.deleteContinuityNote, async ({ principal, params }) => continuity.remove(principal.user.id, params.bookId, params.noteId));
  defineRoute(app, endpoints.listDeletedContinuityNotes, async ({ principal, params }) => continuity.listDeleted(principal.user.id, params.bookId));
  defineRoute(app, endpoints.restoreContinuityNote, async ({ principal, params }) =>
    continuity.restore(principal.user.id, params.bookId, params.noteId));
  defineRoute(app, endpoints.extractContinuity, async ({ principal, params, body }) =>
    aiOperations.start(principal.user, 'continuity.extract', params, body),
  );
}
