import type { TestApp } from './test-app.js';

/** Polls a job until it ends and returns its final state. */
export async function waitForJob(t: TestApp, token: string, jobId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await t.as(token, { method: 'GET', url: `/v1/jobs/${jobId}` })).json();
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const SUMMARY =
  'This book shows first-time managers how to run calm, useful one-to-one meetings. It starts from the mistakes ' +
  'new managers make in their first month, explains why listening beats advising, and gives a simple weekly ' +
  'routine with questions, notes and follow-ups. Real stories from a hospital ward, a software team and a ' +
  'restaurant kitchen show the routine working under pressure. The last part covers difficult conversations.';

/** Starts a job-returning call and waits for the job to succeed; returns the job. */
export async function runJob(t: TestApp, token: string, method: 'POST', url: string, payload?: unknown) {
  const started = await t.as(token, { method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  if (started.statusCode !== 202) throw new Error(`${url} → ${started.statusCode} ${started.body}`);
  const job = await waitForJob(t, token, started.json().job.id);
  if (job.status !== 'succeeded') throw new Error(`${url} job ${job.status}: ${JSON.stringify(job.error)}`);
  return job;
}

/**
 * An author's book (with `bookFields`) whose chapter "Ask first" has generated questions and two final answers: where
 * a drafting test starts. `api` calls the app as that author.
 */
export async function chapterReadyToDraft(app: TestApp, bookFields: Record<string, unknown> = {}) {
  const user = await app.newUser();
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
    app.as(user.token, { method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const book = (await api('POST', '/v1/books', { title: 'Listening', ...bookFields })).json<{ id: string; version: number; standingInstructions: string | null }>();
  await api('PUT', `/v1/books/${book.id}/summary`, { summary: SUMMARY });
  const chapter = (await api('POST', `/v1/books/${book.id}/chapters`, { title: 'Ask first' })).json<{ id: string }>();
  const base = `/v1/books/${book.id}/chapters/${chapter.id}`;
  const generated = await api('POST', `${base}/questions/generate`, { count: 5 });
  await waitForJob(app, user.token, generated.json<{ job: { id: string } }>().job.id);
  const questions = (await api('GET', `${base}/questions?limit=20`)).json<{ items: Array<{ id: string }> }>().items;
  await api('POST', `${base}/answers/batch`, {
    answers: questions.slice(0, 2).map((q, i) => ({ questionId: q.id, status: 'final', text: `On the ward, Maria asked her nurse what had surprised her, story ${i}.` })),
  });
  return { user, api, book, base };
}
