import {
  ADMIN_LIMITS, USAGE_CSV_COLUMNS, type AdminLedgerEntry, type AdminUsage, type UsageFilterQuery, type UsageGroupBy,
  type UsageTotals,
} from '../../../shared/schemas/admin.js';
import { TEMPLATE_MODE } from '../../../shared/template-mode.js';
import { isTemplateModel } from '../ai/offline-provider.js';
import { AppError } from '../lib/app-error.js';
import { decodeCursor, toPage } from '../lib/paging.js';
import type { LedgerFilter, LedgerSums } from '../stores/admin-types.js';
import type { LedgerRecord } from '../stores/engine-types.js';
import type { Store } from '../stores/types.js';
import type { Clock } from './clock.js';
import { LEDGER_RETENTION_DAYS, ledgerKeptSince } from './metering-rules.js';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A day or instant from the query as an ISO instant; a day given as `to` ends the window after that day. */
function instant(value: string | undefined, end: boolean): string | null {
  if (value === undefined) return null;
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value);
  return new Date(DATE_ONLY.test(value) && end ? ms + DAY_MS : ms).toISOString();
}

/** The store's filter for a usage query; a window that ends before it starts is a VALIDATION error. */
export function ledgerFilterOf(query: UsageFilterQuery): LedgerFilter {
  const filter: LedgerFilter = {
    from: instant(query.from, false), to: instant(query.to, true), userId: query.userId ?? null, operation: query.operation ?? null,
    model: query.model ?? null, outcome: query.outcome ?? null,
  };
  if (filter.from !== null && filter.to !== null && filter.from >= filter.to) {
    throw new AppError('VALIDATION', '"from" must be before "to".', { field: 'from' });
  }
  return filter;
}

/**
 * What the ledger still holds for a window: since when it keeps every call and, when the window reaches further back
 * (or has no start), a note saying so, so that a report never passes off deleted usage as none.
 */
export function retentionOf(filter: LedgerFilter, clock: Clock): { keptSince: string; note: string | null } {
  const keptSince = ledgerKeptSince(clock);
  if (filter.from !== null && filter.from >= keptSince) return { keptSince, note: null };
  const day = keptSince.slice(0, 10);
  return { keptSince, note: `Usage is kept for ${LEDGER_RETENTION_DAYS} days, so calls made before ${day} (UTC) may be missing from these figures.` };
}

/** Store sums as the API shows them (USD from micro-dollars). */
export function presentSums(sums: LedgerSums): UsageTotals {
  return {
    calls: sums.calls, cachedCalls: sums.cachedCalls, inputTokens: sums.inputTokens, outputTokens: sums.outputTokens,
    costUsd: sums.costMicros / 1e6,
  };
}

function presentEntry(row: LedgerRecord, emails: Map<string, string | null>): AdminLedgerEntry {
  return {
    id: row.id, userId: row.userId, userEmail: emails.get(row.userId) ?? null, bookId: row.bookId, jobId: row.jobId,
    operation: row.operation, provider: row.provider, model: row.model, inputTokens: row.inputTokens,
    outputTokens: row.outputTokens, costUsd: row.costMicros / 1e6, cached: row.cached, outcome: row.outcome,
    latencyMs: row.latencyMs, createdAt: row.createdAt,
  };
}

/** One CSV field (RFC 4180): quoted when needed; text that a spreadsheet would run as a formula is defused. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Usage reports over the whole ledger for admins: filtered pages, totals, groups and CSV. */
export function createAdminUsageService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;

  /** A model group of template mode says so beside its name; every other group is shown by its key. */
  const templateModeLabel = (groupBy: UsageGroupBy, key: string) => (groupBy === 'model' && isTemplateModel(key) ? `${key} · ${TEMPLATE_MODE}` : null);

  /** Emails of the given users (null for a deleted user), one lookup per distinct id. */
  async function emailsOf(userIds: Iterable<string>): Promise<Map<string, string | null>> {
    const ids = [...new Set(userIds)];
    const users = await Promise.all(ids.map((id) => store.users.get(id)));
    return new Map(ids.map((id, i) => [id, users[i]?.email ?? null]));
  }

  async function groupsOf(filter: LedgerFilter, groupBy: UsageGroupBy | undefined) {
    if (!groupBy) return { groups: [], truncated: false };
    const rows = await store.adminLedger.groups(filter, groupBy, ADMIN_LIMITS.usageGroupsMax + 1);
    const kept = rows.slice(0, ADMIN_LIMITS.usageGroupsMax);
    const emails = groupBy === 'user' ? await emailsOf(kept.map((row) => row.key)) : null;
    return {
      groups: kept.map((row) => ({ key: row.key, label: emails?.get(row.key) ?? templateModeLabel(groupBy, row.key), ...presentSums(row) })),
      truncated: rows.length > kept.length,
    };
  }

  return {
    async report(query: UsageFilterQuery & { limit: number; cursor?: string; groupBy?: UsageGroupBy }): Promise<AdminUsage> {
      const filter = ledgerFilterOf(query);
      const [rows, totals, grouped] = await Promise.all([
        store.adminLedger.list(filter, { limit: query.limit + 1, beforeId: decodeCursor(query.cursor) }),
        store.adminLedger.totals(filter),
        groupsOf(filter, query.groupBy),
      ]);
      const emails = await emailsOf(rows.slice(0, query.limit).map((row) => row.userId));
      const page = toPage(rows, query.limit, (row) => presentEntry(row, emails));
      const retention = retentionOf(filter, clock);
      return {
        ...page, from: filter.from, to: filter.to, totals: presentSums(totals), groupBy: query.groupBy ?? null,
        groups: grouped.groups, groupsTruncated: grouped.truncated, keptSince: retention.keptSince, retentionNote: retention.note,
      };
    },

    /**
     * The filtered ledger as CSV text (header row, CRLF), newest first, capped at `ADMIN_LIMITS.usageCsvMaxRows`, with
     * the ledger's retention for the window (the file itself has room for rows only).
     */
    async csv(query: UsageFilterQuery): Promise<{ text: string; rows: number; truncated: boolean; filename: string; retention: ReturnType<typeof retentionOf> }> {
      const filter = ledgerFilterOf(query);
      const rows = await store.adminLedger.list(filter, { limit: ADMIN_LIMITS.usageCsvMaxRows + 1, beforeId: null });
      const kept = rows.slice(0, ADMIN_LIMITS.usageCsvMaxRows);
      const emails = await emailsOf(kept.map((row) => row.userId));
      const lines = [USAGE_CSV_COLUMNS.join(',')];
      for (const row of kept) {
        const entry = presentEntry(row, emails);
        lines.push(USAGE_CSV_COLUMNS.map((column) => csvField(entry[column])).join(','));
      }
      const first = filter.from?.slice(0, 10) ?? 'start';
      const last = filter.to ? new Date(Date.parse(filter.to) - 1).toISOString().slice(0, 10) : 'now';
      return {
        text: `${lines.join('\r\n')}\r\n`, rows: kept.length, truncated: rows.length > kept.length,
        filename: `usage-${first}-to-${last}.csv`, retention: retentionOf(filter, clock),
      };
    },
  };
}
