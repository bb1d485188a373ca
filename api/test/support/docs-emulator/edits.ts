// Index-level edits shared by the requests: insert text, delete a range, and keep named ranges in step.
import {
  emptyParagraph, layout, locate, normalizeElements, paragraphText, splitElements,
  structuralLength, syncHeadingId, type Element, type Json, type Paragraph, type Structural, type Tab,
} from './model.js';

/** A rule broken by one request; the request layer prefixes `Invalid requests[i].<kind>: `. */
export class RequestFault extends Error {}
export const fault = (message: string): never => { throw new RequestFault(message); };

// U+0000–0008, U+000C–001F (so "\r" goes; "\t", "\n" and "\v" stay) and the BMP private use area.
// eslint-disable-next-line no-control-regex
const STRIPPED = /[\u0000-\u0008\u000C-\u001F\uE000-\uF8FF]/g;
/** The text Google actually inserts: control and private-use characters removed. */
export const stripForInsert = (text: string) => text.replace(STRIPPED, '');

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** UTF-16 code unit at a segment index (undefined inside tables or out of range). */
export function codeUnitAt(tab: Tab, index: number): number | undefined {
  const hit = locate(tab, index);
  if (!hit || hit.node.kind !== 'paragraph') return undefined;
  return paragraphText(hit.node).charCodeAt(index - hit.start);
}

export const splitsSurrogatePair = (tab: Tab, index: number) => {
  const before = codeUnitAt(tab, index - 1);
  const at = codeUnitAt(tab, index);
  return before !== undefined && at !== undefined && isHigh(before) && isLow(at);
};

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
function insideGraphemeCluster(p: Paragraph, offset: number): boolean {
  if (offset === 0) return false;
  for (const { index, segment } of graphemes.segment(paragraphText(p))) {
    if (offset > index && offset < index + segment.length) return true;
    if (index >= offset) break;
  }
  return false;
}

/** The paragraph that can take text at `index`, with the offset inside it; faults like Google otherwise. */
export function insertionPoint(tab: Tab, index: number): { p: Paragraph; i: number; start: number; offset: number } {
  const end = layout(tab).end;
  if (!Number.isInteger(index) || index < 0) fault(`Index ${index} must be a non-negative integer.`);
  if (index >= end) fault(`Index ${index} must be less than the end index of the referenced segment, ${end}.`);
  const hit = locate(tab, index);
  if (!hit || hit.node.kind !== 'paragraph') {
    if (hit && hit.start !== index && hit.node.kind === 'block' && hit.node.type !== 'sectionBreak') {
      fault('The Docs emulator does not support edits inside tables or tables of contents.');
    }
    return fault('The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.');
  }
  const offset = index - hit.start;
  if (insideGraphemeCluster(hit.node, offset)) fault('The insertion index cannot be within a grapheme cluster.');
  return { p: hit.node, i: hit.i, start: hit.start, offset };
}

/** Text style for text inserted at `offset`: the run before it, else the run after it. */
function inheritedStyle(elements: Element[], offset: number): Json {
  const [left, right] = splitElements(elements, offset);
  const run = [...left].reverse().find((e) => e.kind === 'text') ?? right.find((e) => e.kind === 'text');
  const style = run?.kind === 'text' ? structuredClone(run.style) : {};
  return style;
}

/** Copies a paragraph's style and bullet for a paragraph split off it (new headingId, no other extras). */
function copyParagraph(p: Paragraph, elements: Element[]): Paragraph {
  const style = structuredClone(p.style);
  syncHeadingId(style, true);
  const copy: Paragraph = { kind: 'paragraph', elements: normalizeElements(elements), style, extra: {} };
  if (p.bullet) copy.bullet = structuredClone(p.bullet);
  return copy;
}

/**
 * Inserts `elements` (already stripped; may contain "\n" only as separate newline markers in text runs)
 * at `index`. New paragraphs copy the paragraph style and bullet of the paragraph at the insertion point;
 * the original paragraph keeps the text after the insertion point and its own newline.
 */
export function insertAt(tab: Tab, index: number, pieces: Element[]): number {
  const { p, i, offset } = insertionPoint(tab, index);
  const [left, right] = splitElements(p.elements, offset);
  const lines: Element[][] = [[]];
  for (const piece of pieces) {
    if (piece.kind === 'opaque') { lines[lines.length - 1]!.push(piece); continue; }
    const parts = piece.text.split('\n');
    parts.forEach((part, n) => {
      const line = lines[lines.length - 1]!;
      if (n < parts.length - 1) {
        line.push({ ...piece, text: `${part}\n`, style: structuredClone(piece.style) });
        lines.push([]);
      } else if (part) line.push({ ...piece, text: part, style: structuredClone(piece.style) });
    });
  }
  const created: Paragraph[] = [];
  lines.forEach((line, n) => {
    if (n === lines.length - 1) return;
    created.push(copyParagraph(p, n === 0 ? [...left, ...line] : line));
  });
  const tail = lines[lines.length - 1]!;
  p.elements = normalizeElements(created.length ? [...tail, ...right] : [...left, ...tail, ...right]);
  tab.content.splice(i, 0, ...created);
  const length = pieces.reduce((n, e) => n + (e.kind === 'text' ? e.text.length : e.length), 0);
  shiftNamedRangesForInsert(tab, index, length);
  return length;
}

/** Inserts plain text (stripped like Google) at `index`, styled like the text before it. */
export function insertText(tab: Tab, index: number, rawText: string): number {
  const text = stripForInsert(rawText);
  const { p, offset } = insertionPoint(tab, index);
  if (!text) return 0;
  return insertAt(tab, index, [{ kind: 'text', text, style: inheritedStyle(p.elements, offset), extra: {} }]);
}

/** Deletes [start, end) with Google's rules; paragraphs whose newline goes merge into the next one. */
export function deleteRange(tab: Tab, start: number, end: number): void {
  const segEnd = layout(tab).end;
  if (!Number.isInteger(start) || !Number.isInteger(end)) fault('The range indexes must be integers.');
  if (start === end) fault('The range should not be empty.');
  if (start > end) fault(`The start index ${start} must be less than the end index ${end}.`);
  if (end > segEnd) fault(`Index ${end - 1} must be less than the end index of the referenced segment, ${segEnd}.`);
  if (end === segEnd) fault('The range cannot include the newline character at the end of the segment.');
  if (start < 1) fault('Invalid deletion range. The section break at the start of the segment cannot be deleted.');
  if (splitsSurrogatePair(tab, start) || splitsSurrogatePair(tab, end)) {
    fault('Invalid deletion range. The range cannot start or end in the middle of a surrogate pair.');
  }
  const { starts } = layout(tab);
  const next: Structural[] = [];
  let carry: Element[] | null = null;
  tab.content.forEach((node, i) => {
    const s = starts[i]!;
    const e = s + structuralLength(node);
    if (e <= start || s >= end) {
      if (carry && node.kind === 'paragraph') { node.elements = normalizeElements([...carry, ...node.elements]); carry = null; }
      next.push(node);
      return;
    }
    if (node.kind === 'block') {
      if (s < start || e > end) fault('Invalid deletion range. Cannot delete part of a table, table of contents or equation.');
      return;
    }
    const left = start > s ? splitElements(node.elements, start - s)[0] : [];
    if (e <= end) {
      const after = tab.content[i + 1];
      const afterDeleted = after !== undefined && starts[i + 1]! + structuralLength(after) <= end;
      if (after?.kind === 'block' && !afterDeleted) {
        fault('Invalid deletion range. The newline character before a table, table of contents or section break cannot be deleted.');
      }
      carry = [...(carry ?? []), ...left];
      return;
    }
    const right = splitElements(node.elements, end - s)[1];
    node.elements = normalizeElements([...(carry ?? []), ...left, ...right]);
    carry = null;
    next.push(node);
  });
  tab.content = next.length ? next : [emptyParagraph()];
  shiftNamedRangesForDelete(tab, start, end);
}

/** Inserting inside a named range grows it; inserting at or before its start moves it. */
export function shiftNamedRangesForInsert(tab: Tab, index: number, length: number): void {
  if (!length) return;
  for (const nr of tab.namedRanges) {
    for (const r of nr.ranges) {
      if (index <= r.start) { r.start += length; r.end += length; } else if (index < r.end) r.end += length;
    }
  }
}

/** Deleting moves ranges back and shrinks them; a range whose content is all deleted disappears. */
export function shiftNamedRangesForDelete(tab: Tab, start: number, end: number): void {
  const map = (x: number) => (x <= start ? x : x <= end ? start : x - (end - start));
  for (const nr of tab.namedRanges) {
    nr.ranges = nr.ranges.map((r) => ({ start: map(r.start), end: map(r.end) })).filter((r) => r.end > r.start);
  }
  tab.namedRanges = tab.namedRanges.filter((nr) => nr.ranges.length > 0);
}
