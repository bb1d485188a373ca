import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { batch, clientFor, failure, startHarness, type Harness } from './setup.js';

let h: Harness;
beforeAll(async () => { h = await startHarness({ tokens: ['test-token', 'other-token'] }); });
afterAll(async () => { await h.emulator.close(); });
beforeEach(() => { h.emulator.clearFaults(); h.emulator.resetCounts(); });

describe('documents.create and documents.get', () => {
  it('creates a blank document like Google: section break, one empty paragraph, styles, a revision', async () => {
    const { data, status } = await h.client.documents.create({ requestBody: { title: 'My book', body: { content: [] } } as never });
    expect(status).toBe(200);
    expect(data.title).toBe('My book');
    expect(data.documentId).toMatch(/^[\w-]{44}$/);
    expect(data.revisionId).toEqual(expect.any(String));
    expect(data.body!.content).toEqual([
      { endIndex: 1, sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE', contentDirection: 'LEFT_TO_RIGHT', sectionType: 'CONTINUOUS' } } },
      {
        startIndex: 1, endIndex: 2,
        paragraph: { elements: [{ startIndex: 1, endIndex: 2, textRun: { content: '\n', textStyle: {} } }], paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' } },
      },
    ]);
    expect(data.namedStyles!.styles!.map((s) => s.namedStyleType)).toContain('HEADING_1');
    const read = await h.client.documents.get({ documentId: data.documentId! });
    expect(read.data).toEqual(data);
    expect(h.emulator.counts).toMatchObject({ create: 1, get: 1, batchUpdate: 0 });
  });

  it('answers Google-shaped errors: 404 unknown, 403 forbidden, 401 without or with a wrong token', async () => {
    const missing = await failure(h.client.documents.get({ documentId: 'nope' }));
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } } });

    const id = h.emulator.createDocument({ paragraphs: ['secret'] });
    h.emulator.forbid(id);
    for (const call of [h.client.documents.get({ documentId: id }), batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'x' } }])]) {
      expect(await failure(call)).toMatchObject({ status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED' } } });
    }
    h.emulator.forbid(id, false);
    expect(h.emulator.text(id)).toBe('secret\n');

    const anonymous = await failure(clientFor(h.emulator, undefined).documents.get({ documentId: id }));
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED' } } });
    expect(anonymous.message).toMatch(/^Request is missing required authentication credential/);
    const wrong = await failure(h.clientWith('stolen').documents.get({ documentId: id }));
    expect(wrong.status).toBe(401);
    expect(wrong.message).toMatch(/^Request had invalid authentication credentials/);
    expect((await h.clientWith('other-token').documents.get({ documentId: id })).status).toBe(200);
  });
});

describe('faults, counts and the request log', () => {
  it('injects 429s per method and document, consumed in order', async () => {
    const a = h.emulator.createDocument({ paragraphs: ['a'] });
    const b = h.emulator.createDocument({ paragraphs: ['b'] });
    h.emulator.injectFault({ method: 'batchUpdate', documentId: a, times: 2, retryAfterSeconds: 3 });
    const edit = (id: string) => batch(h.client, id, [{ insertText: { location: { index: 1 }, text: 'x' } }]);
    await edit(b);
    expect((await h.client.documents.get({ documentId: a })).status).toBe(200);
    const limited = await failure(edit(a));
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } } });
    expect(limited.message).toContain('Write requests per minute per user');
    expect((await failure(edit(a))).status).toBe(429);
    await edit(a);
    expect(h.emulator.text(a)).toBe('xa\n');
    expect(h.emulator.counts).toEqual({ get: 1, batchUpdate: 4, create: 0, byDocument: { [a]: { get: 1, batchUpdate: 3 }, [b]: { get: 0, batchUpdate: 1 } } });
    expect(h.emulator.countsFor(a)).toEqual({ get: 1, batchUpdate: 3 });
    expect(h.emulator.requests.map((r) => [r.method, r.documentId === a ? 'a' : 'b', r.status])).toEqual([
      ['batchUpdate', 'b', 200], ['get', 'a', 200], ['batchUpdate', 'a', 429], ['batchUpdate', 'a', 429], ['batchUpdate', 'a', 200],
    ]);
    expect(h.emulator.requests[4]!.body).toEqual({ requests: [{ insertText: { location: { index: 1 }, text: 'x' } }] });
    h.emulator.resetCounts();
    expect(h.emulator.counts).toEqual({ get: 0, batchUpdate: 0, create: 0, byDocument: {} });
    expect(h.emulator.requests).toEqual([]);
  });

  it('sends Retry-After, other statuses and custom messages, and can only delay a call', async () => {
    const id = h.emulator.createDocument({});
    h.emulator.injectFault({ method: 'get', status: 503, retryAfterSeconds: 7 });
    const res = await fetch(`${h.emulator.url}/v1/documents/${id}`, { headers: { authorization: 'Bearer test-token' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } });
    h.emulator.injectFault({ status: 500, message: 'boom' });
    expect(await failure(h.client.documents.get({ documentId: id }))).toMatchObject({ status: 500, message: 'boom' });
    h.emulator.injectFault({ method: 'get', status: 0, delayMs: 150 });
    const started = Date.now();
    expect((await h.client.documents.get({ documentId: id })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('HTTP details', () => {
  it('answers CORS preflights and adds CORS headers for browser callers', async () => {
    const preflight = await fetch(`${h.emulator.url}/v1/documents/x:batchUpdate`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5000');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    const id = h.emulator.createDocument({});
    const res = await fetch(`${h.emulator.url}/v1/documents/${id}`, { headers: { authorization: 'Bearer test-token', origin: 'http://127.0.0.1:5000' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5000');
  });

  it('accepts a path prefix (googleapis per-call rootUrl) and refuses unknown routes and bad JSON', async () => {
    const id = h.emulator.createDocument({ paragraphs: ['p'] });
    const prefixed = await h.client.documents.get({ documentId: id }, { rootUrl: `${h.emulator.url}/prefix/` });
    expect(prefixed.data.documentId).toBe(id);
    const unknown = await fetch(`${h.emulator.url}/v2/things`, { headers: { authorization: 'Bearer test-token' } });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()) as unknown).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    const badJson = await fetch(`${h.emulator.url}/v1/documents/${id}:batchUpdate`, {
      method: 'POST', headers: { authorization: 'Bearer test-token', 'content-type': 'application/json' }, body: '{"requests": [',
    });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()) as unknown).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });

  it('offers its own methods under /__emulator/ for tests running it as a separate process', async () => {
    const post = (path: string, body: unknown) => fetch(`${h.emulator.url}/__emulator/${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json()) as Promise<Record<string, unknown>>;
    const getJson = (path: string) => fetch(`${h.emulator.url}/__emulator/${path}`).then((r) => r.json()) as Promise<Record<string, unknown>>;
    const { documentId } = await post('documents', { spec: { title: 'T', paragraphs: [{ text: 'Head', namedStyleType: 'HEADING_1' }] } });
    const id = documentId as string;
    await post(`documents/${id}/edit`, { requests: [{ insertText: { endOfSegmentLocation: {}, text: '\nBody' } }] });
    expect(await getJson(`documents/${id}/text`)).toEqual({ text: 'Head\nBody\n' });
    expect(((await getJson(`documents/${id}/paragraphs`)).paragraphs as unknown[]).length).toBe(2);
    await post('faults', { fault: { method: 'get', status: 429 } });
    expect((await failure(h.client.documents.get({ documentId: id }))).status).toBe(429);
    expect(await getJson('counts')).toMatchObject({ get: 1 });
    const unknown = await fetch(`${h.emulator.url}/__emulator/documents/missing/text`);
    expect(unknown.status).toBe(404);
  });
});
