import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { defineRoute, userIdOf } from '../lib/route.js';

export default async function bookRoutes(app: FastifyInstance) {
  const { books } = app.services;

  defineRoute(app, endpoints.createBook, async (request) => books.create(userIdOf(request), request.body));
  defineRoute(app, endpoints.listBooks, async (request) => books.list(userIdOf(request), request.query));
  defineRoute(app, endpoints.getBook, async (request) => books.get(userIdOf(request), request.params.bookId));
  defineRoute(app, endpoints.updateBook, async (request) => books.update(userIdOf(request), request.params.bookId, request.body));
  defineRoute(app, endpoints.deleteBook, async (request) => books.trash(userIdOf(request), request.params.bookId));
  defineRoute(app, endpoints.restoreBook, async (request) => books.restore(userIdOf(request), request.params.bookId));
  defineRoute(app, endpoints.linkDoc, async (request) => books.linkDoc(userIdOf(request), request.params.bookId, request.body));
  defineRoute(app, endpoints.getSummary, async (request) => books.getSummary(userIdOf(request), request.params.bookId));
  defineRoute(app, endpoints.putSummary, async (request) => books.putSummary(userIdOf(request), request.params.bookId, request.body));
  defineRoute(app, endpoints.getReadiness, async (request) => books.readiness(userIdOf(request), request.params.bookId));
}
