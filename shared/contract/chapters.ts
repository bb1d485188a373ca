import { pageOf } from '../schemas/common.js';
import { BookParamsSchema } from '../schemas/books.js';
import {
  ChapterParamsSchema, ChapterSchema, CreateChapterBodySchema, ListChaptersQuerySchema, PutTocBodySchema, TocSchema,
  UpdateChapterBodySchema,
} from '../schemas/chapters.js';
import { endpoint } from './endpoint.js';

export const chapterEndpoints = {
  getToc: endpoint({
    method: 'GET', path: '/v1/books/:bookId/toc', auth: 'user', tag: 'toc', status: 200,
    summary: 'The table of contents (tree of active chapters, archived chapters beside it)', params: BookParamsSchema,
    response: TocSchema,
  }),
  putToc: endpoint({
    method: 'PUT', path: '/v1/books/:bookId/toc', auth: 'user', tag: 'toc', status: 200,
    summary: 'Structural edit merged by chapter id; chapters left out are archived; 409 on a stale version',
    params: BookParamsSchema, body: PutTocBodySchema, response: TocSchema, errors: ['LIMIT_REACHED'],
  }),
  listChapters: endpoint({
    method: 'GET', path: '/v1/books/:bookId/chapters', auth: 'user', tag: 'chapters', status: 200,
    summary: 'Chapters in TOC order', params: BookParamsSchema, query: ListChaptersQuerySchema,
    response: pageOf(ChapterSchema),
  }),
  createChapter: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters', auth: 'user', tag: 'chapters', status: 201,
    summary: 'Add a chapter (or a section under parentId)', params: BookParamsSchema, body: CreateChapterBodySchema,
    response: ChapterSchema, errors: ['LIMIT_REACHED'],
  }),
  getChapter: endpoint({
    method: 'GET', path: '/v1/books/:bookId/chapters/:chapterId', auth: 'user', tag: 'chapters', status: 200,
    summary: 'One chapter', params: ChapterParamsSchema, response: ChapterSchema,
  }),
  updateChapter: endpoint({
    method: 'PATCH', path: '/v1/books/:bookId/chapters/:chapterId', auth: 'user', tag: 'chapters', status: 200,
    summary: "Change a chapter's fields (compare-and-swap on version; 409 when stale)", params: ChapterParamsSchema,
    body: UpdateChapterBodySchema, response: ChapterSchema,
  }),
  deleteChapter: endpoint({
    method: 'DELETE', path: '/v1/books/:bookId/chapters/:chapterId', auth: 'user', tag: 'chapters', status: 204,
    summary: 'Archive a chapter (with its sections); restorable', params: ChapterParamsSchema,
  }),
  restoreChapter: endpoint({
    method: 'POST', path: '/v1/books/:bookId/chapters/:chapterId/restore', auth: 'user', tag: 'chapters', status: 200,
    summary: 'Restore an archived chapter to the end of its level', params: ChapterParamsSchema, response: ChapterSchema,
    errors: ['LIMIT_REACHED'],
  }),
};
