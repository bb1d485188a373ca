import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { IdParamSchema, PageQuerySchema, TimestampSchema, VersionSchema } from './common.js';

export const ROLES = ['author', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  disabled: z.boolean(),
  googleLinked: z.boolean(),
  quotaDailyTokens: z.number().int().nullable(),
  quotaMonthlyTokens: z.number().int().nullable(),
  version: z.number().int(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
/** A user as the API returns it (never any secret). */
export type User = z.infer<typeof UserSchema>;

export const TOKEN_SOURCES = ['admin', 'google', 'bootstrap', 'cli'] as const;

export const TokenInfoSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  source: z.enum(TOKEN_SOURCES),
  clientId: z.string().nullable(),
  current: z.boolean(),
  createdAt: TimestampSchema,
  expiresAt: TimestampSchema.nullable(),
  lastUsedAt: TimestampSchema.nullable(),
});
/** An API token's metadata; the secret itself is only ever shown once, at issue. */
export type TokenInfo = z.infer<typeof TokenInfoSchema>;

export const GoogleAuthBodySchema = z.object({ idToken: z.string().min(1).max(LIMITS.googleIdTokenMax) });
export const GoogleAuthResponseSchema = z.object({
  token: z.string(),
  tokenId: z.string(),
  expiresAt: TimestampSchema,
  user: UserSchema,
});

export const EmailSchema = z.string().max(LIMITS.emailMax).email();

export const CreateUserBodySchema = z.object({
  email: EmailSchema,
  name: z.string().max(LIMITS.userNameMax).nullable().optional(),
  role: RoleSchema.optional(),
});

const quotaSchema = z.number().int().min(0).max(1e12).nullable().optional();
export const UpdateUserBodySchema = z.object({
  version: VersionSchema.optional(),
  name: z.string().max(LIMITS.userNameMax).nullable().optional(),
  role: RoleSchema.optional(),
  disabled: z.boolean().optional(),
  quotaDailyTokens: quotaSchema,
  quotaMonthlyTokens: quotaSchema,
});

export const ListUsersQuerySchema = PageQuerySchema.extend({ q: z.string().max(LIMITS.emailMax).optional() });

export const IssueTokenBodySchema = z.object({ label: z.string().max(LIMITS.tokenLabelMax).nullable().optional() });
export const IssuedTokenSchema = z.object({ tokenId: z.string(), token: z.string() });

export const UserParamsSchema = z.object({ userId: IdParamSchema });
export const UserTokenParamsSchema = z.object({ userId: IdParamSchema, tokenId: IdParamSchema });
export const TokenParamsSchema = z.object({ tokenId: IdParamSchema });

export const RevokeAllResponseSchema = z.object({ revoked: z.number().int() });

export const AuditEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  userId: z.string().nullable(),
  actorId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: TimestampSchema,
});
/** A security or admin event kept in the audit log. */
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const ListAuditQuerySchema = PageQuerySchema.extend({
  type: z.string().max(100).optional(),
  userId: z.string().max(100).optional(),
});
