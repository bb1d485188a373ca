import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Runs the real server (`node --import tsx api/src/server.ts`) as a child process: no tsx CLI in between, so a
 * SIGKILL reaches the process that holds the database. Every child started here is tracked until it exits.
 */

const SERVER_ENTRY = fileURLToPath(new URL('../../src/server.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const LISTENING = /Auto-Author API listening on (http:\/\/[^\s]+)/;

/** Variables that would point the child at something other than a private SQLite store on an ephemeral port. */
const SCRUBBED = ['PUBLIC_URL', 'MONGODB_URI', 'REDIS_URL', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CORS_ORIGINS', 'TRUST_PROXY', 'NODE_OPTIONS', 'GOOGLE_CLIENT_IDS'];

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the child wrote so far (for failure messages). */
  output(): string;
  /** Resolves when the child has exited (with its code or signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ChildProcess>();

/** Starts the server on `dataDir` and resolves once it prints its listening line. */
export function startServer(dataDir: string, env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<ServerProcess> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of SCRUBBED) delete childEnv[name];
  Object.assign(childEnv, { PORT: '0', HOST: '127.0.0.1', STORE: 'sqlite', AI_PROVIDER: 'offline', DATA_DIR: dataDir, ...env });

  const child = spawn(process.execPath, ['--import', TSX_LOADER, SERVER_ENTRY], {
    cwd: path.dirname(dataDir),
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stderr!.on('data', collect);

  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The server did not print its listening line within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      collect(chunk);
      stdout += chunk.toString('utf8');
      const match = LISTENING.exec(stdout);
      if (match) {
        clearTimeout(timer);
        stdout = '';
        resolve({ url: match[1]!, pid: child.pid!, child, output: () => output, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`The server exited before listening (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

/** SIGKILLs the child (no shutdown hooks run) and waits until it is gone. */
export async function killHard(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await server.exited;
}

/** Kills every child this module started that is still running (test clean-up, also after a failure). */
export async function killAllStarted(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())))));
}
