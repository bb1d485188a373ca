import { pageOf } from '../schemas/common.js';
import {
  AuditEventSchema, CreateUserBodySchema, GoogleAuthBodySchema, GoogleAuthResponseSchema, IssueTokenBodySchema,
  IssuedTokenSchema, ListAuditQuerySchema, ListUsersQuerySchema, RevokeAllResponseSchema, TokenInfoSchema,
  TokenParamsSchema, UpdateUserBodySchema, UserParamsSchema, UserSchema, UserTokenParamsSchema,
} from '../schemas/identity.js';
import { endpoint } from './endpoint.js';

export const identityEndpoints = {
  authGoogle: endpoint({
    method: 'POST', path: '/v1/auth/google', auth: 'none', tag: 'identity', status: 200, rateGroup: 'auth',
    summary: 'Exchange a Google ID token for an API token', body: GoogleAuthBodySchema, response: GoogleAuthResponseSchema,
    errors: ['UNAUTHORIZED', 'SIGNUP_CLOSED', 'ACCOUNT_DISABLED', 'FORBIDDEN'],
  }),
  getMe: endpoint({
    method: 'GET', path: '/v1/me', auth: 'user', tag: 'identity', status: 200,
    summary: 'The signed-in user', response: UserSchema,
  }),
  listMyTokens: endpoint({
    method: 'GET', path: '/v1/me/tokens', auth: 'user', tag: 'identity', status: 200,
    summary: "The user's active API tokens", response: pageOf(TokenInfoSchema),
  }),
  revokeMyToken: endpoint({
    method: 'DELETE', path: '/v1/me/tokens/:tokenId', auth: 'user', tag: 'identity', status: 204,
    summary: 'Revoke one of your tokens', params: TokenParamsSchema,
  }),
  revokeAllMyTokens: endpoint({
    method: 'POST', path: '/v1/me/tokens/revoke-all', auth: 'user', tag: 'identity', status: 200,
    summary: 'Sign out everywhere: revoke every token of yours', response: RevokeAllResponseSchema,
  }),
  adminListUsers: endpoint({
    method: 'GET', path: '/v1/admin/users', auth: 'admin', tag: 'admin', status: 200,
    summary: 'Users, newest first, optionally filtered by email or name', query: ListUsersQuerySchema,
    response: pageOf(UserSchema),
  }),
  adminCreateUser: endpoint({
    method: 'POST', path: '/v1/admin/users', auth: 'admin', tag: 'admin', status: 201,
    summary: 'Create a user', body: CreateUserBodySchema, response: UserSchema, errors: ['CONFLICT'],
  }),
  adminUpdateUser: endpoint({
    method: 'PATCH', path: '/v1/admin/users/:userId', auth: 'admin', tag: 'admin', status: 200,
    summary: "Change a user's role, quotas or disabled state", params: UserParamsSchema, body: UpdateUserBodySchema,
    response: UserSchema,
  }),
  adminIssueToken: endpoint({
    method: 'POST', path: '/v1/admin/users/:userId/tokens', auth: 'admin', tag: 'admin', status: 201,
    summary: 'Issue an API token for a user (shown once)', params: UserParamsSchema, body: IssueTokenBodySchema.nullish(),
    response: IssuedTokenSchema,
  }),
  adminListTokens: endpoint({
    method: 'GET', path: '/v1/admin/users/:userId/tokens', auth: 'admin', tag: 'admin', status: 200,
    summary: "A user's active tokens", params: UserParamsSchema, response: pageOf(TokenInfoSchema),
  }),
  adminRevokeToken: endpoint({
    method: 'DELETE', path: '/v1/admin/users/:userId/tokens/:tokenId', auth: 'admin', tag: 'admin', status: 204,
    summary: "Revoke one of a user's tokens", params: UserTokenParamsSchema,
  }),
  adminAudit: endpoint({
    method: 'GET', path: '/v1/admin/audit', auth: 'admin', tag: 'admin', status: 200,
    summary: 'Security and admin events, newest first', query: ListAuditQuerySchema, response: pageOf(AuditEventSchema),
  }),
};

