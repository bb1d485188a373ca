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
