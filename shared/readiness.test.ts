import { describe, expect, it } from 'vitest';
import { evaluateReadiness, READINESS } from './readiness.js';

const words = (n: number, word = 'word') => Array.from({ length: n }, () => word).join(' ');
const failing = (summary: string | null) => evaluateReadiness({ title: 'A book', summary }).checks.filter((c) => !c.ok).map((c) => c.id);

describe('the readiness gate (the same rule on client and server)', () => {
  it('needs 30 words and 150 characters', () => {
    expect(READINESS).toMatchObject({ summaryMinWords: 30, summaryMinChars: 150 });
    expect(failing(words(30, 'writer'))).toEqual([]);
    expect(evaluateReadiness({ title: 'A book', summary: words(30, 'writer') })).toMatchObject({ ready: true, level: 'ready', words: 30 });
  });

  it('names each missing part with its count', () => {
    // 30 short words are under 150 characters: the characters check alone fails.
    const short = words(30, 'ab');
    expect(failing(short)).toEqual(['summaryMinChars']);
    expect(evaluateReadiness({ title: 'A book', summary: short }).checks.find((c) => c.id === 'summaryMinChars')?.message)
      .toBe('The summary needs at least 150 characters (it has 89).');
    // 150 characters in few long words: the words check alone fails.
    expect(failing(words(10, 'extraordinarily'))).toEqual(['summaryMinWords']);
    expect(failing('')).toEqual(['summaryPresent', 'summaryMinWords', 'summaryMinChars']);
    expect(evaluateReadiness({ title: 'A book', summary: null }).level).toBe('missing');
  });

  it('counts CJK ideographs as words and code points as characters', () => {
    const cjk = '日本語の本を書く'.repeat(19);
    expect(evaluateReadiness({ title: '本', summary: cjk })).toMatchObject({ ready: true, characters: 152 });
  });
});
