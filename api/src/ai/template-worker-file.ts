import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
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
 * 0.2 s, the same way under all three. Its name carries its content's hash, so every process of one version shares
 * one file in the temporary folder; `file()` returns its path, writing it again if something cleaned it away.
 */
export async function buildTemplateWorkerFile() {
  const result = await build({
    entryPoints: [WORKER_SOURCE], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const file = path.join(os.tmpdir(), `auto-author-template-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  const ensure = () => {
    if (!existsSync(file)) {
      // Written whole under another name, then renamed: a thread starting meanwhile never reads half a file.
      const partial = `${file}.${process.pid}.${Date.now()}`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    }
    return file;
  };
  ensure();
  return { file: ensure };
}
