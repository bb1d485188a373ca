/**
 * Counts failures per key in fixed one-minute windows, bounded in memory (oldest keys evicted first).
 * Used to lock out an address that keeps sending bad tokens.
 */
export function createFailureWindow(options: { maxPerWindow: number; windowMs?: number; maxKeys?: number; now?: () => number }) {
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { count: number; resetAt: number }>();

  const current = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.resetAt > now()) return entry;
    entries.delete(key);
    return null;
  };

  return {
    /** Seconds until the key may try again, or 0 when it is not locked out. */
    lockedForS(key: string): number {
      if (entries.size === 0) return 0;
      const entry = current(key);
      return entry && entry.count >= options.maxPerWindow ? Math.ceil((entry.resetAt - now()) / 1000) : 0;
    },
    /** Records a failure; returns the count in the current window. */
    record(key: string): number {
      const entry = current(key) ?? { count: 0, resetAt: now() + windowMs };
      entry.count++;
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > maxKeys) entries.delete(entries.keys().next().value!);
      return entry.count;
    },
  };
}
