import type { ExportFormat } from '../../../shared/schemas/exports.js';
import type { ChapterDone, ExportBook, ExportLayout } from './export-book.js';

type ExportWriter = (book: ExportBook, layout: ExportLayout, chapterDone: ChapterDone) => Promise<Buffer>;

/**
 * The writer of each format: the book in, the file's bytes out, `chapterDone` after each chapter. Each is loaded on
 * first use, so a process loads only the libraries of the formats it exports (docx and pdfkit are large).
 */
export const EXPORT_WRITERS: Record<ExportFormat, ExportWriter> = {
  docx: async (...args) => (await import('./docx-writer.js')).writeDocx(...args),
  pdf: async (...args) => (await import('./pdf-writer.js')).writePdf(...args),
  epub: async (...args) => (await import('./epub-writer.js')).writeEpub(...args),
  markdown: async (...args) => (await import('./markdown-writer.js')).writeMarkdown(...args),
};

// eslint-disable-next-line no-control-regex -- control characters never belong in a file name
const UNSAFE_IN_FILENAME = /[\u0000-\u001F\u007F"*/:<>?\\|]+/gu;

/** A file name from the book's title, safe on every system: no path or reserved characters, at most 100 characters. */
export function exportFilename(title: string, extension: string): string {
  const base = title.normalize('NFC').replace(UNSAFE_IN_FILENAME, ' ').replace(/\s+/gu, ' ').trim().replace(/^\.+/u, '');
  return `${[...(base || 'book')].slice(0, 100).join('').trim()}.${extension}`;
}

/**
 * The Content-Disposition of a download: an ASCII `filename` for old clients (other characters become `_`) and the
 * exact name as RFC 5987 `filename*`.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.normalize('NFKD').replace(/[\u0300-\u036f]/gu, '').replace(/[^\x20-\x7E]/gu, '_').replace(/["\\%]/gu, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/gu, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
