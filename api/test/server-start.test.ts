import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllStarted, startServer } from './helpers/server-process.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aa-start-'));
  dirs.push(dir);
  return path.join(dir, 'data');
};
afterAll(async () => {
  await killAllStarted();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const TSX = ['--import', 'tsx'];
const run = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [...TSX, script, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });

describe('starting the server', () => {
  it('serves /health/ready on its defaults, prints the bootstrap token once and the page URLs every time, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir, {});
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { store: { status: 'ok' } } });
    const token = /\/app#token=(aa_[\w-]+)/.exec(server.output())?.[1];
    expect(token).toBeDefined();
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me.json()).role).toBe('admin');
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);

    // Every start names the pages to open; only the first shows the token. `/` leads to the author's app.
    const again = await startServer(dataDir, {});
    expect(again.output()).not.toMatch(/#token=/);
    expect(again.output()).toContain(`Author app:      ${again.url}/app\n`);
    expect(again.output()).toContain(`Admin dashboard: ${again.url}/admin\n`);
    const root = await fetch(`${again.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/app');
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('refuses bad configuration, listing every problem, with a non-zero exit', () => {
    const result = run('api/src/server.ts', [], { PORT: 'not-a-port', STORE: 'mongodb', CORS_ORIGINS: 'not an origin' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/MONGODB_URI/);
    expect(result.stderr).toMatch(/CORS_ORIGINS/);
  });

  it('issues a recovery admin token and backs up the store from the command line', async () => {
    const dataDir = tempDir();
    const issued = run('api/src/cli/admin-token.ts', ['--email', 'ops@example.com'], { DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    expect(issued.status, issued.stderr).toBe(0);
    const token = issued.stdout.trim();
    expect(token).toMatch(/^aa_/);
    const server = await startServer(dataDir, {});
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ email: 'ops@example.com', role: 'admin' });
    const backup = run('api/src/cli/backup.ts', [], { DATA_DIR: dataDir });
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/backups\/backup-.*\.sqlite/);
    server.child.kill('SIGTERM');
    await server.exited;
  });
});
