import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ENDPOINTS } from '../../shared/contract/index.js';
import { ERROR_CODES } from '../../shared/errors.js';
import { SUMMARY } from './helpers/journey.js';
import { createContractChecker } from './helpers/openapi-contract.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';
import type { RunJourney } from './openapi-consumer/outcome.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const CONSUMER_DIR = fileURLToPath(new URL('./openapi-consumer/', import.meta.url));
// Generated from the served document on every run (git-ignored), so the consumer always compiles against today's API.
const GENERATED_DIR = path.join(CONSUMER_DIR, 'generated');
const bin = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

let t: TestApp;
let baseUrl: string;
let document: { openapi: string; paths: Record<string, Record<string, { operationId?: string; security?: unknown[]; responses: Record<string, unknown> }>> };
let documentFile: string;
beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  baseUrl = `http://127.0.0.1:${address.port}`;
  document = await (await fetch(`${baseUrl}/openapi.json`)).json();
  mkdirSync(GENERATED_DIR, { recursive: true });
  documentFile = path.join(GENERATED_DIR, 'openapi.json');
  writeFileSync(documentFile, JSON.stringify(document));
});
afterAll(() => t.close());

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 by the official schema', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('names each operation by its contract key, with explicit security and only declared pages', () => {
    const names = ALL_ENDPOINTS.map(([name]) => name).sort();
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(names);
    for (const [name, endpoint] of ALL_ENDPOINTS) {
      const operation = document.paths[endpoint.path.replace(/:([A-Za-z]+)/g, '{$1}')]![endpoint.method.toLowerCase()]!;
      if (endpoint.auth === 'none') expect(operation.security, name).toEqual([]);
      expect(Object.keys(operation.responses).filter((status) => /X/.test(status)), name).toEqual([]);
      expect(operation.responses['429'], name).toBeDefined();
    }
    expect(document.paths['/app']).toBeUndefined();
    expect(document.paths['/admin']).toBeUndefined();
    expect(JSON.stringify(document)).toContain(JSON.stringify(ERROR_CODES));
  });

  it('passes redocly lint with the recommended rules', async () => {
    const { stdout } = await run(process.execPath, [bin('@redocly/cli', 'bin/cli.js'), 'lint', documentFile, '--extends=recommended', '--format=json'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    }).catch((error: { stdout: string }) => error);
    const problems = (JSON.parse(stdout) as { problems: { severity: string; ruleId: string; message: string; location: { pointer: string }[] }[] }).problems;
    expect(problems.filter((problem) => problem.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });
});

describe('the contract check every test app runs', () => {
  it('fails an undeclared status, an undeclared media type, a body or an event that does not match', () => {
    const { check } = createContractChecker(document);
    const headers = { 'x-request-id': 'req_1' };
    const json = (route: string, status: number, body: unknown, method = 'GET') =>
      check({ method, route, status, contentType: 'application/json; charset=utf-8', headers, body: JSON.stringify(body) });
    const job = { id: 'job_1', kind: 'toc.generate', status: 'running', progress: 10, stage: null, bookId: 'bk_1', chapterId: null, result: null, error: null, partial: null, createdAt: 'x', updatedAt: 'x' };

    expect(json('/v1/jobs/:jobId', 200, job)).toBeNull();
    expect(json('/v1/jobs/:jobId', 418, job)).toMatch(/status not declared/);
    expect(json('/v1/jobs/:jobId', 200, { ...job, status: 'paused' })).toMatch(/status/);
    expect(json('/v1/jobs/:jobId', 404, { error: { code: 'NOT_A_CODE', message: 'm', requestId: 'r' } })).toMatch(/code/);
    expect(check({ method: 'GET', route: '/v1/jobs/:jobId', status: 200, contentType: 'text/html', headers, body: '<p>' })).toMatch(/media type/);
    expect(check({ method: 'GET', route: '/v1/jobs/:jobId', status: 200, contentType: 'application/json', headers: {}, body: JSON.stringify(job) })).toMatch(/x-request-id/);
    expect(check({ method: 'DELETE', route: '/v1/books/:bookId', status: 204, contentType: undefined, headers, body: '' })).toBeNull();
    expect(check({ method: 'DELETE', route: '/v1/books/:bookId', status: 204, contentType: 'text/plain', headers, body: 'x' })).toMatch(/without a body/);

    const stream = (event: string, data: unknown) =>
      check({ method: 'GET', route: '/v1/jobs/:jobId/events', status: 200, contentType: 'text/event-stream; charset=utf-8', headers, body: `: ping\n\nid: 3\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n` });
    expect(stream('progress', job)).toBeNull();
    expect(stream('finished', job)).toMatch(/event/);
    expect(stream('result', { ...job, progress: 'half' })).toMatch(/event data/);
  });
});

describe('a client generated from the document', () => {
  it('compiles with tsc --strict without casts and runs the whole journey over HTTP', async () => {
    await run(process.execPath, [bin('openapi-typescript', 'bin/cli.js'), `${baseUrl}/openapi.json`, '-o', path.join(GENERATED_DIR, 'api.d.ts')]);
    const compiled = await run(process.execPath, [bin('typescript', 'bin/tsc'), '-p', path.join(CONSUMER_DIR, 'tsconfig.json')]).catch(
      (error: { stdout: string }) => error,
    );
    expect(compiled.stdout).toBe('');

    const author = await t.newUser();
    // Loaded by path: the main typecheck must not follow it into types a clean checkout has not generated yet.
    const { runJourney } = (await import(path.join(CONSUMER_DIR, 'journey.ts'))) as { runJourney: RunJourney };
    const outcome = await runJourney(baseUrl, author.token, SUMMARY);
    expect(outcome.interviewQuestions).toBeGreaterThanOrEqual(3);
    expect(outcome.questions).toBe(5);
    expect(outcome.draftOffline).toBe(true);
    expect(outcome.monthCalls).toBeGreaterThanOrEqual(4);
    expect(outcome.monthCostUsd).toBe(0);
  });
});
