import type { FastifyInstance } from 'fastify';
import { endpoints } from '../../../shared/contract/index.js';
import { presentUser } from '../lib/presenters.js';
import { defineRoute } from '../lib/route.js';

export default async function adminRoutes(app: FastifyInstance) {
  const { identity, audit } = app.services;

  defineRoute(app, endpoints.adminListUsers, async ({ query }) => identity.listUsers(query));

  defineRoute(app, endpoints.adminCreateUser, async ({ body, principal }) =>
    presentUser(await identity.createUser(body, principal.user.id)),
  );

  defineRoute(app, endpoints.adminUpdateUser, async ({ params, body, principal }) =>
    presentUser(await identity.updateUser(params.userId, body, principal.user.id)),
  );

  defineRoute(app, endpoints.adminIssueToken, async ({ params, body, principal }) =>
    identity.issueForUser(params.userId, body?.label ?? null, principal.user.id),
  );

  defineRoute(app, endpoints.adminListTokens, async ({ params }) => {
    await identity.requireUser(params.userId);
    return identity.listTokens(params.userId, null);
  });

  defineRoute(app, endpoints.adminRevokeToken, async ({ params, principal }) =>
    identity.revokeToken(params.userId, params.tokenId, principal.user.id),
  );

  defineRoute(app, endpoints.adminAudit, async ({ query }) => audit.list(query));
}
