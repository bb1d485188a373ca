import Fastify, { type FastifyServerOptions } from 'fastify';
import app, { serverOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/services/clock.js';
import { FINAL_STATUSES } from '../../src/services/job-rules.js';
import { ADMIN_TOKEN, type TestApp } from './test-app.js';
import { runJob, SUMMARY } from './journey.js';

export const DAY_MS = 86_400_000;

/** An app clock at real time plus `offset.ms`, which a test moves forward (in days) to age what it stored. */
export function movedClock() {
  const offset = { ms: 0 };
  return { offset, clock: { now: () => new Date(Date.now() + offset.ms) } satisfies Clock };
}

/** Waits until the job (of any user) has ended, reading the store; returns its final status. */
export async function endedStatus(t: TestApp, jobId: string) {
  for (let i = 0; i < 2_000; i++) {
    const job = await t.app.store.jobs.getById(jobId);
    if (job && FINAL_STATUSES.has(job.status)) return job.status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${jobId} did not end`);
}

/** A new author's book on `t` with one finished interview job (a ledger row and a job to sweep later). */
export async function bookWithInterviewJob(t: TestApp) {
  const author = await t.newUser();
  const book = (await t.as(author.token, { method: 'POST', url: '/v1/books', payload: { title: 'Swept' } })).json<{ id: string }>();
  await t.as(author.token, { method: 'PUT', url: `/v1/books/${book.id}/summary`, payload: { summary: SUMMARY } });
  const job = await runJob(t, author.token, 'POST', `/v1/books/${book.id}/interview/generate`, {});
  return { author, book, job };
}

/**
 * The app started again on an existing data directory with `clock`, its log lines (JSON, at info) captured: what a
 * restarted server logs while it starts (the retention sweep runs then). Close `server` when done.
 */
export async function restartedWithLogLines(dataDir: string, clock: Clock) {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ADMIN_TOKEN });
  const options = serverOptions(config);
  const lines: Array<Record<string, unknown>> = [];
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  const server = Fastify({ ...options, logger: { ...(options.logger as object), stream } } as FastifyServerOptions);
  try {
    await server.register(app, { config, clock });
    await server.ready();
  } catch (error) {
    await server.close();
    throw error;
  }
  return { server, lines };
}
