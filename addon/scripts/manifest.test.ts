import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiUrl } from '../src/api-url.js';
import { buildAddon, ROOT } from './build.js';
import { ADDON_SCOPES, manifestProblems, resolveApiUrl, type AddonManifest } from './manifest.js';

const ADDON_API_URL = 'https://books.example.org/auto-author';

let dir: string;
let source: AddonManifest;
let built: AddonManifest;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'addon-manifest-'));
  source = JSON.parse(await readFile(path.join(ROOT, 'appsscript.json'), 'utf8')) as AddonManifest;
  const result = await buildAddon({ apiUrl: ADDON_API_URL, outDir: dir, sidebar: 'placeholder' });
  built = JSON.parse(await readFile(path.join(dir, 'appsscript.json'), 'utf8')) as AddonManifest;
  expect(result.manifest).toEqual(built);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('appsscript.json', () => {
  it('runs on V8 with a time zone and Cloud Logging, as an editor add-on (no Workspace addOns block)', () => {
    for (const manifest of [source, built]) {
      expect(manifest.runtimeVersion).toBe('V8');
      expect(manifest.timeZone).toMatch(/^[A-Za-z_]+\/[A-Za-z_]+$/u);
      expect(manifest.exceptionLogging).toBe('STACKDRIVER');
      expect(manifest).not.toHaveProperty('addOns');
    }
  });

  it('asks for the minimal scopes: the current document only, no Drive, no full documents scope', () => {
    for (const manifest of [source, built]) {
      expect([...manifest.oauthScopes].sort()).toEqual([...ADDON_SCOPES].sort());
      expect(manifest.oauthScopes).toContain('https://www.googleapis.com/auth/documents.currentonly');
      expect(manifest.oauthScopes.filter((s) => /\/auth\/drive/u.test(s))).toEqual([]);
      expect(manifest.oauthScopes).not.toContain('https://www.googleapis.com/auth/documents');
      // ScriptApp.getIdentityToken() needs openid (and the email claim needs userinfo.email).
      expect(manifest.oauthScopes).toEqual(expect.arrayContaining(['openid', 'https://www.googleapis.com/auth/userinfo.email']));
    }
  });

  it('leaves urlFetchWhitelist to the build, which fills in ADDON_API_URL as an https prefix ending with "/"', () => {
    expect(source.urlFetchWhitelist).toEqual([]);
    expect(built.urlFetchWhitelist).toEqual([`${ADDON_API_URL}/`]);
    for (const prefix of built.urlFetchWhitelist) {
      expect(prefix.startsWith('https://')).toBe(true);
      expect(prefix.endsWith('/')).toBe(true);
      expect(new URL(prefix).pathname.length).toBeGreaterThan(0);
      expect(`${ADDON_API_URL}/v1/auth/google`.startsWith(prefix)).toBe(true);
    }
    expect(manifestProblems(built, resolveApiUrl(ADDON_API_URL))).toEqual([]);
    const { urlFetchWhitelist: _w, ...rest } = built;
    const { urlFetchWhitelist: _s, ...sourceRest } = source;
    expect(rest).toEqual(sourceRest);
  });

  it('names what is wrong with a manifest that breaks the rules', () => {
    const bad = {
      ...built,
      runtimeVersion: 'DEPRECATED_ES5',
      oauthScopes: [...built.oauthScopes, 'https://www.googleapis.com/auth/drive', 'https://www.googleapis.com/auth/documents'],
      urlFetchWhitelist: ['http://books.example.org/', 'https://books.example.org'],
    };
    const problems = manifestProblems(bad, resolveApiUrl(ADDON_API_URL)).join('\n');
    expect(problems).toMatch(/V8/u);
    expect(problems).toMatch(/oauthScopes/u);
    expect(problems).toMatch(/http:\/\/books\.example\.org\/ must be an https URL/u);
    expect(problems).toMatch(/https:\/\/books\.example\.org must be .* ending with "\/"/u);
    expect(problems).toMatch(/must be exactly \["https:\/\/books\.example\.org\/auto-author\/"\]/u);
  });
});

describe('ADDON_API_URL', () => {
  it('becomes a base URL without and a whitelist prefix with a trailing slash', () => {
    expect(parseApiUrl('https://API.example.com')).toEqual({ baseUrl: 'https://api.example.com', whitelistPrefix: 'https://api.example.com/' });
    expect(parseApiUrl('https://example.com:8443/x/y/')).toEqual({ baseUrl: 'https://example.com:8443/x/y', whitelistPrefix: 'https://example.com:8443/x/y/' });
    expect(resolveApiUrl(' https://api.example.com/ ').placeholder).toBe(false);
  });

  it('must be https with a full domain and nothing but a path', () => {
    for (const bad of ['http://api.example.com', 'https://localhost', 'https://user:pw@api.example.com/', 'https://api.example.com/#x', 'https://api.example.com/?a=b', 'ftp://x.y', 'api.example.com']) {
      expect(() => resolveApiUrl(bad), bad).toThrow(/ADDON_API_URL is not usable/u);
    }
  });

  it('falls back to a marked placeholder only when not required', () => {
    expect(resolveApiUrl(undefined)).toEqual({ baseUrl: 'https://auto-author.example.com', whitelistPrefix: 'https://auto-author.example.com/', placeholder: true });
    expect(() => resolveApiUrl('', { requireExplicit: true })).toThrow(/ADDON_API_URL is not set/u);
  });
});
