// node:http front of the emulator: the three Docs API v1 routes googleapis calls, Google's error
// shape, bearer-token auth, CORS for browser tests, counting, faults and hooks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DocsEmulator, Method, RequestRecord } from './emulator.js';
import { control } from './control.js';
import { DocsApiError } from './errors.js';
import { docFromSpec } from './seed.js';
import { documentJson } from './serialize.js';

const MISSING_CREDENTIALS =
  'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid ' +
  'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const INVALID_CREDENTIALS =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid ' +
  'authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

interface Route { method: Method; documentId?: string }

/** POST /v1/documents, GET /v1/documents/{id}, POST /v1/documents/{id}:batchUpdate (any path prefix). */
function route(httpMethod: string, pathname: string): Route | undefined {
  const match = /\/v1\/documents(?:\/([^/]+))?$/.exec(pathname);
  if (!match) return undefined;
  if (!match[1]) return httpMethod === 'POST' ? { method: 'create' } : undefined;
  const id = decodeURIComponent(match[1]);
  if (httpMethod === 'POST' && id.endsWith(':batchUpdate')) return { method: 'batchUpdate', documentId: id.slice(0, -':batchUpdate'.length) };
  if (httpMethod === 'GET' && !id.includes(':')) return { method: 'get', documentId: id };
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw.trim()) return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new DocsApiError(400, `Invalid JSON payload received. Unexpected token.\n${raw.slice(0, 40)}`);
  }
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const origin = req.headers.origin;
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'access-control-allow-origin': origin ?? '*',
    'access-control-expose-headers': 'retry-after',
    vary: 'Origin',
    ...headers,
  });
  res.end(status === 204 ? undefined : JSON.stringify(body, null, 2));
}

function bearer(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) return /^Bearer\s+(.*)$/i.exec(header)?.[1]?.trim() ?? '';
  return url.searchParams.get('access_token') ?? undefined;
}

async function handle(emulator: DocsEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  if (req.method === 'OPTIONS') {
    send(req, res, 204, undefined, {
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization, content-type',
      'access-control-max-age': '600',
    });
    return;
  }
  if (url.pathname.startsWith('/__emulator/')) {
    try {
      const body = req.method === 'POST' ? await readBody(req) : {};
      send(req, res, 200, control(emulator, req.method ?? 'GET', url, body as Record<string, unknown>));
    } catch (err) {
      const error = err instanceof DocsApiError ? err : new DocsApiError(400, err instanceof Error ? err.message : String(err));
      send(req, res, error.code, error.toJSON());
    }
    return;
  }
  const found = route(req.method ?? 'GET', url.pathname);
  if (!found) {
    send(req, res, 404, new DocsApiError(404, `The requested URL ${url.pathname} was not found on this server.`).toJSON());
    return;
  }
  const { method, documentId } = found;
  const token = bearer(req, url);
  const record: RequestRecord = { method, documentId, status: 0, query: Object.fromEntries(url.searchParams), token, at: Date.now() };
  emulator.requests.push(record);
  emulator.count(method, documentId);
  const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
    record.status = status;
    send(req, res, status, body, headers);
  };
  try {
    const body = method === 'get' ? undefined : await readBody(req);
    if (body !== undefined) record.body = body;
    if (token === undefined) throw new DocsApiError(401, MISSING_CREDENTIALS);
    if (!emulator.acceptsToken(token)) throw new DocsApiError(401, INVALID_CREDENTIALS);
    const injected = await emulator.takeFault(method, documentId);
    if (injected && 'rawBody' in injected) {
      record.status = 200;
      res.writeHead(200, { 'content-type': injected.rawBody.contentType ?? 'application/json; charset=UTF-8' });
      res.end(injected.rawBody.text);
      return;
    }
    if (injected) {
      const headers: Record<string, string> = injected.retryAfterSeconds !== undefined ? { 'retry-after': String(injected.retryAfterSeconds) } : {};
      reply(injected.error.code, injected.error.toJSON(), headers);
      return;
    }
    await emulator.runHooks('before', method, documentId);
    const result = execute(emulator, method, documentId, body as Record<string, unknown> | undefined, url);
    await emulator.runHooks('after', method, documentId);
    reply(200, result);
  } catch (err) {
    if (!(err instanceof DocsApiError)) throw err;
    const headers: Record<string, string> = err.code === 401 ? { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' } : {};
    reply(err.code, err.toJSON(), headers);
  }
}

function execute(emulator: DocsEmulator, method: Method, documentId: string | undefined, body: Record<string, unknown> | undefined, url: URL): unknown {
  if (method === 'create') {
    const doc = docFromSpec({ title: typeof body?.title === 'string' ? body.title : undefined });
    emulator.store(doc);
    return documentJson(doc);
  }
  const id = documentId!;
  emulator.doc(id); // 404 first for unknown documents
  if (emulator.isForbidden(id)) throw new DocsApiError(403, 'The caller does not have permission');
  if (method === 'get') {
    return emulator.getDocument(id, {
      includeTabsContent: url.searchParams.get('includeTabsContent') === 'true',
      suggestionsViewMode: url.searchParams.get('suggestionsViewMode') ?? undefined,
    });
  }
  const { replies, revisionId } = emulator.batchUpdate(id, body?.requests, body?.writeControl as never);
  return { documentId: id, replies, writeControl: { requiredRevisionId: revisionId } };
}

/** Starts the HTTP server for an emulator; resolves with its origin URL. */
export function listen(emulator: DocsEmulator, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(emulator, req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) send(req, res, 500, new DocsApiError(500, `Docs emulator bug: ${message}`).toJSON());
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({ server, url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}` });
    });
  });
}
