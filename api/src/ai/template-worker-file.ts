import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WORKER_SOURCE = fileURLToPath(new URL('./template-worker.ts', import.meta.url));

/**
 * The template worker as one plain JavaScript file (it, the task modules, compromise and zod), built with esbuild when
 * the pool first starts. A worker thread cannot run the TypeScript sources itself: the server runs them through tsx
 * and the tests through vitest, and a thread that loads them through tsx costs about 1 s of CPU to start and leaves
 * an esbuild process behind when it is stopped (a cancelled answer stops its thread). The bundle loads in about
 * 0.2 s, the same way under all three. It lives in a folder of its own that only this user can write to (a file at a
 * guessable path in the shared temporary folder could be planted by someone else and run by the server); `file()`
 * returns its path, writing it again if something cleaned it away, and `remove()` deletes the folder.
 */
export async function buildTemplateWorkerFile() {
  const result = await build({
    entryPoints: [WORKER_SOURCE], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const folder = mkdtempSync(path.join(os.tmpdir(), 'auto-author-template-worker-'));
  const file = path.join(folder, 'template-worker.mjs');
  const ensure = () => {
    if (!existsSync(file)) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // Written whole under another name, then renamed: a thread starting meanwhile never reads half a file.
      const partial = `${file}.${Date.now()}.partial`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    }
    return file;
  };
  ensure();
  return { file: ensure, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
