import type { docs_v1 } from '@googleapis/docs';
import { DOC_STYLE, listRuns, placement, planText, type PlannedParagraph } from '../../../shared/doc-plan.js';
import type { DocTab } from './doc-reader.js';

type Request = docs_v1.Schema$Request;

/** One chapter to write: its named range and its planned paragraphs. */
export interface ChapterWrite {
  chapterId: string;
  rangeName: string;
  plan: PlannedParagraph[];
}

interface Operation {
  write: ChapterWrite;
  /** Where the chapter text starts once inserted (before later operations at lower indexes). */
  index: number;
  /** Text inserted at `index`: the chapter text with a newline before or after as the position needs. */
  insert: string;
  textStart: number;
  replace: { startIndex: number; endIndex: number } | null;
  tocPosition: number;
}

const QUOTE_INDENT = { magnitude: DOC_STYLE.quoteIndentPt, unit: 'PT' };
const NO_INDENT = { magnitude: 0, unit: 'PT' };

/** A chapter's current span: from the first to the last range carrying its name. */
export function chapterSpan(tab: DocTab, rangeName: string): { startIndex: number; endIndex: number } | null {
  const ranges = tab.namedRanges.get(rangeName);
  if (!ranges || ranges.length === 0) return null;
  return { startIndex: Math.min(...ranges.map((r) => r.startIndex)), endIndex: Math.max(...ranges.map((r) => r.endIndex)) };
}

function operationFor(tab: DocTab, write: ChapterWrite, tocOrder: string[], spans: Map<string, { startIndex: number; endIndex: number }>): Operation {
  const text = planText(write.plan);
  const tocPosition = tocOrder.indexOf(write.chapterId);
  const own = spans.get(write.chapterId);
  // A named range covers the chapter's text without its last newline, so the paragraph break after it stays put.
  if (own) return { write, index: own.startIndex, insert: text, textStart: own.startIndex, replace: own, tocPosition };
  const where = placement(tocOrder, write.chapterId, new Set(spans.keys()));
  if (where !== 'end' && 'before' in where) {
    const at = spans.get(where.before)!.startIndex;
    return { write, index: at, insert: `${text}\n`, textStart: at, replace: null, tocPosition };
  }
  if (where !== 'end') {
    const at = spans.get(where.after)!.endIndex;
    return { write, index: at, insert: `\n${text}`, textStart: at + 1, replace: null, tocPosition };
  }
  const last = tab.paragraphs[tab.paragraphs.length - 1];
  const at = tab.endIndex - 1;
  if (!last || last.text === '\n') return { write, index: at, insert: text, textStart: at, replace: null, tocPosition };
  return { write, index: at, insert: `\n${text}`, textStart: at + 1, replace: null, tocPosition };
}

function requestsFor(op: Operation, tabId: string | null): Request[] {
  const tab = tabId ? { tabId } : {};
  const range = (startIndex: number, endIndex: number) => ({ startIndex, endIndex, ...tab });
  const text = planText(op.write.plan);
  const end = op.textStart + text.length;
  const requests: Request[] = [];
  if (op.replace) {
    requests.push({ deleteNamedRange: { name: op.write.rangeName } });
    if (op.replace.endIndex > op.replace.startIndex) requests.push({ deleteContentRange: { range: range(op.replace.startIndex, op.replace.endIndex) } });
  }
  requests.push({ insertText: { location: { index: op.index, ...tab }, text: op.insert } });
  // New paragraphs copy the style at the insertion point: reset everything the plan does not set.
  requests.push({ deleteParagraphBullets: { range: range(op.textStart, end + 1) } });
  requests.push({ updateTextStyle: { range: range(op.textStart, end), textStyle: {}, fields: 'bold,italic,underline,strikethrough,link' } });
  let offset = op.textStart;
  const runs = listRuns(op.write.plan);
  const bulletRuns: Array<{ run: number; start: number; end: number; preset: string }> = [];
  op.write.plan.forEach((paragraph, i) => {
    const paragraphEnd = offset + paragraph.text.length + 1;
    requests.push({
      updateParagraphStyle: {
        range: range(offset, paragraphEnd),
        paragraphStyle: { namedStyleType: paragraph.style, indentStart: paragraph.quote ? QUOTE_INDENT : NO_INDENT, indentFirstLine: paragraph.quote ? QUOTE_INDENT : NO_INDENT },
        fields: 'namedStyleType,indentStart,indentFirstLine',
      },
    });
    if (paragraph.quote) requests.push({ updateTextStyle: { range: range(offset, paragraphEnd - 1), textStyle: { italic: true }, fields: 'italic' } });
    const run = runs[i];
    if (paragraph.bullet && run !== null && run !== undefined) {
      const previous = bulletRuns[bulletRuns.length - 1];
      if (previous?.run === run) previous.end = paragraphEnd;
      else bulletRuns.push({ run, start: offset, end: paragraphEnd, preset: DOC_STYLE.bullets[paragraph.bullet].preset });
    }
    offset = paragraphEnd;
  });
  for (const run of bulletRuns) requests.push({ createParagraphBullets: { range: range(run.start, run.end), bulletPreset: run.preset } });
  requests.push({ createNamedRange: { name: op.write.rangeName, range: range(op.textStart, end) } });
  return requests;
}

/**
 * One batchUpdate for many chapters: each replaces its own named range or is placed in TOC order among the
 * chapters already in the document. Operations run from the highest index down so every index stays valid.
 */
export function buildChapterBatch(tab: DocTab, writes: ChapterWrite[], tocOrder: string[], rangeNameOf: (chapterId: string) => string): Request[] {
  const spans = new Map<string, { startIndex: number; endIndex: number }>();
  for (const chapterId of tocOrder) {
    const span = chapterSpan(tab, rangeNameOf(chapterId));
    if (span) spans.set(chapterId, span);
  }
  const operations = writes
    .map((write) => operationFor(tab, write, tocOrder, spans))
    .sort((a, b) => b.index - a.index || b.tocPosition - a.tocPosition);
  return operations.flatMap((op) => requestsFor(op, tab.tabId));
}
