import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { docs_v1 } from '@googleapis/docs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, failure, FIXTURES, startHarness, type Harness } from './setup.js';

type Json = Record<string, unknown>;
let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.emulator.close(); });

const load = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Json;
const get = async (documentId: string, includeTabsContent = false) => (await h.client.documents.get({ documentId, includeTabsContent })).data;

/** Every textRun's content in document order, tables included: the fixture's own text. */
function ownText(value: unknown): string {
  if (Array.isArray(value)) return value.map(ownText).join('');
  if (!value || typeof value !== 'object') return '';
  const obj = value as Json;
  if (obj.textRun) return String((obj.textRun as Json).content ?? '');
  return Object.values(obj).map(ownText).join('');
}

/** [content, textStyle] of every run, cut after each "\n" so hand-joined runs compare with split ones. */
const runs = (body: unknown): [string, unknown][] =>
  ((body as docs_v1.Schema$Body).content ?? []).flatMap((el) => (el.paragraph?.elements ?? []).flatMap((e) =>
    e.textRun ? e.textRun.content!.split(/(?<=\n)/).map((piece): [string, unknown] => [piece, e.textRun!.textStyle]) : []));

/** Checks the body's indexes chain: each element starts where the previous ended, and runs fill their paragraph. */
function expectConsistentIndexes(body: docs_v1.Schema$Body): void {
  let pos = 0;
  for (const el of body.content ?? []) {
    expect(el.startIndex ?? 0).toBe(pos);
    let inner = el.startIndex ?? 0;
    for (const e of el.paragraph?.elements ?? []) {
      expect(e.startIndex ?? 0).toBe(inner);
      inner = e.endIndex!;
      if (e.textRun) expect(e.endIndex! - (e.startIndex ?? 0)).toBe(e.textRun.content!.length);
    }
    if (el.paragraph) {
      expect(inner).toBe(el.endIndex);
      expect(el.paragraph.elements!.at(-1)!.textRun!.content!.endsWith('\n')).toBe(true);
    }
    pos = el.endIndex!;
  }
}

describe('seeding from the real documents.get fixtures', () => {
  for (const name of ['lists.json', 'quotes.json', 'special-chars.json']) {
    it(`${name}: get returns what was seeded, in the legacy and the tabs form`, async () => {
      const fixture = load(name);
      const id = h.emulator.seedFromFixture(path.join(FIXTURES, name), { documentId: `seed-${name}` });
      const legacy = await get(id);
      expect(legacy.body).toEqual(fixture.body);
      for (const key of ['title', 'lists', 'headers', 'footers', 'documentStyle', 'namedStyles', 'inlineObjects']) {
        expect((legacy as Json)[key], key).toEqual(fixture[key]);
      }
      if (fixture.revisionId) expect(legacy.revisionId).toBe(fixture.revisionId);
      const tabs = await get(id, true);
      expect(tabs.tabs![0]!.documentTab!.body).toEqual(fixture.body);
      expect(tabs.tabs![0]!.tabProperties).toEqual({ tabId: 't.0', title: 'Tab 1' });
      expect(h.emulator.text(id)).toBe(ownText(fixture.body));
      expectConsistentIndexes(legacy.body!);
    });
  }

  it('texts.json: a hand-edited paragraph holding several "\\n" becomes real paragraphs, indexes are recomputed, text and styles kept', async () => {
    const fixture = load('texts.json');
    const id = h.emulator.seedFromFixture(fixture);
    expect(id).toBe(fixture.documentId);
    const d = await get(id);
    expect(h.emulator.text(id)).toBe(ownText(fixture.body));
    expect(runs(d.body)).toEqual(runs(fixture.body));
    expectConsistentIndexes(d.body!);
    const fixtureParagraphs = (fixture.body as docs_v1.Schema$Body).content!.filter((el) => el.paragraph).length;
    expect(d.body!.content!.filter((el) => el.paragraph).length).toBe(fixtureParagraphs + 3); // "Text Colored\nred\ngreen\nblue\n"
    const ps = h.emulator.paragraphs(id);
    expect(ps.slice(0, 8).map((p) => p.namedStyleType)).toEqual(['HEADING_1', 'HEADING_2', 'HEADING_3', 'HEADING_4', 'HEADING_5', 'HEADING_6', 'TITLE', 'SUBTITLE']);
    expect(ps.find((p) => p.text.startsWith('vertical'))!.text).toBe('vertical\u000bindent');
    expect(d.body!.content![1]!.paragraph!.paragraphStyle).toEqual((fixture.body as docs_v1.Schema$Body).content![1]!.paragraph!.paragraphStyle);
  });

  it('lists.json: paragraphs keep bullets and nesting; new items join the list; deleting the inline image shifts by one', async () => {
    const id = h.emulator.seedFromFixture(path.join(FIXTURES, 'lists.json'), { documentId: 'lists-edit' });
    const ps = h.emulator.paragraphs(id);
    expect(ps.slice(1, 4)).toEqual([
      { text: 'List item 1', namedStyleType: 'NORMAL_TEXT', bullet: { listId: 'kix.p8lx61nj7i0o', nestingLevel: 0 } },
      { text: 'Sublist item 1', namedStyleType: 'NORMAL_TEXT', bullet: { listId: 'kix.p8lx61nj7i0o', nestingLevel: 1 } },
      { text: 'Sublist item 2', namedStyleType: 'NORMAL_TEXT', bullet: { listId: 'kix.p8lx61nj7i0o', nestingLevel: 1 } },
    ]);
    expect(ps[9]!.text).toBe('Sub sub list item 2 with image'); // the image (144..145) is not text
    await batch(h.client, id, [
      { insertText: { location: { index: 206 }, text: '\nList item 6' } }, // 'List item 5\n' = 195..207
      { deleteContentRange: { range: { startIndex: 144, endIndex: 145 } } },
    ]);
    const after = h.emulator.paragraphs(id);
    expect(after.at(-1)).toEqual({ text: 'List item 6', namedStyleType: 'NORMAL_TEXT', bullet: { listId: 'kix.p8lx61nj7i0o', nestingLevel: 0 } });
    const d = await get(id);
    expectConsistentIndexes(d.body!);
    expect(d.body!.content!.at(-1)).toMatchObject({ startIndex: 206, endIndex: 218 });
    expect(d.body!.content![9]!.paragraph!.elements!.some((e) => e.inlineObjectElement)).toBe(false);
  });

  it('quotes.json: the table moves with edits before it; edits at or inside it are refused', async () => {
    const id = h.emulator.seedFromFixture(path.join(FIXTURES, 'quotes.json'), { documentId: 'quotes-edit' });
    expect(h.emulator.paragraphs(id)[1]!.text).toBe('“The way to get started is to quit talking and begin doing.”');
    for (const request of [
      { insertText: { location: { index: 2 }, text: 'x' } }, // the table's start index
      { deleteContentRange: { range: { startIndex: 1, endIndex: 5 } } }, // part of the table
      { deleteContentRange: { range: { startIndex: 1, endIndex: 2 } } }, // the newline before the table
    ]) {
      expect((await failure(batch(h.client, id, [request]))).status).toBe(400);
    }
    await batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'Before' } }]);
    const table = (await get(id)).body!.content![2]!;
    expect([table.startIndex, table.endIndex]).toEqual([8, 73]);
    const cellParagraph = table.table!.tableRows![0]!.tableCells![0]!.content![0]!;
    expect([cellParagraph.startIndex, cellParagraph.endIndex]).toEqual([11, 72]);
    expect(h.emulator.text(id)).toBe(`Before\n${ownText(load('quotes.json').body).slice(1)}`);
  });

  it('special-chars.json: narrow no-break spaces are one index each', async () => {
    const id = h.emulator.seedFromFixture(path.join(FIXTURES, 'special-chars.json'), { documentId: 'special-edit' });
    expect(h.emulator.text(id)).toBe('19980006564\u202f-\u202f0081\n');
    await batch(h.client, id, [
      { deleteContentRange: { range: { startIndex: 14, endIndex: 15 } } },
      { deleteContentRange: { range: { startIndex: 12, endIndex: 13 } } },
    ]);
    expect(h.emulator.text(id)).toBe('19980006564-0081\n');
  });

  it('re-seeding an id replaces the document', async () => {
    const first = h.emulator.seedFromFixture(load('special-chars.json'), { documentId: 'same' });
    h.emulator.seedFromFixture(load('quotes.json'), { documentId: 'same' });
    expect(first).toBe('same');
    expect((await get('same')).title).toBe('Quotes');
  });
});
