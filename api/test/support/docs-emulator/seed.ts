// Documents from real documents.get JSON (legacy or tabs form) and from the small specs tests write.
import { defaultDocumentStyle, defaultNamedStyles, sectionBreak } from './defaults.js';
import {
  emptyParagraph, newDocumentId, newRevisionId, randomId, syncHeadingId, type DocModel, type Element, type Json,
  type NamedRange, type Paragraph, type Structural, type Tab,
} from './model.js';
import { newList, setBullet, BULLET_PRESETS } from './lists.js';
import { shiftIndexes } from './serialize.js';

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const omit = (obj: Json, keys: string[]) => Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));

/** One fixture paragraph; a run holding "\n" before its end (hand-edited fixtures) starts a new paragraph. */
function paragraphsFromJson(json: Json): Paragraph[] {
  const style = structuredClone((json.paragraphStyle as Json) ?? {});
  const make = (elements: Element[]): Paragraph => {
    const p: Paragraph = { kind: 'paragraph', elements, style: structuredClone(style), extra: {} };
    if (json.bullet) p.bullet = structuredClone(json.bullet as Json);
    return p;
  };
  const out: Paragraph[] = [];
  let current: Element[] = [];
  for (const pe of (json.elements as Json[] | undefined) ?? []) {
    const run = pe.textRun as Json | undefined;
    if (!run) {
      const length = num(pe.endIndex) - num(pe.startIndex);
      current.push({ kind: 'opaque', length: length > 0 ? length : 1, json: omit(pe, ['startIndex', 'endIndex']) });
      continue;
    }
    const style = structuredClone((run.textStyle as Json) ?? {});
    const extra = omit(run, ['content', 'textStyle']);
    for (const piece of String(run.content ?? '').split(/(?<=\n)/)) {
      if (!piece) continue;
      current.push({ kind: 'text', text: piece, style: structuredClone(style), extra: structuredClone(extra) });
      if (piece.endsWith('\n')) { out.push(make(current)); current = []; }
    }
  }
  if (current.length || !out.length) out.push(make([...current, { kind: 'text', text: '\n', style: {}, extra: {} }]));
  out.forEach((p, i) => { if (i < out.length - 1) syncHeadingId(p.style, true); });
  out[out.length - 1]!.extra = omit(json, ['elements', 'paragraphStyle', 'bullet']);
  return out;
}

function contentFromJson(content: Json[]): Structural[] {
  const out: Structural[] = [];
  for (const el of content) {
    if (el.paragraph) { out.push(...paragraphsFromJson(el.paragraph as Json)); continue; }
    const type = Object.keys(el).find((k) => k !== 'startIndex' && k !== 'endIndex');
    if (!type) continue;
    const start = num(el.startIndex);
    out.push({ kind: 'block', type, length: Math.max(1, num(el.endIndex) - start), json: shiftIndexes(el[type] as Json, -start) });
  }
  if (out[0]?.kind !== 'block' || out[0].type !== 'sectionBreak') out.unshift(sectionBreak());
  if (out[out.length - 1]!.kind !== 'paragraph') out.push(emptyParagraph());
  return out;
}

function namedRangesFromJson(json: Json | undefined): NamedRange[] {
  return Object.values(json ?? {}).flatMap((group) => ((group as Json).namedRanges as Json[] | undefined ?? []).map((nr) => ({
    namedRangeId: String(nr.namedRangeId),
    name: String(nr.name),
    ranges: ((nr.ranges as Json[] | undefined) ?? []).map((r) => ({ start: num(r.startIndex), end: num(r.endIndex) })),
  })));
}

function tabFromDocumentTab(tabId: string, title: string, dt: Json): Tab {
  return {
    tabId,
    title,
    content: contentFromJson(((dt.body as Json | undefined)?.content as Json[] | undefined) ?? []),
    lists: structuredClone((dt.lists as Record<string, Json> | undefined) ?? {}),
    listPresets: {},
    namedRanges: namedRangesFromJson(dt.namedRanges as Json | undefined),
    passthrough: structuredClone(omit(dt, ['body', 'lists', 'namedRanges', 'documentId', 'title', 'revisionId', 'suggestionsViewMode', 'tabs'])),
    childTabs: [],
  };
}

function tabFromJson(json: Json): Tab {
  const props = (json.tabProperties as Json | undefined) ?? {};
  const tab = tabFromDocumentTab(String(props.tabId ?? `t.${randomId(12)}`), String(props.title ?? 'Tab'), (json.documentTab as Json) ?? {});
  if (typeof props.iconEmoji === 'string') tab.iconEmoji = props.iconEmoji;
  tab.childTabs = ((json.childTabs as Json[] | undefined) ?? []).map(tabFromJson);
  return tab;
}

/** A document from documents.get JSON. Legacy (no tabs) JSON becomes one tab "t.0" titled "Tab 1". */
export function docFromJson(json: Json, options: { documentId?: string; title?: string } = {}): DocModel {
  const tabs = Array.isArray(json.tabs) && json.tabs.length ? (json.tabs as Json[]).map(tabFromJson) : [tabFromDocumentTab('t.0', 'Tab 1', json)];
  const doc: DocModel = {
    documentId: options.documentId ?? (typeof json.documentId === 'string' ? json.documentId : newDocumentId()),
    title: options.title ?? (typeof json.title === 'string' ? json.title : 'Untitled document'),
    revisionId: typeof json.revisionId === 'string' ? json.revisionId : newRevisionId(),
    tabs,
  };
  if (typeof json.suggestionsViewMode === 'string') doc.suggestionsViewMode = json.suggestionsViewMode;
  return doc;
}

export interface BulletSpec { listId?: string; nestingLevel?: number; preset?: string }
export interface ParagraphSpec {
  text: string;
  namedStyleType?: string;
  bullet?: boolean | BulletSpec;
  textStyle?: Json;
  paragraphStyle?: Json;
}
export interface TabSpec { tabId?: string; title?: string; iconEmoji?: string; paragraphs?: (ParagraphSpec | string)[]; childTabs?: TabSpec[] }
export interface DocumentSpec { documentId?: string; title?: string; paragraphs?: (ParagraphSpec | string)[]; tabs?: TabSpec[] }

function addParagraph(tab: Tab, spec: ParagraphSpec): void {
  for (const line of spec.text.split('\n')) {
    const style: Json = { namedStyleType: spec.namedStyleType ?? 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT', ...structuredClone(spec.paragraphStyle ?? {}) };
    syncHeadingId(style);
    const run: Element = { kind: 'text', text: `${line}\n`, style: structuredClone(spec.textStyle ?? {}), extra: {} };
    const p: Paragraph = { kind: 'paragraph', elements: [run], style, extra: {} };
    if (spec.bullet) {
      const bullet: BulletSpec = spec.bullet === true ? {} : spec.bullet;
      const preset = bullet.preset ?? 'BULLET_DISC_CIRCLE_SQUARE';
      if (!BULLET_PRESETS[preset]) throw new Error(`unknown bullet preset ${preset}`);
      const previous = tab.content[tab.content.length - 1];
      const previousList = previous?.kind === 'paragraph' ? (previous.bullet?.listId as string | undefined) : undefined;
      const joins = previousList && tab.listPresets[previousList] === preset ? previousList : undefined;
      const listId = bullet.listId && tab.lists[bullet.listId] ? bullet.listId : (joins && !bullet.listId ? joins : newList(tab, preset, bullet.listId));
      setBullet(tab, p, listId, bullet.nestingLevel ?? 0);
    }
    tab.content.push(p);
  }
}

function tabFromSpec(spec: TabSpec, position: number): Tab {
  const tab: Tab = {
    tabId: spec.tabId ?? (position === 0 ? 't.0' : `t.${randomId(12)}`),
    title: spec.title ?? `Tab ${position + 1}`,
    content: [sectionBreak()],
    lists: {},
    listPresets: {},
    namedRanges: [],
    passthrough: { documentStyle: defaultDocumentStyle(), namedStyles: defaultNamedStyles() },
    childTabs: [],
  };
  if (spec.iconEmoji) tab.iconEmoji = spec.iconEmoji;
  for (const p of spec.paragraphs ?? []) addParagraph(tab, typeof p === 'string' ? { text: p } : p);
  if (tab.content.length === 1) tab.content.push(emptyParagraph());
  return tab;
}

/** A document built from a spec; `{title}` alone is what documents.create makes (one empty paragraph). */
export function docFromSpec(spec: DocumentSpec): DocModel {
  let counter = 0;
  const build = (tabs: TabSpec[]): Tab[] => tabs.map((t) => {
    const tab = tabFromSpec(t, counter++);
    tab.childTabs = build(t.childTabs ?? []);
    return tab;
  });
  const tabs = build(spec.tabs?.length ? spec.tabs : [{ paragraphs: spec.paragraphs ?? [] }]);
  return {
    documentId: spec.documentId ?? newDocumentId(),
    title: spec.title ?? 'Untitled document',
    revisionId: newRevisionId(),
    suggestionsViewMode: 'SUGGESTIONS_INLINE',
    tabs,
  };
}
