// Field masks for updateParagraphStyle / updateTextStyle, and the two requests themselves.
import { fault } from './edits.js';
import {
  layout, NAMED_STYLE_TYPES, normalizeElements, paragraphLength, paragraphsIn, splitElements, syncHeadingId,
  type Element, type Json, type Tab,
} from './model.js';

export const PARAGRAPH_STYLE_FIELDS = new Set([
  'headingId', 'namedStyleType', 'alignment', 'lineSpacing', 'direction', 'spacingMode', 'spaceAbove', 'spaceBelow',
  'borderBetween', 'borderTop', 'borderBottom', 'borderLeft', 'borderRight', 'indentFirstLine', 'indentStart',
  'indentEnd', 'tabStops', 'keepLinesTogether', 'keepWithNext', 'avoidWidowAndOrphan', 'shading', 'pageBreakBefore',
]);
export const TEXT_STYLE_FIELDS = new Set([
  'bold', 'italic', 'underline', 'strikethrough', 'smallCaps', 'backgroundColor', 'foregroundColor', 'fontSize',
  'weightedFontFamily', 'baselineOffset', 'link',
]);
const ENUMS: Record<string, Set<string>> = {
  namedStyleType: NAMED_STYLE_TYPES,
  alignment: new Set(['START', 'CENTER', 'END', 'JUSTIFIED']),
  direction: new Set(['LEFT_TO_RIGHT', 'RIGHT_TO_LEFT']),
  spacingMode: new Set(['NEVER_COLLAPSE', 'COLLAPSE_LISTS']),
  baselineOffset: new Set(['NONE', 'SUPERSCRIPT', 'SUBSCRIPT']),
};

/** Parses a FieldMask ("a,b.c" or "*") against the style's fields. */
export function parseFields(fields: unknown, allowed: Set<string>): string[] {
  if (typeof fields !== 'string' || fields.trim() === '') {
    return fault("At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)");
  }
  const list = fields.split(',').map((f) => f.trim()).filter(Boolean);
  if (list.includes('*')) return [...allowed];
  for (const f of list) if (!allowed.has(f.split('.')[0]!)) fault(`Invalid field: ${f}`);
  return list;
}

function getPath(obj: Json, path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) cur = cur && typeof cur === 'object' ? (cur as Json)[key] : undefined;
  return cur;
}

/** Sets each masked field from `source`, clearing the ones `source` leaves out (FieldMask semantics). */
export function applyMask(target: Json, source: Json, fields: string[]): void {
  for (const field of fields) {
    const path = field.split('.');
    const value = getPath(source, path);
    const enumValues = ENUMS[field];
    if (value !== undefined && enumValues && !enumValues.has(String(value))) fault(`Invalid value at '${field}': ${JSON.stringify(value)}.`);
    let parent = target;
    for (const key of path.slice(0, -1)) {
      if (typeof parent[key] !== 'object' || parent[key] === null) parent[key] = {};
      parent = parent[key] as Json;
    }
    const last = path[path.length - 1]!;
    if (value === undefined) delete parent[last];
    else parent[last] = structuredClone(value);
  }
}

export function checkStyleRange(tab: Tab, start: number, end: number): void {
  const segEnd = layout(tab).end;
  if (!Number.isInteger(start) || !Number.isInteger(end)) fault('The range indexes must be integers.');
  if (start >= end) fault(start === end ? 'The range should not be empty.' : `The start index ${start} must be less than the end index ${end}.`);
  if (start < 1) fault('The range cannot include the section break at the start of the segment.');
  if (end > segEnd) fault(`Index ${end - 1} must be less than the end index of the referenced segment, ${segEnd}.`);
}

/** namedStyleType first, then the other fields, on every paragraph the range overlaps. */
export function updateParagraphStyle(tab: Tab, start: number, end: number, style: Json, fieldsMask: unknown): void {
  const requested = parseFields(fieldsMask, PARAGRAPH_STYLE_FIELDS);
  if (String(fieldsMask).split(',').some((f) => f.trim() === 'headingId')) fault('The headingId field is read-only.');
  const fields = requested.filter((f) => f !== 'headingId');
  checkStyleRange(tab, start, end);
  const ordered = [...fields.filter((f) => f === 'namedStyleType'), ...fields.filter((f) => f !== 'namedStyleType')];
  for (const { p } of paragraphsIn(tab, start, end)) {
    const before = p.style.namedStyleType;
    applyMask(p.style, style, ordered);
    if (p.style.namedStyleType === undefined) p.style.namedStyleType = 'NORMAL_TEXT';
    syncHeadingId(p.style, before !== p.style.namedStyleType);
  }
}

/** Stores the style on the runs in [start, end), splitting runs at the range's edges. */
export function updateTextStyle(tab: Tab, start: number, end: number, style: Json, fieldsMask: unknown): void {
  const fields = parseFields(fieldsMask, TEXT_STYLE_FIELDS);
  checkStyleRange(tab, start, end);
  for (const { start: ps, p } of paragraphsIn(tab, start, end)) {
    const len = paragraphLength(p);
    const from = Math.max(0, start - ps);
    const to = Math.min(len, end - ps);
    const [before, rest] = splitElements(p.elements, from);
    const [inside, after] = splitElements(rest, to - from);
    const styled: Element[] = inside.map((e) => {
      const copy = structuredClone(e);
      if (copy.kind === 'text') applyMask(copy.style, style, fields);
      else {
        const inner = Object.values(copy.json)[0];
        if (inner && typeof inner === 'object') {
          const holder = inner as Json;
          holder.textStyle = holder.textStyle ?? {};
          applyMask(holder.textStyle as Json, style, fields);
        }
      }
      return copy;
    });
    p.elements = normalizeElements([...before, ...styled, ...after]);
    // A paragraph fully inside the range passes the style to its bullet too.
    if (p.bullet && from === 0 && to === len) {
      p.bullet.textStyle = (p.bullet.textStyle as Json | undefined) ?? {};
      applyMask(p.bullet.textStyle as Json, style, fields);
    }
  }
}
