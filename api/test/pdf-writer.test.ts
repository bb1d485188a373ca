import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../shared/blocks.js';
import type { ExportBook } from '../src/export/export-book.js';
import { writePdf } from '../src/export/pdf-writer.js';
import { MULTILINGUAL } from './helpers/export-fixtures.js';

/** Paragraphs in several scripts (each written as runs of several fonts), enough of them to cross page breaks. */
function multiScriptParagraphs(count: number): Block[] {
  return Array.from({ length: count }, (_, n) => ({
    type: 'paragraph' as const,
    text: `Paragraph ${n} opens in English and goes on for a while, so that lines wrap. ${MULTILINGUAL.chinese}, ${MULTILINGUAL.japanese} and ${MULTILINGUAL.cyrillic}: ${MULTILINGUAL.emoji}. It ends with marker-${n}.`,
    sources: [],
    unsupported: false,
  }));
}

describe('PDF writer: paragraphs of several fonts across page breaks', () => {
  it('keeps every word, leaves no blank page and numbers each page once, at its foot', { timeout: 60_000 }, async () => {
    const paragraphs = multiScriptParagraphs(120);
    const book: ExportBook = {
      id: 'book-1', title: 'Breaks', subtitle: null, author: null, language: 'en', exportedAt: new Date(0).toISOString(),
      chapters: [{ id: 'chapter-1', title: 'Across pages', isSection: false, blocks: paragraphs }],
    };
    const work = mkdtempSync(path.join(tmpdir(), 'aa-pdf-'));
    try {
      const file = path.join(work, 'book.pdf');
      writeFileSync(file, await writePdf(book, { pageSize: 'A4', tableOfContents: true }, async () => undefined));
      const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
      expect(pages.length).toBeGreaterThan(6);
      // The text without the page numbers (a paragraph crossing a page reads on after its page's number).
      const unwrapped = pages.map((page) => page.replace(/^\s*\d+\s*$/gmu, '')).join('').replace(/\s+/gu, '');
      let at = -1;
      for (const paragraph of paragraphs) {
        const { text } = paragraph as { text: string };
        const found = unwrapped.indexOf(text.replace(/\s+/gu, ''), at + 1);
        expect(found, text).toBeGreaterThan(at);
        at = found;
      }
      pages.forEach((page, index) => {
        const lines = page.split('\n').map((line) => line.trim()).filter(Boolean);
        const numbers = lines.filter((line) => /^\d+$/u.test(line));
        if (index === 0) return expect(numbers).toEqual([]);
        expect(numbers, `page ${index + 1}`).toEqual([String(index + 1)]);
        expect(lines.length, `page ${index + 1} has text besides its number`).toBeGreaterThan(1);
        expect(lines.at(-1), `page ${index + 1} ends with its number`).toBe(String(index + 1));
      });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
