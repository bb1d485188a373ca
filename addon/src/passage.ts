import { textHash } from '../../shared/doc-plan.js';
import { LIMITS } from '../../shared/limits.js';
import type { GasBody, GasDocument, GasDocumentApp, GasParagraphLike, GasRange } from './apps-script-slices.js';
import { bodyChildIndex, isParagraphLike } from './document-read.js';
import { passageIdTime } from './passage-request.js';

/**
 * A passage the author selected, held for an action (rewrite, expand, shorten, continue) until they insert the
 * result. Reading it marks the selection with a named range (`auto-author-passage:<id>`), which Docs keeps on that
 * text while the author edits around it; inserting checks that the range still holds exactly what was read (its
 * hash) and otherwise replaces nothing.
 */
export interface ReadPassage {
  passageId: string;
  text: string;
  textHash: string;
}

export type PassageInsertResult =
  | { status: 'replaced' | 'inserted' }
  /** The passage was edited (or deleted) since it was read: nothing was changed. */
  | { status: 'changed'; currentText: string | null };

export interface PassageInsertRequest {
  passageId: string;
  textHash: string;
  paragraphs: string[];
  /** `replace` the passage, or insert the paragraphs `after` the paragraph where it ends (continue from here). */
  placement: 'replace' | 'after';
}

const PREFIX = 'auto-author-passage:';
/**
 * A passage not inserted nor discarded within a day was left behind (the sidebar closed, the session ended): its mark
 * is removed the next time a passage is read in the document, so marks do not pile up in the author's doc.
 */
export const PASSAGE_KEPT_MS = 24 * 3_600_000;

/** The selected part of one top-level paragraph: `[start, end)` in the paragraph's text. */
interface Span {
  index: number;
  paragraph: GasParagraphLike;
  start: number;
  end: number;
}

/** A range as spans of top-level paragraphs, in order; null when it reaches into a table or outside the body. */
function spansOf(app: GasDocumentApp, body: GasBody, range: GasRange): Span[] | null {
  const spans: Span[] = [];
  for (const part of range.getRangeElements()) {
    const element = part.getElement();
    const index = bodyChildIndex(app, body, element);
    const top = index === null ? null : body.getChild(index);
    if (index === null || !top || !isParagraphLike(app, top)) return null;
    const paragraph = top as GasParagraphLike;
    let [start, end] = [0, paragraph.getText().length];
    if (element.getType() === app.ElementType.TEXT) {
      // Offsets count from the paragraph's start: earlier text runs of the paragraph come first.
      let prefix = 0;
      for (let i = 0; i < paragraph.getChildIndex(element); i++) {
        const sibling = paragraph.getChild(i);
        if (sibling.getType() === app.ElementType.TEXT) prefix += sibling.asText().getText().length;
      }
      const length = element.asText().getText().length;
      [start, end] = part.isPartial() ? [prefix + part.getStartOffset(), prefix + part.getEndOffsetInclusive() + 1] : [prefix, prefix + length];
    }
    const last = spans[spans.length - 1];
    if (last && last.index === index) last.end = Math.max(last.end, end);
    else spans.push({ index, paragraph, start, end });
  }
  // Empty paragraphs at either end select nothing.
  while (spans.length > 0 && spans[0]!.start >= spans[0]!.end) spans.shift();
  while (spans.length > 0 && spans[spans.length - 1]!.start >= spans[spans.length - 1]!.end) spans.pop();
  return spans;
}

const textOf = (spans: Span[]) => spans.map((span) => span.paragraph.getText().slice(span.start, span.end)).join('\n');

/** Removes the marks of passages read more than `PASSAGE_KEPT_MS` ago (by the time in their ids). */
function releaseLeftPassages(doc: GasDocument, now: number): void {
  for (const named of doc.getNamedRanges()) {
    const name = named.getName();
    if (!name.startsWith(PREFIX)) continue;
    const readAt = passageIdTime(name.slice(PREFIX.length));
    if (readAt !== null && now - readAt > PASSAGE_KEPT_MS) named.remove();
  }
}

/** The author's selection, marked so that it can be found (and checked) when the result is inserted; null when none. */
export function readPassage(app: GasDocumentApp, doc: GasDocument, passageId: string, now = Date.now()): ReadPassage | { error: string } | null {
  releaseLeftPassages(doc, now);
  const selection = doc.getSelection();
  if (!selection) return null;
  const spans = spansOf(app, doc.getBody(), selection);
  if (spans === null) return { error: 'Select text in the body of the document, outside tables, headers and footers.' };
  if (spans.length === 0) return null;
  const text = textOf(spans);
  if (text.length > LIMITS.passageMaxChars) {
    return { error: `The selection has ${text.length.toLocaleString('en-US')} characters; select at most ${LIMITS.passageMaxChars.toLocaleString('en-US')}.` };
  }
  const [first, last] = [spans[0]!, spans[spans.length - 1]!];
  const range = doc.newRange().addElementsBetween(first.paragraph.editAsText(), first.start, last.paragraph.editAsText(), last.end - 1).build();
  doc.addNamedRange(PREFIX + passageId, range);
  return { passageId, text, textHash: textHash(text) };
}

/** Forgets a passage (its named range), when the author discards the result. */
export function releasePassage(doc: GasDocument, passageId: string): void {
  for (const named of doc.getNamedRanges(PREFIX + passageId)) named.remove();
}

/** Puts `text` at `offset` of a paragraph's text (appending at its end). */
function putText(paragraph: GasParagraphLike, offset: number, text: string) {
  if (!text) return;
  const edit = paragraph.editAsText();
  if (offset >= paragraph.getText().length) edit.appendText(text);
  else edit.insertText(offset, text);
}

function cut(paragraph: GasParagraphLike, start: number, end: number) {
  if (end > start) paragraph.editAsText().deleteText(start, end - 1);
}

/** Replaces the spans' text with the paragraphs: the first joins the text before the passage, the last the text after. */
function replaceSpans(body: GasBody, spans: Span[], paragraphs: string[]) {
  const [first, last] = [spans[0]!, spans[spans.length - 1]!];
  const [head, tail] = [paragraphs[0] ?? '', paragraphs.length > 1 ? paragraphs[paragraphs.length - 1]! : null];
  const middle = paragraphs.slice(1, tail === null ? 1 : -1);
  if (first === last && tail === null) {
    cut(first.paragraph, first.start, first.end);
    putText(first.paragraph, first.start, head);
    return;
  }
  if (first === last) {
    // Several paragraphs into one: the text after the passage moves to the end of the last new paragraph.
    const after = first.paragraph.getText().slice(first.end);
    cut(first.paragraph, first.start, first.paragraph.getText().length);
    putText(first.paragraph, first.start, head);
    [...middle, tail + after].forEach((text, i) => body.insertParagraph(first.index + 1 + i, text));
    return;
  }
  // From the end backwards, so the indexes of what comes before stay valid. Docs keeps a section's last paragraph.
  cut(last.paragraph, 0, last.end);
  if (tail !== null) putText(last.paragraph, 0, tail);
  else if (last.paragraph.getText() === '' && last.index < body.getNumChildren() - 1) last.paragraph.removeFromParent();
  for (let i = last.index - 1; i > first.index; i--) body.getChild(i).removeFromParent();
  cut(first.paragraph, first.start, first.paragraph.getText().length);
  putText(first.paragraph, first.start, head);
  middle.forEach((text, i) => body.insertParagraph(first.index + 1 + i, text));
}

/**
 * Inserts a result in place of the passage (or after it), only if the passage still holds what was read; the text
 * outside it is not touched. The passage's named range goes either way: a changed passage must be selected again.
 */
export function insertPassage(app: GasDocumentApp, doc: GasDocument, request: PassageInsertRequest): PassageInsertResult {
  const named = doc.getNamedRanges(PREFIX + request.passageId);
  const body = doc.getBody();
  const spans = named[0] ? spansOf(app, body, named[0].getRange()) : null;
  const currentText = spans && spans.length > 0 ? textOf(spans) : null;
  releasePassage(doc, request.passageId);
  if (!spans || currentText === null || textHash(currentText) !== request.textHash) return { status: 'changed', currentText };
  if (request.placement === 'after') {
    const end = spans[spans.length - 1]!.index;
    request.paragraphs.forEach((text, i) => body.insertParagraph(end + 1 + i, text));
    return { status: 'inserted' };
  }
  replaceSpans(body, spans, request.paragraphs);
  return { status: 'replaced' };
}
