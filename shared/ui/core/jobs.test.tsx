import { describe, expect, it, vi } from 'vitest';
import { errorResponse, fakeFetch, jsonResponse, testClient } from '../../client/testing.js';
import type { Job } from '../../schemas/ai.js';
import { renderToStaticMarkup } from 'react-dom/server';
import { JobProgress } from '../components/JobProgress.js';
import { createSseParser, followJob, jobConnection, type JobConnection, type SseMessage } from './jobs.js';

const job = (status: Job['status'], progress: number): Job => ({
  id: 'job_1', kind: 'draft.generate', status, progress, stage: status, bookId: 'bk_1', chapterId: 'ch_1',
  result: status === 'succeeded' ? { draftId: 'dr_1', words: 600 } : null, error: null, partial: null,
  createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
});
const sse = (...jobs: Job[]) => new Response(
  jobs.map((j, i) => `: ping\n\nid: ${i}\nevent: ${j.status === 'succeeded' ? 'result' : 'progress'}\ndata: ${JSON.stringify(j)}\n\n`).join(''),
  { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } },
);

describe('job events', () => {
  it('parses events split across chunks, skipping comments', () => {
    const events: SseMessage[] = [];
    const feed = createSseParser((e) => events.push(e));
    feed(': ping\n\nid: 1\nevent: prog');
    feed('ress\ndata: {"a":1}\r\n\r\nevent: result\ndata: x\ndata: y\n\n');
    expect(events).toEqual([{ id: '1', event: 'progress', data: '{"a":1}' }, { id: null, event: 'result', data: 'x\ny' }]);
  });

  it('follows progress over the event stream with the Authorization header (no token in the URL)', async () => {
    const { fetch, calls } = fakeFetch(sse(job('running', 10), job('running', 60), job('succeeded', 100)));
    const seen: number[] = [];
    const final = await followJob('job_1', {
      client: testClient(fetch), baseUrl: 'https://api.test/', getToken: () => 'aa_token', fetch, onUpdate: (j) => seen.push(j.progress),
    });
    expect(final.status).toBe('succeeded');
    expect(seen).toEqual([10, 60, 100]);
    expect(calls[0]!.url).toBe('https://api.test/v1/jobs/job_1/events');
    expect(calls[0]!.headers.get('authorization')).toBe('Bearer aa_token');
  });

  it('falls back to polling when the stream cannot be opened', async () => {
    const { fetch, calls } = fakeFetch(
      errorResponse(404, 'NOT_FOUND'),
      jsonResponse(200, job('running', 50)),
      jsonResponse(200, job('succeeded', 100)),
    );
    const final = await followJob('job_1', { client: testClient(fetch), baseUrl: 'https://api.test', getToken: () => 'aa_token', fetch, onUpdate: () => undefined, pollMs: 5 });
    expect(final.status).toBe('succeeded');
    expect(calls.map((c) => c.url)).toEqual(['https://api.test/v1/jobs/job_1/events', 'https://api.test/v1/jobs/job_1', 'https://api.test/v1/jobs/job_1']);
  });

  it('polls after a stream that breaks before the job ends', async () => {
    const { fetch } = fakeFetch(sse(job('running', 30)), jsonResponse(200, job('succeeded', 100)));
    const final = await followJob('job_1', { client: testClient(fetch), baseUrl: 'https://api.test', getToken: () => null, fetch, onUpdate: () => undefined, pollMs: 5 });
    expect(final.progress).toBe(100);
  });

  it('gives up a silent stream (no event, no ping) after the idle timeout: polls, then re-opens it with Last-Event-ID', async () => {
    const encoder = new TextEncoder();
    // One event, then silence until the client cancels the body (a proxy that stopped forwarding, a dead server).
    const silent = async () => new Response(new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`id: 7\nevent: progress\ndata: ${JSON.stringify(job('running', 40))}\n\n`));
      },
    }), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const resumed = new Response(`id: 8\nevent: result\ndata: ${JSON.stringify(job('succeeded', 100))}\n\n`, {
      status: 200, headers: { 'content-type': 'text/event-stream' },
    });
    const { fetch, calls } = fakeFetch(silent, jsonResponse(200, job('running', 60)), resumed);
    const states: JobConnection[] = [];
    const seen: Array<[number, string]> = [];
    const stop = jobConnection.subscribe(() => states.push(jobConnection.get('job_1')));
    try {
      const final = await followJob('job_1', {
        client: testClient(fetch), baseUrl: 'https://api.test', getToken: () => 'aa_token', fetch, pollMs: 5, idleTimeoutMs: 40,
        onUpdate: (j) => seen.push([j.progress, jobConnection.get('job_1') === 'reconnecting' ? 'reconnecting' : 'live']),
      });
      expect(final.status).toBe('succeeded');
      expect(calls.map((c) => c.url)).toEqual(['https://api.test/v1/jobs/job_1/events', 'https://api.test/v1/jobs/job_1', 'https://api.test/v1/jobs/job_1/events']);
      expect(calls[0]!.headers.get('last-event-id')).toBeNull();
      expect(calls[2]!.headers.get('last-event-id')).toBe('7');
      // The poll happened while the panel said "reconnecting"; the re-opened stream brought it back live.
      expect(seen).toEqual([[40, 'live'], [60, 'reconnecting'], [100, 'live']]);
      expect(states).toContain('reconnecting');
      expect(jobConnection.get('job_1')).toBe('live');
    } finally {
      stop();
    }
  });

  it('says "Connection lost — reconnecting…" instead of the stage while the connection is being re-established', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { fetch } = fakeFetch(
      () => Promise.reject(new TypeError('Failed to fetch')),
      async () => {
        await held;
        return jsonResponse(200, job('succeeded', 100));
      },
    );
    const running = { ...job('running', 30), stage: 'asking the model' };
    expect(renderToStaticMarkup(<JobProgress job={running} label="Questions" />)).toContain('Questions: Working — asking the model');
    const following = followJob('job_1', { client: testClient(fetch), baseUrl: 'https://api.test', getToken: () => null, fetch, pollMs: 5, onUpdate: () => undefined });
    await vi.waitFor(() => expect(jobConnection.get('job_1')).toBe('reconnecting'));
    const markup = renderToStaticMarkup(<JobProgress job={running} label="Questions" />);
    expect(markup).toContain('Questions: Connection lost — reconnecting…');
    expect(markup).not.toContain('asking the model');
    release();
    expect((await following).status).toBe('succeeded');
    expect(renderToStaticMarkup(<JobProgress job={job('succeeded', 100)} label="Questions" />)).toContain('Questions: Done');
  });
});
