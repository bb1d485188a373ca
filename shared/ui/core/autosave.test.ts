import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../client/api-error.js';
import { memoryStore } from '../panel-host.js';
import { AUTOSAVE_RETRY_POLICY, Autosaver, type AutosaveSnapshot, type Confirmed } from './autosave.js';

// The autosave engine with fake timers and a server stand-in that keeps versions like the API (compare-and-swap).

function fakeServer(initial: string) {
  const state = { value: initial, version: 1, down: false, calls: [] as Array<{ value: string; version: number | null }> };
  const save = vi.fn(async (value: string, version: number | null): Promise<Confirmed<string>> => {
    state.calls.push({ value, version });
    if (state.down) throw new ApiError({ status: 0, code: 'NETWORK', message: 'down' });
    if (version !== null && version !== state.version) {
      throw new ApiError({ status: 409, code: 'CONFLICT', message: 'stale', details: { current: { summary: state.value, version: state.version } } });
    }
    state.value = value;
    state.version += 1;
    return { value, version: state.version };
  });
  return { state, save };
}

function setup(initial = 'Hello', store = memoryStore()) {
  const server = fakeServer(initial);
  const snapshots: AutosaveSnapshot<string>[] = [];
  const saver = new Autosaver<string>({ value: initial, version: 1 }, {
    key: 'summary:bk_1', store, save: server.save, debounceMs: 800, retryInitialMs: 1_000, retryMaxMs: 8_000,
    conflictOf: (details) => {
      const current = (details as { current: { summary: string; version: number } }).current;
      return { value: current.summary, version: current.version };
    },
    onChange: (snapshot) => snapshots.push(snapshot),
  });
  const status = () => saver.snapshot().status;
  return { server, saver, store, status, snapshots };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Autosaver', () => {
  it('sends one save per pause in typing, with the latest text and the version it was typed on', async () => {
    const { server, saver, status, store } = setup();
    for (const text of ['Hello ', 'Hello w', 'Hello wo', 'Hello wor', 'Hello world']) {
      saver.edit(text);
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(server.save).not.toHaveBeenCalled();
    expect(status()).toBe('pending');
    await saver.settled();
    expect(await store.get('summary:bk_1')).toMatchObject({ value: 'Hello world', baseVersion: 1 });
    await vi.advanceTimersByTimeAsync(800);
    expect(server.state.calls).toEqual([{ value: 'Hello world', version: 1 }]);
    expect(status()).toBe('saved');
    await saver.settled();
    expect(await store.get('summary:bk_1')).toBeNull();
  });

  it('keeps edits made during a save and sends them next, based on the confirmed version', async () => {
    const { server, saver, status } = setup();
    let release: () => void = () => undefined;
    server.save.mockImplementationOnce(async (value, version) => {
      server.state.calls.push({ value, version });
      await new Promise<void>((resolve) => (release = resolve));
      server.state.value = value;
      server.state.version = 2;
      return { value, version: 2 };
    });
    saver.edit('First');
    await vi.advanceTimersByTimeAsync(800);
    expect(status()).toBe('saving');
    saver.edit('First and second');
    await vi.advanceTimersByTimeAsync(800);
    expect(server.state.calls).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(server.state.calls).toEqual([{ value: 'First', version: 1 }, { value: 'First and second', version: 2 }]);
    expect(status()).toBe('saved');
  });

  it('keeps the text while the API is down, retries with growing delays, and saves when it is back', async () => {
    const { server, saver, status, store } = setup();
    server.state.down = true;
    saver.edit('Offline words');
    await vi.advanceTimersByTimeAsync(800);
    expect(status()).toBe('retrying');
    expect(saver.snapshot().error?.code).toBe('NETWORK');
    await vi.advanceTimersByTimeAsync(1_000); // retry 1
    await vi.advanceTimersByTimeAsync(2_000); // retry 2
    expect(server.state.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(3_000); // retry 3 waits 4 s: not yet
    expect(server.state.calls).toHaveLength(3);
    await saver.settled();
    expect(await store.get('summary:bk_1')).toMatchObject({ value: 'Offline words' });
    server.state.down = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.state.calls).toHaveLength(4);
    expect(status()).toBe('saved');
    expect(server.state.value).toBe('Offline words');
    await saver.settled();
    expect(await store.get('summary:bk_1')).toBeNull();
  });

  it('honours Retry-After when it is longer than the backoff', async () => {
    const { server, saver } = setup();
    server.save.mockRejectedValueOnce(new ApiError({ status: 429, code: 'RATE_LIMITED', message: 'slow down', retryAfterS: 5 }));
    saver.edit('Rate limited');
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.snapshot().status).toBe('retrying');
    await vi.advanceTimersByTimeAsync(4_900);
    expect(server.save).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.save).toHaveBeenCalledTimes(2);
    expect(saver.snapshot().status).toBe('saved');
  });

  it('waits at most five minutes when Retry-After asks for longer, and keeps trying (AUTOSAVE_RETRY_POLICY)', async () => {
    const { server, saver } = setup();
    server.save.mockRejectedValueOnce(new ApiError({ status: 429, code: 'RATE_LIMITED', message: 'slow down', retryAfterS: 3_600 }));
    saver.edit('Asked to wait an hour');
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.snapshot()).toMatchObject({ status: 'retrying', retryAt: Date.now() + AUTOSAVE_RETRY_POLICY.maxServerWaitMs });
    await vi.advanceTimersByTimeAsync(AUTOSAVE_RETRY_POLICY.maxServerWaitMs);
    expect(server.save).toHaveBeenCalledTimes(2);
    expect(saver.snapshot().status).toBe('saved');
  });

  it('does not retry on its own what the server refused (validation) but keeps the text', async () => {
    const { server, saver, store } = setup();
    server.save.mockRejectedValueOnce(new ApiError({ status: 400, code: 'VALIDATION', message: 'too long' }));
    saver.edit('Refused');
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.snapshot().status).toBe('failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.save).toHaveBeenCalledTimes(1);
    await saver.settled();
    expect(await store.get('summary:bk_1')).toMatchObject({ value: 'Refused' });
    saver.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.snapshot().status).toBe('saved');
  });

  it('restores text left unsaved by an earlier session and saves it on its base version', async () => {
    const store = memoryStore({ 'summary:bk_1': { value: 'Typed before the reload', baseVersion: 1, at: '2025-01-01T00:00:00.000Z' } });
    const { server, saver } = setup('Hello', store);
    expect(await saver.restore()).toBe(true);
    expect(saver.snapshot()).toMatchObject({ value: 'Typed before the reload', status: 'pending' });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.state.calls).toEqual([{ value: 'Typed before the reload', version: 1 }]);
    await saver.settled();
    expect(await store.get('summary:bk_1')).toBeNull();
  });

  it('drops a stored copy that equals what the server already has', async () => {
    const store = memoryStore({ 'summary:bk_1': { value: 'Hello', baseVersion: 1, at: 'x' } });
    const { saver, server } = setup('Hello', store);
    expect(await saver.restore()).toBe(false);
    expect(await store.get('summary:bk_1')).toBeNull();
    expect(server.save).not.toHaveBeenCalled();
  });

  it('turns a stale version into a conflict with both versions, then saves the chosen one', async () => {
    const { server, saver, status } = setup();
    server.state.value = 'Theirs';
    server.state.version = 2;
    saver.edit('Mine');
    await vi.advanceTimersByTimeAsync(800);
    expect(status()).toBe('conflict');
    expect(saver.snapshot().conflict).toEqual({ mine: 'Mine', theirs: 'Theirs', theirsVersion: 2 });
    saver.edit('Mine, still typing');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.save).toHaveBeenCalledTimes(1);
    saver.resolveConflict('mine');
    await vi.advanceTimersByTimeAsync(0);
    expect(server.state.calls.at(-1)).toEqual({ value: 'Mine, still typing', version: 2 });
    expect(server.state.value).toBe('Mine, still typing');
    expect(status()).toBe('saved');
  });

  it('can take the other version instead, dropping the local copy', async () => {
    const { server, saver, store } = setup();
    server.state.value = 'Theirs';
    server.state.version = 2;
    saver.edit('Mine');
    await vi.advanceTimersByTimeAsync(800);
    saver.resolveConflict('theirs');
    expect(saver.snapshot()).toMatchObject({ value: 'Theirs', version: 2, status: 'saved', conflict: null });
    await saver.settled();
    expect(await store.get('summary:bk_1')).toBeNull();
  });

  it('flush sends pending text at once (leaving the panel)', async () => {
    const { server, saver } = setup();
    saver.edit('Leaving now');
    await saver.flush();
    expect(server.state.calls).toEqual([{ value: 'Leaving now', version: 1 }]);
  });
});

describe('Autosaver when the field goes away', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends pending text at once on dispose and clears storage when confirmed', async () => {
    const { server, saver, store, snapshots } = setup();
    saver.edit('Closing the panel');
    const reported = snapshots.length;
    saver.dispose();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.state.calls).toEqual([{ value: 'Closing the panel', version: 1 }]);
    await saver.settled();
    expect(await store.get('summary:bk_1')).toBeNull();
    expect(snapshots.length).toBeLessThanOrEqual(reported + 1);
  });

  it('treats a conflict whose server text equals the local text as saved', async () => {
    const { server, saver } = setup();
    server.state.value = 'Same words';
    server.state.version = 5;
    saver.edit('Same words');
    await vi.advanceTimersByTimeAsync(800);
    expect(saver.snapshot()).toMatchObject({ status: 'saved', version: 5, conflict: null });
  });
});
