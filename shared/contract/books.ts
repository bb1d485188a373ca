import { pageOf } from '../schemas/common.js';
import {
  BookParamsSchema, BookReadinessSchema, BookSchema, CreateBookBodySchema, LinkDocBodySchema, ListBooksQuerySchema,
  PutSummaryBodySchema, SummarySchema, UpdateBookBodySchema,
} from '../schemas/books.js';
import { endpoint } from './endpoint.js';

export const bookEndpoints = {
  createBook: endpoint({
    method: 'POST', path: '/v1/books', auth: 'user', tag: 'books', status: 201,
    summary: 'Create a book', body: CreateBookBodySchema, response: BookSchema, errors: ['LIMIT_REACHED'],
  }),
  listBooks: endpoint({
    method: 'GET', path: '/v1/books', auth: 'user', tag: 'books', status: 200,
    summary: 'Your books, newest first (filter by linked documentId; trash=true lists deleted ones)',
    query: ListBooksQuerySchema, response: pageOf(BookSchema),
  }),
  getBook: endpoint({
    method: 'GET', path: '/v1/books/:bookId', auth: 'user', tag: 'books', status: 200,
    summary: 'One book', params: BookParamsSchema, response: BookSchema,
  }),
  updateBook: endpoint({
    method: 'PATCH', path: '/v1/books/:bookId', auth: 'user', tag: 'books', status: 200,
    summary: "Change a book's brief (compare-and-swap when version is sent)", params: BookParamsSchema,
    body: UpdateBookBodySchema, response: BookSchema,
  }),
  deleteBook: endpoint({
    method: 'DELETE', path: '/v1/books/:bookId', auth: 'user', tag: 'books', status: 204,
    summary: 'Move a book to the trash (restorable for 30 days, then removed with everything under it)',
    params: BookParamsSchema,
  }),
  restoreBook: endpoint({
    method: 'POST', path: '/v1/books/:bookId/restore', auth: 'user', tag: 'books', status: 200,
    summary: 'Bring a book back from the trash', params: BookParamsSchema, response: BookSchema,
  }),
  linkDoc: endpoint({
    method: 'PUT', path: '/v1/books/:bookId/doc', auth: 'user', tag: 'books', status: 200,
    summary: 'Link the book to a Google Doc without importing', params: BookParamsSchema, body: LinkDocBodySchema,
    response: BookSchema,
  }),
  getSummary: endpoint({
    method: 'GET', path: '/v1/books/:bookId/summary', auth: 'user', tag: 'books', status: 200,
    summary: 'The summary and its last 20 distinct versions', params: BookParamsSchema, response: SummarySchema,
  }),
  putSummary: endpoint({
    method: 'PUT', path: '/v1/books/:bookId/summary', auth: 'user', tag: 'books', status: 200,
    summary: 'Save the summary (compare-and-swap when version is sent)', params: BookParamsSchema,
    body: PutSummaryBodySchema, response: SummarySchema,
  }),
  getReadiness: endpoint({
    method: 'GET', path: '/v1/books/:bookId/readiness', auth: 'user', tag: 'books', status: 200,
    summary: 'Whether the brief is ready for AI work (the shared readiness rule)', params: BookParamsSchema,
    response: BookReadinessSchema,
  }),
};
