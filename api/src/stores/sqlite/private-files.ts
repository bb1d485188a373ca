import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './helpers.js';

// The store holds authors' unpublished books and token hashes: only the server's own user may read its directory and
// files, whatever the umask. SQLite creates the -wal and -shm files with the database file's mode.

/** Creates `dir` (and parents) owner-only, and makes an existing one owner-only. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Creates `file` empty and owner-only when missing, and makes an existing one owner-only. */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

/** The database file and the write-ahead log files beside it, owner-only. */
export function ensurePrivateDatabase(file: string): void {
  ensurePrivateDir(path.dirname(file));
  ensurePrivateFile(file);
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
}

/** A consistent copy of the database into `target` (VACUUM INTO fills the empty, owner-only file made first). */
export function vacuumInto(db: Db, target: string): void {
  ensurePrivateDir(path.dirname(target));
  ensurePrivateFile(target);
  db.prepare('VACUUM INTO ?').run(target);
}
