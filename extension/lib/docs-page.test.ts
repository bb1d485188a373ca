import { describe, expect, it } from 'vitest';
import { docsPageFromUrl, docTitleFromTabTitle, documentContextOfTab, panelPath, parsePanelQuery } from './docs-page.js';

describe('docsPageFromUrl', () => {
  it('finds the document id and Docs tab of editor URLs', () => {
    expect(docsPageFromUrl('https://docs.google.com/document/d/1AbC-d_9/edit')).toEqual({ documentId: '1AbC-d_9', tabId: null });
    expect(docsPageFromUrl('https://docs.google.com/document/d/1AbC-d_9/edit?tab=t.0#heading=h.x1')).toEqual({ documentId: '1AbC-d_9', tabId: 't.0' });
    expect(docsPageFromUrl('https://docs.google.com/document/u/1/d/1AbC-d_9/edit?tab=t.k2')).toEqual({ documentId: '1AbC-d_9', tabId: 't.k2' });
    expect(docsPageFromUrl('https://docs.google.com/document/d/1AbC-d_9')).toEqual({ documentId: '1AbC-d_9', tabId: null });
  });

  it('refuses everything else', () => {
    for (const url of [
      'https://docs.google.com/document/d/e/2PACX-1vQ/pub', // a published copy, not the document
      'https://docs.google.com/spreadsheets/d/1AbC/edit',
      'https://docs.google.com/document/',
      'http://docs.google.com/document/d/1AbC/edit',
      'https://docs.google.com.evil.example/document/d/1AbC/edit',
      'https://evil.example/https://docs.google.com/document/d/1AbC/edit',
      'chrome://newtab/',
      'not a url',
      '',
      undefined,
    ]) {
      expect(docsPageFromUrl(url), String(url)).toBeNull();
    }
    expect(docsPageFromUrl('https://docs.google.com/document/d/1AbC/edit?tab=javascript:x')).toEqual({ documentId: '1AbC', tabId: null });
  });
});

describe('titles', () => {
  it('drops the " - Google Docs" suffix', () => {
    expect(docTitleFromTabTitle('The Calm One-to-One - Google Docs')).toBe('The Calm One-to-One');
    expect(docTitleFromTabTitle('Notes – Google Docs')).toBe('Notes');
    expect(docTitleFromTabTitle('Google Docs')).toBe('Google Docs');
    expect(docTitleFromTabTitle(undefined)).toBe('');
  });

  it('gives no title while the tab still shows its URL as its title', () => {
    const url = 'https://docs.google.com/document/d/doc-1/edit';
    expect(documentContextOfTab({ url, title: url })).toEqual({ documentId: 'doc-1', title: '', tabId: null });
    expect(documentContextOfTab({ url, title: 'Draft - Google Docs' })).toEqual({ documentId: 'doc-1', title: 'Draft', tabId: null });
    expect(documentContextOfTab({ pendingUrl: url })).toEqual({ documentId: 'doc-1', title: '', tabId: null });
    expect(documentContextOfTab({ url: 'https://example.com/', title: 'Draft - Google Docs' })).toBeNull();
  });
});

describe('panel paths', () => {
  it('round-trips what the background pins, with titles in any script', () => {
    const query = { documentId: 'doc-1', title: 'Über & <b>Ünïcode</b> 书 ?#', tabId: 't.0', browserTabId: 42 };
    const path = panelPath(query);
    expect(path.startsWith('sidepanel.html?documentId=doc-1&title=')).toBe(true);
    expect(parsePanelQuery(path)).toEqual(query);
    expect(parsePanelQuery(`?${path.split('?')[1]}`)).toEqual(query);
  });

  it('accepts the plain form tests and people use, and refuses a missing or odd id', () => {
    expect(parsePanelQuery('?documentId=doc-1&title=My%20book')).toEqual({ documentId: 'doc-1', title: 'My book', tabId: null, browserTabId: null });
    expect(parsePanelQuery('?documentId=doc-1')).toEqual({ documentId: 'doc-1', title: '', tabId: null, browserTabId: null });
    expect(parsePanelQuery('?documentId=doc-1&browserTabId=-3&tabId=nope')).toMatchObject({ browserTabId: null, tabId: null });
    expect(parsePanelQuery('')).toBeNull();
    expect(parsePanelQuery('?documentId=../../x')).toBeNull();
  });
});
