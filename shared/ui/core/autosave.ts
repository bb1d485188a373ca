import { ApiError } from '../../client/api-error.js';
import { retryDelayMs, type RetryDecision, type RetryPolicy } from '../../retry.js';
import type { KeyValueStore } from '../panel-host.js';

/** Where a field's text stands with the server. */
export type SaveStatus = 'saved' | 'pending' | 'saving' | 'retrying' | 'conflict' | 'failed';

/** Text typed but not yet confirmed, as kept in host storage until the server confirms it. */
export interface UnsavedEntry<T> {
  value: T;
  /** The server version the text was typed on (sent as `version`, so a stale save is a 409, never an overwrite). */
  baseVersion: number | null;
  at: string;
}

/** What the UI shows of an autosaved field. */
export interface AutosaveSnapshot<T> {
  status: SaveStatus;
  value: T;
  version: number | null;
  error: ApiError | null;
  /** When the next automatic retry happens (epoch ms), while `retrying`. */
  retryAt: number | null;
  /** Both versions after a 409: the author's and the server's (`details.current`). */
  conflict: { mine: T; theirs: T; theirsVersion: number } | null;
}

/** A value as the server confirmed it. */
export interface Confirmed<T> {
  value: T;
  version: number;
}

export interface AutosaveOptions<T> {
  /** Key in the host's `unsaved` store. */
  key: string;
  store: KeyValueStore;
  /** Sends the value with the version it was typed on; resolves with what the server stored. */
  save(value: T, baseVersion: number | null): Promise<Confirmed<T>>;
  /** Reads the server's current value out of a CONFLICT error's `details.current` (null: unreadable). */
  conflictOf(details: unknown): Confirmed<T> | null;
  onChange(snapshot: AutosaveSnapshot<T>): void;
  /** Quiet time after the last edit before one save is sent (default 800 ms). */
  debounceMs?: number;
  /** First retry delay, doubling up to `retryMaxMs` (defaults: `AUTOSAVE_RETRY_POLICY`). */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

/**
 * Autosave's retry policy: it never gives up on its own while text is unsaved (the text stays in host storage and
 * the author sees "retrying" with the time of the next attempt); a server's `Retry-After` is honoured up to five
 * minutes. No jitter: each field retries on its own schedule, started by the author's own typing.
 */
export const AUTOSAVE_RETRY_POLICY: RetryPolicy = {
  retries: Number.POSITIVE_INFINITY, baseDelayMs: 1_000, maxDelayMs: 30_000, jitter: 0, maxServerWaitMs: 300_000, longerServerWait: 'cap',
};

/** Errors worth retrying on their own: no answer, the server or AI momentarily unavailable, rate limits. */
export function isTransient(error: ApiError): boolean {
  return ['NETWORK', 'TIMEOUT', 'INTERNAL', 'RATE_LIMITED', 'AI_UNAVAILABLE', 'GOOGLE_UNAVAILABLE'].includes(error.code) || error.status >= 502;
}

/** Autosave's judgement of a failed save: transient ones are retried, after the server's `Retry-After` when it sent one. */
export function autosaveRetryDecision(error: ApiError): RetryDecision {
  if (!isTransient(error)) return { retry: false };
  return error.retryAfterS === undefined ? { retry: true } : { retry: true, serverWaitMs: error.retryAfterS * 1000 };
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Autosave that never loses text: every edit is written to host storage at once, one save is sent per pause in
 * typing, failures are retried with backoff while the text stays in storage, and the stored copy is removed only
 * when the server has confirmed exactly that text. A stale version comes back as a conflict with both versions.
 */
export class Autosaver<T> {
  private value: T;
  private version: number | null;
  private dirty = false;
  private status: SaveStatus = 'saved';
  private error: ApiError | null = null;
  private conflict: AutosaveSnapshot<T>['conflict'] = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retryAt: number | null = null;
  private failures = 0;
  private inFlight: Promise<void> | null = null;
  private storage: Promise<void> = Promise.resolve();
  private disposed = false;
  private readonly debounceMs: number;
  private readonly retryPolicy: RetryPolicy;

  constructor(initial: Confirmed<T> | { value: T; version: null }, private readonly options: AutosaveOptions<T>) {
    this.value = initial.value;
    this.version = initial.version;
    this.debounceMs = options.debounceMs ?? 800;
    this.retryPolicy = {
      ...AUTOSAVE_RETRY_POLICY,
      baseDelayMs: options.retryInitialMs ?? AUTOSAVE_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.retryMaxMs ?? AUTOSAVE_RETRY_POLICY.maxDelayMs,
    };
  }

  snapshot(): AutosaveSnapshot<T> {
    return { status: this.status, value: this.value, version: this.version, error: this.error, retryAt: this.retryAt, conflict: this.conflict };
  }

  /** Adopts text left unsaved by an earlier session (it is saved again); true when there was some. */
  async restore(): Promise<boolean> {
    const entry = await this.options.store.get<UnsavedEntry<T>>(this.options.key);
    if (!entry || this.disposed) return false;
    if (same(entry.value, this.value)) {
      await this.options.store.remove(this.options.key);
      return false;
    }
    this.value = entry.value;
    this.version = entry.baseVersion ?? this.version;
    this.dirty = true;
    this.setStatus('pending');
    this.schedule(0);
    return true;
  }

  /** The author changed the text: keep it in storage now, save after the pause. */
  edit(value: T): void {
    if (this.disposed) return;
    this.value = value;
    this.dirty = true;
    this.persist();
    if (this.conflict) {
      this.conflict = { ...this.conflict, mine: value };
      this.emit();
      return;
    }
    this.failures = 0;
    this.setStatus(this.status === 'saving' ? 'saving' : 'pending');
    this.schedule(this.debounceMs);
  }

  /** Saves now (blur, leaving the panel); resolves when the current save has settled. */
  async flush(): Promise<void> {
    this.clearTimer();
    await this.inFlight;
    if (this.dirty && !this.conflict) await this.run();
  }

  /** "Retry now" after a failure. */
  retryNow(): void {
    if (!this.dirty || this.conflict) return;
    this.failures = 0;
    this.schedule(0);
  }

  /** Settles a conflict: keep the author's text (saved over the server's version) or take the server's. */
  resolveConflict(choice: 'mine' | 'theirs'): void {
    const conflict = this.conflict;
    if (!conflict) return;
    this.conflict = null;
    this.version = conflict.theirsVersion;
    if (choice === 'theirs') {
      this.value = conflict.theirs;
      this.dirty = false;
      this.error = null;
      this.forget();
      this.setStatus('saved');
      return;
    }
    this.value = conflict.mine;
    this.dirty = true;
    this.persist();
    this.setStatus('pending');
    this.schedule(0);
  }

  /**
   * The field is going away (panel closed): pending text is sent once more, without waiting for the pause; nothing
   * is scheduled or reported after this. Whatever is not confirmed stays in storage for the next `restore`.
   */
  dispose(): void {
    this.clearTimer();
    if (this.dirty && !this.conflict && !this.inFlight) void this.run();
    this.disposed = true;
  }

  private schedule(ms: number) {
    this.clearTimer();
    if (this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  private clearTimer() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
  }

  private async run(): Promise<void> {
    if (!this.dirty || this.conflict) return;
    // One request at a time: edits made meanwhile go out when this one settles (see send).
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.send().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async send(): Promise<void> {
    const sent = this.value;
    this.setStatus('saving');
    try {
      const confirmed = await this.options.save(sent, this.version);
      this.version = confirmed.version;
      this.error = null;
      this.failures = 0;
      if (same(this.value, sent)) {
        this.dirty = false;
        this.forget();
        this.setStatus('saved');
      } else {
        // Typed on while saving: the newer text is now based on the confirmed version.
        this.persist();
        this.setStatus('pending');
        // No timer pending means the pause already came while saving: send the newer text now.
        if (!this.timer) this.schedule(0);
      }
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError({ status: 0, code: 'NETWORK', message: String(caught), cause: caught });
      this.error = error;
      if (error.code === 'CONFLICT') {
        const theirs = this.options.conflictOf(error.details);
        if (theirs && same(theirs.value, this.value)) {
          // The server already holds exactly this text (saved by another tab, or by this field before a reload).
          this.version = theirs.version;
          this.error = null;
          this.dirty = false;
          this.forget();
          this.setStatus('saved');
          return;
        }
        if (theirs) {
          this.conflict = { mine: this.value, theirs: theirs.value, theirsVersion: theirs.version };
          this.setStatus('conflict');
          return;
        }
      }
      const decision = autosaveRetryDecision(error);
      if (decision.retry && this.failures < this.retryPolicy.retries) {
        this.failures++;
        // The policy caps a longer server wait (never null); the fallback only satisfies the type.
        const delay = retryDelayMs(this.failures, decision.serverWaitMs, this.retryPolicy) ?? this.retryPolicy.maxServerWaitMs;
        this.schedule(delay);
        this.retryAt = Date.now() + delay;
        this.setStatus('retrying');
      } else {
        this.setStatus('failed');
      }
    }
  }

  /** Writes the current text to host storage (serialised, so a later write never lands before an earlier one). */
  private persist() {
    const entry: UnsavedEntry<T> = { value: this.value, baseVersion: this.version, at: new Date().toISOString() };
    this.storage = this.storage.then(() => this.options.store.set(this.options.key, entry)).catch(() => undefined);
  }

  private forget() {
    this.storage = this.storage.then(() => this.options.store.remove(this.options.key)).catch(() => undefined);
  }

  private setStatus(status: SaveStatus) {
    this.status = status;
    this.emit();
  }

  private emit() {
    if (!this.disposed) this.options.onChange(this.snapshot());
  }

  /** Resolves when pending storage writes have landed (tests, and hosts that close). */
  async settled(): Promise<void> {
    await this.storage;
  }
}
