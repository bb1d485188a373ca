// Bullet presets, lists, and createParagraphBullets / deleteParagraphBullets.
import { deleteRange, fault } from './edits.js';
import { newKixId, paragraphsIn, paragraphText, type Json, type Paragraph, type Tab } from './model.js';
import { checkStyleRange } from './styles.js';

type Glyph = { symbol: string } | { type: string; format?: (level: number) => string };
const dotted = (level: number) => `%${level}.`;
const parens = (level: number) => `%${level})`;
const nested = (level: number) => Array.from({ length: level + 1 }, (_, n) => `%${n}.`).join('');
const numbered = (types: string[], format = dotted): Glyph[] => types.map((type) => ({ type, format }));

/** The three glyphs of each preset, repeated over the nine nesting levels. */
export const BULLET_PRESETS: Record<string, Glyph[]> = {
  BULLET_DISC_CIRCLE_SQUARE: [{ symbol: '●' }, { symbol: '○' }, { symbol: '■' }],
  BULLET_DIAMONDX_ARROW3D_SQUARE: [{ symbol: '❖' }, { symbol: '➢' }, { symbol: '■' }],
  BULLET_CHECKBOX: [{ symbol: '☐' }],
  BULLET_ARROW_DIAMOND_DISC: [{ symbol: '➔' }, { symbol: '◆' }, { symbol: '●' }],
  BULLET_STAR_CIRCLE_SQUARE: [{ symbol: '★' }, { symbol: '○' }, { symbol: '■' }],
  BULLET_ARROW3D_CIRCLE_SQUARE: [{ symbol: '➢' }, { symbol: '○' }, { symbol: '■' }],
  BULLET_LEFTTRIANGLE_DIAMOND_DISC: [{ symbol: '◄' }, { symbol: '◆' }, { symbol: '●' }],
  BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE: [{ symbol: '❖' }, { symbol: '◇' }, { symbol: '■' }],
  BULLET_DIAMOND_CIRCLE_SQUARE: [{ symbol: '◆' }, { symbol: '○' }, { symbol: '■' }],
  NUMBERED_DECIMAL_ALPHA_ROMAN: numbered(['DECIMAL', 'ALPHA', 'ROMAN']),
  NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS: numbered(['DECIMAL', 'ALPHA', 'ROMAN'], parens),
  NUMBERED_DECIMAL_NESTED: numbered(['DECIMAL'], nested),
  NUMBERED_UPPERALPHA_ALPHA_ROMAN: numbered(['UPPER_ALPHA', 'ALPHA', 'ROMAN']),
  NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL: numbered(['UPPER_ROMAN', 'UPPER_ALPHA', 'DECIMAL']),
  NUMBERED_ZERODECIMAL_ALPHA_ROMAN: numbered(['ZERO_DECIMAL', 'ALPHA', 'ROMAN']),
};

const MAX_NESTING = 8;
const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

function nestingLevels(preset: string): Json[] {
  const glyphs = BULLET_PRESETS[preset]!;
  return Array.from({ length: MAX_NESTING + 1 }, (_, level) => {
    const glyph = glyphs[level % glyphs.length]!;
    const shape = 'symbol' in glyph
      ? { glyphSymbol: glyph.symbol, glyphFormat: `%${level}` }
      : { glyphType: glyph.type, glyphFormat: (glyph.format ?? dotted)(level) };
    const alignment = 'type' in glyph && glyph.type.endsWith('ROMAN') ? 'END' : 'START';
    return {
      bulletAlignment: alignment, ...shape, indentFirstLine: pt(18 + 36 * level), indentStart: pt(36 + 36 * level),
      textStyle: { underline: false }, startNumber: 1,
    };
  });
}

/** Adds a list made from a preset to the tab and returns its id. */
export function newList(tab: Tab, preset: string, listId = newKixId()): string {
  tab.lists[listId] = { listProperties: { nestingLevels: nestingLevels(preset) } };
  tab.listPresets[listId] = preset;
  return listId;
}

/** Makes `p` an item of `listId` at `level`, with the list level's indents, as Google does. */
export function setBullet(tab: Tab, p: Paragraph, listId: string, level: number): void {
  p.bullet = { listId, ...(level ? { nestingLevel: level } : {}), textStyle: {} };
  const props = tab.lists[listId]?.listProperties as { nestingLevels?: Json[] } | undefined;
  const levelProps = props?.nestingLevels?.[level];
  if (levelProps) {
    p.style.indentFirstLine = structuredClone(levelProps.indentFirstLine);
    p.style.indentStart = structuredClone(levelProps.indentStart);
  }
}

export function createParagraphBullets(tab: Tab, start: number, end: number, preset: unknown): void {
  if (typeof preset !== 'string' || !BULLET_PRESETS[preset]) fault(`Invalid bulletPreset: ${JSON.stringify(preset)}.`);
  checkStyleRange(tab, start, end);
  const targets = paragraphsIn(tab, start, end);
  if (!targets.length) fault('The range must include at least one paragraph.');
  const previous = tab.content[targets[0]!.i - 1];
  const previousList = previous?.kind === 'paragraph' ? (previous.bullet?.listId as string | undefined) : undefined;
  const listId = previousList && tab.listPresets[previousList] === preset ? previousList : newList(tab, preset as string);
  // Last paragraph first, so removing leading tabs does not move the ones still to do.
  for (const { start: ps, p } of [...targets].reverse()) {
    const tabs = /^\t*/.exec(paragraphText(p))![0].length;
    if (tabs) deleteRange(tab, ps, ps + tabs);
    setBullet(tab, p, listId, Math.min(tabs, MAX_NESTING));
  }
}

export function deleteParagraphBullets(tab: Tab, start: number, end: number): void {
  checkStyleRange(tab, start, end);
  // Google keeps the indent so the nesting stays visible; only the bullet goes.
  for (const { p } of paragraphsIn(tab, start, end)) delete p.bullet;
}
