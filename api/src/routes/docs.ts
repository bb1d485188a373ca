import type { FastifyInstance, FastifyRequest } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { defineRoute, userIdOf } from '../lib/route.js';

/** The Google access token the extension sends with a request (never logged; see the redaction list). */
const googleToken = (request: Pick<FastifyRequest, 'headers'>) => {
  const value = request.headers['x-google-access-token'];
  return typeof value === 'string' && value.length > 0 && value.length < 4_096 ? value : null;
};

export default async function docRoutes(app: FastifyInstance) {
  const { docs } = app.services;
  defineRoute(app, endpoints.writeDoc, async (request) => docs.write(userIdOf(request), request.params.bookId, request.body, googleToken(request)));
  defineRoute(app, endpoints.importDoc, async (request) => docs.import(userIdOf(request), request.params.bookId, request.body, googleToken(request)));
  defineRoute(app, endpoints.recordDocWrites, async (request) => docs.recordWrites(userIdOf(request), request.params.bookId, request.body));
  defineRoute(app, endpoints.docStatus, async (request) => docs.status(userIdOf(request), request.params.bookId));
}
