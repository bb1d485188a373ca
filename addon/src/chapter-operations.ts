import { DOC_STYLE, listRuns, type PlannedParagraph, type PlannedStyle } from '../../shared/doc-plan.js';
import type { GlyphName, HeadingName } from './apps-script-slices.js';

/** One paragraph as DocumentApp writes it (a Paragraph or a ListItem with its glyph and list). */
export interface ParagraphOperation {
  kind: 'paragraph' | 'listItem';
  text: string;
  heading: HeadingName;
  glyph: GlyphName | null;
  /** Items with the same list number form one list; null for paragraphs. */
  list: number | null;
  /** Indent start and first line, in points (paragraphs only: list items keep their list's indentation). */
  indent: number | null;
  italic: boolean;
}

const HEADING_OF: Record<PlannedStyle, HeadingName> = { HEADING_1: 'HEADING1', HEADING_2: 'HEADING2', HEADING_3: 'HEADING3', NORMAL_TEXT: 'NORMAL' };

/** The Docs API name of a DocumentApp heading (`HEADING1` → `HEADING_1`), as the API's outline uses. */
export function styleOfHeading(heading: string): string {
  if (heading === 'NORMAL') return 'NORMAL_TEXT';
  return /^HEADING\d$/u.test(heading) ? `HEADING_${heading.slice(7)}` : heading;
}

/**
 * The shared write plan as DocumentApp operations: lists and quotes styled by the shared `DOC_STYLE` and `listRuns`,
 * as the batchUpdate writer does.
 */
export function chapterOperations(plan: PlannedParagraph[]): ParagraphOperation[] {
  const runs = listRuns(plan);
  return plan.map((paragraph, i) => {
    const heading = HEADING_OF[paragraph.style];
    if (paragraph.bullet) {
      return { kind: 'listItem', text: paragraph.text, heading, glyph: DOC_STYLE.bullets[paragraph.bullet].glyph, list: runs[i] ?? null, indent: null, italic: false };
    }
    return { kind: 'paragraph', text: paragraph.text, heading, glyph: null, list: null, indent: paragraph.quote ? DOC_STYLE.quoteIndentPt : 0, italic: paragraph.quote };
  });
}

/** A body child's paragraph as the write plan describes it (the inverse of `chapterOperations`). */
export function plannedParagraphOf(read: { text: string; heading: string; glyph: string | null; indent: number | null; italic: boolean | null }): PlannedParagraph {
  const style = styleOfHeading(read.heading);
  const bullet = read.glyph === null ? null : /NUMBER|LATIN|ROMAN/u.test(read.glyph) ? 'ordered' : 'unordered';
  return {
    text: read.text,
    style: (['HEADING_1', 'HEADING_2', 'HEADING_3'].includes(style) ? style : 'NORMAL_TEXT') as PlannedStyle,
    bullet,
    quote: bullet === null && (read.indent ?? 0) > 0 && read.italic === true,
  };
}
