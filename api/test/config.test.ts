import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('runs on defaults with no variables at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', store: 'sqlite', ai: { provider: 'offline' } });
  });

  it('accepts exact origins (extension ones included) and /regex/ rules in CORS_ORIGINS', () => {
    const config = loadConfig({ CORS_ORIGINS: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop, https://docs.example.com,/^https:\\/\\/n-[a-z0-9-]+-script\\.googleusercontent\\.com$/' });
    expect(config.corsOrigins[0]).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect((config.corsOrigins[2] as RegExp).test('https://n-abc123-0lu-script.googleusercontent.com')).toBe(true);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'x', CORS_ORIGINS: 'https://a.example.com/path,null', STORE: 'mongodb', AI_PRICES: '{bad', ADMIN_TOKEN: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'CORS_ORIGINS: "https://a.example.com/path"', 'CORS_ORIGINS: "null"', 'MONGODB_URI', 'AI_PRICES', 'ADMIN_TOKEN']) {
      expect(problems).toContain(name);
    }
  });
});
