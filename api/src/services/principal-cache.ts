/**
 * A small in-process cache of authenticated principals by token hash, so a client sending requests back to back
 * costs one token and one user lookup every few seconds instead of two on every request.
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

    get(hash: string): PrincipalCacheEntry<P> | undefined {
      const entry = entries.get(hash);
      if (entry === undefined) return undefined;
      if (now() - entry.storedAt < options.ttlMs) return entry;
      entries.delete(hash);
      return undefined;
    },

    /** Stores an entry unless entries were dropped since `seenGeneration` (the lookup may have read stale rows). */
    set(hash: string, entry: PrincipalCacheEntry<P>, seenGeneration: number): void {
      if (seenGeneration !== generation) return;
      entries.delete(hash);
      entries.set(hash, { ...entry, storedAt: now() });
      // Oldest first: Map keeps insertion order.
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    },

    delete(hash: string): void {
      entries.delete(hash);
    },

    /** Forgets every token of the user (revocation, role or status change, new token). */
    dropUser(userId: string): void {
      generation++;
      for (const [hash, entry] of entries) if (entry.userId === userId) entries.delete(hash);
    },

    clear(): void {
      generation++;
      entries.clear();
    },
  };
}
export type PrincipalCache<P> = ReturnType<typeof createPrincipalCache<P>>;
