import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import app, { serverOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { ADMIN_TOKEN } from './helpers/test-app.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The real app at `level`, its log lines captured; three requests served. */
async function linesAt(level: 'info' | 'debug') {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aa-log-'));
  dirs.push(dataDir);
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: level, ADMIN_TOKEN });
  const options = serverOptions(config);
  const lines: Array<Record<string, unknown>> = [];
  const server = Fastify({ ...options, logger: { ...(options.logger as object), stream: { write: (line: string) => lines.push(JSON.parse(line)) } } } as FastifyServerOptions);
  await server.register(app, { config });
  await server.ready();
  const start = lines.length;
  await server.inject({ method: 'GET', url: '/health/live' });
  await server.inject({ method: 'GET', url: '/v1/books?limit=5', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  await server.inject({ method: 'GET', url: '/v1/books', headers: { authorization: 'Bearer aa_wrong' } });
  const requestLines = lines.slice(start);
  await server.close();
  return requestLines;
}

describe('request log lines', () => {
  it('at the default level (info) a served request writes no line, so start-up, jobs and errors stand out', async () => {
    const lines = await linesAt('info');
    expect(lines.map((line) => line.msg)).toEqual([]);
  });

  it('at debug each request is one short line: method, path (query values redacted), status and time', async () => {
    const messages = (await linesAt('debug')).map((line) => String(line.msg));
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^GET \/health\/live 200 \d+ ms$/u);
    expect(messages[1]).toMatch(/^GET \/v1\/books\?limit=\[redacted\] 200 \d+ ms$/u);
    expect(messages[2]).toMatch(/^GET \/v1\/books 401 \d+ ms$/u);
  });
});
