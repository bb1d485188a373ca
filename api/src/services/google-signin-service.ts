import { LIMITS } from '../../../shared/limits.js';
import { AppError } from '../lib/app-error.js';
import { presentUser } from '../lib/presenters.js';
import type { Store, UserRecord } from '../stores/types.js';
import type { AuditService } from './audit-service.js';
import type { Clock } from './clock.js';
import { verifyGoogleIdToken, type GoogleIdentity, type GoogleKeySource } from './google-verifier.js';
import type { IdentityService } from './identity-service.js';
import { hashToken } from './tokens.js';

/**
 * Google sign-in admits users an admin created (matched by verified email, then bound to the Google `sub`)
 * and, when allowed domains are configured, verified accounts of those Google Workspace domains (the ID token's `hd`
 * claim: a consumer account with a verified address at that domain is not one of them). Anyone else: SIGNUP_CLOSED.
 * Each ID token is exchanged at most once.
 */
export function createGoogleSignInService(deps: {
  store: Store;
  identity: IdentityService;
  audit: AuditService;
  clock: Clock;
  clientIds: string[];
  allowedDomains: string[];
  keySource: GoogleKeySource;
}) {
  const { store, identity, audit, clock } = deps;

  async function findOrAdmit(google: GoogleIdentity): Promise<UserRecord | null> {
    const bySub = await store.users.getByGoogleSub(google.sub);
    if (bySub) return bySub;
    const byEmail = await store.users.getByEmail(google.email);
    if (byEmail) {
      if (byEmail.googleSub && byEmail.googleSub !== google.sub) return null;
      const bound = await store.users.update(byEmail.id, { googleSub: google.sub }, byEmail.version, clock.now().toISOString());
      return bound.ok ? bound.record : null;
    }
    if (!google.hostedDomain || !deps.allowedDomains.includes(google.hostedDomain)) return null;
    const created = await identity.createUser({ email: google.email, name: google.name }, null);
    const bound = await store.users.update(created.id, { googleSub: google.sub }, created.version, clock.now().toISOString());
    return bound.ok ? bound.record : created;
  }

  return {
    enabled: deps.clientIds.length > 0,

    async signIn(idToken: string, ip: string) {
      if (deps.clientIds.length === 0) throw new AppError('FORBIDDEN', 'Google sign-in is not configured on this server.');
      let google: GoogleIdentity;
      try {
        google = await verifyGoogleIdToken(idToken, { clientIds: deps.clientIds, keySource: deps.keySource });
      } catch {
        await audit.record('auth.google.rejected', { ip, details: { reason: 'invalid_token' } });
        throw new AppError('UNAUTHORIZED', 'The Google ID token is not valid.');
      }
      if (!google.emailVerified) {
        await audit.record('auth.google.rejected', { ip, details: { reason: 'email_unverified' } });
        throw new AppError('UNAUTHORIZED', 'The Google account email is not verified.');
      }
      if (!(await store.tokens.claimIdToken(hashToken(idToken), google.expiresAt, clock.now().toISOString()))) {
        await audit.record('auth.google.rejected', { ip, details: { reason: 'id_token_reused' } });
        throw new AppError('UNAUTHORIZED', 'This Google sign-in was already used; sign in with Google again.');
      }
      const user = await findOrAdmit(google);
      if (!user) {
        await audit.record('auth.google.rejected', { ip, details: { reason: 'signup_closed', domain: google.hostedDomain ?? google.email.split('@')[1] } });
        throw new AppError('SIGNUP_CLOSED', 'This Google account has no access to this server; ask an administrator.');
      }
      if (user.disabled) throw new AppError('ACCOUNT_DISABLED', 'This account is disabled.');
      const expiresAt = new Date(clock.now().getTime() + LIMITS.googleTokenTtlDays * 86_400_000).toISOString();
      const issued = await identity.issueToken(user.id, { source: 'google', clientId: google.audience, expiresAt, label: 'Google sign-in' });
      await identity.capGoogleTokens(user.id, google.audience);
      await audit.record('auth.google.signin', { userId: user.id, ip, details: { tokenId: issued.tokenId } });
      return { token: issued.token, tokenId: issued.tokenId, expiresAt, user: presentUser(user) };
    },
  };
}
