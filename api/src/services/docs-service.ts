import { CHAPTER_EDITED_MESSAGE, chapterRangeName, planChapter, planText, textHash } from '../../../shared/doc-plan.js';
import { newId } from '../../../shared/ids.js';
import { LIMITS } from '../../../shared/limits.js';
import { countWords } from '../../../shared/text-count.js';
import type { WriteDocResult } from '../../../shared/schemas/docs.js';
import { buildChapterBatch, type ChapterWrite } from '../docs/batch-builder.js';
import { RevisionConflict, type DocsClient } from '../docs/docs-client.js';
import { readDocument, type DocTab } from '../docs/doc-reader.js';
import { decideWrites } from '../docs/write-decisions.js';
import { AppError } from '../lib/app-error.js';
import type { BookRecord, Store } from '../stores/types.js';
import type { BooksService } from './books-service.js';
import { isoNow, type Clock } from './clock.js';
import type { GoogleCredentialsService } from './google-credentials-service.js';
import { activeTree } from './toc-tree.js';

const MAX_WRITE_ATTEMPTS = 3;

type ChapterResult = WriteDocResult['chapters'][number];

/** Google Docs write-back and import for a book's linked document. */
export function createDocsService(deps: {
  store: Store; books: BooksService; client: DocsClient; credentials: GoogleCredentialsService; clock: Clock;
}) {
  const { store, books, client, credentials, clock } = deps;

  /** Links the book to the doc on first use; another doc than the linked one is refused. */
  async function ensureLinked(userId: string, book: BookRecord, documentId: string, tabId: string | null) {
    if (book.documentId && book.documentId !== documentId) {
      throw new AppError('DOC_NOT_LINKED', 'This book is linked to another document; link this one first.', { linkedDocumentId: book.documentId });
    }
    // On the version read: a concurrent link to another document is a 409, never silently replaced.
    if (!book.documentId) await books.linkDoc(userId, book.id, { documentId, tabId, version: book.version });
  }

  function pickTab(tabs: DocTab[], tabId: string | null): DocTab {
    const tab = tabId ? tabs.find((t) => t.tabId === tabId) : tabs[0];
    if (!tab) throw new AppError('VALIDATION', 'The document has no such tab; it may have been deleted. Open the panel beside another tab.', { tabId });
    return tab;
  }

  return {
    async write(userId: string, bookId: string, body: { documentId: string; chapterIds?: string[]; tabId?: string | null; overwrite?: boolean }, accessToken: string | null) {
      const book = await books.requireBook(userId, bookId);
      const token = await credentials.resolve(userId, accessToken);
      await ensureLinked(userId, book, body.documentId, body.tabId ?? null);
      const tree = activeTree(await store.chapters.listByBook(bookId));
      const order = tree.flatMap(({ chapter, children }) => [chapter, ...children]);
      const tocOrder = order.map((c) => c.id);
      const wanted = body.chapterIds ? order.filter((c) => body.chapterIds!.includes(c.id)) : order;
      const results = new Map<string, ChapterResult>();
      const writes: ChapterWrite[] = [];
      for (const id of body.chapterIds ?? []) {
        if (!tocOrder.includes(id)) results.set(id, { chapterId: id, status: 'skipped', code: 'NOT_FOUND', message: 'No such active chapter.', currentText: null });
      }
      for (const chapter of wanted) {
        const draft = await store.drafts.accepted(chapter.id);
        if (!draft) {
          if (body.chapterIds) results.set(chapter.id, { chapterId: chapter.id, status: 'skipped', code: 'VALIDATION', message: 'The chapter has no accepted draft yet.', currentText: null });
          continue;
        }
        writes.push({ chapterId: chapter.id, rangeName: chapterRangeName(bookId, chapter.id), plan: planChapter(chapter.title, draft.blocks, chapter.parentId !== null) });
      }
      const lastWrittenHashes = new Map((await store.docWrites.listByBook(bookId)).map((w) => [w.chapterId, w.textHash]));
      const tabId = body.tabId ?? book.tabId ?? null;

      for (let attempt = 1; ; attempt++) {
        const doc = readDocument(await client.get(token, body.documentId));
        const tab = pickTab(doc.tabs, tabId);
        const { ready, current, edited } = decideWrites(tab, writes, lastWrittenHashes, body.overwrite ?? false);
        for (const { write, currentText } of edited) {
          results.set(write.chapterId, { chapterId: write.chapterId, status: 'skipped', code: 'DOC_CHAPTER_EDITED', message: CHAPTER_EDITED_MESSAGE, currentText });
        }
        // Chapters the document already holds as planned are recorded (a write whose record was lost, another
        // surface's) without touching the document.
        const record = async (done: ChapterWrite[], revisionId: string) => {
          for (const write of done) {
            await store.docWrites.upsert({
              bookId, chapterId: write.chapterId, documentId: body.documentId, tabId: tab.tabId, rangeName: write.rangeName, revisionId,
              textHash: textHash(planText(write.plan)), source: 'api', writtenAt: isoNow(clock),
            });
            results.set(write.chapterId, { chapterId: write.chapterId, status: 'written', code: null, message: null, currentText: null });
          }
        };
        if (ready.length === 0) {
          await record(current, doc.revisionId);
          return finish(doc.revisionId, tab);
        }
        try {
          const revisionId = await client.batchUpdate(token, body.documentId, buildChapterBatch(tab, ready, tocOrder, (id) => chapterRangeName(bookId, id)), doc.revisionId);
          await record([...ready, ...current], revisionId);
          return finish(revisionId, tab);
        } catch (error) {
          if (!(error instanceof RevisionConflict)) throw error;
          if (attempt >= MAX_WRITE_ATTEMPTS) throw new AppError('CONFLICT', 'The document kept changing while writing; try again.');
        }
      }

      function finish(revisionId: string, tab: DocTab): WriteDocResult {
        const ids = [...(body.chapterIds ?? []), ...wanted.map((c) => c.id)];
        const chapters = [...new Set(ids)].map((id) => results.get(id)).filter((r): r is ChapterResult => r !== undefined);
        return { documentId: body.documentId, tabId: tab.tabId, revisionId, chapters };
      }
    },

    /** Headings become a TOC proposal (HEADING_1 chapters, HEADING_2 sections); body text becomes summary material. */
    async import(
      userId: string, bookId: string,
      body: { documentId: string; tabId?: string | null; outline?: { paragraphs: Array<{ text: string; style: string }> } },
      accessToken: string | null,
    ) {
      const book = await books.requireBook(userId, bookId);
      const read = async () => {
        const doc = readDocument(await client.get(await credentials.resolve(userId, accessToken), body.documentId));
        return (body.tabId ? [pickTab(doc.tabs, body.tabId)] : doc.tabs).flatMap((tab) => tab.paragraphs);
      };
      if (book.documentId && book.documentId !== body.documentId) await ensureLinked(userId, book, body.documentId, body.tabId ?? null);
      const raw = body.outline ? body.outline.paragraphs : await read();
      await ensureLinked(userId, book, body.documentId, body.tabId ?? null);
      // A vertical tab is a line break inside a paragraph; U+E907 stands for a non-text element.
      // eslint-disable-next-line no-control-regex
      const paragraphs = raw.map((p) => ({ style: p.style, text: p.text.replace(/\n$/u, '').replace(/\u000B/gu, ' ').replace(/\uE907/gu, '').trim() }));
      const chapterStyle = paragraphs.some((p) => p.style === 'HEADING_1') ? 'HEADING_1' : 'HEADING_2';
      const sectionStyle = chapterStyle === 'HEADING_1' ? 'HEADING_2' : 'HEADING_3';
      const outline: Array<{ title: string; sections: string[] }> = [];
      const material: string[] = [];
      for (const paragraph of paragraphs) {
        if (!paragraph.text) continue;
        if (paragraph.style === chapterStyle) outline.push({ title: paragraph.text, sections: [] });
        else if (paragraph.style === sectionStyle && outline.length > 0) outline[outline.length - 1]!.sections.push(paragraph.text);
        else if (paragraph.style !== 'TITLE' && paragraph.style !== 'SUBTITLE' && !paragraph.style.startsWith('HEADING')) material.push(paragraph.text);
      }
      const text = material.join('\n').slice(0, LIMITS.summaryMaxChars);
      let proposalId: string | null = null;
      if (outline.length > 0) {
        proposalId = newId('proposal');
        await store.proposals.create({
          id: proposalId, bookId, basedOnTocVersion: book.tocVersion, status: 'pending', createdAt: isoNow(clock),
          generatedBy: { provider: 'import', model: 'google-docs-outline', promptVersion: 'import.v1', offline: true },
          chapters: outline.slice(0, LIMITS.chaptersPerBook).map((c) => ({
            id: null, title: c.title.slice(0, LIMITS.chapterTitleMax), description: null,
            children: c.sections.map((s) => ({ id: null, title: s.slice(0, LIMITS.chapterTitleMax), description: null })),
          })),
        });
      }
      return { documentId: body.documentId, proposalId, chapters: outline, material: text, words: countWords(text) };
    },

    /** Writes a host made itself (the add-on through DocumentApp), recorded so the status is right everywhere. */
    async recordWrites(
      userId: string, bookId: string,
      body: { documentId: string; tabId?: string | null; revisionId?: string | null; chapters: Array<{ chapterId: string; rangeName: string; textHash: string }> },
    ) {
      const book = await books.requireBook(userId, bookId);
      await ensureLinked(userId, book, body.documentId, body.tabId ?? null);
      const chapters = new Set((await store.chapters.listByBook(bookId)).map((c) => c.id));
      const unknown = body.chapters.filter((c) => !chapters.has(c.chapterId)).map((c) => c.chapterId);
      if (unknown.length > 0) throw new AppError('NOT_FOUND', 'Some chapters are not part of this book.', { chapterIds: unknown });
      const misnamed = body.chapters.filter((c) => c.rangeName !== chapterRangeName(bookId, c.chapterId)).map((c) => c.chapterId);
      if (misnamed.length > 0) throw new AppError('VALIDATION', 'Named ranges must be the chapters\' own (auto-author:<bookId>:<chapterId>).', { chapterIds: misnamed });
      for (const chapter of body.chapters) {
        await store.docWrites.upsert({
          bookId, chapterId: chapter.chapterId, documentId: body.documentId, tabId: body.tabId ?? null, rangeName: chapter.rangeName,
          revisionId: body.revisionId ?? '', textHash: chapter.textHash, source: 'addon', writtenAt: isoNow(clock),
        });
      }
      return this.status(userId, bookId);
    },

    async status(userId: string, bookId: string) {
      const book = await books.requireBook(userId, bookId);
      const writes = await store.docWrites.listByBook(bookId);
      return {
        bookId, documentId: book.documentId, tabId: book.tabId,
        chapters: writes
          .filter((w) => w.documentId === book.documentId)
          .map((w) => ({ chapterId: w.chapterId, rangeName: w.rangeName, revisionId: w.revisionId, textHash: w.textHash, source: w.source, writtenAt: w.writtenAt })),
      };
    },
  };
}
