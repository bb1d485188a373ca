// The emulator's document model: tabs hold a flat list of structural elements whose indexes are
// never stored, only computed (so every edit keeps them consistent). Plain data only, so a batch
// can run on a structuredClone and be dropped whole when one request fails.
import { randomBytes } from 'node:crypto';

export type Json = Record<string, unknown>;

/** A run of text with one style. Only the paragraph's last run may hold "\n", and only at its end. */
export interface TextElement { kind: 'text'; text: string; style: Json; extra: Json }
/** A non-text paragraph element (inline image, page break, …) kept as JSON without indexes. */
export interface OpaqueElement { kind: 'opaque'; length: number; json: Json }
export type Element = TextElement | OpaqueElement;

export interface Paragraph { kind: 'paragraph'; elements: Element[]; style: Json; bullet?: Json; extra: Json }
/** sectionBreak, table or tableOfContents: JSON whose nested indexes are relative to its start. */
export interface Block { kind: 'block'; type: string; length: number; json: Json }
export type Structural = Paragraph | Block;

export interface Range { start: number; end: number }
export interface NamedRange { namedRangeId: string; name: string; ranges: Range[] }

export interface Tab {
  tabId: string;
  title: string;
  iconEmoji?: string;
  content: Structural[];
  lists: Record<string, Json>;
  /** bulletPreset each list was created with, so adjacent bullets join the same list. */
  listPresets: Record<string, string>;
  namedRanges: NamedRange[];
  /** documentStyle, namedStyles, headers, footers, footnotes, inlineObjects, … returned unchanged. */
  passthrough: Json;
  childTabs: Tab[];
}

export interface DocModel {
  documentId: string;
  title: string;
  revisionId: string;
  suggestionsViewMode?: string;
  tabs: Tab[];
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function randomId(length: number, alphabet = ID_ALPHABET): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}
export const newKixId = () => `kix.${randomId(12)}`;
export const newHeadingId = () => `h.${randomId(12)}`;
export const newRevisionId = () => `ALm37B${randomBytes(30).toString('base64url')}`;
export const newDocumentId = () =>
  `1${randomId(43, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')}`;

export const elementLength = (e: Element) => (e.kind === 'text' ? e.text.length : e.length);
export const paragraphLength = (p: Paragraph) => p.elements.reduce((n, e) => n + elementLength(e), 0);
export const structuralLength = (s: Structural) => (s.kind === 'paragraph' ? paragraphLength(s) : s.length);

/** The text of a paragraph; non-text elements appear as U+FFFC so offsets stay aligned. */
export function paragraphText(p: Paragraph): string {
  return p.elements.map((e) => (e.kind === 'text' ? e.text : '\uFFFC'.repeat(e.length))).join('');
}

/** Start index of every structural element, and the segment's end index. */
export function layout(tab: Tab): { starts: number[]; end: number } {
  const starts: number[] = [];
  let pos = 0;
  for (const s of tab.content) {
    starts.push(pos);
    pos += structuralLength(s);
  }
  return { starts, end: pos };
}

/** The structural element holding `index` (start <= index < end), or undefined past the end. */
export function locate(tab: Tab, index: number): { i: number; start: number; node: Structural } | undefined {
  const { starts } = layout(tab);
  for (let i = 0; i < tab.content.length; i++) {
    const start = starts[i]!;
    const node = tab.content[i]!;
    if (index >= start && index < start + structuralLength(node)) return { i, start, node };
  }
  return undefined;
}

/** Paragraphs overlapping [start, end) with their start index (blocks are skipped). */
export function paragraphsIn(tab: Tab, start: number, end: number): { i: number; start: number; p: Paragraph }[] {
  const { starts } = layout(tab);
  const out: { i: number; start: number; p: Paragraph }[] = [];
  tab.content.forEach((node, i) => {
    const s = starts[i]!;
    if (node.kind === 'paragraph' && s < end && s + paragraphLength(node) > start) out.push({ i, start: s, p: node });
  });
  return out;
}

/** Splits a paragraph's elements at a UTF-16 offset (text runs are cut; both halves keep the style). */
export function splitElements(elements: Element[], offset: number): [Element[], Element[]] {
  const left: Element[] = [];
  const right: Element[] = [];
  let pos = 0;
  for (const e of elements) {
    const len = elementLength(e);
    if (pos + len <= offset) left.push(e);
    else if (pos >= offset) right.push(e);
    else if (e.kind === 'text') {
      const cut = offset - pos;
      left.push({ ...e, text: e.text.slice(0, cut), style: structuredClone(e.style), extra: structuredClone(e.extra) });
      right.push({ ...e, text: e.text.slice(cut) });
    } else right.push(e); // an opaque element cannot be cut: it stays whole on the right
    pos += len;
  }
  return [left, right];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as Json);
  const kb = Object.keys(b as Json);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Json)[k], (b as Json)[k]));
}

/** Drops empty runs and merges neighbouring runs of identical style, as Google reports them. */
export function normalizeElements(elements: Element[]): Element[] {
  const out: Element[] = [];
  for (const e of elements) {
    if (e.kind === 'text' && e.text === '') continue;
    const last = out[out.length - 1];
    if (last?.kind === 'text' && e.kind === 'text' && deepEqual(last.style, e.style) && deepEqual(last.extra, e.extra)) {
      out[out.length - 1] = { ...last, text: last.text + e.text };
    } else out.push(e);
  }
  return out;
}

/** Every tab in document order (depth first through childTabs). */
export function allTabs(doc: DocModel): Tab[] {
  const out: Tab[] = [];
  const walk = (tabs: Tab[]) => tabs.forEach((t) => { out.push(t); walk(t.childTabs); });
  walk(doc.tabs);
  return out;
}

export function findTab(doc: DocModel, tabId: string | undefined | null): Tab | undefined {
  if (!tabId) return doc.tabs[0];
  return allTabs(doc).find((t) => t.tabId === tabId);
}

const HEADING_STYLES = new Set(['TITLE', 'SUBTITLE', 'HEADING_1', 'HEADING_2', 'HEADING_3', 'HEADING_4', 'HEADING_5', 'HEADING_6']);
export const NAMED_STYLE_TYPES = new Set(['NORMAL_TEXT', ...HEADING_STYLES]);

/** Headings (TITLE, SUBTITLE, HEADING_n) carry a read-only headingId; other paragraphs never do. */
export function syncHeadingId(style: Json, fresh = false): void {
  if (style.namedStyleType === 'NORMAL_TEXT' || !HEADING_STYLES.has(String(style.namedStyleType))) delete style.headingId;
  else if (fresh || typeof style.headingId !== 'string') style.headingId = newHeadingId();
}

export function emptyParagraph(style: Json = { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' }): Paragraph {
  return { kind: 'paragraph', elements: [{ kind: 'text', text: '\n', style: {}, extra: {} }], style, extra: {} };
}
