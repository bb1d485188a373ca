import { interviewFollowUpTask } from '../../ai/tasks/follow-up-task.js';
import type { AiOperation, OperationDeps } from './operation.js';
import { followUpOperation } from './question-followup.js';

/**
 * A kick-off interview question's follow-up: the chapter follow-up's rule and prompt, over the interview's questions
 * (no chapter). The follow-up joins the interview as an optional question under its parent.
 */
export function interviewFollowUp(deps: OperationDeps): AiOperation {
  return followUpOperation(deps, {
    task: interviewFollowUpTask,
    needsAnswer: 'Answer this question first: a follow-up builds on your saved answer.',
    async open(user, { bookId }) {
      return { book: await deps.books.requireBook(user.id, bookId), chapterId: null, chapter: null };
    },
  });
}
