import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, failure, startHarness, type Harness } from './setup.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.emulator.close(); });

function threeTabs(): string {
  return h.emulator.createDocument({
    title: 'Book',
    tabs: [
      { tabId: 't.0', title: 'Manuscript', paragraphs: [{ text: 'Chapter 1', namedStyleType: 'HEADING_1' }, 'Text'] },
      { tabId: 't.notes', title: 'Notes', paragraphs: ['Note'], childTabs: [{ tabId: 't.sub', title: 'Sub', iconEmoji: '📝', paragraphs: ['Deep'] }] },
    ],
  });
}

describe('tabs', () => {
  it('returns tabs[] with includeTabsContent=true and the first tab as the legacy body otherwise', async () => {
    const id = threeTabs();
    const withTabs = (await h.client.documents.get({ documentId: id, includeTabsContent: true })).data;
    expect(withTabs.body).toBeUndefined();
    expect(withTabs.tabs!.map((t) => t.tabProperties)).toEqual([
      { tabId: 't.0', title: 'Manuscript' }, // index 0 is omitted (proto3)
      { tabId: 't.notes', title: 'Notes', index: 1 },
    ]);
    expect(withTabs.tabs![1]!.childTabs!.map((t) => t.tabProperties)).toEqual([
      { tabId: 't.sub', title: 'Sub', parentTabId: 't.notes', nestingLevel: 1, iconEmoji: '📝' },
    ]);
    const firstBody = withTabs.tabs![0]!.documentTab!.body;
    const legacy = (await h.client.documents.get({ documentId: id, includeTabsContent: false })).data;
    expect(legacy.tabs).toBeUndefined();
    expect(legacy.body).toEqual(firstBody);
    expect(legacy.title).toBe('Book');
    expect(h.emulator.tabIds(id)).toEqual(['t.0', 't.notes', 't.sub']);
  });

  it('keeps an index space per tab and honours tabId in locations and ranges (default: first tab)', async () => {
    const id = threeTabs();
    await batch(h.client, id, [
      { insertText: { location: { index: 1, tabId: 't.notes' }, text: 'My ' } },
      { insertText: { endOfSegmentLocation: { tabId: 't.sub' }, text: 'er' } },
      { insertText: { location: { index: 1 }, text: '# ' } },
      { deleteContentRange: { range: { startIndex: 1, endIndex: 4, tabId: 't.notes' } } },
      { updateParagraphStyle: { range: { startIndex: 1, endIndex: 2, tabId: 't.sub' }, paragraphStyle: { namedStyleType: 'HEADING_2' }, fields: 'namedStyleType' } },
      { createNamedRange: { name: 'n', range: { startIndex: 1, endIndex: 3, tabId: 't.notes' } } },
    ]);
    expect(h.emulator.text(id)).toBe('# Chapter 1\nText\n');
    expect(h.emulator.text(id, 't.notes')).toBe('Note\n');
    expect(h.emulator.paragraphs(id, 't.sub')).toEqual([{ text: 'Deeper', namedStyleType: 'HEADING_2', bullet: null }]);
    expect(h.emulator.namedRanges(id, 't.notes')).toMatchObject([{ name: 'n', text: 'No' }]);
    expect(h.emulator.namedRanges(id)).toEqual([]);
    const tabs = (await h.client.documents.get({ documentId: id, includeTabsContent: true })).data.tabs!;
    expect(tabs[1]!.documentTab!.namedRanges!.n!.namedRanges![0]!.ranges).toEqual([{ startIndex: 1, endIndex: 3, tabId: 't.notes' }]);
  });

  it('deletes named ranges by name in every tab unless tabsCriteria narrows it', async () => {
    const id = threeTabs();
    await batch(h.client, id, [
      { createNamedRange: { name: 'x', range: { startIndex: 1, endIndex: 2 } } },
      { createNamedRange: { name: 'x', range: { startIndex: 1, endIndex: 2, tabId: 't.notes' } } },
      { createNamedRange: { name: 'x', range: { startIndex: 1, endIndex: 2, tabId: 't.sub' } } },
    ]);
    await batch(h.client, id, [{ deleteNamedRange: { name: 'x', tabsCriteria: { tabIds: ['t.notes'] } } }]);
    expect([h.emulator.namedRanges(id).length, h.emulator.namedRanges(id, 't.notes').length, h.emulator.namedRanges(id, 't.sub').length]).toEqual([1, 0, 1]);
    await batch(h.client, id, [{ deleteNamedRange: { name: 'x' } }]);
    expect(h.emulator.namedRanges(id, 't.sub')).toEqual([]);
  });

  it('refuses an unknown tab', async () => {
    const id = threeTabs();
    const err = await failure(batch(h.client, id, [{ insertText: { location: { index: 1, tabId: 't.missing' }, text: 'x' } }]));
    expect(err).toMatchObject({ status: 400, message: "Invalid requests[0].insertText: The tab with ID 't.missing' was not found." });
  });
});
