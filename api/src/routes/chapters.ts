import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { defineRoute, userIdOf } from '../lib/route.js';

export default async function chapterRoutes(app: FastifyInstance) {
  const { chapters } = app.services;

  defineRoute(app, endpoints.getToc, async (request) => chapters.getToc(userIdOf(request), request.params.bookId));
  defineRoute(app, endpoints.putToc, async (request) => chapters.putToc(userIdOf(request), request.params.bookId, request.body));
  defineRoute(app, endpoints.listChapters, async (request) => chapters.list(userIdOf(request), request.params.bookId, request.query));
  defineRoute(app, endpoints.createChapter, async (request) => chapters.create(userIdOf(request), request.params.bookId, request.body));
  // Not async: a promise returned from an async function takes extra microtask turns to adopt (hot read).
  defineRoute(app, endpoints.getChapter, ({ principal, params }) => chapters.get(principal.user.id, params.bookId, params.chapterId));
  defineRoute(app, endpoints.updateChapter, async ({ principal, params, body }) =>
    chapters.update(principal.user.id, params.bookId, params.chapterId, body),
  );
  defineRoute(app, endpoints.deleteChapter, async ({ principal, params }) =>
    chapters.archive(principal.user.id, params.bookId, params.chapterId),
  );
  defineRoute(app, endpoints.restoreChapter, async ({ principal, params }) =>
    chapters.restore(principal.user.id, params.bookId, params.chapterId),
  );
}
