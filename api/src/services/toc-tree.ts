import type { Toc } from '../../../shared/schemas/chapters.js';
import { presentChapter } from '../lib/presenters.js';
import type { ChapterRecord } from '../stores/types.js';

const byPosition = (a: ChapterRecord, b: ChapterRecord) => a.position - b.position || (a.id < b.id ? -1 : 1);

/** Active chapters as a tree (top level, each with its sections), both levels in position order. */
export function activeTree(chapters: ChapterRecord[]): Array<{ chapter: ChapterRecord; children: ChapterRecord[] }> {
  const active = chapters.filter((chapter) => chapter.archivedAt === null);
  const topIds = new Set(active.filter((chapter) => chapter.parentId === null).map((chapter) => chapter.id));
  return active
    .filter((chapter) => chapter.parentId === null)
    .sort(byPosition)
    .map((chapter) => ({
      chapter,
      children: active.filter((child) => child.parentId === chapter.id && topIds.has(chapter.id)).sort(byPosition),
    }));
}

/** Chapters in reading order: each chapter followed by its sections; archived ones last when asked for. */
export function readingOrder(chapters: ChapterRecord[], includeArchived: boolean): ChapterRecord[] {
  const ordered = activeTree(chapters).flatMap(({ chapter, children }) => [chapter, ...children]);
  if (!includeArchived) return ordered;
  return [...ordered, ...chapters.filter((chapter) => chapter.archivedAt !== null).sort(byPosition)];
}

const node = (chapter: ChapterRecord) => ({
  id: chapter.id, title: chapter.title, description: chapter.description, status: chapter.status, version: chapter.version,
});

export function presentToc(bookId: string, tocVersion: number, chapters: ChapterRecord[]): Toc {
  return {
    bookId,
    version: tocVersion,
    chapters: activeTree(chapters).map(({ chapter, children }) => ({ ...node(chapter), children: children.map(node) })),
    archived: chapters
      .filter((chapter) => chapter.archivedAt !== null)
      .sort((a, b) => (a.archivedAt! < b.archivedAt! ? 1 : -1))
      .map(presentChapter),
  };
}
