import type { Store, TokenRecord } from '../stores/types.js';

/** A token can be used while it is neither revoked nor expired at `now` (an ISO instant; expiring at `now` counts as expired). */
export function isActiveToken(token: TokenRecord, now: string): boolean {
  return token.revokedAt === null && (token.expiresAt === null || token.expiresAt > now);
}

/** The user's tokens that can be used at `now`, newest first. */
export async function activeTokens(store: Store, userId: string, now: string): Promise<TokenRecord[]> {
  return (await store.tokens.listByUser(userId)).filter((token) => isActiveToken(token, now));
}
