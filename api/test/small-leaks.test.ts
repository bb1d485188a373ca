import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app, { serverOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ADMIN_TOKEN } from './helpers/test-app.js';

// The real app with its real logger options, writing its log lines into an array.
const lines: Array<Record<string, unknown>> = [];
const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-leaks-'));
let instance: FastifyInstance;

beforeAll(async () => {
  // At debug, where every request is logged.
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'debug', ADMIN_TOKEN });
  const options = serverOptions(config);
  instance = Fastify({
    ...options,
    logger: { ...(options.logger as object), stream: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } },
  } as FastifyServerOptions);
  await instance.register(app, { config });
  await instance.ready();
});
afterAll(async () => {
  await instance.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('small leaks closed', () => {
  it('logs no query string values (a token or text sent in a URL stays out of the logs)', async () => {
    await instance.inject({ method: 'GET', url: '/v1/books?documentId=secret-doc-id&token=aa_leaked-token-value&limit=5', headers: auth });
    await instance.inject({ method: 'GET', url: '/no-such-route?token=aa_other-leaked-value' });
    const logged = JSON.stringify(lines);
    expect(logged).toContain('/v1/books?documentId=[redacted]&token=[redacted]&limit=[redacted]');
    for (const secret of ['secret-doc-id', 'aa_leaked-token-value', 'aa_other-leaked-value']) expect(logged).not.toContain(secret);
  });

  it("keeps a client's x-request-id apart from the server's own id: logged beside it, never used as it", async () => {
    const first = await instance.inject({ method: 'GET', url: '/v1/me', headers: { ...auth, 'x-request-id': 'panel-42' } });
    const second = await instance.inject({ method: 'GET', url: '/v1/me', headers: { ...auth, 'x-request-id': 'panel-42' } });
    const ids = [first.headers['x-request-id'], second.headers['x-request-id']];
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^req_/);
    const incoming = lines.filter((line) => line.clientRequestId === 'panel-42');
    expect(incoming.map((line) => line.reqId).sort()).toEqual([...ids].sort());
    // A malformed client id is not logged at all.
    await instance.inject({ method: 'GET', url: '/v1/me', headers: { ...auth, 'x-request-id': 'bad id <script>' } });
    expect(JSON.stringify(lines)).not.toContain('<script>');
  });

  it('marks every /v1 answer, errors included, Cache-Control: no-store', async () => {
    for (const [url, headers] of [['/v1/me', auth], ['/v1/books', {}], ['/v1/books/bk_nope', auth], ['/v1/meta', {}]] as const) {
      const response = await instance.inject({ method: 'GET', url, headers });
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
  });
});
