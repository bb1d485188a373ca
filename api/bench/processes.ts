import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root: children run from here so `.env`-free relative paths and `tsx` resolve as in `npm start`. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const LISTENING = /listening on (http:\/\/\S+)\s/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 4_000;
/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system, all threads) a process has used so far; null where /proc is unavailable. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after "(comm)": state is the 3rd field of the file, utime the 14th, stime the 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_S : null;
  } catch {
    return null;
  }
}

/** A server running in its own process, found through the URL it prints once it listens. */
export interface ChildServer {
  name: string;
  url: string;
  /** The last few kilobytes of its stdout and stderr, for error messages. */
  output(): string;
  /** False once the process has exited (a crash mid-run makes the figures meaningless). */
  alive(): boolean;
  /** CPU seconds it has used so far (Linux), to price a request independently of how busy the machine is. */
  cpuSeconds(): number | null;
  /** SIGTERM (a graceful close, which also flushes `--cpu-prof`), then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Last resort when the bench dies without reaching its `finally`: no server outlives it. */
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface StartOptions {
  env: Record<string, string>;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Arguments for the script itself. */
  args?: string[];
  /** Run on these CPUs only (`taskset -c`, which execs node: the pid stays the server's). */
  cpus?: string | null;
}

/**
 * Starts `script` as `node --import tsx <script>` (one process, unlike `npx tsx`, so stopping it is exact) and
 * resolves once it prints "listening on http://…"; rejects with its output when it exits or stalls first.
 */
export function startServer(name: string, script: string, options: StartOptions): Promise<ChildServer> {
  const node = [process.execPath, '--import', 'tsx', ...(options.nodeArgs ?? []), script, ...(options.args ?? [])];
  const [command, ...args] = options.cpus ? ['taskset', '-c', options.cpus, ...node] : node;
  const child = spawn(command!, args, {
    cwd: REPO_ROOT,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

/** Polls `url` until it answers 2xx. */
export async function waitForOk(url: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s (last: ${last})`);
}
