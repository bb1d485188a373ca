import {
  AlignmentType, Document, Footer, HeadingLevel, LevelFormat, Packer, PageNumber, Paragraph, TableOfContents, TextRun,
  type FileChild,
} from 'docx';
import { byline, chapterOutline, type ChapterDone, type ExportBook, type ExportLayout, type OutlineItem } from './export-book.js';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
const ORDERED = 'ordered-list';
/** Page sizes in twentieths of a point. */
const PAGE_SIZES = { A4: { width: 11_906, height: 16_838 }, Letter: { width: 12_240, height: 15_840 } } as const;

/** Paragraphs of one outline item; `list` numbers each ordered list from 1 (its own numbering instance). */
function itemParagraphs(item: OutlineItem, isChapterStart: boolean, list: { instance: number }): Paragraph[] {
  switch (item.kind) {
    case 'heading':
      return [new Paragraph({ text: item.text, heading: HEADINGS[item.level], pageBreakBefore: isChapterStart })];
    case 'paragraph':
      return [new Paragraph({ text: item.text })];
    case 'quote':
      return [new Paragraph({ text: item.text, style: 'Quote' })];
    case 'list': {
      const instance = ++list.instance;
      return item.items.map((text) =>
        item.ordered ? new Paragraph({ text, numbering: { reference: ORDERED, level: 0, instance } }) : new Paragraph({ text, bullet: { level: 0 } }),
      );
    }
  }
}

/**
 * The book as DOCX (the `docx` library): Title and Subtitle styles, a byline, a table-of-contents field over
 * Heading 1–2 (filled in, and updated by Word on opening), each chapter from a new page with real Heading 1/2/3
 * styles, bullets and numbered lists as Word numbering, quotes in the Quote style, page numbers in the footer.
 */
export async function writeDocx(book: ExportBook, layout: ExportLayout, chapterDone: ChapterDone): Promise<Buffer> {
  const children: FileChild[] = [new Paragraph({ text: book.title, heading: HeadingLevel.TITLE })];
  if (book.subtitle) children.push(new Paragraph({ text: book.subtitle, style: 'Subtitle' }));
  const by = byline(book);
  if (by) children.push(new Paragraph({ children: [new TextRun({ text: by, italics: true })] }));
  if (layout.tableOfContents) {
    children.push(new Paragraph({ text: 'Contents', style: 'TOCHeading', pageBreakBefore: true }));
    children.push(new TableOfContents('Contents', { hyperlink: true, headingStyleRange: '1-2' }));
  }
  const list = { instance: 0 };
  for (const [index, chapter] of book.chapters.entries()) {
    chapterOutline(chapter).forEach((item, at) => children.push(...itemParagraphs(item, at === 0 && !chapter.isSection, list)));
    await chapterDone(index);
  }
  const document = new Document({
    creator: book.author ?? 'Auto-Author',
    title: book.title,
    subject: book.subtitle ?? undefined,
    features: { updateFields: true },
    styles: {
      paragraphStyles: [
        { id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', next: 'Normal', run: { size: 30, italics: true, color: '555555' } },
        { id: 'Quote', name: 'Quote', basedOn: 'Normal', next: 'Normal', run: { italics: true }, paragraph: { indent: { left: 720, right: 720 } } },
        { id: 'TOCHeading', name: 'TOC Heading', basedOn: 'Normal', next: 'Normal', run: { size: 32, bold: true } },
      ],
    },
    numbering: {
      config: [{
        reference: ORDERED,
        levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, style: { paragraph: { indent: { left: 720, hanging: 360 } } } }],
      }],
    },
    sections: [{
      properties: { page: { size: PAGE_SIZES[layout.pageSize] } },
      footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }) },
      children,
    }],
  });
  return Packer.toBuffer(document);
}
