import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, failure, startHarness, type Harness } from './setup.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.emulator.close(); });

const get = async (documentId: string) => (await h.client.documents.get({ documentId })).data;

describe('createParagraphBullets', () => {
  it('sets nesting from leading tabs, removes the tabs and shifts later indexes (named ranges too)', async () => {
    // 'Intro\n' 1..7, '\tA\n' 7..10, '\t\tB\n' 10..14, 'C\n' 14..16, 'Outro\n' 16..22
    const id = h.emulator.createDocument({ paragraphs: ['Intro', '\tA', '\t\tB', 'C', 'Outro'] });
    await batch(h.client, id, [
      { createNamedRange: { name: 'outro', range: { startIndex: 16, endIndex: 21 } } },
      { createParagraphBullets: { range: { startIndex: 7, endIndex: 16 }, bulletPreset: 'NUMBERED_DECIMAL_ALPHA_ROMAN' } },
      // Three tabs went, so 'Outro' now starts at 13.
      { updateParagraphStyle: { range: { startIndex: 13, endIndex: 14 }, paragraphStyle: { namedStyleType: 'HEADING_2' }, fields: 'namedStyleType' } },
    ]);
    const ps = h.emulator.paragraphs(id);
    const listId = ps[1]!.bullet!.listId;
    expect(ps).toEqual([
      { text: 'Intro', namedStyleType: 'NORMAL_TEXT', bullet: null },
      { text: 'A', namedStyleType: 'NORMAL_TEXT', bullet: { listId, nestingLevel: 1 } },
      { text: 'B', namedStyleType: 'NORMAL_TEXT', bullet: { listId, nestingLevel: 2 } },
      { text: 'C', namedStyleType: 'NORMAL_TEXT', bullet: { listId, nestingLevel: 0 } },
      { text: 'Outro', namedStyleType: 'HEADING_2', bullet: null },
    ]);
    expect(h.emulator.namedRanges(id)[0]).toMatchObject({ ranges: [{ startIndex: 13, endIndex: 18 }], text: 'Outro' });
    const d = await get(id);
    const items = d.body!.content!.slice(2, 5).map((el) => el.paragraph!);
    expect(items.map((p) => p.bullet)).toEqual([
      { listId, nestingLevel: 1, textStyle: {} },
      { listId, nestingLevel: 2, textStyle: {} },
      { listId, textStyle: {} }, // nestingLevel 0 is omitted, as in real responses
    ]);
    expect(items[0]!.paragraphStyle!.indentStart).toEqual({ magnitude: 72, unit: 'PT' });
    const levels = d.lists![listId]!.listProperties!.nestingLevels!;
    expect(levels).toHaveLength(9);
    expect(levels.slice(0, 3).map((l) => l.glyphType)).toEqual(['DECIMAL', 'ALPHA', 'ROMAN']);
    expect(d.body!.content!.map((el) => [el.startIndex ?? 0, el.endIndex])).toEqual([[0, 1], [1, 7], [7, 9], [9, 11], [11, 13], [13, 19]]);
  });

  it('joins the list just before when the preset matches, and starts a new list otherwise', async () => {
    // 'One\n' 1..5, 'Two\n' 5..9, 'Three\n' 9..15
    const id = h.emulator.createDocument({ paragraphs: ['One', 'Two', 'Three'] });
    await batch(h.client, id, [
      { createParagraphBullets: { range: { startIndex: 1, endIndex: 2 }, bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE' } },
      { createParagraphBullets: { range: { startIndex: 5, endIndex: 6 }, bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE' } },
      { createParagraphBullets: { range: { startIndex: 9, endIndex: 10 }, bulletPreset: 'NUMBERED_DECIMAL_NESTED' } },
    ]);
    const [one, two, three] = h.emulator.paragraphs(id).map((p) => p.bullet!.listId);
    expect(two).toBe(one);
    expect(three).not.toBe(one);
    const lists = (await get(id)).lists!;
    expect(Object.keys(lists).sort()).toEqual([one, three].sort());
    expect(lists[one!]!.listProperties!.nestingLevels![0]).toMatchObject({ glyphSymbol: '●', glyphFormat: '%0' });
    expect(lists[three!]!.listProperties!.nestingLevels![1]).toMatchObject({ glyphType: 'DECIMAL', glyphFormat: '%0.%1.' });
  });

  it('gives new paragraphs typed after a list item the same bullet, and deleteParagraphBullets removes it', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['First'] });
    await batch(h.client, id, [
      { createParagraphBullets: { range: { startIndex: 1, endIndex: 2 }, bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE' } },
      { insertText: { location: { index: 6 }, text: '\nSecond\nThird' } },
    ]);
    const ps = h.emulator.paragraphs(id);
    expect(new Set(ps.map((p) => p.bullet?.listId)).size).toBe(1);
    await batch(h.client, id, [{ deleteParagraphBullets: { range: { startIndex: 8, endIndex: 20 } } }]);
    expect(h.emulator.paragraphs(id).map((p) => p.bullet !== null)).toEqual([true, false, false]);
    const second = (await get(id)).body!.content![2]!.paragraph!;
    expect(second.bullet).toBeUndefined();
    expect(second.paragraphStyle!.indentStart).toEqual({ magnitude: 36, unit: 'PT' }); // the indent stays, as in Google
  });

  it('refuses an unknown preset', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['x'] });
    const err = await failure(batch(h.client, id, [{ createParagraphBullets: { range: { startIndex: 1, endIndex: 2 }, bulletPreset: 'BULLET_NOPE' } }]));
    expect(err.message).toMatch(/^Invalid requests\[0\]\.createParagraphBullets: /);
  });
});

describe('updateParagraphStyle', () => {
  it('applies to every paragraph the range overlaps, namedStyleType first, per fields', async () => {
    // 'a\n' 1..3, 'b\n' 3..5, 'c\n' 5..7, 'd\n' 7..9
    const id = h.emulator.createDocument({ paragraphs: ['a', 'b', 'c', 'd'] });
    await batch(h.client, id, [
      { updateParagraphStyle: { range: { startIndex: 2, endIndex: 6 }, paragraphStyle: { namedStyleType: 'HEADING_3', alignment: 'CENTER' }, fields: 'namedStyleType,alignment' } },
      { updateParagraphStyle: { range: { startIndex: 3, endIndex: 4 }, paragraphStyle: { alignment: 'END', pageBreakBefore: true }, fields: 'pageBreakBefore' } },
    ]);
    expect(h.emulator.paragraphs(id).map((p) => p.namedStyleType)).toEqual(['HEADING_3', 'HEADING_3', 'HEADING_3', 'NORMAL_TEXT']);
    const styles = (await get(id)).body!.content!.slice(1).map((el) => el.paragraph!.paragraphStyle!);
    expect(styles[0]).toEqual({ headingId: expect.stringMatching(/^h\./), namedStyleType: 'HEADING_3', direction: 'LEFT_TO_RIGHT', alignment: 'CENTER' });
    expect(styles[1]).toMatchObject({ alignment: 'CENTER', pageBreakBefore: true });
    expect(styles[3]).toEqual({ namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' });
    // A field in the mask but absent from the style is cleared; back to NORMAL_TEXT drops the headingId.
    await batch(h.client, id, [{ updateParagraphStyle: { range: { startIndex: 1, endIndex: 2 }, paragraphStyle: { namedStyleType: 'NORMAL_TEXT' }, fields: 'namedStyleType,alignment' } }]);
    expect((await get(id)).body!.content![1]!.paragraph!.paragraphStyle).toEqual({ namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' });
  });

  it('requires fields and valid values', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['a'] });
    const range = { startIndex: 1, endIndex: 2 };
    const noFields = await failure(batch(h.client, id, [{ updateParagraphStyle: { range, paragraphStyle: { namedStyleType: 'HEADING_1' } } }]));
    expect(noFields.message).toBe("Invalid requests[0].updateParagraphStyle: At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)");
    const badValue = await failure(batch(h.client, id, [{ updateParagraphStyle: { range, paragraphStyle: { namedStyleType: 'HEADING_9' }, fields: 'namedStyleType' } }]));
    expect(badValue.status).toBe(400);
    const badField = await failure(batch(h.client, id, [{ updateParagraphStyle: { range, paragraphStyle: {}, fields: 'colour' } }]));
    expect(badField.status).toBe(400);
  });
});

describe('updateTextStyle', () => {
  it('splits runs at the range edges and merges them back when the styles match again', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['Hello brave world'] });
    await batch(h.client, id, [{ updateTextStyle: { range: { startIndex: 7, endIndex: 12 }, textStyle: { bold: true, italic: true }, fields: 'bold' } }]);
    const runs = async () => (await get(id)).body!.content![1]!.paragraph!.elements!.map((e) => [e.startIndex, e.endIndex, e.textRun!.content, e.textRun!.textStyle]);
    expect(await runs()).toEqual([[1, 7, 'Hello ', {}], [7, 12, 'brave', { bold: true }], [12, 19, ' world\n', {}]]);
    expect(h.emulator.text(id)).toBe('Hello brave world\n');
    await batch(h.client, id, [{ updateTextStyle: { range: { startIndex: 1, endIndex: 19 }, textStyle: {}, fields: 'bold' } }]);
    expect(await runs()).toEqual([[1, 19, 'Hello brave world\n', {}]]);
    await batch(h.client, id, [{ updateTextStyle: { range: { startIndex: 1, endIndex: 6 }, textStyle: { link: { url: 'https://example.com' } }, fields: 'link' } }]);
    expect((await runs())[0]).toEqual([1, 6, 'Hello', { link: { url: 'https://example.com' } }]);
  });

  it('styles the bullet of a list item the range covers completely', async () => {
    const id = h.emulator.createDocument({ paragraphs: [{ text: 'Item', bullet: true }] });
    await batch(h.client, id, [{ updateTextStyle: { range: { startIndex: 1, endIndex: 6 }, textStyle: { bold: true }, fields: 'bold' } }]);
    expect((await get(id)).body!.content![1]!.paragraph!.bullet!.textStyle).toEqual({ bold: true });
  });

  it('requires fields', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['a'] });
    const err = await failure(batch(h.client, id, [{ updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: { bold: true } } }]));
    expect(err.message).toMatch(/^Invalid requests\[0\]\.updateTextStyle: At least one field/);
  });
});

describe('replaceAllText', () => {
  it('replaces every match and reports how many', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['cat Cat', 'dog cat'] });
    const res = await batch(h.client, id, [
      { replaceAllText: { containsText: { text: 'cat', matchCase: true }, replaceText: 'lion' } },
      { replaceAllText: { containsText: { text: 'CAT' }, replaceText: 'tiger' } },
      { replaceAllText: { containsText: { text: 'zebra' }, replaceText: 'x' } },
    ]);
    expect(res.replies).toEqual([{ replaceAllText: { occurrencesChanged: 2 } }, { replaceAllText: { occurrencesChanged: 1 } }, { replaceAllText: {} }]);
    expect(h.emulator.text(id)).toBe('lion tiger\ndog lion\n');
  });
});
