import { chapterRangeName, placement, planText, textHash } from '../../doc-plan.js';
import type { DocPreview, HostWriteRequest, HostWriteResult } from '../panel-host.js';

/**
 * Applies a write to a local document preview exactly as the Docs writers place chapters: a rewrite replaces that
 * chapter where it stands, a new chapter goes before the next written chapter in TOC order (else after the
 * previous one, else at the end).
 */
export function applyPreviewWrite(before: DocPreview | null, request: HostWriteRequest): { preview: DocPreview; result: HostWriteResult } {
  const chapters = [...(before?.chapters ?? [])];
  const results: HostWriteResult['chapters'] = [];
  for (const write of request.chapters) {
    const entry = { chapterId: write.chapterId, paragraphs: write.paragraphs };
    const existing = chapters.findIndex((c) => c.chapterId === write.chapterId);
    if (existing >= 0) {
      chapters[existing] = entry;
    } else {
      const written = new Set(chapters.map((c) => c.chapterId));
      const where = placement(request.tocOrder, write.chapterId, written);
      if (where === 'end') chapters.push(entry);
      else if ('before' in where) chapters.splice(chapters.findIndex((c) => c.chapterId === where.before), 0, entry);
      else chapters.splice(chapters.findIndex((c) => c.chapterId === where.after) + 1, 0, entry);
    }
    results.push({
      chapterId: write.chapterId, status: 'written', code: null, message: null, currentText: null,
      rangeName: chapterRangeName(request.bookId, write.chapterId), textHash: textHash(planText(write.paragraphs)),
    });
  }
  const preview = { chapters };
  return { preview, result: { revisionId: null, chapters: results, preview } };
}
