// Random inserts and deletes checked against a plain string: the emulator's text, its paragraphs,
// its index chain and a named range must always agree with the string model.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocsEmulator } from '../support/docs-emulator/index.js';

let emulator: DocsEmulator;
beforeAll(() => { emulator = new DocsEmulator(); });
afterAll(() => { emulator.reset(); });

type Op = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; span: number };
const piece = fc.constantFrom('a', 'b', ' ', '😀', '中', '\n', '\u202f', '\t');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }), text: fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join('')) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }), span: fc.integer({ min: 1, max: 8 }) }),
);

const isLow = (s: string, i: number) => { const c = s.charCodeAt(i); return c >= 0xdc00 && c <= 0xdfff; };
/** Moves an offset off the middle of a surrogate pair. */
const snap = (s: string, i: number) => (i > 0 && i < s.length && isLow(s, i) ? i + 1 : i);

describe('the model against a string', () => {
  it('keeps text, paragraphs, indexes and a named range in step through random edits', () => {
    fc.assert(fc.property(fc.array(fc.array(piece, { maxLength: 5 }).map((p) => p.join('').replace(/\n/g, '')), { minLength: 1, maxLength: 5 }), fc.array(opArb, { maxLength: 25 }), (paragraphs, ops) => {
      const id = emulator.createDocument({ paragraphs });
      let text = paragraphs.map((p) => `${p}\n`).join(''); // body text; doc index = offset + 1
      let range: [number, number] | null = text.length > 1 ? [0, text.length - 1] : null;
      if (range) emulator.editAsAuthor(id, [{ createNamedRange: { name: 'r', range: { startIndex: 1, endIndex: range[1] + 1 } } }]);
      for (const op of ops) {
        if (op.kind === 'insert') {
          const at = snap(text, Math.floor(op.at * text.length)); // offsets 0..length-1: before the final newline at most
          if (at >= text.length) continue;
          emulator.editAsAuthor(id, [{ insertText: { location: { index: at + 1 }, text: op.text } }]);
          text = text.slice(0, at) + op.text + text.slice(at);
          if (range) range = at <= range[0] ? [range[0] + op.text.length, range[1] + op.text.length] : at < range[1] ? [range[0], range[1] + op.text.length] : range;
        } else {
          const last = text.length - 1; // the final newline stays
          if (last < 1) continue;
          const start = snap(text, Math.floor(op.at * last));
          const end = snap(text, Math.min(last, start + op.span));
          if (end <= start || end > last) continue;
          emulator.editAsAuthor(id, [{ deleteContentRange: { range: { startIndex: start + 1, endIndex: end + 1 } } }]);
          text = text.slice(0, start) + text.slice(end);
          const map = (x: number) => (x <= start ? x : x <= end ? start : x - (end - start));
          if (range) { range = [map(range[0]), map(range[1])]; if (range[1] <= range[0]) range = null; }
        }
      }
      expect(emulator.text(id)).toBe(text);
      expect(emulator.paragraphs(id).map((p) => p.text)).toEqual(text.split('\n').slice(0, -1));
      const body = emulator.getDocument(id).body as { content: { startIndex?: number; endIndex: number; paragraph?: { elements: { startIndex?: number; endIndex: number; textRun?: { content: string } }[] } }[] };
      let pos = 0;
      for (const el of body.content) {
        expect(el.startIndex ?? 0).toBe(pos);
        for (const e of el.paragraph?.elements ?? []) {
          expect(e.startIndex ?? 0).toBe(pos);
          expect(e.textRun!.content.length).toBe(e.endIndex - pos);
          expect(e.textRun!.content.slice(0, -1)).not.toContain('\n');
          pos = e.endIndex;
        }
        pos = el.endIndex;
      }
      expect(pos).toBe(text.length + 1);
      const named = emulator.namedRanges(id);
      if (range) expect(named).toMatchObject([{ ranges: [{ startIndex: range[0] + 1, endIndex: range[1] + 1 }], text: text.slice(range[0], range[1]) }]);
      else expect(named).toEqual([]);
      emulator.deleteDocument(id);
    }), { numRuns: 300 });
  });

  it('handles a whole book in one batch quickly', () => {
    const id = emulator.createDocument({});
    const requests: Record<string, unknown>[] = [];
    let index = 1;
    for (let c = 0; c < 30; c++) {
      const heading = `Chapter ${c + 1}\n`;
      requests.push({ insertText: { location: { index }, text: heading } });
      requests.push({ updateParagraphStyle: { range: { startIndex: index, endIndex: index + heading.length }, paragraphStyle: { namedStyleType: 'HEADING_1' }, fields: 'namedStyleType' } });
      const start = index;
      index += heading.length;
      for (let p = 0; p < 40; p++) {
        const para = `Paragraph ${p} of chapter ${c + 1}, with an emoji 😀 and some words to make it longer.\n`;
        requests.push({ insertText: { location: { index }, text: para } });
        requests.push({ updateParagraphStyle: { range: { startIndex: index, endIndex: index + para.length }, paragraphStyle: { namedStyleType: 'NORMAL_TEXT' }, fields: 'namedStyleType' } });
        index += para.length;
      }
      requests.push({ createNamedRange: { name: `ch${c}`, range: { startIndex: start, endIndex: index } } });
    }
    const started = Date.now();
    emulator.editAsAuthor(id, requests);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(emulator.paragraphs(id).filter((p) => p.namedStyleType === 'HEADING_1')).toHaveLength(30);
    expect(emulator.namedRanges(id)[29]!.text.startsWith('Chapter 30\n')).toBe(true);
  });
});
