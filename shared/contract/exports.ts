import { JobStartedSchema } from '../schemas/ai.js';
import { BookParamsSchema } from '../schemas/books.js';
import { PageQuerySchema, pageOf } from '../schemas/common.js';
import { ExportParamsSchema, ExportSchema, StartExportBodySchema } from '../schemas/exports.js';
import { endpoint } from './endpoint.js';

export const exportEndpoints = {
  startExport: endpoint({
    method: 'POST', path: '/v1/books/:bookId/export', auth: 'user', tag: 'exports', status: 202, response: JobStartedSchema,
    summary: 'Export the accepted drafts as DOCX, PDF, EPUB or Markdown (job; limited per user per format per hour)',
    params: BookParamsSchema, body: StartExportBodySchema,
  }),
  listExports: endpoint({
    method: 'GET', path: '/v1/books/:bookId/exports', auth: 'user', tag: 'exports', status: 200,
    summary: "The book's exported files that have not expired, newest first", params: BookParamsSchema, query: PageQuerySchema,
    response: pageOf(ExportSchema),
  }),
  downloadExport: endpoint({
    method: 'GET', path: '/v1/books/:bookId/exports/:exportId', auth: 'user', tag: 'exports', status: 200,
    summary: 'Download an exported file (Content-Disposition names it)', params: ExportParamsSchema, produces: 'application/octet-stream',
  }),
};
