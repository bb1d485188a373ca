import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Chapter } from '../../shared/schemas/chapters.js';
import { killAllStarted, killHard, startServer, type ServerProcess } from './helpers/server-process.js';

/**
 * Durability: the real server as a child process on its own data directory takes a storm of concurrent writes;
 * it is SIGKILLed mid-storm (no shutdown hook runs), restarted on the same directory, and every write it had
 * acknowledged with a 2xx must still be there. Writes in flight at the kill may or may not have landed, but
 * nothing else may appear.
 */

const ADMIN_TOKEN = 'aa_durability-admin-token-0123456789';
const WORKERS = 12;
const BASE_CHAPTERS_PER_WORKER = 2;
const MAX_OPS_PER_WORKER = 60;
const MAX_CREATES_PER_WORKER = 8;
/** The kill happens from inside the handler of this many-th acknowledged storm write, with others in flight. */
const KILL_AFTER_ACKS = 250;

const root = mkdtempSync(path.join(tmpdir(), 'aa-durability-'));
const dataDir = path.join(root, 'data');
mkdirSync(dataDir);
const env = {
  LOG_LEVEL: 'warn',
  ADMIN_TOKEN,
  RATE_LIMIT_DEFAULT_PER_MIN: '1000000',
  RATE_LIMIT_AUTH_PER_MIN: '1000000',
};

afterAll(async () => {
  await killAllStarted();
  rmSync(root, { recursive: true, force: true });
});

async function call(server: ServerProcess, token: string, method: string, url: string, body?: unknown) {
  const response = await fetch(server.url + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function must<T>(server: ServerProcess, token: string, method: string, url: string, status: number, body?: unknown): Promise<T> {
  const response = await call(server, token, method, url, body);
  if (response.status !== status) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(response.body)}\n${server.output()}`);
  return response.body as T;
}

interface ChapterLedger {
  id: string;
  /** The last acknowledged state. */
  acked: { title: string; version: number };
  /** A PATCH sent after that ack whose answer never came (at most one: each chapter has one writer). */
  inFlight: { title: string } | null;
}

describe('durability across SIGKILL', () => {
  it('every acknowledged write of a concurrent storm survives a SIGKILL and restart', { timeout: 90_000 }, async () => {
    let server = await startServer(dataDir, env);

    // Set-up over HTTP: a user, their token, a book and the chapters each worker will own.
    const user = await must<{ id: string }>(server, ADMIN_TOKEN, 'POST', '/v1/admin/users', 201, { email: 'durable@example.com' });
    const { token } = await must<{ token: string }>(server, ADMIN_TOKEN, 'POST', `/v1/admin/users/${user.id}/tokens`, 201, {});
    const book = await must<{ id: string }>(server, token, 'POST', '/v1/books', 201, { title: 'Durable book' });
    const chaptersUrl = `/v1/books/${book.id}/chapters`;
    const summaryUrl = `/v1/books/${book.id}/summary`;

    const owned: ChapterLedger[][] = [];
    for (let w = 0; w < WORKERS; w++) {
      owned.push([]);
      for (let c = 0; c < BASE_CHAPTERS_PER_WORKER; c++) {
        const title = `w${w} base ${c}`;
        const chapter = await must<Chapter>(server, token, 'POST', chaptersUrl, 201, { title });
        owned[w]!.push({ id: chapter.id, acked: { title, version: chapter.version }, inFlight: null });
      }
    }

    // The storm. Every 2xx is written down with what it wrote; the kill comes from inside the storm.
    const attemptedCreates = new Set<string>();
    const ackedSummaries: Array<{ version: number; summary: string }> = [];
    const unexpected: string[] = [];
    let acks = 0;
    let killed = false;
    const victim = server;
    const acknowledge = () => {
      acks++;
      if (acks >= KILL_AFTER_ACKS && !killed) {
        killed = true;
        victim.child.kill('SIGKILL');
      }
    };

    const worker = async (w: number) => {
      let creates = 0;
      for (let op = 0; op < MAX_OPS_PER_WORKER && !killed; op++) {
        const kind = op % 3 === 0 && creates < MAX_CREATES_PER_WORKER ? 'create' : op % 3 === 1 ? 'summary' : 'patch';
        try {
          if (kind === 'create') {
            const title = `w${w} new ${creates++}`;
            attemptedCreates.add(title);
            const response = await call(server, token, 'POST', chaptersUrl, { title });
            if (response.status !== 201) throw new Error(`create answered ${response.status} ${JSON.stringify(response.body)}`);
            const chapter = response.body as unknown as Chapter;
            owned[w]!.push({ id: chapter.id, acked: { title, version: chapter.version }, inFlight: null });
            acknowledge();
          } else if (kind === 'summary') {
            const summary = `Summary written by worker ${w} at op ${op}.`;
            const response = await call(server, token, 'PUT', summaryUrl, { summary });
            if (response.status !== 200) throw new Error(`summary answered ${response.status} ${JSON.stringify(response.body)}`);
            ackedSummaries.push({ version: (response.body as { version: number }).version, summary });
            acknowledge();
          } else {
            const ledger = owned[w]![op % owned[w]!.length]!;
            const title = `w${w} op ${op} ${ledger.id.slice(-6)}`;
            ledger.inFlight = { title };
            const response = await call(server, token, 'PATCH', `${chaptersUrl}/${ledger.id}`, { version: ledger.acked.version, title });
            if (response.status !== 200) throw new Error(`patch answered ${response.status} ${JSON.stringify(response.body)}`);
            const chapter = response.body as unknown as Chapter;
            if (chapter.version !== ledger.acked.version + 1 || chapter.title !== title) {
              throw new Error(`patch acknowledged ${JSON.stringify(chapter)} for version ${ledger.acked.version}`);
            }
            ledger.acked = { title, version: chapter.version };
            ledger.inFlight = null;
            acknowledge();
          }
        } catch (error) {
          // After the kill, connection errors are expected; before it, any failure is a finding.
          if (!killed) unexpected.push(`worker ${w} op ${op} (${kind}): ${error instanceof Error ? error.message : String(error)}`);
          if (killed) return;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    const exit = await victim.exited;

    expect(unexpected, victim.output()).toEqual([]);
    expect(killed, `the storm ended after ${acks} acknowledged writes without reaching ${KILL_AFTER_ACKS}`).toBe(true);
    expect(exit.signal).toBe('SIGKILL');

    // Restart on the same directory; the same token still works (tokens are durable too).
    server = await startServer(dataDir, env);
    const ready = await call(server, token, 'GET', '/health/ready');
    expect(ready.status).toBe(200);

    const stored = new Map<string, Chapter>();
    let cursor: string | null = null;
    do {
      const page: { items: Chapter[]; nextCursor: string | null } = await must(server, token, 'GET', `${chaptersUrl}?limit=100&includeArchived=true${cursor ? `&cursor=${cursor}` : ''}`, 200);
      for (const chapter of page.items) stored.set(chapter.id, chapter);
      cursor = page.nextCursor;
    } while (cursor);

    const ledgers = owned.flat();
    const problems: string[] = [];
    for (const ledger of ledgers) {
      const chapter = stored.get(ledger.id);
      if (!chapter) {
        problems.push(`acknowledged chapter ${ledger.id} (${ledger.acked.title}) is missing`);
        continue;
      }
      const asAcked = chapter.title === ledger.acked.title && chapter.version === ledger.acked.version;
      const asInFlight = ledger.inFlight !== null && chapter.title === ledger.inFlight.title && chapter.version === ledger.acked.version + 1;
      if (!asAcked && !asInFlight) {
        problems.push(
          `chapter ${ledger.id}: stored ${JSON.stringify([chapter.title, chapter.version])}, acknowledged ${JSON.stringify([ledger.acked.title, ledger.acked.version])}` +
            (ledger.inFlight ? `, in flight ${JSON.stringify(ledger.inFlight.title)}` : ''),
        );
      }
    }
    // Nothing appears that nobody asked for: an unknown chapter must be an unacknowledged create from the storm.
    const known = new Set(ledgers.map((l) => l.id));
    for (const chapter of stored.values()) {
      if (!known.has(chapter.id) && !attemptedCreates.has(chapter.title)) problems.push(`unexpected chapter ${JSON.stringify(chapter)}`);
    }
    expect(problems).toEqual([]);
    // Creates shift their siblings in the same transaction: after the crash the order is still 0..n-1, no gaps, no twins.
    const active = [...stored.values()].filter((c) => !c.archived && c.parentId === null);
    expect(active.map((c) => c.position).sort((a, b) => a - b)).toEqual(active.map((_, i) => i));

    // The summary is at least the latest acknowledged version; every acknowledged version still in the history window is intact.
    const summary = await must<{ summary: string; version: number; history: Array<{ version: number; summary: string }> }>(server, token, 'GET', summaryUrl, 200);
    const latest = Math.max(...ackedSummaries.map((s) => s.version));
    expect(ackedSummaries.length).toBeGreaterThan(0);
    expect(summary.version).toBeGreaterThanOrEqual(latest);
    for (const acked of ackedSummaries) {
      if (acked.version === summary.version) expect(summary.summary).toBe(acked.summary);
      if (acked.version > summary.version - summary.history.length) {
        expect(summary.history.find((h) => h.version === acked.version)?.summary, `summary version ${acked.version}`).toBe(acked.summary);
      }
    }

    expect(acks).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    console.log(
      `durability: ${acks} acknowledged writes before SIGKILL (${ledgers.length} chapters, ${ackedSummaries.length} summaries; ` +
        `${ledgers.filter((l) => l.inFlight).length} PATCHes in flight); all present after restart`,
    );
    await killHard(server);
  });
});
