import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { presentUser } from '../lib/presenters.js';
import { defineRoute } from '../lib/route.js';

export default async function identityRoutes(app: FastifyInstance) {
  const { identity, googleSignIn } = app.services;

  defineRoute(app, endpoints.authGoogle, async (request) => googleSignIn.signIn(request.body.idToken, request.ip));

  defineRoute(app, endpoints.getMe, async (request) => presentUser(request.principal.user));

  defineRoute(app, endpoints.listMyTokens, async ({ principal }) => identity.listTokens(principal.user.id, principal.tokenId));

  defineRoute(app, endpoints.revokeMyToken, async ({ principal, params }) =>
    identity.revokeToken(principal.user.id, params.tokenId, principal.user.id),
  );

  defineRoute(app, endpoints.revokeAllMyTokens, async ({ principal }) => identity.revokeAll(principal.user.id, principal.user.id));
}
