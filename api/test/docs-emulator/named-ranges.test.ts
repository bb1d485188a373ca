import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, failure, startHarness, type Harness } from './setup.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.emulator.close(); });

/** 'Intro\n' = 1..7, 'Chapter\n' = 7..15, 'Body\n' = 15..20, 'End\n' = 20..24; named range "ch" = 7..20. */
async function chapterDoc(): Promise<{ id: string; rangeId: string }> {
  const id = h.emulator.createDocument({ paragraphs: ['Intro', { text: 'Chapter', namedStyleType: 'HEADING_1' }, 'Body', 'End'] });
  const res = await batch(h.client, id, [{ createNamedRange: { name: 'ch', range: { startIndex: 7, endIndex: 20 } } }]);
  return { id, rangeId: res.replies![0]!.createNamedRange!.namedRangeId! };
}
const rangeOf = (id: string) => h.emulator.namedRanges(id).map((nr) => nr.ranges);

describe('named ranges', () => {
  it('are returned by documents.get in both forms', async () => {
    const { id, rangeId } = await chapterDoc();
    const legacy = (await h.client.documents.get({ documentId: id })).data;
    const expected = { ch: { name: 'ch', namedRanges: [{ namedRangeId: rangeId, name: 'ch', ranges: [{ startIndex: 7, endIndex: 20, tabId: 't.0' }] }] } };
    expect(legacy.namedRanges).toEqual(expected);
    const tabs = (await h.client.documents.get({ documentId: id, includeTabsContent: true })).data;
    expect(tabs.namedRanges).toBeUndefined();
    expect(tabs.tabs![0]!.documentTab!.namedRanges).toEqual(expected);
    expect(h.emulator.namedRanges(id)).toEqual([{ namedRangeId: rangeId, name: 'ch', ranges: [{ startIndex: 7, endIndex: 20 }], text: 'Chapter\nBody\n' }]);
  });

  it('move with edits before them, grow with inserts inside, and stay put for edits after', async () => {
    const { id } = await chapterDoc();
    await batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'XX' } }]);
    expect(rangeOf(id)).toEqual([[{ startIndex: 9, endIndex: 22 }]]);
    await batch(h.client, id, [{ insertText: { location: { index: 12 }, text: '😀' } }]);
    expect(rangeOf(id)).toEqual([[{ startIndex: 9, endIndex: 24 }]]);
    await batch(h.client, id, [{ insertText: { location: { index: 24 }, text: 'after ' } }]);
    expect(rangeOf(id)).toEqual([[{ startIndex: 9, endIndex: 24 }]]);
    // Text inserted exactly at the start goes before the range.
    await batch(h.client, id, [{ insertText: { location: { index: 9 }, text: '>' } }]);
    expect(rangeOf(id)).toEqual([[{ startIndex: 10, endIndex: 25 }]]);
    expect(h.emulator.namedRanges(id)[0]!.text).toBe('Cha😀pter\nBody\n');
    await batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 1, endIndex: 3 } } }]);
    expect(rangeOf(id)).toEqual([[{ startIndex: 8, endIndex: 23 }]]);
  });

  it('shrink when part of their content is deleted and disappear when all of it is', async () => {
    const { id } = await chapterDoc();
    await batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 4, endIndex: 10 } } }]); // 'ro\nCha' goes
    expect(rangeOf(id)).toEqual([[{ startIndex: 4, endIndex: 14 }]]);
    expect(h.emulator.namedRanges(id)[0]!.text).toBe('pter\nBody\n');
    await batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 16 } } }]);
    expect(h.emulator.namedRanges(id)).toEqual([]);
    expect((await h.client.documents.get({ documentId: id })).data.namedRanges).toBeUndefined();
  });

  it('are deleted by id or by name (every range of that name); an unknown id is a 400, an unknown name a no-op', async () => {
    const { id, rangeId } = await chapterDoc();
    await batch(h.client, id, [
      { createNamedRange: { name: 'dup', range: { startIndex: 1, endIndex: 3 } } },
      { createNamedRange: { name: 'dup', range: { startIndex: 20, endIndex: 22 } } },
    ]);
    expect(h.emulator.namedRanges(id).map((nr) => nr.name)).toEqual(['ch', 'dup', 'dup']);
    await batch(h.client, id, [{ deleteNamedRange: { name: 'dup' } }, { deleteNamedRange: { name: 'nothing-called-this' } }]);
    expect(h.emulator.namedRanges(id).map((nr) => nr.name)).toEqual(['ch']);
    const unknown = await failure(batch(h.client, id, [{ deleteNamedRange: { namedRangeId: 'kix.unknown' } }]));
    expect(unknown.status).toBe(400);
    await batch(h.client, id, [{ deleteNamedRange: { namedRangeId: rangeId } }]);
    expect(h.emulator.namedRanges(id)).toEqual([]);
  });

  it('replaceNamedRangeContent puts plain text in place of the range, which then spans the new text', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['Intro', { text: 'Chapter', namedStyleType: 'HEADING_1' }, 'End'] });
    const res = await batch(h.client, id, [{ createNamedRange: { name: 'title', range: { startIndex: 7, endIndex: 14 } } }]);
    const rangeId = res.replies![0]!.createNamedRange!.namedRangeId!;
    await batch(h.client, id, [{ replaceNamedRangeContent: { namedRangeName: 'title', text: 'Renamed 😀' } }]);
    expect(h.emulator.paragraphs(id).map((p) => [p.text, p.namedStyleType])).toEqual([['Intro', 'NORMAL_TEXT'], ['Renamed 😀', 'HEADING_1'], ['End', 'NORMAL_TEXT']]);
    expect(h.emulator.namedRanges(id)).toEqual([{ namedRangeId: rangeId, name: 'title', ranges: [{ startIndex: 7, endIndex: 17 }], text: 'Renamed 😀' }]);
    await batch(h.client, id, [{ replaceNamedRangeContent: { namedRangeId: rangeId, text: 'Short' } }, { replaceNamedRangeContent: { namedRangeName: 'absent', text: 'x' } }]);
    expect(h.emulator.namedRanges(id)[0]).toMatchObject({ ranges: [{ startIndex: 7, endIndex: 12 }], text: 'Short' });
    const unknown = await failure(batch(h.client, id, [{ replaceNamedRangeContent: { namedRangeId: 'kix.nope', text: 'x' } }]));
    expect(unknown.message).toMatch(/^Invalid requests\[0\]\.replaceNamedRangeContent: /);
  });

  it('supports the rewrite-a-chapter batch: drop the old range, replace the text, style it, name it again', async () => {
    const { id } = await chapterDoc();
    const text = 'Chapter 2\nNew body\n';
    const res = await batch(h.client, id, [
      { deleteNamedRange: { name: 'ch' } },
      { deleteContentRange: { range: { startIndex: 7, endIndex: 20 } } },
      { insertText: { location: { index: 7 }, text } },
      { updateParagraphStyle: { range: { startIndex: 7, endIndex: 17 }, paragraphStyle: { namedStyleType: 'HEADING_1' }, fields: 'namedStyleType' } },
      { updateParagraphStyle: { range: { startIndex: 17, endIndex: 26 }, paragraphStyle: { namedStyleType: 'NORMAL_TEXT' }, fields: 'namedStyleType' } },
      { createNamedRange: { name: 'ch', range: { startIndex: 7, endIndex: 7 + text.length } } },
    ]);
    expect(h.emulator.paragraphs(id).map((p) => [p.text, p.namedStyleType])).toEqual([
      ['Intro', 'NORMAL_TEXT'], ['Chapter 2', 'HEADING_1'], ['New body', 'NORMAL_TEXT'], ['End', 'NORMAL_TEXT'],
    ]);
    expect(h.emulator.namedRanges(id)).toEqual([{ namedRangeId: res.replies![5]!.createNamedRange!.namedRangeId, name: 'ch', ranges: [{ startIndex: 7, endIndex: 26 }], text }]);
  });

  it('validates names and ranges', async () => {
    const { id } = await chapterDoc();
    for (const request of [
      { createNamedRange: { name: '', range: { startIndex: 1, endIndex: 2 } } },
      { createNamedRange: { name: 'x'.repeat(257), range: { startIndex: 1, endIndex: 2 } } },
      { createNamedRange: { name: 'x', range: { startIndex: 5, endIndex: 99 } } },
      { createNamedRange: { name: 'x', range: { startIndex: 5, endIndex: 5 } } },
    ]) {
      const err = await failure(batch(h.client, id, [request]));
      expect(err.message).toMatch(/^Invalid requests\[0\]\.createNamedRange: /);
    }
  });
});
