import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.js';
import { authorClient } from './helpers/engine-fixtures.js';
import { movedClock } from './helpers/retention-fixtures.js';
import { buildTestApp, errorOf, type TestApp } from './helpers/test-app.js';

/**
 * Deleted continuity notes are kept whole: the author lists them and restores one as it was, within the book's cap;
 * another author's book answers 404, and a subject that went by a rename is not offered (the note lives on).
 */

interface Note { id: string; subject: string; detail: string; locked: boolean; edited: boolean; version: number; updatedAt: string }

const { offset, clock } = movedClock();
let t: TestApp;
let a: ReturnType<typeof authorClient>;
let other: ReturnType<typeof authorClient>;

beforeAll(async () => {
  t = await buildTestApp({}, { clock });
  a = authorClient(t, (await t.newUser()).token);
  other = authorClient(t, (await t.newUser()).token);
});
afterAll(() => t.close());

async function addNote(bookId: string, subject: string, detail = 'Runs the night shift.') {
  const added = await a.call('POST', `/v1/books/${bookId}/continuity`, { kind: 'person', subject, detail });
  expect(added.statusCode, added.body).toBe(201);
  return added.json<Note>();
}
const deletedOf = async (bookId: string) => {
  const response = await a.call('GET', `/v1/books/${bookId}/continuity/deleted`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Array<{ note: Note; deletedAt: string }> }>().items;
};
const notesOf = async (bookId: string) => (await a.call('GET', `/v1/books/${bookId}/continuity`)).json<{ items: Note[] }>().items;

describe('restoring a deleted continuity note', () => {
  it('lists deleted notes newest first, as they were, and restores one one version on; it is then no longer offered', async () => {
    const bookId = await a.book();
    const maria = await addNote(bookId, 'Maria Lopez', 'Maria Lopez is 34 years old.');
    const harbour = await addNote(bookId, 'Harbour Clinic', 'A small clinic by the docks.');
    expect((await a.call('DELETE', `/v1/books/${bookId}/continuity/${maria.id}`)).statusCode).toBe(204);
    offset.ms += 60_000;
    expect((await a.call('DELETE', `/v1/books/${bookId}/continuity/${harbour.id}`)).statusCode).toBe(204);

    const deleted = await deletedOf(bookId);
    expect(deleted.map((d) => d.note)).toEqual([harbour, maria]);
    expect(deleted[0]!.deletedAt > deleted[1]!.deletedAt).toBe(true);

    const restored = await a.call('POST', `/v1/books/${bookId}/continuity/deleted/${maria.id}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<Note>()).toEqual({ ...maria, version: maria.version + 1, updatedAt: expect.any(String) });
    expect((await notesOf(bookId)).map((note) => note.id)).toEqual([maria.id]);
    expect((await deletedOf(bookId)).map((d) => d.note.id)).toEqual([harbour.id]);

    // Its edits work on the restored version; restoring it again is refused in plain words.
    const edited = await a.call('PATCH', `/v1/books/${bookId}/continuity/${maria.id}`, { version: maria.version + 1, locked: false });
    expect(edited.statusCode, edited.body).toBe(200);
    const again = await a.call('POST', `/v1/books/${bookId}/continuity/deleted/${maria.id}/restore`);
    expect(again.statusCode).toBe(404);
    expect(errorOf(again)).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('can no longer be restored') });
  });

  it("another author's book is 404 for listing and restoring; a renamed subject is not offered", async () => {
    const bookId = await a.book();
    const note = await addNote(bookId, 'Night shift');
    const renamed = await addNote(bookId, 'The ward');
    expect((await a.call('DELETE', `/v1/books/${bookId}/continuity/${note.id}`)).statusCode).toBe(204);
    expect((await a.call('PATCH', `/v1/books/${bookId}/continuity/${renamed.id}`, { subject: 'Ward 7' })).statusCode).toBe(200);

    expect((await other.call('GET', `/v1/books/${bookId}/continuity/deleted`)).statusCode).toBe(404);
    expect((await other.call('POST', `/v1/books/${bookId}/continuity/deleted/${note.id}/restore`)).statusCode).toBe(404);
    expect((await deletedOf(bookId)).map((d) => d.note.subject)).toEqual(['Night shift']);
    expect((await a.call('POST', `/v1/books/${bookId}/continuity/deleted/${renamed.id}/restore`)).statusCode).toBe(404);
  });

  it("is refused with LIMIT_REACHED when the book holds its most notes, and the deleted note stays restorable", async () => {
    const bookId = await a.book();
    const first = await addNote(bookId, 'Note 0');
    expect((await a.call('DELETE', `/v1/books/${bookId}/continuity/${first.id}`)).statusCode).toBe(204);
    for (let i = 1; i <= LIMITS.continuityNotesPerBook; i += 1) await addNote(bookId, `Note ${i}`);

    const refused = await a.call('POST', `/v1/books/${bookId}/continuity/deleted/${first.id}/restore`);
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused)).toMatchObject({ code: 'LIMIT_REACHED', message: expect.stringContaining('delete some first') });
    expect((await deletedOf(bookId)).map((d) => d.note.id)).toEqual([first.id]);
  });
});
