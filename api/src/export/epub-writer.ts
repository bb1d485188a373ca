import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { byline, chapterOutline, chapterTitle, type ChapterDone, type ExportBook, type ExportLayout, type OutlineItem } from './export-book.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (text: string) => text.replace(/[&<>"']/gu, (ch) => XML_ESCAPES[ch]!);

const STYLE = `body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.2; }
blockquote { font-style: italic; margin: 1em 2em; }
.title-page { text-align: center; margin-top: 20%; }
.subtitle { font-size: 1.2em; font-style: italic; }
nav ol { list-style: none; }
`;

/** A stable urn:uuid for the book (from its id), so a reader treats a new export as the same book. */
function bookUuid(bookId: string): string {
  const hex = createHash('sha256').update(`auto-author:${bookId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function xhtml(lang: string, title: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${lang}" lang="${lang}">
<head><meta charset="UTF-8"/><title>${escapeXml(title)}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
<body>
${body}
</body>
</html>
`;
}

function itemHtml(item: OutlineItem): string {
  switch (item.kind) {
    case 'heading':
      return `<h${item.level}>${escapeXml(item.text)}</h${item.level}>`;
    case 'paragraph':
      return `<p>${escapeXml(item.text)}</p>`;
    case 'quote':
      return `<blockquote><p>${escapeXml(item.text)}</p></blockquote>`;
    case 'list': {
      const tag = item.ordered ? 'ol' : 'ul';
      return `<${tag}>${item.items.map((text) => `<li>${escapeXml(text)}</li>`).join('')}</${tag}>`;
    }
  }
}

const chapterFile = (index: number) => `chapter-${String(index + 1).padStart(3, '0')}.xhtml`;

/** The nav document's table of contents: chapters, each with its sections nested. */
function navList(book: ExportBook): string {
  const lines: string[] = [];
  let openSections = false;
  for (const [index, chapter] of book.chapters.entries()) {
    const link = `<a href="${chapterFile(index)}">${escapeXml(chapterTitle(chapter))}</a>`;
    if (chapter.isSection && index > 0) {
      if (!openSections) lines.push('<ol>');
      openSections = true;
      lines.push(`<li>${link}</li>`);
      continue;
    }
    if (openSections) lines.push('</ol>');
    if (index > 0) lines.push('</li>');
    openSections = false;
    lines.push(`<li>${link}`);
  }
  if (openSections) lines.push('</ol>');
  if (book.chapters.length > 0) lines.push('</li>');
  return `<ol>${lines.join('\n')}</ol>`;
}

/**
 * The book as EPUB 3: `mimetype` first and stored, the container, a package document (metadata, manifest, spine),
 * a nav document, a title page and one XHTML file per chapter or section.
 */
export async function writeEpub(book: ExportBook, layout: ExportLayout, chapterDone: ChapterDone): Promise<Buffer> {
  const lang = book.language;
  const files: Zippable = {
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`),
    'EPUB/style.css': strToU8(STYLE),
  };
  const by = byline(book);
  files['EPUB/title.xhtml'] = strToU8(xhtml(lang, book.title, `<section epub:type="titlepage" class="title-page">
<h1>${escapeXml(book.title)}</h1>
${book.subtitle ? `<p class="subtitle">${escapeXml(book.subtitle)}</p>` : ''}
${by ? `<p>${escapeXml(by)}</p>` : ''}
</section>`));
  files['EPUB/nav.xhtml'] = strToU8(xhtml(lang, 'Contents', `<nav epub:type="toc" id="toc"><h1>Contents</h1>\n${navList(book)}\n</nav>`));
  for (const [index, chapter] of book.chapters.entries()) {
    const body = chapterOutline(chapter).map(itemHtml).join('\n');
    files[`EPUB/${chapterFile(index)}`] = strToU8(xhtml(lang, chapterTitle(chapter), `<section epub:type="${chapter.isSection ? 'subchapter' : 'chapter'}">\n${body}\n</section>`));
    await chapterDone(index);
  }
  const chapterIds = book.chapters.map((_, index) => `c${index + 1}`);
  const modified = `${book.exportedAt.slice(0, 19)}Z`;
  files['EPUB/package.opf'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${lang}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="book-id">urn:uuid:${bookUuid(book.id)}</dc:identifier>
<dc:title>${escapeXml(book.title)}</dc:title>
<dc:language>${lang}</dc:language>
${book.author ? `<dc:creator>${escapeXml(book.author)}</dc:creator>` : ''}
<meta property="dcterms:modified">${modified}</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="css" href="style.css" media-type="text/css"/>
<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>
${chapterIds.map((id, index) => `<item id="${id}" href="${chapterFile(index)}" media-type="application/xhtml+xml"/>`).join('\n')}
</manifest>
<spine>
<itemref idref="title"/>
<itemref idref="nav"${layout.tableOfContents ? '' : ' linear="no"'}/>
${chapterIds.map((id) => `<itemref idref="${id}"/>`).join('\n')}
</spine>
</package>
`);
  return Buffer.from(zipSync(files, { level: 6 }));
}
