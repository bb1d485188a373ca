// Model → documents.get JSON, with proto3 JSON conventions (zero indexes and levels omitted,
// empty maps and lists left out).
import { elementLength, layout, type Block, type DocModel, type Json, type Paragraph, type Tab } from './model.js';

const indexes = (start: number, end: number) => (start ? { startIndex: start, endIndex: end } : { endIndex: end });

/** Adds `offset` to every startIndex/endIndex inside a block's JSON (stored relative to the block). */
export function shiftIndexes<T>(value: T, offset: number): T {
  if (Array.isArray(value)) return value.map((v) => shiftIndexes(v, offset)) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) {
    out[key] = (key === 'startIndex' || key === 'endIndex') && typeof v === 'number' ? v + offset : shiftIndexes(v, offset);
  }
  if ('endIndex' in out && out.startIndex === 0) delete out.startIndex;
  return out as T;
}

function paragraphJson(p: Paragraph, start: number): Json {
  let pos = start;
  const elements = p.elements.map((e) => {
    const s = pos;
    pos += elementLength(e);
    if (e.kind === 'text') {
      return { ...indexes(s, pos), textRun: { ...structuredClone(e.extra), content: e.text, textStyle: structuredClone(e.style) } };
    }
    return { ...indexes(s, pos), ...structuredClone(e.json) };
  });
  const paragraph: Json = { elements, paragraphStyle: structuredClone(p.style), ...structuredClone(p.extra) };
  if (p.bullet) paragraph.bullet = structuredClone(p.bullet);
  return { ...indexes(start, pos), paragraph };
}

const blockJson = (b: Block, start: number): Json => ({ ...indexes(start, start + b.length), [b.type]: shiftIndexes(b.json, start) });

export function bodyJson(tab: Tab): Json {
  const { starts } = layout(tab);
  return { content: tab.content.map((node, i) => (node.kind === 'paragraph' ? paragraphJson(node, starts[i]!) : blockJson(node, starts[i]!))) };
}

export function namedRangesJson(tab: Tab): Json | undefined {
  if (!tab.namedRanges.length) return undefined;
  const out: Record<string, { name: string; namedRanges: Json[] }> = {};
  for (const nr of tab.namedRanges) {
    const group = (out[nr.name] ??= { name: nr.name, namedRanges: [] });
    group.namedRanges.push({
      namedRangeId: nr.namedRangeId,
      name: nr.name,
      ranges: nr.ranges.map((r) => ({ ...indexes(r.start, r.end), tabId: tab.tabId })),
    });
  }
  return out;
}

/** Everything a tab's documentTab holds (also what the legacy top level shows for the first tab). */
function tabContent(tab: Tab): Json {
  const out: Json = { body: bodyJson(tab), ...structuredClone(tab.passthrough) };
  if (Object.keys(tab.lists).length) out.lists = structuredClone(tab.lists);
  const named = namedRangesJson(tab);
  if (named) out.namedRanges = named;
  return out;
}

function tabJson(tab: Tab, index: number, parent?: Tab, nestingLevel = 0): Json {
  const tabProperties: Json = { tabId: tab.tabId, title: tab.title };
  if (index) tabProperties.index = index;
  if (parent) tabProperties.parentTabId = parent.tabId;
  if (nestingLevel) tabProperties.nestingLevel = nestingLevel;
  if (tab.iconEmoji) tabProperties.iconEmoji = tab.iconEmoji;
  const out: Json = { tabProperties, documentTab: tabContent(tab) };
  if (tab.childTabs.length) out.childTabs = tab.childTabs.map((child, i) => tabJson(child, i, tab, nestingLevel + 1));
  return out;
}

export interface GetOptions { includeTabsContent?: boolean; suggestionsViewMode?: string }

/** The documents.get response: legacy fields for the first tab, or tabs[] with includeTabsContent. */
export function documentJson(doc: DocModel, options: GetOptions = {}): Json {
  const mode = options.suggestionsViewMode && options.suggestionsViewMode !== 'DEFAULT_FOR_CURRENT_ACCESS'
    ? options.suggestionsViewMode
    : (doc.suggestionsViewMode ?? 'SUGGESTIONS_INLINE');
  const head = { documentId: doc.documentId, title: doc.title };
  const tail = { revisionId: doc.revisionId, suggestionsViewMode: mode };
  if (options.includeTabsContent) return { ...head, tabs: doc.tabs.map((tab, i) => tabJson(tab, i)), ...tail };
  return { ...head, ...tabContent(doc.tabs[0]!), ...tail };
}
