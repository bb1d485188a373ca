import createClient from 'openapi-fetch';
import type { paths } from './generated/api.js';
import type { JourneyOutcome } from './outcome.js';

/** A client typed only by the served /openapi.json, as a third party would generate it (no casts below). */
export type Client = ReturnType<typeof createClient<paths>>;

/** Fails with the error the server sent (typed by the document's error responses). */
function must<T>(result: { data?: T; error?: { error: { code: string; message: string } } }, what: string): T {
  if (result.data === undefined) throw new Error(`${what}: ${result.error ? `${result.error.error.code} ${result.error.error.message}` : 'no body'}`);
  return result.data;
}

/** Polls a job until it ends; a job that does not succeed fails the journey. */
async function finished(client: Client, jobId: string): Promise<Record<string, unknown>> {
  for (;;) {
    const job = must(await client.GET('/v1/jobs/{jobId}', { params: { path: { jobId } } }), 'job');
    if (job.status === 'succeeded') return job.result ?? {};
    if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`job ${job.kind} ${job.status}: ${job.error?.message ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Reads a string id out of a job result (results are open objects: clients re-read the resource). */
function idIn(result: Record<string, unknown>, key: string): string {
  const value = result[key];
  if (typeof value !== 'string') throw new Error(`job result has no ${key}`);
  return value;
}

/** book → summary → interview → TOC → questions → answers → draft → accept → usage, offline AI. */
export async function runJourney(baseUrl: string, token: string, summary: string): Promise<JourneyOutcome> {
  const client: Client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });

  const book = must(await client.POST('/v1/books', { body: { title: 'The Calm One-to-One', audience: 'first-time managers' } }), 'create book');
  const bookPath = { path: { bookId: book.id } };
  must(await client.PUT('/v1/books/{bookId}/summary', { params: bookPath, body: { summary, version: 1 } }), 'summary');

  const interviewJob = must(await client.POST('/v1/books/{bookId}/interview/generate', { params: bookPath }), 'interview');
  await finished(client, interviewJob.job.id);
  const interview = must(await client.GET('/v1/books/{bookId}/interview', { params: bookPath }), 'get interview');
  const answers = interview.questions.map((question) => ({ questionId: question.id, text: 'The reader is a new manager who fears silence.' }));
  must(await client.PUT('/v1/books/{bookId}/interview/answers', { params: bookPath, body: { answers } }), 'interview answers');

  const tocJob = must(await client.POST('/v1/books/{bookId}/toc/generate', { params: bookPath, body: { fresh: true } }), 'toc');
  const proposalId = idIn(await finished(client, tocJob.job.id), 'proposalId');
  const applied = must(
    await client.POST('/v1/books/{bookId}/toc/proposals/{proposalId}/apply', { params: { path: { bookId: book.id, proposalId } } }),
    'apply proposal',
  );
  const chapter = applied.toc.chapters[0];
  if (!chapter) throw new Error('the applied TOC has no chapter');
  const chapterPath = { path: { bookId: book.id, chapterId: chapter.id } };

  const questionsJob = must(await client.POST('/v1/books/{bookId}/chapters/{chapterId}/questions/generate', { params: chapterPath, body: { count: 5 } }), 'questions');
  await finished(client, questionsJob.job.id);
  const page = must(await client.GET('/v1/books/{bookId}/chapters/{chapterId}/questions', { params: { ...chapterPath, query: { limit: 20 } } }), 'list questions');
  const final: 'draft' | 'final' = 'final';
  const batch = must(
    await client.POST('/v1/books/{bookId}/chapters/{chapterId}/answers/batch', {
      params: chapterPath,
      body: { answers: page.items.map((question, i) => ({ questionId: question.id, status: final, text: `On the ward, Maria asked what had surprised her nurse (${i}).` })) },
    }),
    'answers',
  );
  if (!batch.results.every((result) => result.ok)) throw new Error('an answer was refused');

  const draftJob = must(
    await client.POST('/v1/books/{bookId}/chapters/{chapterId}/drafts/generate', { params: chapterPath, body: { style: 'conversational', targetWords: 600 } }),
    'draft',
  );
  const draftId = idIn(await finished(client, draftJob.job.id), 'draftId');
  const accepted = must(
    await client.POST('/v1/books/{bookId}/chapters/{chapterId}/drafts/{draftId}/accept', { params: { path: { ...chapterPath.path, draftId } } }),
    'accept',
  );
  const usage = must(await client.GET('/v1/me/usage'), 'usage');
  return {
    bookId: book.id,
    interviewQuestions: interview.questions.length,
    chapterId: chapter.id,
    questions: page.total,
    acceptedDraftId: accepted.id,
    draftOffline: accepted.generatedBy.offline,
    monthCalls: usage.month.calls,
    monthCostUsd: usage.month.costUsd,
  };
}
