import { LIMITS } from '../../../shared/limits.js';
import { AppError, notFound } from '../lib/app-error.js';
import { presentDraft } from '../lib/authoring-presenters.js';
import { decodeCursor, toPage } from '../lib/paging.js';
import type { Store, UserRecord } from '../stores/types.js';
import type { AiOperationsService } from './ai-operations-service.js';
import type { ChaptersService } from './chapters-service.js';
import { isoNow, type Clock } from './clock.js';
import { acceptDraft } from './draft-rules.js';

/** Tries at marking a chapter drafted when concurrent edits keep changing its version. */
const STATUS_ATTEMPTS = 3;

/** Chapter drafts (written by the draft.generate operation): listed, read, and one accepted as the chapter's text. */
export function createDraftsService(deps: { store: Store; chapters: ChaptersService; clock: Clock; aiOperations: AiOperationsService }) {
  const { store, chapters, clock, aiOperations } = deps;

  return {
    async list(userId: string, bookId: string, chapterId: string, query: { limit?: number; cursor?: string }) {
      await chapters.requireChapter(userId, bookId, chapterId);
      const limit = query.limit ?? LIMITS.pageLimitDefault;
      return toPage(await store.drafts.list(chapterId, limit + 1, decodeCursor(query.cursor)), limit, presentDraft);
    },

    async get(userId: string, bookId: string, chapterId: string, draftId: string) {
      await chapters.requireChapter(userId, bookId, chapterId);
      const draft = await store.drafts.get(chapterId, draftId);
      if (!draft) throw notFound('draft');
      return presentDraft(draft);
    },

    /**
     * Makes the draft the chapter's accepted text, marks the chapter drafted, and starts the job that updates the
     * continuity notes from it (the accept stands even when that job cannot start, say over quota: the answer says why).
     */
    async accept(user: UserRecord, bookId: string, chapterId: string, draftId: string) {
      const userId = user.id;
      let chapter = await chapters.requireChapter(userId, bookId, chapterId);
      const draft = await acceptDraft(store, chapterId, draftId, isoNow(clock));
      if (!draft) throw notFound('draft');
      // Compare-and-swap on the version read: a status the author set meanwhile wins, and is never overwritten.
      for (let attempt = 0; attempt < STATUS_ATTEMPTS && (chapter.status === 'planned' || chapter.status === 'writing'); attempt++) {
        const result = await store.chapters.update(bookId, chapterId, { status: 'drafted' }, { expectedVersion: chapter.version, at: isoNow(clock) });
        if (result.ok || result.reason === 'missing') break;
        chapter = result.current;
      }
      try {
        // The draft id tells this extraction from one still running for an earlier accept (JOB_ACTIVE, said below).
        const { job } = await aiOperations.start(user, 'continuity.extract', { bookId, chapterId }, { fresh: false, draftId: draft.id });
        return { ...presentDraft(draft), continuityJob: job, continuityNote: null };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return { ...presentDraft(draft), continuityJob: null, continuityNote: `The draft is accepted, but its continuity notes were not updated: ${error.message}` };
      }
    },
  };
}
