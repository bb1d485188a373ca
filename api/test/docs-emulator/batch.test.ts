import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batch, failure, startHarness, type Harness } from './setup.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.emulator.close(); });

describe('batchUpdate', () => {
  it('applies requests in order, each against the document the previous one left, with replies 1:1', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['World'] });
    const before = h.emulator.revisionId(id);
    const res = await batch(h.client, id, [
      { insertText: { location: { index: 1 }, text: 'Hello ' } },
      // index 12 only exists because of the insert above ('Hello World\n' = 1..13)
      { insertText: { location: { index: 12 }, text: '!' } },
      { createNamedRange: { name: 'greeting', range: { startIndex: 1, endIndex: 6 } } },
      { updateParagraphStyle: { range: { startIndex: 1, endIndex: 2 }, paragraphStyle: { namedStyleType: 'TITLE' }, fields: 'namedStyleType' } },
    ]);
    expect(h.emulator.text(id)).toBe('Hello World!\n');
    expect(res.documentId).toBe(id);
    expect(res.replies).toEqual([{}, {}, { createNamedRange: { namedRangeId: expect.stringMatching(/^kix\./) } }, {}]);
    const after = h.emulator.revisionId(id);
    expect(after).not.toBe(before);
    expect(res.writeControl).toEqual({ requiredRevisionId: after });
  });

  it('is atomic: one invalid request rejects the batch and nothing is applied', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['Stable'] });
    const revision = h.emulator.revisionId(id);
    const before = h.emulator.getDocument(id);
    const err = await failure(batch(h.client, id, [
      { insertText: { location: { index: 1 }, text: 'Changed ' } },
      { createNamedRange: { name: 'x', range: { startIndex: 1, endIndex: 3 } } },
      { deleteContentRange: { range: { startIndex: 1, endIndex: 99 } } },
    ]));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^Invalid requests\[2\]\.deleteContentRange: /);
    expect(err.body).toEqual({ error: { code: 400, message: err.message, status: 'INVALID_ARGUMENT' } });
    expect(h.emulator.getDocument(id)).toEqual(before);
    expect(h.emulator.revisionId(id)).toBe(revision);
    expect(h.emulator.namedRanges(id)).toEqual([]);
  });

  it('guards writes with requiredRevisionId: the current one passes, a stale one is a 400 and changes nothing', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['Text'] });
    const { data } = await h.client.documents.get({ documentId: id });
    const first = await batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'A' } }], { requiredRevisionId: data.revisionId! });
    const stale = await failure(batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'B' } }], { requiredRevisionId: data.revisionId! }));
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    expect(h.emulator.text(id)).toBe('AText\n');
    // The revision the last write returned is the one to use next.
    await batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'C' } }], { requiredRevisionId: first.writeControl!.requiredRevisionId! });
    expect(h.emulator.text(id)).toBe('CAText\n');
  });

  it("detects an author's edit made between the app's read and its write", async () => {
    const id = h.emulator.createDocument({ paragraphs: ['Draft'] });
    h.emulator.afterNext('get', ({ documentId }) => {
      h.emulator.editAsAuthor(documentId!, [{ insertText: { location: { index: 1 }, text: 'Author: ' } }]);
    }, { documentId: id });
    const { data } = await h.client.documents.get({ documentId: id });
    expect(data.body!.content![1]!.paragraph!.elements![0]!.textRun!.content).toBe('Draft\n'); // the read predates the edit
    expect(h.emulator.revisionId(id)).not.toBe(data.revisionId);
    const err = await failure(batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'App ' } }], { requiredRevisionId: data.revisionId! }));
    expect(err.status).toBe(400);
    expect(h.emulator.text(id)).toBe('Author: Draft\n');
  });

  it('can run an edit right before the next write too (beforeNext)', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['x'] });
    const revision = h.emulator.revisionId(id);
    h.emulator.beforeNext('batchUpdate', () => { h.emulator.editAsAuthor(id, [{ insertText: { location: { index: 1 }, text: 'y' } }]); });
    const err = await failure(batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'z' } }], { requiredRevisionId: revision }));
    expect(err.status).toBe(400);
    expect(h.emulator.text(id)).toBe('yx\n');
  });

  it('rejects malformed requests with Google-like messages', async () => {
    const id = h.emulator.createDocument({});
    const cases: [unknown[], RegExp][] = [
      [[{ frobnicate: {} }], /Unknown name "frobnicate" at 'requests\[0\]'/],
      [[{}], /^Invalid requests\[0\]: No request set\.$/],
      [[{ insertText: { text: 'a', location: { index: 1 } }, deleteContentRange: { range: { startIndex: 1, endIndex: 2 } } }], /Oneof field 'request' is already set/],
      [[{ insertText: { text: 'a' } }], /^Invalid requests\[0\]\.insertText: Exactly one of location or endOfSegmentLocation/],
      [[{ insertText: { text: '', location: { index: 1 } } }], /^Invalid requests\[0\]\.insertText: /],
      [[{ insertTable: { rows: 1, columns: 1, location: { index: 1 } } }], /not supported by the Docs emulator/],
      [[{ insertText: { text: 'a', location: { index: 1, segmentId: 'kix.header' } } }], /Segment with ID kix\.header was not found/],
      [[], /at least one request/],
    ];
    for (const [requests, message] of cases) {
      const err = await failure(h.client.documents.batchUpdate({ documentId: id, requestBody: { requests: requests as never } }));
      expect(err.status, JSON.stringify(requests)).toBe(400);
      expect(err.message).toMatch(message);
    }
  });

  it('reads a missing startIndex as 0, as proto3 JSON clients send it', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['abc'] });
    const err = await failure(batch(h.client, id, [{ deleteContentRange: { range: { endIndex: 2 } } }]));
    expect(err.message).toContain('section break');
  });
});
