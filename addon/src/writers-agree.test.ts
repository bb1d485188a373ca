// The two writers of the shared write plan — Docs batchUpdate (API, run against the Docs emulator) and DocumentApp
// (add-on, run against the in-memory document) — must leave the same document behind, step after step.
import type { docs_v1 } from '@googleapis/docs';
import { describe, expect, it } from 'vitest';
import { buildChapterBatch } from '../../api/src/docs/batch-builder.js';
import { readDocument } from '../../api/src/docs/doc-reader.js';
import { DocsEmulator } from '../../api/test/support/docs-emulator/index.js';
import type { Block } from '../../shared/blocks.js';
import { chapterRangeName, planChapter, type PlannedParagraph } from '../../shared/doc-plan.js';
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

function bothWriters(authorParagraphs: string[]) {
  const emulator = new DocsEmulator();
  const documentId = emulator.createDocument(authorParagraphs.length > 0 ? { paragraphs: authorParagraphs } : {});
  const { app, document } = createFakeDocumentApp(new FakeDocument(documentId, 'Agree'));
  if (authorParagraphs.length > 0) seed(document, authorParagraphs);
  return {
    write(chapterId: string, title: string, blocks: Block[]) {
      const tab = readDocument(emulator.getDocument(documentId) as docs_v1.Schema$Document).tabs[0]!;
      const plan = planChapter(title, blocks);
      emulator.batchUpdate(documentId, buildChapterBatch(tab, [{ chapterId, rangeName: chapterRangeName(BOOK, chapterId), plan }], TOC, (id) => chapterRangeName(BOOK, id)));
      const result = writeChapter(app, document, { bookId: BOOK, chapterId, title, blocks, tocOrder: TOC, mode: 'auto' });
      expect(result.status).toBe('written');
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
