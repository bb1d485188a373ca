import type { docs_v1 } from '@googleapis/docs';

/** A paragraph of a document tab, with its UTF-16 range (endIndex exclusive, including its newline). */
export interface DocParagraph {
  startIndex: number;
  endIndex: number;
  text: string;
  style: string;
  bullet: { listId: string; nestingLevel: number } | null;
}

export interface DocTab {
  tabId: string | null;
  title: string;
  paragraphs: DocParagraph[];
  /** End index of the body (after its final newline). */
  endIndex: number;
  /** Named ranges by name: each name may hold several ranges. */
  namedRanges: Map<string, Array<{ namedRangeId: string; startIndex: number; endIndex: number }>>;
}

export interface ReadDocument {
  documentId: string;
  title: string;
  revisionId: string;
  tabs: DocTab[];
}

function readBody(
  body: docs_v1.Schema$Body | undefined,
  namedRanges: Record<string, docs_v1.Schema$NamedRanges> | null | undefined,
  tabId: string | null,
  title: string,
): DocTab {
  const paragraphs: DocParagraph[] = [];
  let endIndex = 1;
  for (const element of body?.content ?? []) endIndex = Math.max(endIndex, element.endIndex ?? 0);
  // Paragraphs in reading order, table cells included (their text is the author's too).
  const elements = (content: docs_v1.Schema$StructuralElement[]): docs_v1.Schema$StructuralElement[] =>
    content.flatMap((element) =>
      element.table
        ? (element.table.tableRows ?? []).flatMap((row) => (row.tableCells ?? []).flatMap((cell) => elements(cell.content ?? [])))
        : [element],
    );
  for (const element of elements(body?.content ?? [])) {
    // proto3 JSON omits zero: a missing startIndex is 0.
    const start = element.startIndex ?? 0;
    if (!element.paragraph) continue;
    const text = (element.paragraph.elements ?? []).map((e) => e.textRun?.content ?? (e.endIndex !== undefined ? '\uE907'.repeat((e.endIndex ?? 0) - (e.startIndex ?? 0)) : '')).join('');
    const bullet = element.paragraph.bullet;
    paragraphs.push({
      startIndex: start, endIndex: element.endIndex ?? start, text,
      style: element.paragraph.paragraphStyle?.namedStyleType ?? 'NORMAL_TEXT',
      bullet: bullet ? { listId: bullet.listId ?? '', nestingLevel: bullet.nestingLevel ?? 0 } : null,
    });
  }
  const ranges = new Map<string, Array<{ namedRangeId: string; startIndex: number; endIndex: number }>>();
  for (const [name, group] of Object.entries(namedRanges ?? {})) {
    const list = (group.namedRanges ?? []).flatMap((named) =>
      (named.ranges ?? []).map((range) => ({ namedRangeId: named.namedRangeId ?? '', startIndex: range.startIndex ?? 0, endIndex: range.endIndex ?? 0 })),
    );
    ranges.set(name, list.sort((a, b) => a.startIndex - b.startIndex));
  }
  return { tabId, title, paragraphs, endIndex, namedRanges: ranges };
}

function flattenTabs(tabs: docs_v1.Schema$Tab[] | undefined): docs_v1.Schema$Tab[] {
  return (tabs ?? []).flatMap((tab) => [tab, ...flattenTabs(tab.childTabs)]);
}

/** Reads a `documents.get` response (tabs form, or the legacy single-body form) into tabs of paragraphs. */
export function readDocument(doc: docs_v1.Schema$Document): ReadDocument {
  const tabs = flattenTabs(doc.tabs)
    .filter((tab) => tab.documentTab)
    .map((tab) => readBody(tab.documentTab!.body, tab.documentTab!.namedRanges, tab.tabProperties?.tabId ?? null, tab.tabProperties?.title ?? ''));
  return {
    documentId: doc.documentId ?? '',
    title: doc.title ?? '',
    revisionId: doc.revisionId ?? '',
    tabs: tabs.length > 0 ? tabs : [readBody(doc.body, doc.namedRanges, null, doc.title ?? '')],
  };
}

/** Plain text of [start, end) of a tab, from its paragraphs. */
export function rangeText(tab: DocTab, startIndex: number, endIndex: number): string {
  let text = '';
  for (const paragraph of tab.paragraphs) {
    if (paragraph.endIndex <= startIndex || paragraph.startIndex >= endIndex) continue;
    text += paragraph.text.slice(Math.max(0, startIndex - paragraph.startIndex), Math.min(paragraph.text.length, endIndex - paragraph.startIndex));
  }
  return text;
}
