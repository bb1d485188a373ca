import { describe, expect, it } from 'vitest';
import { extensionBuildConfig, runtimeConfig } from './build-config.js';

describe('extension build settings', () => {
  it('defaults to the local API, not fixed, without Google sign-in or a pinned key', () => {
    expect(extensionBuildConfig({})).toEqual({
      apiUrl: 'http://127.0.0.1:8787', apiUrlFixed: false, apiMatchPattern: 'http://127.0.0.1:8787/*', oauthClientId: null, publicKey: null,
    });
    expect(runtimeConfig()).toEqual({ apiUrl: 'http://127.0.0.1:8787', apiUrlFixed: false, oauthClientId: null });
  });

  it('fixes the API given at build time; the host permission covers its origin only', () => {
    const config = extensionBuildConfig({
      EXTENSION_API_URL: ' https://Books.Example.com/api/ ', EXTENSION_OAUTH_CLIENT_ID: '123-abc.apps.googleusercontent.com',
      EXTENSION_PUBLIC_KEY: 'MIIBIjANBgkq\nhkiG9w0B+/AQ==',
    });
    expect(config).toEqual({
      apiUrl: 'https://books.example.com/api', apiUrlFixed: true, apiMatchPattern: 'https://books.example.com/*',
      oauthClientId: '123-abc.apps.googleusercontent.com', publicKey: 'MIIBIjANBgkqhkiG9w0B+/AQ==',
    });
    expect(extensionBuildConfig({ EXTENSION_API_URL: 'http://127.0.0.1:18787/' })).toMatchObject({ apiUrl: 'http://127.0.0.1:18787', apiMatchPattern: 'http://127.0.0.1:18787/*' });
  });

  it('lists every problem at once', () => {
    expect(() => extensionBuildConfig({ EXTENSION_API_URL: 'ftp://x.example/', EXTENSION_OAUTH_CLIENT_ID: 'a b', EXTENSION_PUBLIC_KEY: 'not base64!' }))
      .toThrow(/EXTENSION_API_URL[\s\S]*EXTENSION_OAUTH_CLIENT_ID[\s\S]*EXTENSION_PUBLIC_KEY/);
    expect(() => extensionBuildConfig({ EXTENSION_API_URL: 'https://u:p@x.example/?q=1' })).toThrow(/credentials/);
    expect(() => extensionBuildConfig({ EXTENSION_API_URL: 'nope' })).toThrow(/not a URL/);
  });
});

describe('extension id', () => {
  it('is what Chrome derives from the pinned key', async () => {
    const { extensionIdFromKey } = await import('./extension-id.js');
    // A key and the id Chrome 156 showed for it in chrome://extensions (checked in the browser test as well).
    const key = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2FxhN/qS4+UUlEZvZ4CQvagA4Mi2Z5SMW5jiYtfsxtRlNsuMSvZ+DdrcJN0ih+nMmfWvBQp8Fr+FJ16gGF8kCHCu+AtrTiUggqUj48hPRaJuWkEWSeXNBDHTf1ihi5lFgS16Dxe64uRfm3OFnW7jG1cxLyyDzTVZHGNO3jiHaG7mN6xDJao09ExLbgAPVcyRHpycILzdBZVE2Md+iGJG0hPTUmeQqYiQ8NyIE09Du21825oqeBJDLstjTVVwVkMLpm4L3/bv2KSQ2fQfbHQJ2OxHVNb83Cr0KzYezNjPnSR81WDc/EwoxoiDnObpGZgLyRjYqgqFUmPrxmFd2F3DlQIDAQAB';
    expect(await extensionIdFromKey(key)).toBe('hkknhkpieddabkdodgkfaboefbeaghcb');
    expect(await extensionIdFromKey(key.replace(/(.{64})/g, '$1\n'))).toBe('hkknhkpieddabkdodgkfaboefbeaghcb');
  });
});
