import { ApiError } from '../../client/api-error.js';
import { planChapter, planText, textHash } from '../../doc-plan.js';
import type { Toc } from '../../schemas/chapters.js';
import type { PanelSession } from '../app/session.js';
import type { ChapterOption } from '../components/ChapterPicker.js';
import { tocOrder } from '../core/toc-edit.js';
import type { HostChapterResult } from '../panel-host.js';

/** What a write did to one chapter, as the Write panel shows it. */
export type ChapterResult = Pick<HostChapterResult, 'chapterId' | 'status' | 'code' | 'message' | 'currentText'>;

/**
 * The chapters now in the panel's document, each with the hash of the text last written there: the host's local
 * preview where it renders one (web), else what `GET …/doc` recorded for the open document (every surface records
 * its writes there). The Write panel lists written chapters from this, and the host's writer compares against it.
 */
export async function writtenChapters(session: PanelSession, bookId: string): Promise<Map<string, string>> {
  const { client, host, doc } = session;
  if (host.readDocPreview) {
    const preview = await host.readDocPreview(bookId);
    return new Map((preview?.chapters ?? []).map((c) => [c.chapterId, textHash(planText(c.paragraphs))]));
  }
  if (!doc) return new Map();
  const status = await client.docStatus({ params: { bookId } });
  return new Map(status.documentId === doc.documentId ? status.chapters.map((c) => [c.chapterId, c.textHash]) : []);
}

/** Writes accepted drafts: through the host when it writes itself (add-on, web preview), else through the API. */
export async function writeChapters(
  session: PanelSession, bookId: string, toc: Toc, chosen: ChapterOption[], accepted: Map<string, string>, overwrite: boolean, atCursor: boolean,
) {
  const { client, host, doc } = session;
  if (host.writeToDoc) {
    // What any surface last wrote into this document, so the host's writer can tell the author's edits from ours.
    const written = await writtenChapters(session, bookId);
    const chapters = await Promise.all(chosen.map(async (chapter) => {
      const draft = await client.getDraft({ params: { bookId, chapterId: chapter.id, draftId: accepted.get(chapter.id)! } });
      return {
        chapterId: chapter.id, title: chapter.title, isSection: chapter.isSection, blocks: draft.blocks,
        paragraphs: planChapter(chapter.title, draft.blocks, chapter.isSection), expectedTextHash: written.get(chapter.id) ?? null,
      };
    }));
    const result = await host.writeToDoc({ bookId, documentId: doc?.documentId ?? null, tocOrder: tocOrder(toc.chapters), chapters, overwrite, mode: atCursor ? 'cursor' : 'auto' });
    const recorded = result.chapters.filter((c) => c.status === 'written' && c.rangeName && c.textHash);
    let unrecorded = false;
    if (doc && recorded.length > 0) {
      // So GET …/doc is right on every surface, the host's own writes are recorded with the API. The chapters are in
      // the document whatever the API answers: a failure here must not read as a failed write.
      await client.recordDocWrites({
        params: { bookId },
        body: { documentId: doc.documentId, tabId: doc.tabId ?? null, revisionId: result.revisionId, chapters: recorded.map((c) => ({ chapterId: c.chapterId, rangeName: c.rangeName!, textHash: c.textHash! })) },
      }).catch(() => {
        unrecorded = true;
      });
    }
    return { chapters: result.chapters as ChapterResult[], preview: result.preview ?? null, unrecorded };
  }
  if (!doc) throw new ApiError({ status: 0, code: 'DOC_NOT_LINKED', message: 'Open the panel beside a Google Doc to write into it.' });
  const googleToken = await host.getGoogleToken();
  if (!googleToken) throw new ApiError({ status: 0, code: 'GOOGLE_AUTH_REQUIRED', message: 'No Google access token.' });
  const result = await client.writeDoc({
    params: { bookId }, body: { documentId: doc.documentId, tabId: doc.tabId ?? null, chapterIds: chosen.map((c) => c.id), overwrite },
    headers: { 'x-google-access-token': googleToken },
  });
  return { chapters: result.chapters as ChapterResult[], preview: null, unrecorded: false };
}
