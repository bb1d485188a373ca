import type { Block } from '../../shared/blocks.js';
import { CHAPTER_EDITED_MESSAGE, chapterRangeName, decideChapterWrite, planChapter, planText, textHash } from '../../shared/doc-plan.js';
import { chapterOperations, type ParagraphOperation } from './chapter-operations.js';
import { chapterTarget, type ChapterTarget, type ChildSpan } from './chapter-target.js';
import { cursorChildIndex, writtenChapters } from './document-read.js';
import type { GasBody, GasDocument, GasDocumentApp, GasElement, GasListItem, GasParagraphLike, GasText } from './apps-script-slices.js';

/** What the sidebar asks to write: a chapter's accepted draft and where it goes. */
export interface InsertChapterRequest {
  bookId: string;
  chapterId: string;
  title: string;
  blocks: Block[];
  /** A section (a chapter's child) is written one heading level down. */
  isSection?: boolean;
  /** The book's chapter ids in TOC order, to place a new chapter among those already written. */
  tocOrder?: string[];
  /**
   * A chapter already in the document is always replaced in place. A new one goes, with `cursor` (default), at the
   * cursor when there is one; with `auto` (and without a cursor) in TOC order among written chapters, else at the end.
   */
  mode?: 'cursor' | 'auto';
  /**
   * The hash recorded when the chapter was last written (by any surface); a different current text means the author
   * edited it. Without one, a chapter already in the document is only replaced when overwrite is set.
   */
  expectedTextHash?: string | null;
  /** Replace the chapter even where the author edited it. */
  overwrite?: boolean;
}

/** What was written, for the sidebar to record with `POST /v1/books/:bookId/doc/writes`. */
export interface InsertChapterResult {
  documentId: string;
  chapterId: string;
  rangeName: string;
  status: 'written' | 'skipped';
  code: 'DOC_CHAPTER_EDITED' | null;
  message: string | null;
  /** Hash of the text written (null when skipped). */
  textHash: string | null;
  placement: ChapterTarget['placement'] | null;
  paragraphs: number;
  /** For DOC_CHAPTER_EDITED: the chapter's current text in the doc, to show the difference. */
  currentText: string | null;
}

function insertAt(body: GasBody, index: number, operation: ParagraphOperation): GasParagraphLike {
  const atEnd = index >= body.getNumChildren();
  if (operation.kind === 'listItem') return atEnd ? body.appendListItem(operation.text) : body.insertListItem(index, operation.text);
  return atEnd ? body.appendParagraph(operation.text) : body.insertParagraph(index, operation.text);
}

/** Sets everything the plan decides, so nothing leaks in from the paragraph the chapter was inserted next to. */
function applyStyle(app: GasDocumentApp, paragraph: GasParagraphLike, operation: ParagraphOperation, lists: Map<number, GasListItem>) {
  paragraph.setHeading(app.ParagraphHeading[operation.heading]);
  if (operation.kind === 'listItem' && operation.glyph !== null && operation.list !== null) {
    const item = paragraph as GasListItem;
    item.setGlyphType(app.GlyphType[operation.glyph]).setNestingLevel(0);
    const first = lists.get(operation.list);
    if (first) item.setListId(first);
    else lists.set(operation.list, item);
  } else {
    paragraph.setIndentStart(operation.indent ?? 0).setIndentFirstLine(operation.indent ?? 0);
  }
  const text = paragraph.editAsText();
  text.setItalic(operation.italic).setUnderline(false).setStrikethrough(false).setLinkUrl(null);
  // Headings keep the weight of their named style; body text is never bold.
  if (operation.heading === 'NORMAL') text.setBold(false);
}


/** A written paragraph's Text element (set from one string, it has exactly one). */
function textOf(app: GasDocumentApp, paragraph: GasParagraphLike): GasText {
  const child = paragraph.getNumChildren() > 0 ? paragraph.getChild(0) : null;
  return child && child.getType() === app.ElementType.TEXT ? child.asText() : paragraph.editAsText();
}

function childrenOf(body: GasBody, span: ChildSpan | null): GasElement[] {
  if (!span) return [];
  const children: GasElement[] = [];
  for (let i = span.first; i <= span.last; i++) children.push(body.getChild(i));
  return children;
}

/**
 * Writes a chapter with DocumentApp from the shared write plan (the same headings, paragraphs, lists and quotes
 * as the batchUpdate writer), names it `auto-author:<bookId>:<chapterId>`, and replaces its previous copy.
 */
export function writeChapter(app: GasDocumentApp, doc: GasDocument, request: InsertChapterRequest): InsertChapterResult {
  const plan = planChapter(request.title, request.blocks, request.isSection ?? false);
  const operations = chapterOperations(plan);
  const rangeName = chapterRangeName(request.bookId, request.chapterId);
  const base = { documentId: doc.getId(), chapterId: request.chapterId, rangeName };
  const body = doc.getBody();
  const written = writtenChapters(app, doc, request.bookId);
  const own = written.get(request.chapterId);
  const decision = decideChapterWrite({
    currentText: own?.text ?? null, lastWrittenHash: request.expectedTextHash ?? null, planned: plan, overwrite: request.overwrite ?? false,
  });
  if (decision === 'skip-edited') {
    return { ...base, status: 'skipped', code: 'DOC_CHAPTER_EDITED', textHash: null, placement: null, paragraphs: 0, currentText: own!.text, message: CHAPTER_EDITED_MESSAGE };
  }
  if (decision === 'already-current') {
    return { ...base, status: 'written', code: null, message: null, textHash: textHash(planText(plan)), placement: null, paragraphs: 0, currentText: null };
  }
  const target = chapterTarget({
    chapterId: request.chapterId,
    tocOrder: request.tocOrder ?? [],
    mode: request.mode ?? 'cursor',
    childCount: body.getNumChildren(),
    cursorIndex: cursorChildIndex(app, doc),
    spans: new Map([...written].map(([id, chapter]) => [id, chapter.span])),
    isEmptyParagraph: (index) => {
      const child = body.getChild(index);
      return child.getType() === app.ElementType.PARAGRAPH && child.asParagraph().getText() === '';
    },
  });
  const previous = childrenOf(body, target.remove);

  const lists = new Map<number, GasListItem>();
  const paragraphs: GasParagraphLike[] = [];
  let index = target.insertAt;
  operations.forEach((operation, i) => {
    const fill = i === 0 && target.fillEmpty && operation.kind === 'paragraph';
    const paragraph = fill ? body.getChild(index).asParagraph() : insertAt(body, index, operation);
    if (fill) paragraph.setText(operation.text);
    applyStyle(app, paragraph, operation, lists);
    paragraphs.push(paragraph);
    index += 1;
  });

  for (const named of own?.namedRanges ?? []) named.remove();
  // Never the body's last child: a chapter ending the body was written after its old copy.
  for (const child of previous) child.removeFromParent();

  // The range covers the chapter's text without its last newline, like the batchUpdate writer's named range.
  const first = textOf(app, paragraphs[0]!);
  const last = textOf(app, paragraphs[paragraphs.length - 1]!);
  doc.addNamedRange(rangeName, doc.newRange().addElementsBetween(first, 0, last, Math.max(0, last.getText().length - 1)).build());
  return {
    ...base, status: 'written', code: null, message: null, textHash: textHash(planText(plan)), placement: target.placement,
    paragraphs: paragraphs.length, currentText: null,
  };
}
