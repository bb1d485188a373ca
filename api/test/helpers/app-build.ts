import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSourceMtime } from './source-mtime.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DIST = path.join(ROOT, 'dist', 'app', 'index.html');
const LOCK = path.join(ROOT, 'dist', '.app-build.lock');

/**
 * Builds dist/app when it is missing or older than its sources (`npm run build:app`). Browser test files run in
 * parallel workers: a lock directory makes one build while the others wait, then find it fresh.
 */
export async function ensureAppBuilt(): Promise<void> {
  const fresh = () => existsSync(DIST) && statSync(DIST).mtimeMs >= newestSourceMtime(ROOT, { dirs: ['web', 'shared'], files: ['vite.app.config.ts'] });
  if (fresh()) return;
  mkdirSync(path.dirname(LOCK), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than two minutes was left by a killed run.
      if (waited > 120_000 || Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (fresh()) return;
    const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
    execFileSync(process.execPath, [vite, 'build', '--config', 'vite.app.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
