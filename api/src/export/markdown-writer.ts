import { byline, chapterOutline, chapterTitle, type ChapterDone, type ExportBook, type ExportLayout, type OutlineItem } from './export-book.js';

/**
 * Escapes text so CommonMark reads it back as the same plain text: every ASCII punctuation character that can start
 * markup is backslash-escaped (CommonMark allows a backslash before any ASCII punctuation), and a leading marker that
 * would open a list, heading, quote or thematic break is escaped too.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>&!#|~]/gu, '\\$&').replace(/^[-+=]/u, '\\$&').replace(/^(\d+)([.)])/u, '$1\\$2');
}

function itemMarkdown(item: OutlineItem): string {
  switch (item.kind) {
    case 'heading':
      return `${'#'.repeat(item.level)} ${escapeMarkdown(item.text)}`;
    case 'paragraph':
      return escapeMarkdown(item.text);
    case 'quote':
      return `> ${escapeMarkdown(item.text)}`;
    case 'list':
      return item.items.map((text, index) => `${item.ordered ? `${index + 1}.` : '-'} ${escapeMarkdown(text)}`).join('\n');
  }
}

/**
 * The book as CommonMark: the title as a level-1 heading with subtitle and byline, the contents as a list, then each
 * chapter (title level 1, a section's level 2, draft headings below them), blocks separated by blank lines.
 */
export async function writeMarkdown(book: ExportBook, layout: ExportLayout, chapterDone: ChapterDone): Promise<Buffer> {
  const parts: string[] = [`# ${escapeMarkdown(book.title)}`];
  if (book.subtitle) parts.push(`*${escapeMarkdown(book.subtitle)}*`);
  const by = byline(book);
  if (by) parts.push(escapeMarkdown(by));
  if (layout.tableOfContents) {
    parts.push('## Contents');
    parts.push(book.chapters.map((chapter) => `${chapter.isSection ? '  ' : ''}- ${escapeMarkdown(chapterTitle(chapter))}`).join('\n'));
  }
  for (const [index, chapter] of book.chapters.entries()) {
    for (const item of chapterOutline(chapter)) parts.push(itemMarkdown(item));
    await chapterDone(index);
  }
  return Buffer.from(`${parts.join('\n\n')}\n`, 'utf8');
}
