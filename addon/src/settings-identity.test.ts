import { describe, expect, it } from 'vitest';
import { AuthMode, FakeProperties } from '../test-support/fake-apps-script.js';
import type { GasScriptApp, GasUrlFetchApp } from './apps-script-slices.js';
import { exchangeIdentityToken, identityToken } from './identity.js';
import { parseInsertRequest } from './insert-request.js';
import { readSettings, saveSettings } from './settings.js';

const DEFAULT = 'https://api.example.com';

describe('user settings', () => {
  it('default to the build\'s API address and no token', () => {
    expect(readSettings(new FakeProperties(), DEFAULT)).toEqual({ apiUrl: DEFAULT, apiToken: null, defaultApiUrl: DEFAULT });
  });

  it('store a normalised https API address and the token; null resets each', () => {
    const properties = new FakeProperties();
    expect(saveSettings(properties, { apiUrl: 'https://Staging.Example.com/api/', apiToken: 'aa_abc' }, DEFAULT)).toMatchObject({ apiUrl: 'https://staging.example.com/api', apiToken: 'aa_abc' });
    expect(saveSettings(properties, { apiUrl: null }, DEFAULT)).toMatchObject({ apiUrl: DEFAULT, apiToken: 'aa_abc' });
    expect(saveSettings(properties, { apiToken: null }, DEFAULT).apiToken).toBeNull();
    expect(properties.values.size).toBe(0);
  });

  it('refuse an address that is not https and a token that cannot be one', () => {
    const properties = new FakeProperties();
    expect(() => saveSettings(properties, { apiUrl: 'http://api.example.com' }, DEFAULT)).toThrow(/https/u);
    expect(() => saveSettings(properties, { apiToken: 'has space' }, DEFAULT)).toThrow(/printable/u);
    expect(() => saveSettings(properties, { apiToken: 'x'.repeat(10_000) }, DEFAULT)).toThrow(/too large/u);
    expect(properties.values.size).toBe(0);
  });
});

describe('Google sign-in from the script', () => {
  const scriptApp = (token: string | null): GasScriptApp => ({ AuthMode, getIdentityToken: () => token });
  const urlFetch = (status: number, body: unknown, calls: string[] = []): GasUrlFetchApp => ({
    fetch: (url) => {
      calls.push(url);
      return { getResponseCode: () => status, getContentText: () => JSON.stringify(body) };
    },
  });

  it('needs an identity token (the openid scope)', () => {
    expect(identityToken(scriptApp('id.tok'))).toBe('id.tok');
    expect(() => identityToken(scriptApp(null))).toThrow(/openid/u);
  });

  it('passes on the API\'s error code, message and request id', () => {
    const error = { error: { code: 'SIGNUP_CLOSED', message: 'Ask an admin for an account.', requestId: 'req-1' } };
    expect(() => exchangeIdentityToken({ scriptApp: scriptApp('id'), urlFetchApp: urlFetch(403, error), apiUrl: DEFAULT, allowedPrefix: `${DEFAULT}/` }))
      .toThrow('SIGNUP_CLOSED: Ask an admin for an account. (request req-1)');
    expect(() => exchangeIdentityToken({ scriptApp: scriptApp('id'), urlFetchApp: urlFetch(502, 'nope'), apiUrl: DEFAULT, allowedPrefix: `${DEFAULT}/` }))
      .toThrow(/answered 502/u);
  });

  it('only calls the address the add-on was built to reach', () => {
    const calls: string[] = [];
    expect(() => exchangeIdentityToken({ scriptApp: scriptApp('id'), urlFetchApp: urlFetch(200, {}, calls), apiUrl: 'https://elsewhere.example.net', allowedPrefix: `${DEFAULT}/` }))
      .toThrow(/only call https:\/\/api\.example\.com\//u);
    expect(calls).toEqual([]);
  });
});

describe('an insert request from the sidebar', () => {
  const valid = {
    bookId: 'bk_1', chapterId: 'ch_1', title: 'One', tocOrder: ['ch_1', 'ch_2'], expectedTextHash: 'abc123',
    blocks: [
      { type: 'heading', level: 3, text: 'H' },
      { type: 'list', ordered: true, items: ['a'], sources: [{ questionId: 'q_1', answerVersion: 2 }], unsupported: false },
    ],
  };

  it('is checked and typed', () => {
    expect(parseInsertRequest(valid)).toEqual({
      ...valid, isSection: false, mode: 'cursor', overwrite: false,
      blocks: [{ type: 'heading', level: 3, text: 'H' }, { type: 'list', ordered: true, items: ['a'], sources: [], unsupported: false }],
    });
  });

  it('is refused when malformed', () => {
    for (const bad of [
      null, { ...valid, bookId: '../x' }, { ...valid, blocks: 'nope' }, { ...valid, blocks: [{ type: 'table' }] },
      { ...valid, blocks: [{ type: 'heading', level: 4, text: 'x' }] }, { ...valid, blocks: [{ type: 'list', items: [] }] },
      { ...valid, blocks: [{ type: 'paragraph', text: 5 }] }, { ...valid, mode: 'top' }, { ...valid, expectedTextHash: 'NOT A HASH' },
      { ...valid, title: 'x'.repeat(301) },
    ]) {
      expect(() => parseInsertRequest(bad), JSON.stringify(bad)).toThrow(/Invalid chapter to insert/u);
    }
  });
});
