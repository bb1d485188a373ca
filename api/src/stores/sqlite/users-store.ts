import type { UserRecord, UsersStore } from '../types.js';
import { casUpdate, insert, statementCache, type Db } from './helpers.js';

type UserRow = Omit<UserRecord, 'disabled'> & { disabled: number };
const fromRow = (row: UserRow | undefined): UserRecord | null => (row ? { ...row, disabled: row.disabled === 1 } : null);

export function createSqliteUsersStore(db: Db): UsersStore {
  // SQLite's lower() folds ASCII only; search must match "Élodie" as typed.
  db.function('unicode_lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  const prepare = statementCache(db);
  const get = (id: string) => fromRow(prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined);
  return {
    async create(user) {
      // One statement: another process creating the same email at the same moment cannot slip in between.
      return insert(prepare, 'users', { ...user }, 'ON CONFLICT(email) DO NOTHING').changes === 1;
    },
    async get(id) {
      return get(id);
    },
    async getByEmail(email) {
      return fromRow(prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined);
    },
    async getByGoogleSub(sub) {
      return fromRow(prepare('SELECT * FROM users WHERE googleSub = ?').get(sub) as UserRow | undefined);
    },
    async update(id, patch, expectedVersion, at) {
      return casUpdate(prepare, 'users', { id }, patch, expectedVersion, at, () => get(id));
    },
    async list({ limit, beforeId, q }) {
      const like = q ? `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      const rows = prepare(
        `SELECT * FROM users WHERE (? IS NULL OR id < ?)
           AND (? IS NULL OR unicode_lower(email) LIKE ? ESCAPE '\\' OR unicode_lower(coalesce(name, '')) LIKE ? ESCAPE '\\')
         ORDER BY id DESC LIMIT ?`,
      ).all(beforeId, beforeId, like, like, like, limit) as UserRow[];
      return rows.map((row) => fromRow(row)!);
    },
    async count() {
      return (prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    },
    async countActiveAdmins() {
      return (prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
    },
  };
}
