import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig, loadDotEnv } from '../config.js';
import { vacuumInto } from '../stores/sqlite/private-files.js';
import { SQLITE_FILE } from '../stores/sqlite/sqlite-store.js';

/** `npm run backup`: a consistent copy of the SQLite store (VACUUM INTO), safe while the server runs. */
loadDotEnv();
const config = loadConfig();
const file = path.join(config.dataDir, SQLITE_FILE);
if (!existsSync(file)) {
  console.error(`No store at ${file}: nothing to back up.`);
  process.exit(1);
}
const target = path.join(config.dataDir, 'backups', `backup-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
const db = new Database(file, { readonly: true, fileMustExist: true });
vacuumInto(db, target);
db.close();
console.log(`Backed up the store to ${target}`);
