import { textHash } from '../../shared/doc-plan.js';
import { LIMITS } from '../../shared/limits.js';
import { styleOfHeading } from './chapter-operations.js';
import { cursorChildIndex, isParagraphLike, rangeCoverage, writtenChapters } from './document-read.js';
import type { GasDocument, GasDocumentApp, GasElement } from './apps-script-slices.js';

/** What the sidebar knows of the open document. */
export interface DocumentContext {
  documentId: string;
  title: string;
  /** DocumentApp writes to the active tab; tab ids are not exposed to add-ons' legacy API. */
  tabId: null;
  /** Headings in reading order, with the Docs API style name (`HEADING_1`, `TITLE`, …). */
  headings: Array<{ text: string; style: string; paragraphIndex: number }>;
  /** The cursor's paragraph, its offset there, and the written chapter it is in (if any). */
  cursor: { paragraphText: string; offset: number; chapterId: string | null } | null;
  selection: { text: string } | null;
  /** The book's chapters in the document (when a book id is given), with the hash of their current text. */
  chapters: Array<{ chapterId: string; rangeName: string; textHash: string }>;
}

/** A heading outline as `POST …/doc/import` accepts it (`outline`). */
export interface DocumentOutline {
  documentId: string;
  paragraphs: Array<{ text: string; style: string }>;
}

const MAX_CONTEXT_TEXT = 2_000;
const MAX_OUTLINE_PARAGRAPHS = 20_000;

function enclosingParagraph(app: GasDocumentApp, element: GasElement) {
  for (let current: GasElement | null = element; current; current = current.getParent()) {
    if (isParagraphLike(app, current)) return current;
  }
  return null;
}

export function documentContext(app: GasDocumentApp, doc: GasDocument, bookId: string | null): DocumentContext {
  const body = doc.getBody();
  const headings: DocumentContext['headings'] = [];
  body.getParagraphs().forEach((paragraph, paragraphIndex) => {
    const style = styleOfHeading(String(paragraph.getHeading()));
    const text = paragraph.getText().trim();
    if (style !== 'NORMAL_TEXT' && text) headings.push({ text: text.slice(0, LIMITS.chapterTitleMax), style, paragraphIndex });
  });
  const written = bookId ? writtenChapters(app, doc, bookId) : new Map();
  const chapters = [...written.values()]
    .sort((a, b) => a.span.first - b.span.first)
    .map((c) => ({ chapterId: c.chapterId, rangeName: c.rangeName, textHash: textHash(c.text) }));

  let cursor: DocumentContext['cursor'] = null;
  const position = doc.getCursor();
  const paragraph = position ? enclosingParagraph(app, position.getElement()) : null;
  if (position && paragraph) {
    const index = cursorChildIndex(app, doc);
    const around = index === null ? undefined : [...written.values()].find((c) => index >= c.span.first && index <= c.span.last);
    const inText = position.getElement().getType() === app.ElementType.TEXT;
    cursor = { paragraphText: paragraph.getText().slice(0, MAX_CONTEXT_TEXT), offset: inText ? position.getOffset() : 0, chapterId: around?.chapterId ?? null };
  }
  const range = doc.getSelection();
  const selected = range ? rangeCoverage(app, body, [range]) : null;
  return {
    documentId: doc.getId(),
    title: doc.getName(),
    tabId: null,
    headings,
    cursor,
    selection: selected ? { text: selected.text.slice(0, LIMITS.summaryMaxChars) } : null,
    chapters,
  };
}

/** Every paragraph's text and style, for importing the document's outline and material. */
export function documentOutline(app: GasDocumentApp, doc: GasDocument): DocumentOutline {
  const paragraphs = doc.getBody().getParagraphs().slice(0, MAX_OUTLINE_PARAGRAPHS).map((paragraph) => ({
    text: paragraph.getText().slice(0, LIMITS.summaryMaxChars),
    style: styleOfHeading(String(paragraph.getHeading())),
  }));
  return { documentId: doc.getId(), paragraphs };
}
