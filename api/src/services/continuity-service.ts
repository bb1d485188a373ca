import { blockText } from '../../../shared/block-text.js';
import type { Block } from '../../../shared/blocks.js';
import { newId } from '../../../shared/ids.js';
import { LIMITS } from '../../../shared/limits.js';
import type { ContinuityNote, CreateContinuityNoteBodySchema, UpdateContinuityNoteBodySchema } from '../../../shared/schemas/continuity.js';
import type { z } from 'zod';
import { AppError, conflict, notFound } from '../lib/app-error.js';
import type { ContinuityNoteRecord } from '../stores/engine-types.js';
import type { Store } from '../stores/types.js';
import type { BooksService } from './books-service.js';
import { isoNow, type Clock } from './clock.js';
import { addNoteWithinCap, deleteNote, editNote, restorableNotes, restoreNote } from './continuity-rules.js';

export function presentContinuityNote(note: ContinuityNoteRecord): ContinuityNote {
  return {
    id: note.id, bookId: note.bookId, kind: note.kind, subject: note.subject, detail: note.detail, source: note.source, locked: note.locked,
    edited: note.editedAt !== null, generatedBy: note.generatedBy, version: note.version, createdAt: note.createdAt, updatedAt: note.updatedAt,
  };
}

/** Drafted blocks with text, by positional ref (B1, B2, …), and each ref's answer sources. */
export function blockRefs(blocks: Block[]) {
  const refs = blocks.flatMap((block, index) => (block.type === 'heading' ? [] : [{ ref: `B${index + 1}`, index, text: blockText(block), sources: block.sources }]));
  return { refs, byRef: new Map(refs.map((r) => [r.ref, r])) };
}

/**
 * The book's continuity notes (kept from each accepted draft by the continuity.extract operation): listed, added,
 * edited, locked and deleted by the author.
 */
export function createContinuityService(deps: { store: Store; books: BooksService; clock: Clock }) {
  const { store, books, clock } = deps;

  async function requireNote(userId: string, bookId: string, noteId: string) {
    await books.requireBook(userId, bookId);
    const note = await store.continuity.get(bookId, noteId);
    if (!note) throw notFound('note');
    return note;
  }

  const notesFull = () => new AppError('LIMIT_REACHED', `A book keeps at most ${LIMITS.continuityNotesPerBook} continuity notes; delete some first.`);

  return {
    async list(userId: string, bookId: string) {
      await books.requireBook(userId, bookId);
      return { items: (await store.continuity.list(bookId)).map(presentContinuityNote), nextCursor: null };
    },

    async create(userId: string, bookId: string, body: z.infer<typeof CreateContinuityNoteBodySchema>) {
      await books.requireBook(userId, bookId);
      const at = isoNow(clock);
      const note: ContinuityNoteRecord = {
        id: newId('continuityNote'), bookId, kind: body.kind, subject: body.subject.trim(), detail: body.detail.trim(),
        source: { chapterId: null, draftId: null, answers: [] }, locked: body.locked ?? false, editedAt: at, generatedBy: null,
        version: 1, createdAt: at, updatedAt: at,
      };
      if (!(await addNoteWithinCap(store, note, LIMITS.continuityNotesPerBook))) throw notesFull();
      return presentContinuityNote(note);
    },

    /**
     * An edit of the text makes the note the author's (a later extraction keeps it); locking alone does too. A renamed
     * subject is not suggested again by later extractions.
     */
    async update(userId: string, bookId: string, noteId: string, body: z.infer<typeof UpdateContinuityNoteBodySchema>) {
      await requireNote(userId, bookId, noteId);
      const { version, ...patch } = body;
      const at = isoNow(clock);
      const textChanged = patch.kind !== undefined || patch.subject !== undefined || patch.detail !== undefined;
      const result = await editNote(store, bookId, noteId, { ...patch, ...(textChanged ? { editedAt: at } : {}) }, version ?? null, at);
      if (result.ok) return presentContinuityNote(result.record);
      throw result.reason === 'missing' ? notFound('note') : conflict('note', presentContinuityNote(result.current));
    },

    /** A deleted note stays deleted: later extractions never bring it back (the author may restore it or add it again). */
    async remove(userId: string, bookId: string, noteId: string) {
      await requireNote(userId, bookId, noteId);
      if (!(await deleteNote(store, bookId, noteId, isoNow(clock)))) throw notFound('note');
    },

    async listDeleted(userId: string, bookId: string) {
      await books.requireBook(userId, bookId);
      const deleted = await restorableNotes(store, bookId);
      return { items: deleted.map(({ note, deletedAt }) => ({ note: presentContinuityNote(note), deletedAt })), nextCursor: null };
    },

    async restore(userId: string, bookId: string, noteId: string) {
      await books.requireBook(userId, bookId);
      const outcome = await restoreNote(store, bookId, noteId, isoNow(clock));
      if (outcome.ok) return presentContinuityNote(outcome.note);
      if (outcome.reason === 'full') throw notesFull();
      throw new AppError('NOT_FOUND', 'This note can no longer be restored: it was restored already, or its subject was added again.');
    },
  };
}
export type ContinuityService = ReturnType<typeof createContinuityService>;
