import type { TokenRecord, TokensStore } from '../types.js';
import { insert, statementCache, type Db } from './helpers.js';

export function createSqliteTokensStore(db: Db): TokensStore {
  const prepare = statementCache(db);
  return {
    async create(token) {
      return insert(prepare, 'tokens', { ...token }, 'ON CONFLICT(hash) DO NOTHING').changes === 1;
    },
    async findByHash(hash) {
      return (prepare('SELECT * FROM tokens WHERE hash = ?').get(hash) as TokenRecord | undefined) ?? null;
    },
    async listByUser(userId) {
      return prepare('SELECT * FROM tokens WHERE userId = ? ORDER BY id DESC').all(userId) as TokenRecord[];
    },
    async revoke(userId, tokenId, at) {
      return prepare('UPDATE tokens SET revokedAt = ? WHERE id = ? AND userId = ? AND revokedAt IS NULL').run(at, tokenId, userId).changes === 1;
    },
    async revokeAll(userId, at) {
      return prepare('UPDATE tokens SET revokedAt = ? WHERE userId = ? AND revokedAt IS NULL').run(at, userId).changes;
    },
    async touch(tokenId, at) {
      prepare('UPDATE tokens SET lastUsedAt = ? WHERE id = ?').run(at, tokenId);
    },
    async claimIdToken(hash, expiresAt, now) {
      prepare('DELETE FROM id_token_claims WHERE expiresAt <= ?').run(now);
      return prepare('INSERT OR IGNORE INTO id_token_claims (hash, expiresAt) VALUES (?, ?)').run(hash, expiresAt).changes === 1;
    },
  };
}
