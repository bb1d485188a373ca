import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { docs_v1 } from '@googleapis/docs';
import { batch, failure, startHarness, type Harness } from './setup.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.emulator.close(); });

const get = async (documentId: string) => (await h.client.documents.get({ documentId })).data;
/** [startIndex, endIndex] of every body element, as the API reports them (startIndex absent = 0). */
const spans = (d: docs_v1.Schema$Document) => d.body!.content!.map((el) => [el.startIndex ?? 0, el.endIndex]);

describe('UTF-16 indexes', () => {
  const paragraphs = ['a😀b', '中文𠀀', 'e\u0301x', '19980006564\u202f-\u202f0081'];

  it('counts emoji and astral CJK as two units, BMP CJK, combining marks and U+202F as one', async () => {
    const id = h.emulator.createDocument({ paragraphs });
    const d = await get(id);
    expect(d.body!.content![0]).toEqual({ endIndex: 1, sectionBreak: expect.any(Object) });
    expect('startIndex' in d.body!.content![0]!).toBe(false);
    expect(spans(d)).toEqual([[0, 1], [1, 6], [6, 11], [11, 15], [15, 34]]);
    const runs = d.body!.content!.slice(1).map((el) => el.paragraph!.elements![0]!.textRun!.content);
    expect(runs).toEqual(paragraphs.map((p) => `${p}\n`));
    expect(h.emulator.text(id)).toBe(paragraphs.map((p) => `${p}\n`).join(''));
  });

  it('inserts next to an emoji but refuses an index inside its surrogate pair or a grapheme cluster', async () => {
    const id = h.emulator.createDocument({ paragraphs });
    await batch(h.client, id, [{ insertText: { location: { index: 2 }, text: 'X' } }, { insertText: { location: { index: 5 }, text: 'Y' } }]);
    expect(h.emulator.paragraphs(id)[0]!.text).toBe('aX😀Yb');
    const inPair = await failure(batch(h.client, id, [{ insertText: { location: { index: 4 }, text: '!' } }]));
    expect(inPair.status).toBe(400);
    expect(inPair.message).toBe('Invalid requests[0].insertText: The insertion index cannot be within a grapheme cluster.');
    // 'e\u0301x' starts at 13 now: 13 is 'e', 14 the combining acute accent.
    const inCluster = await failure(batch(h.client, id, [{ insertText: { location: { index: 14 }, text: '!' } }]));
    expect(inCluster.message).toContain('grapheme cluster');
    await batch(h.client, id, [{ insertText: { location: { index: 15 }, text: '!' } }]);
    expect(h.emulator.paragraphs(id)[2]!.text).toBe('e\u0301!x');
  });

  it('refuses to delete half of a surrogate pair and deletes the whole pair', async () => {
    const id = h.emulator.createDocument({ paragraphs });
    for (const range of [{ startIndex: 2, endIndex: 3 }, { startIndex: 3, endIndex: 4 }, { startIndex: 9, endIndex: 10 }]) {
      const err = await failure(batch(h.client, id, [{ deleteContentRange: { range } }]));
      expect(err.status).toBe(400);
      expect(err.message).toMatch(/^Invalid requests\[0\]\.deleteContentRange: .*surrogate pair/);
    }
    await batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 8, endIndex: 10 } } }, { deleteContentRange: { range: { startIndex: 2, endIndex: 4 } } }]);
    expect(h.emulator.paragraphs(id).map((p) => p.text).slice(0, 2)).toEqual(['ab', '中文']);
    expect(spans(await get(id)).slice(1, 3)).toEqual([[1, 4], [4, 7]]);
  });

  it('deletes a combining mark and narrow no-break spaces by their own indexes', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['e\u0301', '1\u202f-\u202f2'] });
    // 'e\u0301\n' = 1..4, '1\u202f-\u202f2\n' = 4..10
    await batch(h.client, id, [
      { deleteContentRange: { range: { startIndex: 7, endIndex: 8 } } },
      { deleteContentRange: { range: { startIndex: 5, endIndex: 6 } } },
      { deleteContentRange: { range: { startIndex: 2, endIndex: 3 } } },
    ]);
    expect(h.emulator.text(id)).toBe('e\n1-2\n');
  });

  it('strips control and private-use characters like Google (tab, newline and vertical tab stay)', async () => {
    const id = h.emulator.createDocument({});
    const text = 'a\u0000b\u0008c\u000cd\u001fe\ue000\uf8ff\u000bf\tg\r\nh';
    await batch(h.client, id, [{ insertText: { location: { index: 1 }, text } }]);
    expect(h.emulator.text(id)).toBe('abcde\u000bf\tg\nh\n');
    expect(spans(await get(id))).toEqual([[0, 1], [1, 11], [11, 13]]);
  });
});

describe('the segment end and paragraph bounds', () => {
  it("refuses a range that includes the body's final newline, and out-of-bounds indexes", async () => {
    const id = h.emulator.createDocument({ paragraphs: ['Hello'] }); // 'Hello\n' = 1..7
    const finalNewline = await failure(batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 1, endIndex: 7 } } }]));
    expect(finalNewline).toMatchObject({ status: 400, message: 'Invalid requests[0].deleteContentRange: The range cannot include the newline character at the end of the segment.' });
    expect(finalNewline.body).toEqual({ error: { code: 400, message: finalNewline.message, status: 'INVALID_ARGUMENT' } });
    const past = await failure(batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 3, endIndex: 9 } } }]));
    expect(past.message).toMatch(/must be less than the end index of the referenced segment, 7\.$/);
    const insertPast = await failure(batch(h.client, id, [{ insertText: { location: { index: 7 }, text: 'x' } }]));
    expect(insertPast.message).toBe('Invalid requests[0].insertText: Index 7 must be less than the end index of the referenced segment, 7.');
    const atZero = await failure(batch(h.client, id, [{ insertText: { location: { index: 0 }, text: 'x' } }]));
    expect(atZero.message).toContain('The insertion index must be inside the bounds of an existing paragraph.');
    const empty = await failure(batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 2, endIndex: 2 } } }]));
    expect(empty.message).toBe('Invalid requests[0].deleteContentRange: The range should not be empty.');
    const sectionBreak = await failure(batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 0, endIndex: 2 } } }]));
    expect(sectionBreak.status).toBe(400);
    await batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 1, endIndex: 6 } } }]);
    expect(h.emulator.text(id)).toBe('\n');
    expect(spans(await get(id))).toEqual([[0, 1], [1, 2]]);
  });

  it('appends before the final newline with endOfSegmentLocation', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['One'] });
    await batch(h.client, id, [{ insertText: { endOfSegmentLocation: {}, text: '\nTwo' } }, { insertText: { endOfSegmentLocation: { tabId: 't.0' }, text: '!' } }]);
    expect(h.emulator.paragraphs(id).map((p) => p.text)).toEqual(['One', 'Two!']);
  });
});

describe('paragraph splits and merges', () => {
  it('gives paragraphs made by "\\n" the style and bullet of the paragraph at the insertion point', async () => {
    const id = h.emulator.createDocument({ paragraphs: [{ text: 'Chapter', namedStyleType: 'HEADING_1' }, { text: 'Item one', bullet: true }, 'Plain'] });
    // 'Chapter\n' = 1..9, 'Item one\n' = 9..18
    await batch(h.client, id, [
      { insertText: { location: { index: 17 }, text: '\nItem two' } },
      { insertText: { location: { index: 1 }, text: 'Intro\n' } },
    ]);
    const ps = h.emulator.paragraphs(id);
    expect(ps.map((p) => [p.text, p.namedStyleType])).toEqual([
      ['Intro', 'HEADING_1'], ['Chapter', 'HEADING_1'], ['Item one', 'NORMAL_TEXT'], ['Item two', 'NORMAL_TEXT'], ['Plain', 'NORMAL_TEXT'],
    ]);
    expect(ps[2]!.bullet).toEqual({ listId: expect.stringMatching(/^kix\./), nestingLevel: 0 });
    expect(ps[3]!.bullet).toEqual(ps[2]!.bullet);
    expect(ps[4]!.bullet).toBeNull();
    const d = await get(id);
    const headingIds = d.body!.content!.slice(1, 3).map((el) => el.paragraph!.paragraphStyle!.headingId);
    expect(headingIds[0]).toMatch(/^h\./);
    expect(headingIds[1]).toMatch(/^h\./);
    expect(headingIds[0]).not.toBe(headingIds[1]);
  });

  it('merges paragraphs when a newline is deleted; the merged paragraph keeps the style of the surviving newline', async () => {
    const id = h.emulator.createDocument({ paragraphs: [{ text: 'Hello', namedStyleType: 'HEADING_2' }, 'World', 'Rest'] });
    // 'Hello\n' = 1..7, 'World\n' = 7..13, 'Rest\n' = 13..18
    await batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 6, endIndex: 7 } } }]);
    expect(h.emulator.paragraphs(id)).toEqual([
      { text: 'HelloWorld', namedStyleType: 'NORMAL_TEXT', bullet: null },
      { text: 'Rest', namedStyleType: 'NORMAL_TEXT', bullet: null },
    ]);
    await batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 3, endIndex: 14 } } }]);
    expect(h.emulator.text(id)).toBe('Hest\n');
    expect(spans(await get(id))).toEqual([[0, 1], [1, 6]]);
  });

  it('deletes whole paragraphs without touching their neighbours', async () => {
    const id = h.emulator.createDocument({ paragraphs: [{ text: 'Keep', namedStyleType: 'HEADING_1' }, { text: 'Gone', namedStyleType: 'HEADING_2' }, 'Body', 'End'] });
    // 'Keep\n' = 1..6, 'Gone\n' = 6..11, 'Body\n' = 11..16
    await batch(h.client, id, [{ deleteContentRange: { range: { startIndex: 6, endIndex: 16 } } }]);
    expect(h.emulator.paragraphs(id).map((p) => [p.text, p.namedStyleType])).toEqual([['Keep', 'HEADING_1'], ['End', 'NORMAL_TEXT']]);
  });

  it('inserts text styled like the text before it', async () => {
    const id = h.emulator.createDocument({ paragraphs: [{ text: 'Bold', textStyle: { bold: true } }] });
    await batch(h.client, id, [{ insertText: { location: { index: 5 }, text: ' more' } }]);
    const run = (await get(id)).body!.content![1]!.paragraph!.elements!;
    expect(run).toEqual([{ startIndex: 1, endIndex: 11, textRun: { content: 'Bold more\n', textStyle: { bold: true } } }]);
  });

  it('inserts a page break followed by a newline', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['AB'] });
    await batch(h.client, id, [{ insertPageBreak: { location: { index: 2 } } }]);
    const d = await get(id);
    expect(d.body!.content![1]!.paragraph!.elements).toEqual([
      { startIndex: 1, endIndex: 2, textRun: { content: 'A', textStyle: {} } },
      { startIndex: 2, endIndex: 3, pageBreak: { textStyle: {} } },
      { startIndex: 3, endIndex: 4, textRun: { content: '\n', textStyle: {} } },
    ]);
    expect(spans(d)).toEqual([[0, 1], [1, 4], [4, 6]]);
    expect(h.emulator.text(id)).toBe('A\nB\n');
  });
});
