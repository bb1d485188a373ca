import { LIMITS } from '../../../shared/limits.js';
import { newId } from '../../../shared/ids.js';
import type { Role } from '../../../shared/schemas/identity.js';
import { AppError, conflict, notFound } from '../lib/app-error.js';
import { decodeCursor, toPage } from '../lib/paging.js';
import { presentToken, presentUser } from '../lib/presenters.js';
import type { Store, TokenRecord, UserPatch, UserRecord } from '../stores/types.js';
import type { AuditService } from './audit-service.js';
import { isoNow, type Clock } from './clock.js';
import type { NoticeBus } from './notice-bus.js';
import { createPrincipalCache } from './principal-cache.js';
import { hashToken, looksLikeToken, newRawToken } from './tokens.js';
import { activeTokens, isActiveToken } from './token-rules.js';

/** Who is calling: the user and the token they used. */
export interface Principal {
  user: UserRecord;
  tokenId: string;
}

const TOUCH_INTERVAL_MS = 60_000;
/** How long a token that authenticated may skip the store; revocations and user changes made here apply at once. */
const PRINCIPAL_CACHE_TTL_MS = 5_000;
const PRINCIPAL_CACHE_MAX = 10_000;
/** The administrator the first start creates. */
const BOOTSTRAP_EMAIL = 'admin@localhost';

type AuthFailure = { error: 'UNAUTHORIZED' | 'ACCOUNT_DISABLED' };

/** "User `userId`'s tokens, role or status changed": every instance drops what it cached about them. */
export type IdentityChanges = NoticeBus<{ userId: string }>;

export function createIdentityService(deps: { store: Store; audit: AuditService; clock: Clock; changes?: IdentityChanges }) {
  const { store, audit, clock } = deps;
  const principals = createPrincipalCache<Principal>({ ttlMs: PRINCIPAL_CACHE_TTL_MS, maxEntries: PRINCIPAL_CACHE_MAX });
  // Changes made on another instance (with Redis) reach this cache at once, not after its few seconds.
  deps.changes?.subscribe('*', ({ userId }) => principals.dropUser(userId));

  /** A cached principal still usable now: its token has not expired and marking it used is not due. */
  function cachedPrincipal(raw: string): Principal | undefined {
    const entry = principals.get(raw);
    if (entry === undefined) return undefined;
    const nowMs = clock.now().getTime();
    if (entry.expiresAtMs !== null && entry.expiresAtMs <= nowMs) {
      principals.delete(raw);
      return undefined;
    }
    // The full lookup marks the token used (at most once a minute, as without the cache).
    if (entry.lastUsedMs === null || nowMs - entry.lastUsedMs > TOUCH_INTERVAL_MS) return undefined;
    return entry.principal;
  }

  /** Runs a change to a user or their tokens, then forgets their cached principals (also when the change failed). */
  async function changingIdentity<T>(userId: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      principals.dropUser(userId);
      deps.changes?.publish({ userId });
    }
  }

  async function issueToken(
    userId: string,
    options: { source: TokenRecord['source']; label?: string | null; clientId?: string | null; expiresAt?: string | null },
    raw = newRawToken(),
  ) {
    const token: TokenRecord = {
      id: newId('token'), userId, hash: hashToken(raw), label: options.label ?? null, source: options.source,
      clientId: options.clientId ?? null, createdAt: isoNow(clock), expiresAt: options.expiresAt ?? null,
      lastUsedAt: null, revokedAt: null,
    };
    // A new token follows a sign-in, which may have just changed the user (its Google binding).
    await changingIdentity(userId, () => store.tokens.create(token));
    return { tokenId: token.id, token: raw, record: token };
  }

  async function createUser(input: { email: string; name?: string | null; role?: Role }, actorId: string | null) {
    const at = isoNow(clock);
    const user: UserRecord = {
      id: newId('user'), email: input.email.trim().toLowerCase(), name: input.name ?? null, role: input.role ?? 'author',
      disabled: false, googleSub: null, quotaDailyTokens: null, quotaMonthlyTokens: null, version: 1, createdAt: at, updatedAt: at,
    };
    if (!(await store.users.create(user))) throw new AppError('CONFLICT', 'A user with this email already exists.', { field: 'email' });
    await audit.record('user.created', { userId: user.id, actorId, details: { role: user.role } });
    return user;
  }

  async function requireUser(userId: string) {
    const user = await store.users.get(userId);
    if (!user) throw notFound('user');
    return user;
  }

  return {
    issueToken,
    createUser,

    /**
     * The principal of a token that authenticated in the last few seconds, without touching the store; undefined
     * when `authenticate` must decide (unknown, failed, expired, or due to be marked used).
     */
    authenticateCached(raw: string): Principal | undefined {
      return cachedPrincipal(raw);
    },

    /** Resolves a bearer token to its principal, or explains why it cannot be used. Failures are never cached. */
    async authenticate(raw: string): Promise<Principal | AuthFailure> {
      const cached = cachedPrincipal(raw);
      if (cached) return cached;
      if (!looksLikeToken(raw)) return { error: 'UNAUTHORIZED' };
      const hash = hashToken(raw);
      const generation = principals.generation;
      const token = await store.tokens.findByHash(hash);
      const now = clock.now();
      if (!token || !isActiveToken(token, now.toISOString())) return { error: 'UNAUTHORIZED' };
      const user = await store.users.get(token.userId);
      if (!user) return { error: 'UNAUTHORIZED' };
      if (user.disabled) return { error: 'ACCOUNT_DISABLED' };
      let lastUsedMs = token.lastUsedAt ? Date.parse(token.lastUsedAt) : null;
      if (lastUsedMs === null || now.getTime() - lastUsedMs > TOUCH_INTERVAL_MS) {
        await store.tokens.touch(token.id, now.toISOString());
        lastUsedMs = now.getTime();
      }
      // Frozen: one principal now serves many requests.
      const principal: Principal = Object.freeze({ user: Object.freeze(user), tokenId: token.id });
      const expiresAtMs = token.expiresAt ? Date.parse(token.expiresAt) : null;
      principals.set(raw, { principal, userId: user.id, expiresAtMs, lastUsedMs }, generation);
      return principal;
    },

    /** First start on an empty store: an admin whose token is ADMIN_TOKEN or a new one returned to print once. */
    /**
     * The first start on an empty store creates the administrator; every start makes sure ADMIN_TOKEN (when set) signs
     * it in. Servers starting together on one store may all see it empty: one creates the administrator (the email is
     * unique), the others find it, and ADMIN_TOKEN is stored once (its hash is unique).
     */
    async bootstrap(adminToken: string | null): Promise<{ createdToken: string | null }> {
      if ((await store.users.count()) === 0) {
        const admin = await createUser({ email: BOOTSTRAP_EMAIL, name: 'Administrator', role: 'admin' }, null).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'CONFLICT') return null;
          throw error;
        });
        if (admin) {
          const issued = await issueToken(admin.id, { source: 'bootstrap', label: 'bootstrap' }, adminToken ?? undefined);
          await audit.record('admin.bootstrap', { userId: admin.id });
          return { createdToken: adminToken ? null : issued.token };
        }
      }
      if (adminToken && !(await store.tokens.findByHash(hashToken(adminToken)))) {
        const admin = await store.users.getByEmail(BOOTSTRAP_EMAIL);
        if (admin) await issueToken(admin.id, { source: 'bootstrap', label: 'ADMIN_TOKEN' }, adminToken);
      }
      return { createdToken: null };
    },

    async listTokens(userId: string, currentTokenId: string | null) {
      const tokens = await activeTokens(store, userId, isoNow(clock));
      return { items: tokens.map((token) => presentToken(token, currentTokenId)), nextCursor: null };
    },

    async revokeToken(userId: string, tokenId: string, actorId: string) {
      if (!(await changingIdentity(userId, () => store.tokens.revoke(userId, tokenId, isoNow(clock))))) throw notFound('token');
      await audit.record('token.revoked', { userId, actorId, details: { tokenId } });
    },

    async revokeAll(userId: string, actorId: string) {
      const revoked = await changingIdentity(userId, () => store.tokens.revokeAll(userId, isoNow(clock)));
      await audit.record('token.revoked_all', { userId, actorId, details: { revoked } });
      return { revoked };
    },

    async issueForUser(userId: string, label: string | null, actorId: string) {
      await requireUser(userId);
      const issued = await issueToken(userId, { source: 'admin', label });
      await audit.record('token.issued', { userId, actorId, details: { tokenId: issued.tokenId } });
      return { tokenId: issued.tokenId, token: issued.token };
    },

    async listUsers(query: { limit: number; cursor?: string; q?: string }) {
      const rows = await store.users.list({ limit: query.limit + 1, beforeId: decodeCursor(query.cursor), q: query.q ?? null });
      return toPage(rows, query.limit, presentUser);
    },

    async updateUser(userId: string, patch: UserPatch & { version?: number }, actorId: string) {
      const { version, ...changes } = patch;
      // Read first so the audit event can say what each changed field was (quota changes are read back from it).
      const before = await store.users.get(userId);
      const losesAdmin = before?.role === 'admin' && !before.disabled && ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
      if (losesAdmin && (await store.users.countActiveAdmins()) <= 1) {
        throw new AppError('CONFLICT', 'This is the last active administrator; make another user an administrator first, so someone can still run the server.');
      }
      const result = await changingIdentity(userId, () => store.users.update(userId, changes, version ?? null, isoNow(clock)));
      if (!result.ok) throw result.reason === 'missing' ? notFound('user') : conflict('user', presentUser(result.current));
      const type = changes.disabled === true ? 'user.disabled' : 'user.updated';
      await audit.record(type, { userId, actorId, details: { changed: Object.keys(changes), ...beforeAndAfter(before, result.record, changes) } });
      return result.record;
    },

    requireUser,

    /** Keeps at most `LIMITS.googleTokensPerClient` Google-issued tokens per user and client, revoking the oldest. */
    async capGoogleTokens(userId: string, clientId: string) {
      const active = (await activeTokens(store, userId, isoNow(clock))).filter(
        (token) => token.source === 'google' && token.clientId === clientId,
      );
      await changingIdentity(userId, async () => {
        for (const token of active.slice(LIMITS.googleTokensPerClient)) await store.tokens.revoke(userId, token.id, isoNow(clock));
      });
    },
  };
}
export type IdentityService = ReturnType<typeof createIdentityService>;

/** `{ before, after }` of the fields a user patch touched, for the audit log (user fields hold no secrets). */
function beforeAndAfter(before: UserRecord | null, after: UserRecord, changes: UserPatch) {
  const fields = Object.keys(changes) as Array<keyof UserPatch>;
  return {
    before: Object.fromEntries(fields.map((field) => [field, before ? before[field] : null])),
    after: Object.fromEntries(fields.map((field) => [field, after[field]])),
  };
}
