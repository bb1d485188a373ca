import { BookParamsSchema } from '../schemas/books.js';
import {
  DocStatusSchema, ImportDocBodySchema, ImportDocResultSchema, RecordDocWritesBodySchema, WriteDocBodySchema, WriteDocResultSchema,
} from '../schemas/docs.js';
import { endpoint } from './endpoint.js';

/** What reading or writing the author's Google Doc can answer besides the usual. */
const googleDocErrors = [
  'GOOGLE_AUTH_REQUIRED', 'GOOGLE_FORBIDDEN', 'DOC_NOT_FOUND', 'DOC_NOT_LINKED', 'DOC_CHAPTER_EDITED', 'CONFLICT', 'GOOGLE_UNAVAILABLE',
] as const;

export const docEndpoints = {
  writeDoc: endpoint({
    method: 'POST', path: '/v1/books/:bookId/doc/write', auth: 'user', tag: 'docs', status: 200,
    summary: "Write chapters' accepted drafts into the linked Google Doc (one read, one batchUpdate)",
    params: BookParamsSchema, body: WriteDocBodySchema, response: WriteDocResultSchema, errors: googleDocErrors,
  }),
  importDoc: endpoint({
    method: 'POST', path: '/v1/books/:bookId/doc/import', auth: 'user', tag: 'docs', status: 200,
    summary: "Read a doc's headings into a TOC proposal and its text into summary material",
    params: BookParamsSchema, body: ImportDocBodySchema, response: ImportDocResultSchema, errors: googleDocErrors,
  }),
  recordDocWrites: endpoint({
    method: 'POST', path: '/v1/books/:bookId/doc/writes', auth: 'user', tag: 'docs', status: 200,
    summary: 'Record chapters a host wrote into the doc itself (the add-on), so GET …/doc stays right',
    params: BookParamsSchema, body: RecordDocWritesBodySchema, response: DocStatusSchema, errors: ['DOC_NOT_LINKED'],
  }),
  docStatus: endpoint({
    method: 'GET', path: '/v1/books/:bookId/doc', auth: 'user', tag: 'docs', status: 200,
    summary: 'The linked doc and, per chapter, when and at which revision it was written',
    params: BookParamsSchema, response: DocStatusSchema,
  }),
};
