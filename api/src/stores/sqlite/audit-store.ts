import type { AuditRecord, AuditStore } from '../types.js';
import { insert, statementCache, type Db } from './helpers.js';

type AuditRow = Omit<AuditRecord, 'details'> & { details: string };

export function createSqliteAuditStore(db: Db): AuditStore {
  const prepare = statementCache(db);
  return {
    async append(event) {
      insert(prepare, 'audit_events', { ...event, details: JSON.stringify(event.details) });
    },
    async list({ limit, beforeId, type, userId }) {
      const rows = prepare(
        `SELECT * FROM audit_events WHERE (? IS NULL OR id < ?) AND (? IS NULL OR type = ?) AND (? IS NULL OR userId = ?)
         ORDER BY id DESC LIMIT ?`,
      ).all(beforeId, beforeId, type, type, userId, userId, limit) as AuditRow[];
      return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
    },
    async purgeBefore(cutoff) {
      return prepare('DELETE FROM audit_events WHERE createdAt < ?').run(cutoff).changes;
    },
  };
}
