import type { Block } from './blocks.js';

/** The id of the block at `index` of a draft version: `B1` is the first (prompts use the same refs). */
export function blockIdOf(index: number): string {
  return `B${index + 1}`;
}

/** The position of block `id` in a draft of `count` blocks, or null when there is no such block. */
export function blockIndexOf(id: string, count: number): number | null {
  const match = /^B([1-9]\d*)$/u.exec(id);
  const index = match ? Number(match[1]) - 1 : -1;
  return index >= 0 && index < count ? index : null;
}

/** What a block says (its type, level and text), without where it came from: two versions agree when this does. */
function contentKey(block: Block): string {
  if (block.type === 'heading') return JSON.stringify(['heading', block.level, block.text]);
  if (block.type === 'list') return JSON.stringify(['list', block.ordered, block.items]);
  return JSON.stringify([block.type, block.text]);
}

/** One row of a comparison: a block both versions hold, one that changed, or one only one version has. */
export interface BlockComparison {
  status: 'same' | 'changed' | 'added' | 'removed';
  before: Block | null;
  after: Block | null;
  /** The block's id in each version (null where the version has none). */
  beforeId: string | null;
  afterId: string | null;
}

/**
 * Two versions of a draft side by side, block by block, in reading order: blocks both hold unchanged are matched
 * (longest common subsequence of their content), and between two matches a removed block next to an added one
 * reads as one changed block.
 */
export function compareBlocks(before: Block[], after: Block[]): BlockComparison[] {
  const a = before.map(contentKey);
  const b = after.map(contentKey);
  // lengths[i][j]: the longest run of matching blocks in a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const rows: BlockComparison[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++) rows.push(row('changed', removed[k]!, added[k]!));
    for (const i of removed.slice(paired)) rows.push(row('removed', i, null));
    for (const j of added.slice(paired)) rows.push(row('added', null, j));
    removed = [];
    added = [];
  };
  const row = (status: BlockComparison['status'], i: number | null, j: number | null): BlockComparison => ({
    status, before: i === null ? null : before[i]!, after: j === null ? null : after[j]!,
    beforeId: i === null ? null : blockIdOf(i), afterId: j === null ? null : blockIdOf(j),
  });
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      rows.push(row('same', i++, j++));
    } else if (j < b.length && (i === a.length || lengths[i]![j + 1]! >= lengths[i + 1]![j]!)) {
      added.push(j++);
    } else {
      removed.push(i++);
    }
  }
  flush();
  return rows;
}
