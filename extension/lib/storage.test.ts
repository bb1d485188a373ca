import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { STORAGE_KEYS } from '../../shared/ui/panel-host.js';
import { apiTokenItem, bookItem, googleAccessTokenItem, settingsStore, unsavedStore } from './storage.js';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('settings', () => {
  it('keeps the API address and token in local storage under their own keys', async () => {
    await settingsStore.set(STORAGE_KEYS.apiUrl, 'https://api.example.com');
    await settingsStore.set(STORAGE_KEYS.apiToken, 'aa_secret');
    expect(await fakeBrowser.storage.local.get(['apiUrl', 'apiToken'])).toEqual({ apiUrl: 'https://api.example.com', apiToken: 'aa_secret' });
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect(await apiTokenItem.getValue()).toBe('aa_secret');
    expect(await settingsStore.get(STORAGE_KEYS.apiToken)).toBe('aa_secret');
  });

  it('keeps the open book per document', async () => {
    await settingsStore.set(STORAGE_KEYS.book('doc-1'), 'bk_1');
    await settingsStore.set(STORAGE_KEYS.book('doc-2'), 'bk_2');
    await settingsStore.set(STORAGE_KEYS.book(null), 'bk_local');
    expect(await bookItem('doc-1').getValue()).toBe('bk_1');
    expect(await settingsStore.get(STORAGE_KEYS.book('doc-2'))).toBe('bk_2');
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ 'book:doc-1': 'bk_1', 'book:doc-2': 'bk_2', 'book:local': 'bk_local' });
  });

  it('stores other panel settings as JSON values, and null or remove deletes them', async () => {
    await settingsStore.set('draftOptions', { style: 'technical', targetWords: '900' });
    expect(await settingsStore.get('draftOptions')).toEqual({ style: 'technical', targetWords: '900' });
    await settingsStore.set(STORAGE_KEYS.chapter('bk_1'), 'ch_1');
    await settingsStore.set(STORAGE_KEYS.chapter('bk_1'), null);
    await settingsStore.remove('draftOptions');
    expect(await settingsStore.get('draftOptions')).toBeNull();
    expect(await settingsStore.get(STORAGE_KEYS.chapter('bk_1'))).toBeNull();
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  it('answers null for what was never stored', async () => {
    expect(await settingsStore.get(STORAGE_KEYS.apiUrl)).toBeNull();
    expect(await settingsStore.get(STORAGE_KEYS.book('doc-9'))).toBeNull();
  });
});

describe('unsaved text', () => {
  it('lives in local storage apart from the settings, and survives until removed', async () => {
    const pending = { value: 'A long answer typed offline…', baseVersion: 3 };
    await unsavedStore.set('summary:bk_1', pending);
    await settingsStore.set('summary:bk_1', 'a setting with the same name');
    expect(await unsavedStore.get('summary:bk_1')).toEqual(pending);
    expect(await fakeBrowser.storage.local.get('unsaved:summary:bk_1')).toEqual({ 'unsaved:summary:bk_1': pending });
    await unsavedStore.remove('summary:bk_1');
    expect(await unsavedStore.get('summary:bk_1')).toBeNull();
    expect(await settingsStore.get('summary:bk_1')).toBe('a setting with the same name');
  });
});

describe('Google tokens', () => {
  it('live in session storage only (where tests and the sign-in flow put them)', async () => {
    await fakeBrowser.storage.session.set({ googleAccessToken: 'ya29.test' });
    expect(await googleAccessTokenItem.getValue()).toBe('ya29.test');
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });
});
