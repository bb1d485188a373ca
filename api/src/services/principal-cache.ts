/**
 * A small in-process cache of authenticated principals by token, so a client sending requests back to back costs
 * one token and one user lookup every few seconds instead of two on every request. The identity service keys it by
 * the raw bearer token: a hit then costs no SHA-256 (hashing is for what is stored; this map lives only in this
 * process's memory, as the request headers carrying the same tokens do, and forgets an entry `ttlMs` after it was
 * stored).
 *
 * Only successes are cached. Entries live `ttlMs` (real time, whatever the service clock says), which bounds how
 * long a change made elsewhere (another process, the admin CLI) can go unseen; changes made through this process
 * drop the user's entries at once. `generation` lets a lookup that raced such a change refuse to cache what it read.
 */
export interface PrincipalCacheEntry<P> {
  principal: P;
  userId: string;
  /** The token's expiry in ms since the epoch, checked against the service clock on every hit. */
  expiresAtMs: number | null;
  /** When the token was last marked used (ms since the epoch), to know when the next mark is due. */
  lastUsedMs: number | null;
}

export function createPrincipalCache<P>(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, PrincipalCacheEntry<P> & { storedAt: number }>();
  let generation = 0;

  return {
    /** Changes every time entries are dropped; compare before and after a lookup. */
    get generation() {
      return generation;
    },

    get(key: string): PrincipalCacheEntry<P> | undefined {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (now() - entry.storedAt < options.ttlMs) return entry;
      entries.delete(key);
      return undefined;
    },

    /** Stores an entry unless entries were dropped since `seenGeneration` (the lookup may have read stale rows). */
    set(key: string, entry: PrincipalCacheEntry<P>, seenGeneration: number): void {
      if (seenGeneration !== generation) return;
      entries.delete(key);
      entries.set(key, { ...entry, storedAt: now() });
      // Oldest first: Map keeps insertion order.
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    },

    delete(key: string): void {
      entries.delete(key);
    },

    /** Forgets every token of the user (revocation, role or status change, new token). */
    dropUser(userId: string): void {
      generation++;
      for (const [key, entry] of entries) if (entry.userId === userId) entries.delete(key);
    },

    clear(): void {
      generation++;
      entries.clear();
    },
  };
}
