import { LIMITS } from '../../../shared/limits.js';
import { comparable } from '../ai/offline/key-phrases.js';
import type { ContinuityNotePatch, ContinuityNoteRecord } from '../stores/engine-types.js';
import type { CasResult, Store, TransactionStores } from '../stores/types.js';

/** Writes to one book's notes share its lock, so the cap and an extraction's replacement never race each other. */
const bookLock = (bookId: string) => ({ lock: `continuity:${bookId}` });

/** Whether a note is the author's now: a locked or edited note is never replaced by an extraction. */
export const authorOwned = (note: ContinuityNoteRecord) => note.locked || note.editedAt !== null;

/**
 * What extractions match notes by: the subject, compared loosely (case, punctuation and spacing ignored). A new note
 * whose key the book already holds, or the author deleted, is not made. Empty for a subject with nothing to compare.
 */
export const noteKey = (subject: string) => comparable(subject);

/**
 * Inserts a note unless the book already holds `maxPerBook`; false when at the cap. The author's own add also forgets
 * a deletion of the same subject (their latest word on it wins), though a deletion never stops them adding one.
 */
export function addNoteWithinCap(store: Store, note: ContinuityNoteRecord, maxPerBook: number): Promise<boolean> {
  return store.atomically(async (tx) => {
    if ((await tx.continuity.count(note.bookId)) >= maxPerBook) return false;
    await tx.continuity.insert([note]);
    await tx.continuity.forgetDeletions(note.bookId, [noteKey(note.subject)]);
    return true;
  }, bookLock(note.bookId));
}

/**
 * Deletes a note and remembers it whole, so no later extraction brings its subject back and the author can restore
 * it; past `remembered` deletions the oldest are forgotten. False when the note is not there.
 */
export function deleteNote(store: Store, bookId: string, noteId: string, at: string, remembered: number = LIMITS.continuityDeletionsRemembered): Promise<boolean> {
  return store.atomically(async (tx) => {
    const note = await tx.continuity.get(bookId, noteId);
    if (!note || (await tx.continuity.remove(bookId, [noteId])) === 0) return false;
    await rememberDeleted(tx, bookId, note.subject, at, remembered, note);
    return true;
  }, bookLock(bookId));
}

/** The book's deleted notes that can be restored, newest first. */
export async function restorableNotes(store: Store, bookId: string): Promise<Array<{ note: ContinuityNoteRecord; deletedAt: string }>> {
  const deletions = await store.continuity.listDeletions(bookId);
  return deletions.flatMap(({ note, deletedAt }) => (note ? [{ note, deletedAt }] : [])).reverse();
}

export type RestoreOutcome = { ok: true; note: ContinuityNoteRecord } | { ok: false; reason: 'missing' | 'full' };

/**
 * Brings a deleted note back as it was (one version on), within the book's cap, and forgets its deletion: extractions
 * may keep its subject again. `missing` when no deletion of the book holds that note.
 */
export function restoreNote(store: Store, bookId: string, noteId: string, at: string, maxPerBook: number = LIMITS.continuityNotesPerBook): Promise<RestoreOutcome> {
  return store.atomically(async (tx): Promise<RestoreOutcome> => {
    const deletion = (await tx.continuity.listDeletions(bookId)).find((d) => d.note?.id === noteId);
    if (!deletion?.note) return { ok: false, reason: 'missing' };
    if ((await tx.continuity.count(bookId)) >= maxPerBook) return { ok: false, reason: 'full' };
    const note = { ...deletion.note, version: deletion.note.version + 1, updatedAt: at };
    await tx.continuity.insert([note]);
    await tx.continuity.forgetDeletions(bookId, [deletion.subjectKey]);
    return { ok: true, note };
  }, bookLock(bookId));
}

/** Remembers a subject the author took away (with the note, when it can be restored), keeping the book's `remembered` newest. */
async function rememberDeleted(
  tx: Pick<TransactionStores, 'continuity'>, bookId: string, subject: string, at: string, remembered: number, note: ContinuityNoteRecord | null,
) {
  const subjectKey = noteKey(subject);
  if (!subjectKey) return;
  await tx.continuity.rememberDeletions([{ bookId, subjectKey, subject, deletedAt: at, note }]);
  const deletions = await tx.continuity.listDeletions(bookId);
  const excess = deletions.length - remembered;
  if (excess > 0) await tx.continuity.forgetDeletions(bookId, deletions.slice(0, excess).map((d) => d.subjectKey));
}

/**
 * The author's edit of a note (compare-and-swap on its version). Renaming its subject counts as deleting the old one
 * (no later extraction brings the old subject back beside the renamed note) and as adding the new one by hand (a
 * deletion of that subject is forgotten).
 */
export function editNote(
  store: Store, bookId: string, noteId: string, patch: ContinuityNotePatch, expectedVersion: number | null, at: string,
  remembered: number = LIMITS.continuityDeletionsRemembered,
): Promise<CasResult<ContinuityNoteRecord>> {
  return store.atomically(async (tx) => {
    const before = await tx.continuity.get(bookId, noteId);
    const result = await tx.continuity.update(bookId, noteId, patch, expectedVersion, at);
    if (!result.ok || !before || noteKey(before.subject) === noteKey(result.record.subject)) return result;
    await tx.continuity.forgetDeletions(bookId, [noteKey(result.record.subject)]);
    await rememberDeleted(tx, bookId, before.subject, at, remembered, null);
    return result;
  }, bookLock(bookId));
}

/** An extraction of the chapter replaces its notes that are not the author's; the others stay. */
const replacedBy = (chapterId: string) => (note: ContinuityNoteRecord) => note.source.chapterId === chapterId && !authorOwned(note);

async function chapterView(tx: Pick<TransactionStores, 'continuity'>, bookId: string, chapterId: string) {
  const current = await tx.continuity.list(bookId);
  const replaced = current.filter(replacedBy(chapterId));
  const staying = current.filter((note) => !replaced.includes(note));
  return { replaced, staying, deletions: await tx.continuity.listDeletions(bookId) };
}

/**
 * The subjects an extraction of the chapter is told not to list: those of the notes that stay (other chapters', the
 * author's) and those the author deleted. A hint for the model; `replaceChapterNotes` is what enforces it.
 */
export async function subjectsNotToExtract(store: Store, bookId: string, chapterId: string): Promise<string[]> {
  const { staying, deletions } = await chapterView(store, bookId, chapterId);
  const bySubjectKey = new Map<string, string>();
  for (const subject of [...staying.map((note) => note.subject), ...deletions.map((d) => d.subject)]) {
    const key = noteKey(subject);
    if (key && !bySubjectKey.has(key)) bySubjectKey.set(key, subject);
  }
  return [...bySubjectKey.values()];
}

/**
 * Replaces a chapter's extracted notes: those of the chapter that are not the author's go, and the `fresh` ones take
 * their place, except one whose subject (by `noteKey`) a staying note holds, the author deleted, or an earlier fresh
 * one repeats, and those past the book's cap. Returns what was added and removed.
 */
export function replaceChapterNotes(
  store: Store, bookId: string, chapterId: string, fresh: ContinuityNoteRecord[], maxPerBook: number = LIMITS.continuityNotesPerBook,
): Promise<{ added: ContinuityNoteRecord[]; removed: number }> {
  return store.atomically(async (tx) => {
    const { replaced, staying, deletions } = await chapterView(tx, bookId, chapterId);
    const taken = new Set([...staying.map((note) => noteKey(note.subject)), ...deletions.map((d) => d.subjectKey)]);
    const room = Math.max(0, maxPerBook - staying.length);
    const added: ContinuityNoteRecord[] = [];
    for (const note of fresh) {
      const key = noteKey(note.subject);
      if (!key || taken.has(key) || added.length >= room) continue;
      taken.add(key);
      added.push(note);
    }
    const removed = await tx.continuity.remove(bookId, replaced.map((note) => note.id));
    await tx.continuity.insert(added);
    return { added, removed };
  }, bookLock(bookId));
}
