// The OpenAI-compatible test server as a child process, started exactly as its standalone entry documents
// (`tsx api/test/support/openai-test-server.ts --port <p> --delay-ms <ms>`). `startServer` in processes.ts passes no
// arguments to its script, hence this small variant of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { processCpuSeconds, REPO_ROOT, type ChildServer } from './processes.js';

const SCRIPT = 'api/test/support/openai-test-server.ts';
const LISTENING = /listening on (http:\/\/\S+)\s/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_TAIL_CHARS = 4_000;

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts the test server on `port` (0: any free port) with a fixed delay before every answer. */
export function startOpenAiTestServerProcess(options: { port: number; delayMs: number }): Promise<ChildServer> {
  const name = 'OpenAI test server';
  const args = ['--import', 'tsx', SCRIPT, '--port', String(options.port), '--host', '127.0.0.1', '--delay-ms', String(options.delayMs)];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let tail = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<ChildServer>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().finally(() => reject(new Error(`${name} ${reason}. Its output:\n${tail.trim() || '(none)'}`)));
    };
    const timer = setTimeout(() => fail(`did not print its URL within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
      const url = LISTENING.exec(tail)?.[1];
      if (url && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({
          name, url, stop,
          output: () => tail,
          alive: () => child.exitCode === null && child.signalCode === null,
          cpuSeconds: () => processCpuSeconds(child.pid),
        });
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    });
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited early (${signal ?? `code ${code}`})`));
  });
}
