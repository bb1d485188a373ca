import { GenerateBodySchema, JobStartedSchema } from '../schemas/ai.js';
import { BookParamsSchema } from '../schemas/books.js';
import { ChapterParamsSchema } from '../schemas/chapters.js';
import {
  ContinuityNoteParamsSchema, ContinuityNoteSchema, ContinuityNotesSchema, CreateContinuityNoteBodySchema, DeletedContinuityNotesSchema,
  UpdateContinuityNoteBodySchema,
} from '../schemas/continuity.js';
import { endpoint } from './endpoint.js';

/** The book's continuity notes: kept from accepted drafts by a job, edited and locked by the author. */
export const continuityEndpoints = {
  listContinuityNotes: endpoint({
    method: 'GET', path: '/v1/books/:bookId/continuity', auth: 'user', tag: 'continuity', status: 200,
    summary: "The book's continuity notes (people, places, terms, dates, numbers, promises), oldest first", params: BookParamsSchema,
    response: ContinuityNotesSchema,
  }),
  createContinuityNote: endpoint({
    method: 'POST', path: '/v1/books/:bookId/continuity', auth: 'user', tag: 'continuity', status: 201,
    summary: 'Add a continuity note of your own', params: BookParamsSchema, body: CreateContinuityNoteBodySchema,
    response: ContinuityNoteSchema, errors: ['LIMIT_REACHED'],
  }),
  updateContinuityNote: endpoint({
    method: 'PATCH', path: '/v1/books/:bookId/continuity/:noteId', auth: 'user', tag: 'continuity', status: 200,
    summary: 'Edit or lock a continuity note (an edited or locked note is never replaced by an extraction)',
    params: ContinuityNoteParamsSchema, body: UpdateContinuityNoteBodySchema, response: ContinuityNoteSchema,
  }),
  deleteContinuityNote: endpoint({
    method: 'DELETE', path: '/v1/books/:bookId/continuity/:noteId', auth: 'user', tag: 'continuity', status: 204,
    summary: 'Delete a continuity note (no later extraction brings it back; restoring it or adding it yourself still works)', params: ContinuityNoteParamsSchema,
  }),
  listDeletedContinuityNotes: endpoint({
    method: 'GET', path: '/v1/books/:bookId/continuity/deleted', auth: 'user', tag: 'continuity', status: 200,
    summary: "The book's deleted continuity notes that can be restored, as they were, newest deletion first", params: BookParamsSchema,
    response: DeletedContinuityNotesSchema,
  }),
  restoreContinuityNote: endpoint({
    method: 'POST', path: '/v1/books/:bookId/continuity/deleted/:noteId/restore', auth: 'user', tag: 'continuity', status: 200,
    summary: 'Restore a deleted continuity note as it was (later extractions may keep its subject again)',
    params: ContinuityNoteParamsSchema, response: ContinuityNoteSchema, errors: ['LIMIT_REACHED'],
  }),
  extractContinuity: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/continuity/extract', auth: 'user', tag: 'continuity', status: 202,
    response: JobStartedSchema, rateGroup: 'ai', summary: "Update the continuity notes from the chapter's accepted draft (job; accepting a draft starts it)",
    params: ChapterParamsSchema, body: GenerateBodySchema.nullish(),
  }),
};
