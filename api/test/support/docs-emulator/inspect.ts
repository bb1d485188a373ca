// Read-outs for test assertions: plain text, paragraphs, named ranges.
import { elementLength, layout, type Json, type Paragraph, type Tab } from './model.js';

export interface ParagraphSummary {
  /** The paragraph's text without its final "\n" (non-text elements left out). */
  text: string;
  namedStyleType: string;
  /** null when the paragraph is not a list item; nestingLevel is 0 at the top level. */
  bullet: { listId: string; nestingLevel: number } | null;
}

export interface NamedRangeSummary {
  namedRangeId: string;
  name: string;
  ranges: { startIndex: number; endIndex: number }[];
  /** The text the ranges cover, joined, with non-text elements left out. */
  text: string;
}

const runsText = (p: Paragraph) => p.elements.map((e) => (e.kind === 'text' ? e.text : '')).join('');

/** Paragraph JSON nested in tables, in document order. */
function nestedParagraphs(value: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(value)) value.forEach((v) => nestedParagraphs(v, out));
  else if (value && typeof value === 'object') {
    const obj = value as Json;
    if (obj.paragraph && typeof obj.paragraph === 'object') out.push(obj.paragraph as Json);
    else Object.values(obj).forEach((v) => nestedParagraphs(v, out));
  }
  return out;
}

const jsonText = (p: Json) =>
  ((p.elements as Json[] | undefined) ?? []).map((e) => String((e.textRun as Json | undefined)?.content ?? '')).join('');

function summarize(text: string, style: Json, bullet: Json | undefined): ParagraphSummary {
  return {
    text: text.endsWith('\n') ? text.slice(0, -1) : text,
    namedStyleType: String(style.namedStyleType ?? 'NORMAL_TEXT'),
    bullet: bullet ? { listId: String(bullet.listId), nestingLevel: Number(bullet.nestingLevel ?? 0) } : null,
  };
}

/** Every paragraph of the tab's body, including those inside tables, in document order. */
export function tabParagraphs(tab: Tab): ParagraphSummary[] {
  return tab.content.flatMap((node) => node.kind === 'paragraph'
    ? [summarize(runsText(node), node.style, node.bullet)]
    : nestedParagraphs(node.json).map((p) => summarize(jsonText(p), (p.paragraphStyle as Json) ?? {}, p.bullet as Json | undefined)));
}

/** The body's text: every text run's content in order (tables included, non-text elements left out). */
export function tabText(tab: Tab): string {
  return tab.content.map((node) => (node.kind === 'paragraph' ? runsText(node) : nestedParagraphs(node.json).map(jsonText).join(''))).join('');
}

/** The text between two indexes of the tab (non-text elements and tables left out). */
export function textBetween(tab: Tab, start: number, end: number): string {
  const { starts } = layout(tab);
  let out = '';
  tab.content.forEach((node, i) => {
    if (node.kind !== 'paragraph') return;
    let pos = starts[i]!;
    for (const e of node.elements) {
      const len = elementLength(e);
      if (e.kind === 'text') out += e.text.slice(Math.max(0, start - pos), Math.max(0, end - pos));
      pos += len;
    }
  });
  return out;
}

export function tabNamedRanges(tab: Tab): NamedRangeSummary[] {
  return tab.namedRanges.map((nr) => ({
    namedRangeId: nr.namedRangeId,
    name: nr.name,
    ranges: nr.ranges.map((r) => ({ startIndex: r.start, endIndex: r.end })),
    text: nr.ranges.map((r) => textBetween(tab, r.start, r.end)).join(''),
  }));
}
