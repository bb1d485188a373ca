// The two writers of the shared write plan — Docs batchUpdate (API, run against the Docs emulator) and DocumentApp
// (add-on, run against the in-memory document) — must leave the same document behind, step after step.
import type { docs_v1 } from '@googleapis/docs';
import { describe, expect, it } from 'vitest';
import { buildChapterBatch } from '../../api/src/docs/batch-builder.js';
import { decideWrites } from '../../api/src/docs/write-decisions.js';
import { readDocument } from '../../api/src/docs/doc-reader.js';
import { DocsEmulator } from '../../api/test/support/docs-emulator/index.js';
import type { Block } from '../../shared/blocks.js';
import { chapterRangeName, planChapter, planText, textHash, type ChapterWriteDecision, type PlannedParagraph } from '../../shared/doc-plan.js';
import { DOC_BLOCK_VECTORS } from '../../shared/test-vectors/doc-blocks.js';
import { createFakeDocumentApp, FakeDocument } from '../test-support/fake-document.js';
import { bodyParagraphs, seed } from '../test-support/inspect.js';
import { writeChapter } from './chapter-writer.js';
import { writtenChapters } from './document-read.js';

const BOOK = 'bk_AGREE';
const TOC = ['ch_a', 'ch_b', 'ch_c'];
type Json = Record<string, unknown>;
type Read = PlannedParagraph & { list: number | null };

/** Numbers lists by first appearance, so list ids from either writer compare. */
function numberLists<T extends { listId: string | null }>(paragraphs: T[]): Array<Omit<T, 'listId'> & { list: number | null }> {
  const seen = new Map<string, number>();
  return paragraphs.map(({ listId, ...rest }) => {
    if (listId && !seen.has(listId)) seen.set(listId, seen.size);
    return { ...rest, list: listId ? seen.get(listId)! : null };
  });
}

/** The emulator's document as the write plan describes it (quote: indented and italic, not a list item). */
function emulatorParagraphs(json: Json): Read[] {
  const lists = (json.lists ?? {}) as Record<string, { listProperties: { nestingLevels: Json[] } }>;
  const content = ((json.body as Json).content as Json[]).filter((element) => element.paragraph);
  return numberLists(content.map((element) => {
    const paragraph = element.paragraph as { elements: Array<{ textRun?: { content: string; textStyle?: Json } }>; paragraphStyle?: Json; bullet?: { listId: string } };
    const runs = paragraph.elements.filter((e) => e.textRun && e.textRun.content !== '\n');
    const text = paragraph.elements.map((e) => e.textRun?.content ?? '').join('').replace(/\n$/u, '');
    const listId = paragraph.bullet?.listId ?? null;
    const ordered = listId ? 'glyphType' in lists[listId]!.listProperties.nestingLevels[0]! : false;
    const indent = ((paragraph.paragraphStyle?.indentStart as Json | undefined)?.magnitude as number | undefined) ?? 0;
    const italic = runs.length > 0 && runs.every((e) => e.textRun!.textStyle?.italic === true);
    return {
      text, listId,
      style: String(paragraph.paragraphStyle?.namedStyleType ?? 'NORMAL_TEXT') as PlannedParagraph['style'],
      bullet: (listId ? (ordered ? 'ordered' : 'unordered') : null) as PlannedParagraph['bullet'],
      quote: !listId && indent > 0 && italic,
    };
  }));
}

/**
 * The same document twice: in the Docs emulator, written as the API writes (the shared decision, then one
 * batchUpdate), and in the in-memory DocumentApp, written by the add-on's writer. Each side keeps the hashes of what it
 * wrote, as the API's write records do.
 */
function bothWriters(authorParagraphs: string[]) {
  const emulator = new DocsEmulator();
  const documentId = emulator.createDocument(authorParagraphs.length > 0 ? { paragraphs: authorParagraphs } : {});
  const { app, document } = createFakeDocumentApp(new FakeDocument(documentId, 'Agree'));
  if (authorParagraphs.length > 0) seed(document, authorParagraphs);
  const apiHashes = new Map<string, string>();
  const addonHashes = new Map<string, string>();
  const readTab = () => readDocument(emulator.getDocument(documentId) as docs_v1.Schema$Document).tabs[0]!;
  return {
    /** Writes the chapter through both writers; returns each writer's decision. */
    write(chapterId: string, title: string, blocks: Block[], options: { overwrite?: boolean; expect?: ChapterWriteDecision } = {}) {
      const write = { chapterId, rangeName: chapterRangeName(BOOK, chapterId), plan: planChapter(title, blocks) };
      const decided = decideWrites(readTab(), [write], apiHashes, options.overwrite ?? false);
      if (decided.ready.length > 0) emulator.batchUpdate(documentId, buildChapterBatch(readTab(), decided.ready, TOC, (id) => chapterRangeName(BOOK, id)));
      if (decided.edited.length === 0) apiHashes.set(chapterId, textHash(planText(write.plan)));
      const api: ChapterWriteDecision = decided.ready.length > 0 ? 'write' : decided.current.length > 0 ? 'already-current' : 'skip-edited';
      const result = writeChapter(app, document, {
        bookId: BOOK, chapterId, title, blocks, tocOrder: TOC, mode: 'auto', expectedTextHash: addonHashes.get(chapterId) ?? null, overwrite: options.overwrite,
      });
      if (result.textHash) addonHashes.set(chapterId, result.textHash);
      const addon: ChapterWriteDecision = result.status === 'skipped' ? 'skip-edited' : result.paragraphs === 0 ? 'already-current' : 'write';
      expect({ api, addon }, `decisions writing ${chapterId}`).toEqual({ api: options.expect ?? 'write', addon: options.expect ?? 'write' });
      if (result.code) expect(result.code).toBe('DOC_CHAPTER_EDITED');
    },
    /** The author types `insertion` after the first character of the paragraph reading `text`, in both documents. */
    authorTypes(text: string, insertion: string) {
      const paragraph = readTab().paragraphs.find((p) => p.text.replace(/\n$/u, '') === text)!;
      emulator.editAsAuthor(documentId, [{ insertText: { location: { index: paragraph.startIndex + 1 }, text: insertion } }]);
      const child = document.body.children.find((c) => (c as unknown as { getText(): string }).getText() === text)!;
      const element = (child as unknown as { editAsText(): { setText(t: string): unknown } }).editAsText();
      element.setText(text.slice(0, 1) + insertion + text.slice(1));
    },
    /** Forgets one side's record of a chapter (a write whose record was lost). */
    forget(chapterId: string) {
      apiHashes.delete(chapterId);
      addonHashes.delete(chapterId);
    },
    api: () => emulatorParagraphs(emulator.getDocument(documentId) as Json),
    addon: () => numberLists(bodyParagraphs(app, document)),
    apiRangeText: (chapterId: string) => emulator.namedRanges(documentId).find((r) => r.name === chapterRangeName(BOOK, chapterId))?.text,
    addonRangeText: (chapterId: string) => writtenChapters(app, document, BOOK).get(chapterId)?.text,
  };
}

const blocks = (name: string, ordered = false): Block[] => [
  { type: 'paragraph', text: `${name} begins.`, sources: [], unsupported: false },
  { type: 'list', ordered, items: [`${name} first`, `${name} second`], sources: [], unsupported: false },
  { type: 'quote', text: `${name} said so.`, sources: [], unsupported: false },
  { type: 'heading', level: 3, text: `${name} detail` },
];

describe('the DocumentApp and batchUpdate writers agree', () => {
  for (const vector of DOC_BLOCK_VECTORS) {
    for (const start of [[], ['Before 👋🏽 text.']]) {
      it(`${vector.name}, in a document with ${start.length} author paragraph(s)`, () => {
        const writers = bothWriters(start);
        writers.write('ch_a', vector.title, vector.blocks);
        expect(writers.addon()).toEqual(writers.api());
        expect(writers.addonRangeText('ch_a')).toBe(writers.apiRangeText('ch_a'));
      });
    }
  }

  it('through TOC placement and a rewrite, step by step', () => {
    const writers = bothWriters(['Front matter', 'Notes']);
    const steps: Array<[string, string, Block[]]> = [
      ['ch_b', 'Bravo', blocks('Bravo')],
      ['ch_a', 'Alpha', blocks('Alpha', true)],
      ['ch_c', 'Charlie', blocks('Charlie')],
      ['ch_a', 'Alpha', blocks('Alpha rewritten')],
      ['ch_c', 'Charlie', blocks('Charlie rewritten', true)],
    ];
    for (const [chapterId, title, chapterBlocks] of steps) {
      writers.write(chapterId, title, chapterBlocks);
      expect(writers.addon(), `after writing ${chapterId}`).toEqual(writers.api());
      for (const id of TOC) expect(writers.addonRangeText(id), id).toBe(writers.apiRangeText(id));
    }
  });
});

describe('both writers make the same decision before touching a chapter', () => {
  const same = (writers: ReturnType<typeof bothWriters>) => {
    expect(writers.addon()).toEqual(writers.api());
    for (const id of TOC) expect(writers.addonRangeText(id), id).toBe(writers.apiRangeText(id));
  };

  it('never written: write; written and untouched: replace; the same text again: already current', () => {
    const writers = bothWriters(['Intro']);
    writers.write('ch_a', 'Alpha', blocks('Alpha'));
    writers.write('ch_a', 'Alpha', blocks('Alpha again'));
    same(writers);
    writers.write('ch_a', 'Alpha', blocks('Alpha again'), { expect: 'already-current' });
    same(writers);
  });

  it('edited by the author: skipped by both, the edit kept; with overwrite: replaced by both', () => {
    const writers = bothWriters(['Intro', 'Outro']);
    writers.write('ch_b', 'Bravo', blocks('Bravo'));
    writers.authorTypes('Bravo first', ' (my note)');
    const edited = writers.api();
    writers.write('ch_b', 'Bravo', blocks('Bravo rewritten'), { expect: 'skip-edited' });
    expect(writers.api()).toEqual(edited);
    same(writers);
    expect(writers.apiRangeText('ch_b')).toContain('B (my note)ravo first');
    writers.write('ch_b', 'Bravo', blocks('Bravo rewritten'), { overwrite: true });
    same(writers);
    expect(writers.apiRangeText('ch_b')).not.toContain('my note');
  });

  it('no record of the last write: replaced only where the document holds exactly the planned text', () => {
    const writers = bothWriters([]);
    writers.write('ch_c', 'Charlie', blocks('Charlie'));
    writers.forget('ch_c');
    writers.write('ch_c', 'Charlie', blocks('Charlie'), { expect: 'already-current' });
    writers.forget('ch_c');
    writers.write('ch_c', 'Charlie', blocks('Charlie changed'), { expect: 'skip-edited' });
    same(writers);
  });
});
