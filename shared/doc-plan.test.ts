import { describe, expect, it } from 'vitest';
import { listRuns, placement, planChapter, planText, textHash, type PlannedParagraph } from './doc-plan.js';
import { DOC_BLOCK_VECTORS } from './test-vectors/doc-blocks.js';

describe('the shared write plan', () => {
  for (const vector of DOC_BLOCK_VECTORS) {
    it(`plans ${vector.name}`, () => {
      expect(planChapter(vector.title, vector.blocks)).toEqual(vector.expected);
    });
  }

  it('plans a section one heading level down', () => {
    const plan = planChapter('Section', [{ type: 'heading', level: 2, text: 'Inner' }], true);
    expect(plan.map((p) => p.style)).toEqual(['HEADING_2', 'HEADING_3']);
  });

  it('hashes text stably, ignoring trailing newlines', () => {
    const text = planText(DOC_BLOCK_VECTORS[0]!.expected);
    expect(textHash(text)).toBe(textHash(`${text}\n`));
    expect(textHash(text)).not.toBe(textHash(`${text} `));
  });

  it('places a chapter before the next written one, else after the previous, else at the end', () => {
    const order = ['a', 'b', 'c', 'd'];
    expect(placement(order, 'b', new Set(['a', 'd']))).toEqual({ before: 'd' });
    expect(placement(order, 'd', new Set(['a', 'b']))).toEqual({ after: 'b' });
    expect(placement(order, 'c', new Set())).toBe('end');
  });
});

describe('listRuns', () => {
  const p = (bullet: PlannedParagraph['bullet']): PlannedParagraph => ({ text: 'x', style: 'NORMAL_TEXT', bullet, quote: false });

  it('puts adjacent items of one kind in one list and starts a new list at a change of kind or a paragraph between', () => {
    expect(listRuns([p('unordered'), p('unordered'), p('ordered'), p(null), p('ordered'), p('ordered'), p('unordered')])).toEqual([0, 0, 1, null, 2, 2, 3]);
    expect(listRuns([p(null)])).toEqual([null]);
  });
});
