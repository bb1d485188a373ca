import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Parser, type Node } from 'commonmark';
import { strFromU8, unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../shared/blocks.js';
import { exportBook, MULTILINGUAL } from './helpers/export-fixtures.js';
import { waitForJob } from './helpers/journey.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

/** Debian's epubcheck is a jar; run it with java (its /usr/bin link needs binfmt_misc, absent in containers). */
const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

let t: TestApp;
let token: string;
let book: Awaited<ReturnType<typeof exportBook>>;
let work: string;

beforeAll(async () => {
  t = await buildTestApp();
  token = (await t.newUser()).token;
  book = await exportBook(t, token, 30);
  work = mkdtempSync(path.join(tmpdir(), 'aa-export-'));
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(work, { recursive: true, force: true });
});

const drafted = () => book.chapters.filter((chapter) => chapter.blocks !== null);

/** Runs an export job to its end and downloads the file. */
async function exported(format: string) {
  const started = await t.as(token, { method: 'POST', url: `/v1/books/${book.bookId}/export`, payload: { format } });
  expect(started.statusCode, started.body).toBe(202);
  expect(started.json().job.kind).toBe('export.generate');
  const job = await waitForJob(t, token, started.json().job.id, 120_000);
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  const skippedChapter = book.chapters.find((chapter) => chapter.blocks === null)!;
  expect(job.result.skipped).toEqual([{ chapterId: skippedChapter.id, title: skippedChapter.title, reason: 'no_accepted_draft' }]);
  expect(job.result.chapters).toBe(drafted().length);
  const download = await t.as(token, { method: 'GET', url: `/v1/books/${book.bookId}/exports/${job.result.exportId}` });
  expect(download.statusCode).toBe(200);
  const file = path.join(work, `book.${format}`);
  writeFileSync(file, download.rawPayload);
  return { download, file, bytes: download.rawPayload };
}

/** The headings a chapter's blocks become (title 1, or 2 for a section; draft headings one level below). */
function expectedHeadings(chapter: { title: string; isSection: boolean; blocks: Block[] | null }) {
  const headings = [{ level: chapter.isSection ? 2 : 1, text: chapter.title }];
  for (const block of chapter.blocks ?? []) if (block.type === 'heading') headings.push({ level: chapter.isSection || block.level === 3 ? 3 : 2, text: block.text });
  return headings;
}

describe('exporting a 30-chapter book, each file opened by an independent reader', () => {
  it('DOCX: mammoth reads Heading 1/2 styles as h1/h2 in TOC order, lists as lists; the XML has a TOC field and numbering', { timeout: 120_000 }, async () => {
    const { download, bytes } = await exported('docx');
    expect(download.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="[^"/\\]+\.docx"; filename\*=UTF-8''.+\.docx$/);
    const html = (await mammoth.convertToHtml({ buffer: bytes })).value;
    const h1 = [...html.matchAll(/<h1>(?:<a id="[^"]*"><\/a>)?([^<]*)<\/h1>/g)].map((m) => m[1]);
    const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(h1.map((text) => decode(text!))).toEqual(drafted().filter((c) => !c.isSection).map((c) => c.title));
    expect(html).toContain('<h2><a id="_Toc');
    expect((html.match(/<ol>/g) ?? []).length).toBe(drafted().length);
    expect((html.match(/<ul>/g) ?? []).length).toBe(drafted().length);
    expect(html).toContain(`<li>Step 1 one</li><li>Step 1 two</li>`);
    expect(html).toContain(MULTILINGUAL.cyrillic);
    expect(html).toContain(MULTILINGUAL.chinese);
    const documentXml = strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!);
    expect(documentXml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(documentXml).toContain('<w:pStyle w:val="Heading2"/>');
    expect(documentXml).toMatch(/<w:instrText[^>]*>TOC [^<]*\\o &quot;1-2&quot;<\/w:instrText>/);
    expect(documentXml).toContain('<w:numPr>');
    expect(documentXml).toContain('<w:pStyle w:val="Quote"/>');
  });

  it('PDF: pdftotext reads every chapter in order with Cyrillic, CJK and emoji intact; one chapter per page start', { timeout: 120_000 }, async () => {
    const { download, file } = await exported('pdf');
    expect(download.headers['content-type']).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    let at = -1;
    for (const chapter of drafted()) {
      const found = text.indexOf(chapter.title, at + 1);
      expect(found, `"${chapter.title}" after offset ${at}`).toBeGreaterThan(at);
      at = found;
    }
    // Lines wrap where the layout chose (a CJK line may break between any two characters): compare without white space.
    const unwrapped = text.replace(/\s+/gu, '');
    for (const line of Object.values(MULTILINGUAL)) expect(unwrapped).toContain(line.replace(/\s+/gu, ''));
    const pages = text.split('\f');
    const topChapters = drafted().filter((c) => !c.isSection);
    // Title page, contents, then each chapter starts a page (its title is the page's first line).
    for (const chapter of topChapters) expect(pages.some((page) => page.trimStart().startsWith(chapter.title)), chapter.title).toBe(true);
    const info = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(info).toMatch(/DejaVuSerif/);
    expect(info).toMatch(/DroidSansFallback/);
    expect(info).toMatch(/Symbola/);
    expect(info.split('\n').slice(2).filter(Boolean).every((line) => / yes +yes +yes /.test(line))).toBe(true);
    expect(pages.slice(2).some((page) => /^\s*3\s*$/m.test(page))).toBe(true);
  });

  it('EPUB 3: epubcheck finds no error or warning; the nav lists every chapter; one XHTML per chapter', { timeout: 180_000 }, async () => {
    const { download, file, bytes } = await exported('epub');
    expect(download.headers['content-type']).toBe('application/epub+zip');
    const report = execFileSync('java', ['-jar', EPUBCHECK_JAR, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(report).toContain('No errors or warnings detected');
    const files = unzipSync(new Uint8Array(bytes));
    const names = Object.keys(files);
    expect(names[0]).toBe('mimetype');
    expect(names.filter((name) => /chapter-\d+\.xhtml$/.test(name))).toHaveLength(drafted().length);
    const nav = strFromU8(files['EPUB/nav.xhtml']!);
    expect((nav.match(/<a href=/g) ?? []).length).toBe(drafted().length);
    expect(nav).toMatch(/<ol>\n<li><a href="chapter-\d+.xhtml">Section 2.5/);
  });

  it('Markdown: a CommonMark parser reads back the same headings, lists, quotes and text', { timeout: 60_000 }, async () => {
    const { download, bytes } = await exported('markdown');
    expect(download.headers['content-type']).toBe('text/markdown; charset=utf-8');
    const tree = new Parser().parse(bytes.toString('utf8'));
    const headings: Array<{ level: number; text: string }> = [];
    const listItems: string[] = [];
    const quotes: string[] = [];
    const paragraphs: string[] = [];
    const textOf = (node: Node) => {
      let text = '';
      const walker = node.walker();
      for (let step = walker.next(); step; step = walker.next()) if (step.entering && step.node.type === 'text') text += step.node.literal;
      return text;
    };
    const walker = tree.walker();
    for (let step = walker.next(); step; step = walker.next()) {
      if (!step.entering) continue;
      const node = step.node;
      if (node.type === 'heading') headings.push({ level: node.level, text: textOf(node) });
      if (node.type === 'item') listItems.push(textOf(node.firstChild!));
      if (node.type === 'block_quote') quotes.push(textOf(node));
      if (node.type === 'paragraph' && node.parent?.type === 'document') paragraphs.push(textOf(node));
    }
    // Front matter: title, then Contents; then every drafted chapter's headings, in TOC order.
    expect(headings[0]).toEqual({ level: 1, text: 'Книга: The Calm One-to-One / 一对一' });
    expect(headings[1]).toEqual({ level: 2, text: 'Contents' });
    expect(headings.slice(2)).toEqual(drafted().flatMap(expectedHeadings));
    const blocks = drafted().flatMap((chapter) => chapter.blocks!);
    const contents = drafted().map((chapter) => chapter.title);
    expect(listItems).toEqual([...contents, ...blocks.flatMap((block) => (block.type === 'list' ? block.items : []))]);
    expect(quotes).toEqual(blocks.flatMap((block) => (block.type === 'quote' ? [block.text] : [])));
    expect(paragraphs).toEqual(['A field guide 🚀', ...blocks.flatMap((block) => (block.type === 'paragraph' ? [block.text] : []))]);
    // Markup-like text came back as text (nothing became emphasis, HTML or a link).
    expect(bytes.toString('utf8')).not.toMatch(/[^\\]\*not bold/);
    expect(tree.firstChild).not.toBeNull();
  });
});
