import type { Block } from '../../../shared/blocks.js';
import { cleanBlockText } from '../../../shared/block-text.js';
import { blockHeadingLevel } from '../../../shared/doc-plan.js';

/** One chapter (or a section, a TOC child) as it goes into an exported file: its accepted draft's blocks. */
export interface ExportChapter {
  id: string;
  title: string;
  /** A section of the chapter before it: its title one level down. */
  isSection: boolean;
  blocks: Block[];
}

/** Everything an export writer needs: front matter and chapters in TOC order. */
export interface ExportBook {
  /** The book's id (EPUB derives its stable identifier from it). */
  id: string;
  title: string;
  subtitle: string | null;
  author: string | null;
  /** BCP 47 language tag (EPUB and PDF metadata). */
  language: string;
  /** When the file was made (ISO 8601). */
  exportedAt: string;
  chapters: ExportChapter[];
}

export interface ExportLayout {
  pageSize: 'A4' | 'Letter';
  tableOfContents: boolean;
}

/** Called after each chapter is laid out, so the job reports progress per chapter (and notices a cancel). */
export type ChapterDone = (index: number) => Promise<void>;

/** A chapter's content as every format writes it, with the heading levels the Docs writers use (title 1 or 2). */
export type OutlineItem =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph' | 'quote'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] };

export function chapterOutline(chapter: ExportChapter): OutlineItem[] {
  const items: OutlineItem[] = [{ kind: 'heading', level: chapter.isSection ? 2 : 1, text: chapterTitle(chapter) }];
  for (const block of chapter.blocks) {
    if (block.type === 'list') {
      const listItems = block.items.map(cleanBlockText).filter(Boolean);
      if (listItems.length > 0) items.push({ kind: 'list', ordered: block.ordered, items: listItems });
      continue;
    }
    const text = cleanBlockText(block.text);
    if (!text) continue;
    if (block.type === 'heading') items.push({ kind: 'heading', level: blockHeadingLevel(block.level, chapter.isSection), text });
    else items.push({ kind: block.type, text });
  }
  return items;
}

export const chapterTitle = (chapter: ExportChapter) => cleanBlockText(chapter.title) || 'Untitled chapter';

const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', russian: 'ru', chinese: 'zh', japanese: 'ja', korean: 'ko', french: 'fr', german: 'de', spanish: 'es',
  italian: 'it', portuguese: 'pt', ukrainian: 'uk', polish: 'pl', dutch: 'nl', arabic: 'ar', hebrew: 'he', hindi: 'hi',
};

/** The book's language as a BCP 47 tag: the tag it holds, a known language name, else `und` (undetermined). */
export function languageTag(language: string | null): string {
  const value = (language ?? '').trim();
  if (/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/u.test(value)) return value;
  return LANGUAGE_NAMES[value.toLowerCase()] ?? 'und';
}

/** The book's byline, or null. */
export const byline = (book: ExportBook) => (book.author ? `by ${book.author}` : null);
