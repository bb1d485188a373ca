/** Skips a model that keeps failing for a cool-down, so the fallback chain moves on quickly. */
export function createCircuitBreaker(options: { failuresToOpen?: number; coolDownMs?: number; now?: () => number } = {}) {
  const failuresToOpen = options.failuresToOpen ?? 3;
  const coolDownMs = options.coolDownMs ?? 30_000;
  const now = options.now ?? Date.now;
  const states = new Map<string, { failures: number; openUntil: number }>();
  return {
    isOpen(model: string): boolean {
      const state = states.get(model);
      return state !== undefined && state.openUntil > now();
    },
    success(model: string): void {
      states.delete(model);
    },
    failure(model: string): void {
      const state = states.get(model) ?? { failures: 0, openUntil: 0 };
      state.failures++;
      if (state.failures >= failuresToOpen) state.openUntil = now() + coolDownMs;
      states.set(model, state);
    },
    /** Per model: closed, or open until when. */
    snapshot(): Record<string, { state: 'open' | 'closed'; failures: number; openUntil: string | null }> {
      return Object.fromEntries(
        [...states].map(([model, s]) => [
          model,
          { state: s.openUntil > now() ? 'open' : 'closed', failures: s.failures, openUntil: s.openUntil > now() ? new Date(s.openUntil).toISOString() : null },
        ]),
      );
    },
  };
}
export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
