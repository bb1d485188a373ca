import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllStarted, startServer, type ServerProcess } from './helpers/server-process.js';

/**
 * Two processes on one SQLite file (two servers on one DATA_DIR, and the admin:token CLI beside them): a storm of
 * mixed writes through both must end with no 5xx (writers wait for the lock instead of failing with SQLITE_BUSY) and
 * with every acknowledged write readable afterwards, versions still checked.
 */

const ADMIN_TOKEN = 'aa_two-process-admin-token-0123456789';
const WORKERS = 8;
const OPS_PER_WORKER = 40;
const root = mkdtempSync(path.join(tmpdir(), 'aa-two-process-'));
const dataDir = path.join(root, 'data');
mkdirSync(dataDir);
const env = { LOG_LEVEL: 'warn', ADMIN_TOKEN, RATE_LIMIT_DEFAULT_PER_MIN: '1000000', RATE_LIMIT_AI_PER_MIN: '1000000', RATE_LIMIT_AUTH_PER_MIN: '1000000' };
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

afterAll(async () => {
  await killAllStarted();
  rmSync(root, { recursive: true, force: true });
});

type Reply = { status: number; body: Record<string, unknown> | null };
const failures: string[] = [];

async function call(server: ServerProcess, token: string, method: string, url: string, body?: unknown): Promise<Reply> {
  const response = await fetch(server.url + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const reply = { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  if (reply.status >= 500) failures.push(`${method} ${url} → ${reply.status} ${text}`);
  return reply;
}

async function must<T>(server: ServerProcess, token: string, method: string, url: string, status: number, body?: unknown): Promise<T> {
  const reply = await call(server, token, method, url, body);
  if (reply.status !== status) throw new Error(`${method} ${url} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body as T;
}

/** `npm run admin:token` as the CLI runs it, on the same data directory. */
function adminTokenCli(email: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli/admin-token.ts', '--email', email], {
      cwd: REPO, env: { ...process.env, DATA_DIR: dataDir, STORE: 'sqlite', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitForJob(server: ServerProcess, token: string, jobId: string) {
  for (let i = 0; i < 200; i++) {
    const job = await must<{ status: string }>(server, token, 'GET', `/v1/jobs/${jobId}`, 200);
    if (!['queued', 'running'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not end`);
}

describe('two processes on one SQLite file', () => {
  it('a write storm through two servers, with the CLI issuing a token meanwhile, has no 5xx and loses nothing acknowledged', { timeout: 120_000 }, async () => {
    const [a, b] = await Promise.all([startServer(dataDir, env), startServer(dataDir, env)]);
    const servers = [a!, b!];
    const user = await must<{ id: string }>(a!, ADMIN_TOKEN, 'POST', '/v1/admin/users', 201, { email: 'storm@example.com' });
    const { token } = await must<{ token: string }>(b!, ADMIN_TOKEN, 'POST', `/v1/admin/users/${user.id}/tokens`, 201, {});
    const book = await must<{ id: string }>(a!, token, 'POST', '/v1/books', 201, { title: 'Storm' });
    await must(b!, token, 'PUT', `/v1/books/${book.id}/summary`, 200, { summary: 'A field guide to writing under pressure. '.repeat(12) });
    const chapters = `/v1/books/${book.id}/chapters`;

    // Each worker owns one chapter and its questions: its acknowledged writes are the truth to check at the end.
    const owned = [];
    for (let w = 0; w < WORKERS; w++) {
      const chapter = await must<{ id: string; version: number }>(servers[w % 2]!, token, 'POST', chapters, 201, { title: `w${w}` });
      const started = await must<{ job: { id: string } }>(servers[w % 2]!, token, 'POST', `${chapters}/${chapter.id}/questions/generate`, 202, { count: 5 });
      await waitForJob(servers[w % 2]!, token, started.job.id);
      const questions = await must<{ items: Array<{ id: string }> }>(a!, token, 'GET', `${chapters}/${chapter.id}/questions?limit=50`, 200);
      owned.push({
        chapter: { id: chapter.id, version: chapter.version, title: `w${w}` },
        answers: new Map(questions.items.map((q) => [q.id, { text: '', version: undefined as number | undefined }])),
        created: [] as string[],
      });
    }

    const cli = adminTokenCli('cli-admin@example.com');
    let cliDone = false;
    void cli.then(() => (cliDone = true));
    let acks = 0;
    await Promise.all(owned.map(async (mine, w) => {
      for (let op = 0; op < OPS_PER_WORKER; op++) {
        const server = servers[(w + op) % 2]!;
        const chapterUrl = `${chapters}/${mine.chapter.id}`;
        const [questionId, answer] = [...mine.answers][op % mine.answers.size]!;
        switch (op % 5) {
          case 0: {
            const title = `w${w} op${op}`;
            const reply = await call(server, token, 'PATCH', chapterUrl, { version: mine.chapter.version, title });
            expect(reply.status, JSON.stringify(reply.body)).toBe(200);
            mine.chapter = { id: mine.chapter.id, version: reply.body!.version as number, title };
            break;
          }
          case 1:
          case 3: {
            const text = `autosave ${w}/${op}`;
            const reply = await call(server, token, 'PUT', `${chapterUrl}/questions/${questionId}/answer`, { text, status: 'draft', version: answer.version });
            expect(reply.status, JSON.stringify(reply.body)).toBe(200);
            mine.answers.set(questionId, { text, version: reply.body!.version as number });
            break;
          }
          case 2: {
            const items = [...mine.answers].slice(0, 3).map(([id, state]) => ({ questionId: id, text: `batch ${w}/${op} ${id.slice(-4)}`, status: 'draft', version: state.version }));
            const reply = await call(server, token, 'POST', `${chapterUrl}/answers/batch`, { answers: items });
            expect(reply.status, JSON.stringify(reply.body)).toBe(200);
            for (const result of reply.body!.results as Array<{ questionId: string; ok: boolean; answer: { text: string; version: number } }>) {
              expect(result.ok, JSON.stringify(result)).toBe(true);
              mine.answers.set(result.questionId, { text: result.answer.text, version: result.answer.version });
            }
            break;
          }
          case 4: {
            const title = `w${w} new ${op}`;
            const reply = await call(server, token, 'POST', chapters, { title });
            expect(reply.status, JSON.stringify(reply.body)).toBe(201);
            mine.created.push(reply.body!.id as string);
            // A job start races the other process's writes too (the same request while it runs returns that job).
            const job = await call(server, token, 'POST', `${chapters}/${reply.body!.id as string}/questions/generate`, { count: 5 });
            expect([202]).toContain(job.status);
            break;
          }
        }
        acks++;
      }
    }));
    const cliResult = await cli;
    expect(cliDone).toBe(true);
    expect(cliResult.code, cliResult.stderr).toBe(0);
    expect(cliResult.stdout.trim()).toMatch(/^aa_/);
    expect(failures).toEqual([]);
    expect(acks).toBe(WORKERS * OPS_PER_WORKER);

    // Every acknowledged write is there, read through either server.
    for (const [i, mine] of owned.entries()) {
      const reader = servers[i % 2]!;
      const chapter = await must<{ title: string; version: number }>(reader, token, 'GET', `${chapters}/${mine.chapter.id}`, 200);
      expect(chapter).toMatchObject({ title: mine.chapter.title, version: mine.chapter.version });
      const questions = await must<{ items: Array<{ id: string; answer: { text: string; version: number } | null }> }>(
        reader, token, 'GET', `${chapters}/${mine.chapter.id}/questions?limit=50`, 200,
      );
      for (const question of questions.items) {
        const acked = mine.answers.get(question.id)!;
        if (acked.version !== undefined) expect(question.answer).toMatchObject({ text: acked.text, version: acked.version });
      }
      const list = await must<{ items: Array<{ id: string }> }>(reader, token, 'GET', `${chapters}?limit=100`, 200);
      for (const id of mine.created) expect(list.items.map((c) => c.id)).toContain(id);
    }
    // The CLI's token works on both servers.
    for (const server of servers) await must(server, cliResult.stdout.trim(), 'GET', '/v1/me', 200);
  });
});
