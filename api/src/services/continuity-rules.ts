import type { ContinuityNoteRecord } from '../stores/engine-types.js';
import type { Store } from '../stores/types.js';

/** Writes to one book's notes share its lock, so the cap and an extraction's replacement never race each other. */
const bookLock = (bookId: string) => ({ lock: `continuity:${bookId}` });

/** Whether a note is the author's now: a locked or edited note is never replaced by an extraction. */
export const authorOwned = (note: ContinuityNoteRecord) => note.locked || note.editedAt !== null;

/** Inserts a note unless the book already holds `maxPerBook`; false when at the cap. */
export function addNoteWithinCap(store: Store, note: ContinuityNoteRecord, maxPerBook: number): Promise<boolean> {
  return store.atomically(async (tx) => {
    if ((await tx.continuity.count(note.bookId)) >= maxPerBook) return false;
    await tx.continuity.insert([note]);
    return true;
  }, bookLock(note.bookId));
}

/**
 * Replaces a chapter's extracted notes: those of the chapter that are not the author's go, and `build` (pure: it may
 * run again) makes the new ones from the notes that stay, which it must not repeat. Returns what was added and removed.
 */
export function replaceChapterNotes(
  store: Store,
  bookId: string,
  chapterId: string,
  build: (staying: ContinuityNoteRecord[]) => ContinuityNoteRecord[],
): Promise<{ added: ContinuityNoteRecord[]; removed: number }> {
  return store.atomically(async (tx) => {
    const current = await tx.continuity.list(bookId);
    const replaced = current.filter((note) => note.source.chapterId === chapterId && !authorOwned(note)).map((note) => note.id);
    const added = build(current.filter((note) => !replaced.includes(note.id)));
    const removed = await tx.continuity.remove(bookId, replaced);
    await tx.continuity.insert(added);
    return { added, removed };
  }, bookLock(bookId));
}
