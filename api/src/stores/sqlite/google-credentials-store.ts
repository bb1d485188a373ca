import type { GoogleCredentialsRecord, GoogleCredentialsStore } from '../engine-types.js';
import { jsonIn, jsonOut, statementCache, type Db } from './helpers.js';

export function createSqliteGoogleCredentialsStore(db: Db): GoogleCredentialsStore {
  const prepare = statementCache(db);
  return {
    async get(userId) {
      const row = prepare('SELECT userId, ciphertext, scopes, clientId, updatedAt FROM google_credentials WHERE userId = ?').get(userId);
      return row ? jsonIn<GoogleCredentialsRecord>(row, ['scopes']) : null;
    },
    async put(record) {
      const row = jsonOut(record, ['scopes']);
      prepare(
        `INSERT INTO google_credentials (userId, ciphertext, scopes, clientId, updatedAt) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (userId) DO UPDATE SET ciphertext = excluded.ciphertext, scopes = excluded.scopes,
           clientId = excluded.clientId, updatedAt = excluded.updatedAt`,
      ).run(row.userId, row.ciphertext, row.scopes, row.clientId, row.updatedAt);
    },
    async replaceCiphertext(userId, expected, next, at) {
      return prepare('UPDATE google_credentials SET ciphertext = ?, updatedAt = ? WHERE userId = ? AND ciphertext = ?').run(next, at, userId, expected).changes === 1;
    },
  };
}
