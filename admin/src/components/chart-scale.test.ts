import { describe, expect, it } from 'vitest';
import { formatUsd } from '../format.js';
import { yAxisTop } from './chart-scale.js';

describe('chart y axis', () => {
  it('scales to small amounts: $0.0004 of cost fills the axis instead of lying flat on $0–$1', () => {
    expect(yAxisTop(0.0004, false)).toBeCloseTo(0.00044, 8);
    expect(formatUsd(0.0004)).toBe('$0.0004');
    expect(formatUsd(0.00011)).toBe('$0.00011');
    expect(formatUsd(12.5)).toBe('$12.50');
  });

  it('keeps counts at least 1 high and gives an empty series 0–1', () => {
    expect(yAxisTop(0.3, true)).toBe(1);
    expect(yAxisTop(40, true)).toBeCloseTo(44);
    expect(yAxisTop(0, false)).toBe(1);
    expect(yAxisTop(Number.NEGATIVE_INFINITY, false)).toBe(1);
  });
});
