/** Time source; tests pass a controllable one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const isoNow = (clock: Clock) => clock.now().toISOString();

export const daysAgo = (clock: Clock, days: number) => new Date(clock.now().getTime() - days * 86_400_000).toISOString();
