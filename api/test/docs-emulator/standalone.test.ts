import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor, FIXTURES } from './setup.js';

const MAIN = fileURLToPath(new URL('../support/docs-emulator/main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
let child: ChildProcess | undefined;

afterAll(() => { child?.kill('SIGTERM'); });

/** Runs main.ts (what `npm run docs-emulator` runs) and resolves with the URL it prints. */
function startMain(args: string[]): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 20_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) { clearTimeout(timer); resolve({ url: match[1]!, output: () => output }); }
    };
    child!.stdout!.on('data', collect);
    child!.stderr!.on('data', collect);
    child!.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited with ${code}:\n${output}`)); });
  });
}

describe('standalone emulator (main.ts)', () => {
  it('starts on the given port, prints its URL, seeds fixtures, checks tokens and stops on SIGTERM', async () => {
    const { url, output } = await startMain(['--port', '0', '--token', 'browser-token', '--seed', path.join(FIXTURES, 'special-chars.json')]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output()).toContain('seeded 17hER2IFEwyIiliW1DGT3OOHaJrX_7mVyfID6HcLYib8');
    const client = clientFor({ url }, 'browser-token');
    const { data } = await client.documents.get({ documentId: '17hER2IFEwyIiliW1DGT3OOHaJrX_7mVyfID6HcLYib8' });
    expect(data.title).toBe('Special characters');
    const denied = await fetch(`${url}/v1/documents/x`, { headers: { authorization: 'Bearer other' } });
    expect(denied.status).toBe(401);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGTERM');
    await exited;
  });
});
