import { placement } from '../../shared/doc-plan.js';

/** A chapter's body children, first to last (inclusive), as indexes into the body. */
export interface ChildSpan {
  first: number;
  last: number;
}

/** Where a chapter goes, in indexes of the body as it is before the write. */
export interface ChapterTarget {
  placement: 'cursor' | 'replaced' | 'before' | 'after' | 'end';
  /** Body index the new paragraphs are inserted at. */
  insertAt: number;
  /** The child at `insertAt` is an empty paragraph that becomes the chapter's title (nothing else is touched). */
  fillEmpty: boolean;
  /** The chapter's previous copy, removed after the new one is in (the text around it is never touched). */
  remove: ChildSpan | null;
}

export interface TargetInput {
  chapterId: string;
  tocOrder: string[];
  /** `cursor`: a new chapter goes at the cursor (or selection) when there is one; `auto`: TOC order, else the end. */
  mode: 'cursor' | 'auto';
  childCount: number;
  /** Index of the body child holding the cursor or the end of the selection, if any. */
  cursorIndex: number | null;
  /** Spans of the book's chapters already in the document, by chapter id (this chapter's included). */
  spans: Map<string, ChildSpan>;
  /** Whether the body child at an index is a paragraph (not a list item) without text. */
  isEmptyParagraph: (index: number) => boolean;
}

const inside = (span: ChildSpan, index: number) => index >= span.first && index <= span.last;

/**
 * Decides where a chapter is written. A chapter already in the document is replaced in place (rewriting never
 * moves or duplicates it). A new one goes at the cursor — after the cursor's paragraph, into it when that paragraph
 * is empty, or after the written chapter the cursor is in (no other chapter is split) — else in TOC order among
 * the written chapters, else at the end.
 */
export function chapterTarget(input: TargetInput): ChapterTarget {
  const own = input.spans.get(input.chapterId) ?? null;
  if (own) {
    // The body's last paragraph cannot be removed: when the chapter ends the body, the new copy goes after it.
    const insertAt = own.last === input.childCount - 1 ? input.childCount : own.first;
    return { placement: 'replaced', insertAt, fillEmpty: false, remove: own };
  }
  const cursor = input.mode === 'cursor' ? input.cursorIndex : null;
  if (cursor !== null) {
    const around = [...input.spans.values()].find((span) => inside(span, cursor));
    if (around) return { placement: 'cursor', insertAt: around.last + 1, fillEmpty: false, remove: null };
    if (input.isEmptyParagraph(cursor)) return { placement: 'cursor', insertAt: cursor, fillEmpty: true, remove: null };
    return { placement: 'cursor', insertAt: cursor + 1, fillEmpty: false, remove: null };
  }
  const where = placement(input.tocOrder, input.chapterId, new Set(input.spans.keys()));
  if (where !== 'end' && 'before' in where) return { placement: 'before', insertAt: input.spans.get(where.before)!.first, fillEmpty: false, remove: null };
  if (where !== 'end') return { placement: 'after', insertAt: input.spans.get(where.after)!.last + 1, fillEmpty: false, remove: null };
  const last = input.childCount - 1;
  // Like the batchUpdate writer, a chapter at the end fills the document's trailing empty paragraph.
  if (last >= 0 && input.isEmptyParagraph(last)) return { placement: 'end', insertAt: last, fillEmpty: true, remove: null };
  return { placement: 'end', insertAt: input.childCount, fillEmpty: false, remove: null };
}
