import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Plain JavaScript (no loader needed): its own connection runs a PASSIVE checkpoint every `intervalMs`. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const STOP_TIMEOUT_MS = 5_000;

/**
 * Copies the write-ahead log back into the database from a worker thread, every `intervalMs`. A checkpoint fsyncs
 * the log and the database (tens of milliseconds on a slow disk); run by SQLite's auto-checkpoint it happens inside
 * whichever write crosses the threshold, stalling every request in flight. PASSIVE never waits for readers or
 * writers, so the API's connection is not slowed; its auto-checkpoint remains the backstop if this worker stops.
 */
export function startWalCheckpointer(file: string, options: { intervalMs: number; log: (message: string) => void }) {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs: options.intervalMs, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  let running = true;
  worker.on('message', (message: { error?: string }) => {
    if (message.error) options.log(`WAL checkpoint failed: ${message.error}`);
  });
  worker.on('error', (error) => options.log(`WAL checkpointer stopped: ${error.message}`));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => {
    running = false;
  });
  // After the listeners: adding a 'message' listener refs the worker again. An open store never keeps a process alive.
  worker.unref();

  return {
    /** Asks the worker to close its connection and waits for it (terminating it if it does not answer). */
    async stop(): Promise<void> {
      if (!running) return;
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timeout);
    },
  };
}
