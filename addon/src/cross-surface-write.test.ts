// A chapter written through the API (extension, /app) and then rewritten from the add-on: the add-on must protect
// the author's edits exactly as the API does, from the hashes the API recorded (GET …/doc).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument, type DocTab } from '../../api/src/docs/doc-reader.js';
import { chapterSpan } from '../../api/src/docs/batch-builder.js';
import { bookWithDrafts, GOOGLE_HEADERS, startDocsTestbed } from '../../api/test/helpers/docs-fixtures.js';
import type { Block } from '../../shared/blocks.js';
import { chapterRangeName, planChapter } from '../../shared/doc-plan.js';
import { bundleServerCode } from '../scripts/build.js';
import type { FakeDocument } from '../test-support/fake-document.js';
import { bodyTexts, seed } from '../test-support/inspect.js';
import { runScript } from '../test-support/script-runtime.js';
import { createAddonHost } from '../sidebar/addon-host.js';
import { createScriptRun } from '../sidebar/script-run.js';

let code: string;
let testbed: Awaited<ReturnType<typeof startDocsTestbed>>;
beforeAll(async () => {
  code = (await bundleServerCode('https://api.example.com', [])).code;
  testbed = await startDocsTestbed();
}, 60_000);
afterAll(() => testbed?.close());

const paragraph = (text: string): Block => ({ type: 'paragraph', text, sources: [], unsupported: false });

/** The emulator's document copied into the add-on's in-memory DocumentApp: its paragraphs and the chapter's named range. */
function copyIntoAddon(tab: DocTab, document: FakeDocument, rangeName: string) {
  const paragraphs = tab.paragraphs.map((p) => p.text.replace(/\n$/u, ''));
  const styles = tab.paragraphs.map((p) => (p.style === 'HEADING_1' ? 'HEADING1' : 'NORMAL') as 'HEADING1' | 'NORMAL');
  const elements = seed(document, paragraphs.map((text, i) => [text, styles[i]!]));
  const span = chapterSpan(tab, rangeName)!;
  const inside = tab.paragraphs.map((p, i) => ({ p, i })).filter(({ p }) => p.startIndex >= span.startIndex && p.startIndex < span.endIndex);
  const first = elements[inside[0]!.i]!.asParagraph().editAsText();
  const last = elements[inside[inside.length - 1]!.i]!.asParagraph().editAsText();
  document.addNamedRange(rangeName, document.newRange().addElementsBetween(first, 0, last, last.getText().length - 1).build());
}

describe('a chapter written through the API, then rewritten from the add-on', () => {
  it('is skipped with DOC_CHAPTER_EDITED when the author edited it in between; with overwrite it is replaced, the text around it untouched', async () => {
    const { emulator, t, author } = testbed;
    const documentId = emulator.createDocument({ paragraphs: ['Before the book.', 'After the book.'] });
    const { bookId, chapterIds } = await bookWithDrafts(t, author.token, [{ title: 'Chapter one', blocks: [paragraph('Written by the API.'), paragraph('A second line.')] }]);
    const chapterId = chapterIds[0]!;
    const written = await t.as(author.token, { method: 'POST', url: `/v1/books/${bookId}/doc/write`, payload: { documentId }, headers: GOOGLE_HEADERS });
    expect(written.json().chapters).toEqual([expect.objectContaining({ chapterId, status: 'written' })]);

    // The author edits the chapter in the doc.
    const rangeName = chapterRangeName(bookId, chapterId);
    const before = readDocument(emulator.getDocument(documentId) as never).tabs[0]!;
    const line = before.paragraphs.find((p) => p.text.startsWith('A second line.'))!;
    emulator.editAsAuthor(documentId, [{ insertText: { location: { index: line.startIndex + 2 }, text: 'very ' } }]);

    // The add-on opens that document and rewrites the chapter with a new accepted draft.
    const script = runScript(code, {});
    copyIntoAddon(readDocument(emulator.getDocument(documentId) as never).tabs[0]!, script.document, rangeName);
    const around = bodyTexts(script.document);
    const host = createAddonHost({ run: createScriptRun(script.scriptRun()), storage: null, defaultApiUrl: 'https://api.example.com', fixedApiUrl: true });
    const status = (await t.as(author.token, { method: 'GET', url: `/v1/books/${bookId}/doc` })).json<{ chapters: Array<{ chapterId: string; textHash: string }> }>();
    const blocks = [paragraph('Rewritten from the add-on.')];
    const request = (overwrite: boolean) => host.writeToDoc!({
      bookId, documentId, tocOrder: [chapterId], overwrite, mode: 'auto',
      chapters: [{
        chapterId, title: 'Chapter one', isSection: false, blocks, paragraphs: planChapter('Chapter one', blocks),
        expectedTextHash: status.chapters.find((c) => c.chapterId === chapterId)!.textHash,
      }],
    });

    const skipped = await request(false);
    expect(skipped.chapters[0]).toMatchObject({ status: 'skipped', code: 'DOC_CHAPTER_EDITED', currentText: 'Chapter one\nWritten by the API.\nA very second line.' });
    expect(bodyTexts(script.document)).toEqual(around);

    const replaced = await request(true);
    expect(replaced.chapters[0]).toMatchObject({ status: 'written', code: null });
    // Only the chapter's own paragraphs changed: everything before and after it is byte-identical.
    const chapterAt = around.indexOf('Chapter one');
    expect(bodyTexts(script.document)).toEqual([...around.slice(0, chapterAt), 'Chapter one', 'Rewritten from the add-on.', ...around.slice(chapterAt + 3)]);
  });
});
