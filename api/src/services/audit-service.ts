import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../../../shared/ids.js';
import { presentAuditEvent } from '../lib/presenters.js';
import { decodeCursor, toPage } from '../lib/paging.js';
import type { Store } from '../stores/types.js';
import { daysAgo, isoNow, type Clock } from './clock.js';

/** Security and admin event types kept in the audit log. */
export type AuditType =
  | 'auth.failed' | 'auth.locked' | 'auth.google.signin' | 'auth.google.rejected' | 'admin.bootstrap'
  | 'token.issued' | 'token.revoked' | 'token.revoked_all' | 'user.created' | 'user.updated' | 'user.disabled';

export interface AuditInput {
  userId?: string | null;
  actorId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export function createAuditService(deps: { store: Store; clock: Clock; log: Pick<FastifyBaseLogger, 'error'>; retentionDays: number }) {
  const { store, clock, log } = deps;
  return {
    /** Appends an event; an audit failure is logged, never allowed to fail the request that caused it. */
    async record(type: AuditType, input: AuditInput = {}): Promise<void> {
      try {
        await store.audit.append({
          id: newId('audit'), type, userId: input.userId ?? null, actorId: input.actorId ?? null, ip: input.ip ?? null,
          details: input.details ?? {}, createdAt: isoNow(clock),
        });
      } catch (error) {
        log.error({ err: error, auditType: type }, 'audit append failed');
      }
    },
    async list(query: { limit: number; cursor?: string; type?: string; userId?: string }) {
      const rows = await store.audit.list({
        limit: query.limit + 1, beforeId: decodeCursor(query.cursor), type: query.type ?? null, userId: query.userId ?? null,
      });
      return toPage(rows, query.limit, presentAuditEvent);
    },
    /** Drops events older than the retention window. */
    async purgeExpired(): Promise<number> {
      return store.audit.purgeBefore(daysAgo(clock, deps.retentionDays));
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
