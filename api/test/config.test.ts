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

  it("takes Fastify's trustProxy forms in TRUST_PROXY: true/false, a hop count, proxy addresses and CIDRs", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback',
    ]);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'x', CORS_ORIGINS: 'https://a.example.com/path,null', STORE: 'mongodb', AI_PRICES: '{bad', ADMIN_TOKEN: 'short',
        TRUST_PROXY: '10.0.0.0/33,proxy.example.com',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'PORT', 'CORS_ORIGINS: "https://a.example.com/path"', 'CORS_ORIGINS: "null"', 'MONGODB_URI', 'AI_PRICES', 'ADMIN_TOKEN',
      'TRUST_PROXY', '"10.0.0.0/33", "proxy.example.com"',
    ]) {
      expect(problems).toContain(name);
    }
  });
});

describe('configuration refuses the unsafe', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return '';
    } catch (error) {
      return (error as ConfigError).problems.join('\n');
    }
  };

  it('sends secrets only over https, or plain http to this machine', () => {
    for (const url of ['https://api.openai.com/v1', 'http://localhost:11434/v1', 'http://127.0.0.1:8080/v1', 'http://[::1]:9000']) {
      expect(problemsOf({ OPENAI_BASE_URL: url, GOOGLE_DOCS_ROOT_URL: url }), url).toBe('');
    }
    expect(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }).ai.baseUrl).toBe('http://localhost:11434/v1');
    const refused = {
      'http://models.example.com/v1': 'plain http is only allowed to a loopback address',
      'http://127.0.0.1.example.com/v1': 'plain http is only allowed to a loopback address',
      'ftp://models.example.com/': 'the ftp: scheme is not allowed',
      'file:///etc/passwd': 'the file: scheme is not allowed',
      'https://user:secret@models.example.com/v1': 'must not carry credentials',
      'https://user@docs.example.com/': 'must not carry credentials',
    };
    for (const [url, reason] of Object.entries(refused)) {
      for (const name of ['OPENAI_BASE_URL', 'GOOGLE_DOCS_ROOT_URL']) {
        const problems = problemsOf({ [name]: url });
        expect(problems, `${name}=${url}`).toContain(`${name}: ${reason}`);
        expect(problems).not.toContain('secret');
      }
    }
  });

  it('refuses CORS regexes that are not anchored or admit any site', () => {
    for (const rule of ['/.*/', '/^.*$/', '/googleusercontent\\.com$/', '/^https:\\/\\/docs\\.google\\.com/', '/^https?:\\/\\/.+$/']) {
      expect(problemsOf({ CORS_ORIGINS: rule }), rule).toMatch(/CORS_ORIGINS: .*(anchored|admits any site)/);
    }
    expect(problemsOf({ CORS_ORIGINS: '/^chrome-extension:\\/\\/[a-p]{32}$/,/^https:\\/\\/n-[a-z0-9-]+-script\\.googleusercontent\\.com$/' })).toBe('');
  });
});
