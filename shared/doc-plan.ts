import { cleanBlockText } from './block-text.js';
import type { Block } from './blocks.js';

/** Paragraph styles the writers use (Google Docs named style types). */
export type PlannedStyle = 'HEADING_1' | 'HEADING_2' | 'HEADING_3' | 'NORMAL_TEXT';

/** One paragraph of a chapter as both writers (Docs batchUpdate and DocumentApp) produce it. */
export interface PlannedParagraph {
  text: string;
  style: PlannedStyle;
  bullet: 'unordered' | 'ordered' | null;
  quote: boolean;
}

/** Named range that marks a written chapter, so a rewrite replaces exactly that chapter. */
export function chapterRangeName(bookId: string, chapterId: string): string {
  return `auto-author:${bookId}:${chapterId}`;
}

/** The level a draft heading takes in a written chapter: one below the title (a section's headings all at 3). */
export function blockHeadingLevel(level: 2 | 3, isSection: boolean): 2 | 3 {
  return isSection || level === 3 ? 3 : 2;
}

/**
 * The write plan of a chapter: its title as HEADING_1 (a section's as HEADING_2, its headings one level down),
 * then the blocks, one paragraph per list item.
 */
export function planChapter(title: string, blocks: Block[], isSection = false): PlannedParagraph[] {
  const titleStyle: PlannedStyle = isSection ? 'HEADING_2' : 'HEADING_1';
  const plan: PlannedParagraph[] = [{ text: cleanBlockText(title) || 'Untitled chapter', style: titleStyle, bullet: null, quote: false }];
  for (const block of blocks) {
    if (block.type === 'heading') {
      const style: PlannedStyle = blockHeadingLevel(block.level, isSection) === 3 ? 'HEADING_3' : 'HEADING_2';
      plan.push({ text: cleanBlockText(block.text), style, bullet: null, quote: false });
    } else if (block.type === 'list') {
      for (const item of block.items) plan.push({ text: cleanBlockText(item), style: 'NORMAL_TEXT', bullet: block.ordered ? 'ordered' : 'unordered', quote: false });
    } else {
      plan.push({ text: cleanBlockText(block.text), style: 'NORMAL_TEXT', bullet: null, quote: block.type === 'quote' });
    }
  }
  return plan.filter((paragraph) => paragraph.text.length > 0);
}

/** The chapter's text as written: paragraphs joined by newlines (no trailing newline). */
export function planText(plan: PlannedParagraph[]): string {
  return plan.map((paragraph) => paragraph.text).join('\n');
}

/**
 * A short, stable hash of a chapter's text (cyrb53), identical in Node, browsers and Apps Script, used to notice
 * whether the author edited a written chapter. Trailing newlines are ignored.
 */
export function textHash(text: string): string {
  const normalized = text.replace(/\n+$/u, '');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < normalized.length; i++) {
    const ch = normalized.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** What a writer does with a chapter: write it, leave it because the author edited it, or leave it as already there. */
export type ChapterWriteDecision = 'write' | 'skip-edited' | 'already-current';

/** The message of a chapter skipped because the author edited it in the document (DOC_CHAPTER_EDITED). */
export const CHAPTER_EDITED_MESSAGE = 'You edited this chapter in the doc; rewrite it with overwrite to replace your edits.';

/**
 * The one rule both writers (the API's batchUpdate, the add-on's DocumentApp) follow before touching a chapter, so
 * neither overwrites what the author typed: a chapter not in the document is written; one that already reads exactly
 * as planned is left alone; otherwise it is replaced only when it still holds the text last written there (any
 * surface's write, recorded by hash) — or, with no record at all, never, unless the author chose to overwrite.
 */
export function decideChapterWrite(input: {
  /** The chapter's text in the document now (its named range), or null when it is not there. */
  currentText: string | null;
  /** Hash of the text last written into that range by any surface, or null when no write was recorded. */
  lastWrittenHash: string | null;
  planned: PlannedParagraph[];
  overwrite: boolean;
}): ChapterWriteDecision {
  if (input.currentText === null) return 'write';
  const current = textHash(input.currentText);
  if (current === textHash(planText(input.planned))) return 'already-current';
  if (input.overwrite) return 'write';
  return input.lastWrittenHash !== null && current === input.lastWrittenHash ? 'write' : 'skip-edited';
}

/**
 * Where a chapter goes among chapters already written: before the next chapter (in TOC order) that is in the
 * document, else after the previous one, else at the end.
 */
export function placement(tocOrder: string[], chapterId: string, written: Set<string>): { before: string } | { after: string } | 'end' {
  const at = tocOrder.indexOf(chapterId);
  for (let i = at + 1; i < tocOrder.length; i++) if (written.has(tocOrder[i]!)) return { before: tocOrder[i]! };
  for (let i = at - 1; i >= 0; i--) if (written.has(tocOrder[i]!)) return { after: tocOrder[i]! };
  return 'end';
}

/**
 * How both writers style what the plan describes: a quote is indented by `quoteIndentPt` on both edges' first line
 * and start (and set in italics); a list uses the batchUpdate `preset` or the DocumentApp `glyph` of its kind.
 */
export const DOC_STYLE = {
  quoteIndentPt: 36,
  bullets: {
    ordered: { preset: 'NUMBERED_DECIMAL_ALPHA_ROMAN', glyph: 'NUMBER' },
    unordered: { preset: 'BULLET_DISC_CIRCLE_SQUARE', glyph: 'BULLET' },
  },
} as const;

/**
 * Which list each planned paragraph belongs to (null for paragraphs that are not list items): adjacent items of the
 * same kind form one list, so two list blocks in a row of the same kind read as one list in both writers.
 */
export function listRuns(plan: PlannedParagraph[]): Array<number | null> {
  let run = -1;
  return plan.map((paragraph, i) => {
    if (!paragraph.bullet) return null;
    if (plan[i - 1]?.bullet !== paragraph.bullet) run += 1;
    return run;
  });
}
