import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import type { AdminUsage } from '../../shared/schemas/admin.js';
import { LEDGER_PURGE, LEDGER_RETENTION_DAYS } from '../src/services/metering-rules.js';
import type { LedgerRecord } from '../src/stores/engine-types.js';
import { ledgerRecord } from './stores/contract/engine-fixtures.js';
import { chapterReadyToDraft, runJob } from './helpers/journey.js';
import { bookWithInterviewJob, DAY_MS, endedStatus, movedClock, restartedWithLogLines } from './helpers/retention-fixtures.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helpers/test-app.js';
import { openAiTestEnv, startOpenAiTestServer, step, type OpenAiTestServer } from './support/openai-test-server.js';

/**
 * Retention of the usage ledger: rows older than LEDGER_RETENTION_DAYS go; recent ones and the rows of a job still
 * running stay; quota and usage figures of the retained period do not change; an admin report reaching further back
 * says in plain words that older usage is no longer kept.
 */

/** The app's clock: real time plus an offset the tests move forward in days. */
const { offset, clock } = movedClock();

type Usage = { daily: { used: number; reserved: number }; monthly: { used: number }; month: object; recent: Array<{ createdAt: string }> };

const sums = (rows: LedgerRecord[]) => ({
  calls: rows.length, inputTokens: rows.reduce((n, row) => n + row.inputTokens, 0), outputTokens: rows.reduce((n, row) => n + row.outputTokens, 0),
});

describe('the sweep of old ledger rows (real app, OpenAI-compatible test server, moved clock)', () => {
  let server: OpenAiTestServer;
  let t: TestApp;
  beforeAll(async () => {
    server = await startOpenAiTestServer();
    // Two jobs at once (one stays running, held by the model server); no heartbeat while the clock jumps.
    t = await buildTestApp(openAiTestEnv(server, { JOBS_CONCURRENCY: '2', JOB_HEARTBEAT_MS: '600000', JOB_LEASE_MS: '3600000', AI_TIMEOUT_MS: '120000' }), { clock });
  }, 60_000);
  afterAll(async () => {
    offset.ms = 0;
    server?.release();
    await t?.close();
    await server?.close();
  });

  it('deletes rows over 400 days old; recent rows and those of a running job stay; figures of the kept period do not change', { timeout: 90_000 }, async () => {
    expect(LEDGER_RETENTION_DAYS).toBe(400);
    // Day 0: an author's questions and draft, metered through the model server.
    const { user, book, base } = await chapterReadyToDraft(t);
    await runJob(t, user.token, 'POST', `${base}/drafts/generate`, { style: 'professional', targetWords: 600 });
    // Day 0: another author's draft whose first answer (off its schema) is metered, and whose repeat the server holds.
    const holder = await chapterReadyToDraft(t);
    server.script('chapter_draft_section', [step.schemaInvalid(), step.hold(0)]);
    const started = await holder.api('POST', `${holder.base}/drafts/generate`, { style: 'academic', targetWords: 900 });
    expect(started.statusCode, started.body).toBe(202);
    const held = started.json<{ job: { id: string } }>().job.id;
    await server.waitForHold(20_000);
    const rowsOfHeld = async () => (await t.app.store.ledger.listByUser(holder.user.id, 1_000)).filter((row) => row.jobId === held);
    const heldRows = await rowsOfHeld();
    expect(heldRows.length).toBeGreaterThanOrEqual(1);
    expect(await t.app.store.jobs.getById(held)).toMatchObject({ status: 'running' });

    // Day 370 and day 401: the first author goes on (rows within the 400 days, the last ones in this day's quota).
    offset.ms = 370 * DAY_MS;
    await runJob(t, user.token, 'POST', `/v1/books/${book.id}/interview/generate`, {});
    offset.ms = 401 * DAY_MS;
    await runJob(t, user.token, 'POST', `/v1/books/${book.id}/toc/generate`, {});

    const cutoff = new Date(clock.now().getTime() - LEDGER_RETENTION_DAYS * DAY_MS).toISOString();
    /** The first UTC day the ledger holds whole. */
    const keptDay = new Date(Date.parse(cutoff) + DAY_MS).toISOString().slice(0, 10);
    const allRows = [
      ...(await t.app.store.ledger.listByUser(user.id, 1_000)), ...(await t.app.store.ledger.listByUser(holder.user.id, 1_000)),
    ];
    const old = allRows.filter((row) => row.createdAt < cutoff && row.jobId !== held);
    const recent = allRows.filter((row) => row.createdAt >= cutoff);
    expect(old.length).toBeGreaterThanOrEqual(3);
    expect(recent.length).toBeGreaterThanOrEqual(2);
    const report = async (query: string) => (await t.as(ADMIN_TOKEN, { method: 'GET', url: `/v1/admin/usage?limit=100&${query}` })).json<AdminUsage>();
    const usageOf = async (token: string) => (await t.as(token, { method: 'GET', url: '/v1/me/usage' })).json<Usage>();
    /** Quota and usage figures of the retained period: what the sweep must leave as they were. */
    const keptFigures = async () => {
      const withoutOld = (usage: Usage) => ({ ...usage, recent: usage.recent.filter((row) => row.createdAt >= cutoff) });
      return {
        author: withoutOld(await usageOf(user.token)),
        holder: withoutOld(await usageOf(holder.user.token)),
        quota: await t.app.store.jobs.quotaUse(holder.user.id, cutoff, cutoff),
        admin: await report(`from=${keptDay}&groupBy=day`),
      };
    };
    const before = await keptFigures();
    expect(before.author.daily.used).toBeGreaterThan(0);
    expect(before.holder.daily.reserved).toBeGreaterThan(0);
    expect(before.admin.retentionNote).toBeNull();
    const wholeBefore = await report('');
    expect(wholeBefore.totals).toMatchObject(sums(allRows));

    expect(await t.app.services.quota.purgeExpiredUsage()).toBe(old.length);
    expect(await t.app.services.quota.purgeExpiredUsage()).toBe(0);

    for (const row of old) expect((await t.app.store.ledger.listByUser(row.userId, 1_000)).map((kept) => kept.id)).not.toContain(row.id);
    expect(await rowsOfHeld()).toEqual(heldRows);
    expect(await t.app.store.jobs.getById(held)).toMatchObject({ status: 'running', reservedTokens: before.quota.reserved });
    expect(await keptFigures()).toEqual(before);

    // A report reaching further back counts what is kept, and says so in plain words.
    const whole = await report('');
    expect(whole.totals).toMatchObject(sums([...recent, ...heldRows]));
    expect(whole.keptSince).toBe(`${keptDay}T00:00:00.000Z`);
    expect(whole.retentionNote).toBe(`Usage is kept for 400 days, so calls made before ${keptDay} (UTC) may be missing from these figures.`);
    expect((await report('from=2020-01-01&to=2020-12-31')).retentionNote).toBe(whole.retentionNote);
    expect((await report(`from=${new Date(Date.parse(keptDay) - DAY_MS).toISOString().slice(0, 10)}`)).retentionNote).toBe(whole.retentionNote);
    const csv = await t.as(ADMIN_TOKEN, { method: 'GET', url: `/v1/admin/usage.csv?from=2020-01-01` });
    expect(csv.headers['x-usage-retention-note']).toBe(whole.retentionNote);
    expect(csv.headers['x-usage-kept-since']).toBe(whole.keptSince);
    const keptCsv = await t.as(ADMIN_TOKEN, { method: 'GET', url: `/v1/admin/usage.csv?from=${keptDay}` });
    expect(keptCsv.headers['x-usage-retention-note']).toBeUndefined();

    // The held job goes on and settles as usual.
    server.release();
    expect(await endedStatus(t, held)).toBe('succeeded');
  });
});

describe('many old ledger rows (template mode, real time)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  }, 60_000);
  afterAll(() => t.close());

  it('deletes a ledger full of old rows a batch at a time, and nothing within 400 days', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
    const userId = newId('user');
    const old: string[] = [];
    for (let i = 0; i < 2.5 * LEDGER_PURGE.batch; i++) {
      const row = ledgerRecord(userId, { createdAt: daysAgo(401 + (i % 500)) });
      await t.app.store.ledger.record(row);
      old.push(row.id);
    }
    const recent = ledgerRecord(userId, { createdAt: daysAgo(399) });
    await t.app.store.ledger.record(recent);
    // A sweep stops at its time budget and the next one goes on: together they delete every old row.
    let removed = 0;
    for (let sweep = await t.app.services.quota.purgeExpiredUsage(); sweep > 0; sweep = await t.app.services.quota.purgeExpiredUsage()) removed += sweep;
    expect(removed).toBe(old.length);
    expect(await t.app.store.ledger.listByUser(userId, 10_000)).toEqual([recent]);
  });
});

describe('the hourly retention sweep (it also runs at start-up)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-ledger-retention-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('removes the ledger rows over 400 days old and says how many in its log line', async () => {
    offset.ms = 0;
    const first = await buildTestApp({}, { clock, dataDir });
    const { author } = await bookWithInterviewJob(first);
    const rows = (await first.app.store.ledger.listByUser(author.id, 1_000)).length;
    expect(rows).toBeGreaterThanOrEqual(1);
    await first.close();

    // The same data directory 401 days later, its log lines captured.
    offset.ms = 401 * DAY_MS;
    const { server: later, lines } = await restartedWithLogLines(dataDir, clock);
    try {
      expect(lines.filter((line) => line.msg === 'retention sweep')).toEqual([expect.objectContaining({ expiredLedgerRows: rows })]);
      expect(await later.store.ledger.listByUser(author.id, 1_000)).toEqual([]);
    } finally {
      await later.close();
      offset.ms = 0;
    }
  });
});
