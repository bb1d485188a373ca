import { describe, expect, it } from 'vitest';
import type { Block } from './blocks.js';
import { blockIdOf, blockIndexOf, compareBlocks } from './draft-versions.js';

const p = (text: string, questionId = 'q_1'): Block => ({ type: 'paragraph', text, sources: [{ questionId, answerVersion: 1 }], unsupported: false });
const h = (text: string): Block => ({ type: 'heading', level: 2, text });

describe('block ids', () => {
  it('name blocks by position from B1, and only blocks the draft has', () => {
    expect(blockIdOf(0)).toBe('B1');
    expect(blockIndexOf('B1', 3)).toBe(0);
    expect(blockIndexOf('B3', 3)).toBe(2);
    expect(blockIndexOf('B4', 3)).toBeNull();
    expect(blockIndexOf('B0', 3)).toBeNull();
    expect(blockIndexOf('b1', 3)).toBeNull();
    expect(blockIndexOf('B01', 3)).toBeNull();
  });
});

describe('compareBlocks', () => {
  it('matches unchanged blocks and pairs a replaced block as changed', () => {
    const before = [h('Ask first'), p('One.'), p('Two.'), p('Three.')];
    const after = [h('Ask first'), p('One.'), p('Two, shorter.'), p('Three.')];
    expect(compareBlocks(before, after).map((r) => [r.status, r.beforeId, r.afterId])).toEqual([
      ['same', 'B1', 'B1'], ['same', 'B2', 'B2'], ['changed', 'B3', 'B3'], ['same', 'B4', 'B4'],
    ]);
  });

  it('shows insertions and removals in reading order', () => {
    const before = [p('One.'), p('Two.'), p('Three.')];
    const after = [p('Zero.'), p('One.'), p('Three.'), p('Four.')];
    expect(compareBlocks(before, after).map((r) => [r.status, r.before && 'text' in r.before ? r.before.text : null, r.after && 'text' in r.after ? r.after.text : null])).toEqual([
      ['added', null, 'Zero.'], ['same', 'One.', 'One.'], ['removed', 'Two.', null], ['same', 'Three.', 'Three.'], ['added', null, 'Four.'],
    ]);
  });

  it('compares content, not provenance; identical versions are all the same', () => {
    expect(compareBlocks([p('One.', 'q_1')], [p('One.', 'q_2')])[0]!.status).toBe('same');
    const blocks = [h('A'), p('B.'), { type: 'list', ordered: false, items: ['x', 'y'], sources: [], unsupported: true } as Block];
    expect(compareBlocks(blocks, structuredClone(blocks)).every((r) => r.status === 'same')).toBe(true);
    expect(compareBlocks([], [p('New.')])).toEqual([{ status: 'added', before: null, after: p('New.'), beforeId: null, afterId: 'B1' }]);
  });
});
