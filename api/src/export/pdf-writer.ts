import { createRequire } from 'node:module';
import type PDFKitDocument from 'pdfkit';
import { AppError } from '../lib/app-error.js';
import { byline, chapterOutline, chapterTitle, type ChapterDone, type ExportBook, type ExportLayout, type OutlineItem } from './export-book.js';
import { availablePdfFonts, fontRuns, missingFallbacks, PDF_FONTS } from './pdf-fonts.js';

/**
 * pdfkit's CommonJS build (its package exports it for `require`): Node loads it, and fontkit's CommonJS build, about
 * 50 ms of CPU faster than their ES modules, which bring in dozens of small files (restructure, @swc/helpers) one
 * asynchronous read at a time.
 */
const PDFDocument = createRequire(import.meta.url)('pdfkit') as typeof PDFKitDocument;
type Doc = InstanceType<typeof PDFDocument>;
type TextOptions = PDFKit.Mixins.TextOptions;

const MARGIN = 72;
const SIZES = { body: 11, title: 28, subtitle: 16, 1: 20, 2: 15, 3: 12.5 } as const;

/** Writes text in the role's font, switching to the CJK or emoji font for the characters only they have. */
function write(doc: Doc, role: 'body' | 'heading', size: number, text: string, options: TextOptions = {}, at?: { x: number; y: number }) {
  const runs = fontRuns(text);
  doc.fontSize(size);
  runs.forEach((run, index) => {
    doc.font(run.font === 'base' ? role : run.font);
    const continued = index < runs.length - 1;
    if (index === 0 && at) doc.text(run.text, at.x, at.y, { ...options, continued });
    else doc.text(run.text, { ...options, continued });
  });
}

function writeItem(doc: Doc, item: OutlineItem) {
  const body = { align: 'left', lineGap: 2, paragraphGap: 6 } as const;
  switch (item.kind) {
    case 'heading':
      doc.moveDown(item.level === 1 ? 0 : 0.6);
      write(doc, 'heading', SIZES[item.level], item.text, { paragraphGap: 8 });
      return;
    case 'paragraph':
      write(doc, 'body', SIZES.body, item.text, body);
      return;
    case 'quote':
      doc.fillColor('#444444');
      write(doc, 'body', SIZES.body, item.text, { ...body, width: doc.page.width - 2 * MARGIN - 48 }, { x: MARGIN + 24, y: doc.y });
      doc.fillColor('black');
      doc.x = MARGIN;
      return;
    case 'list':
      item.items.forEach((text, index) => {
        const marker = item.ordered ? `${index + 1}.` : '•';
        const y = doc.y;
        doc.font('body').fontSize(SIZES.body).text(marker, MARGIN + 6, y, { lineBreak: false });
        write(doc, 'body', SIZES.body, text, { ...body, paragraphGap: 3, width: doc.page.width - 2 * MARGIN - 24 }, { x: MARGIN + 24, y });
        doc.x = MARGIN;
      });
      doc.moveDown(0.3);
      return;
  }
}

/**
 * Numbers the pages written since the last call (every page but the title page, at its foot) and flushes them: called
 * before each new chapter's page and at the end, so pdfkit keeps (`bufferPages`) at most one chapter's pages.
 * Drawing the number from a `pageAdded` handler instead runs in the middle of a paragraph (pdfkit adds pages while it
 * wraps lines), where a paragraph written as runs of several fonts (`continued`) lends the number its line wrapper:
 * that left a blank page and the number at the top of the next one.
 */
function numberAndFlushPages(doc: Doc) {
  const { start, count } = doc.bufferedPageRange();
  doc.font('body').fontSize(9);
  for (let index = Math.max(start, 1); index < start + count; index++) {
    doc.switchToPage(index);
    const label = String(index + 1);
    // Without a width pdfkit draws one line: no line wrapper, no page break at the bottom margin.
    doc.fillColor('#666666').text(label, (doc.page.width - doc.widthOfString(label)) / 2, doc.page.height - MARGIN / 2, { lineBreak: false });
    doc.fillColor('black');
  }
  doc.flushPages();
}

function startPage(doc: Doc) {
  numberAndFlushPages(doc);
  doc.addPage();
}

/** Every text the PDF prints, for the fonts it needs. */
function* bookTexts(book: ExportBook): Generator<string> {
  yield book.title;
  if (book.subtitle) yield book.subtitle;
  if (book.author) yield book.author;
  for (const chapter of book.chapters) {
    for (const item of chapterOutline(chapter)) {
      if (item.kind === 'list') yield* item.items;
      else yield item.text;
    }
  }
}

/**
 * The book as PDF (pdfkit): fonts embedded and subset (DejaVu for Latin and Cyrillic, Droid Sans Fallback for CJK, Symbola for
 * emoji), a title page, a contents page whose entries link to their chapters, each chapter from a new page, the
 * document outline (bookmarks) mirroring the TOC, page numbers in the footer. Pages are streamed a chapter at a time.
 */
export async function writePdf(book: ExportBook, layout: ExportLayout, chapterDone: ChapterDone): Promise<Buffer> {
  const missing = missingFallbacks(bookTexts(book));
  if (missing) throw new AppError('VALIDATION', missing.message, { missingFonts: missing.roles });
  const doc = new PDFDocument({
    size: layout.pageSize, margin: MARGIN, autoFirstPage: false, bufferPages: true, lang: book.language, displayTitle: true,
    // pdfkit writes every info key it is given: absent ones are left out, never undefined.
    info: { Title: book.title, Creator: 'Auto-Author', ...(book.author && { Author: book.author }), ...(book.subtitle && { Subject: book.subtitle }) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  for (const role of availablePdfFonts()) doc.registerFont(role, PDF_FONTS[role].file);
  doc.addPage();
  doc.y = doc.page.height / 3;
  write(doc, 'heading', SIZES.title, book.title, { align: 'center', paragraphGap: 12 });
  if (book.subtitle) write(doc, 'body', SIZES.subtitle, book.subtitle, { align: 'center', paragraphGap: 24 });
  const by = byline(book);
  if (by) write(doc, 'body', SIZES.body + 2, by, { align: 'center' });

  if (layout.tableOfContents) {
    startPage(doc);
    write(doc, 'heading', SIZES[1], 'Contents', { paragraphGap: 12 });
    book.chapters.forEach((chapter, index) => {
      const indent = chapter.isSection ? 18 : 0;
      write(doc, 'body', SIZES.body, chapterTitle(chapter), { goTo: `chapter-${index}`, indent, paragraphGap: 4 });
    });
  }

  let parent: PDFKit.PDFOutline | null = null;
  for (const [index, chapter] of book.chapters.entries()) {
    if (!chapter.isSection || !parent) startPage(doc);
    else doc.moveDown(1);
    doc.addNamedDestination(`chapter-${index}`);
    const entry: PDFKit.PDFOutline = (chapter.isSection && parent ? parent : doc.outline).addItem(chapterTitle(chapter));
    if (!chapter.isSection) parent = entry;
    for (const item of chapterOutline(chapter)) writeItem(doc, item);
    await chapterDone(index);
  }
  numberAndFlushPages(doc);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
