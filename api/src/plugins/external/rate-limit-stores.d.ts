// The counting stores of @fastify/rate-limit: its package has no "exports" map, so they can be imported, but it ships
// no types for them. LocalStore answers synchronously, RedisStore once its Lua script (INCR, PEXPIRE) has run.
declare module '@fastify/rate-limit/store/*' {
  interface RateLimitCount {
    current: number;
    /** Milliseconds until the window resets. */
    ttl: number;
  }
  const Store: new (continueExceeding: boolean, exponentialBackoff: boolean, ...rest: unknown[]) => {
    incr(key: string, callback: (error: Error | null, count: RateLimitCount | null) => void, windowMs: number, max: number): void;
  };
  export default Store;
}
