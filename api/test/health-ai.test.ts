import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ AI_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'k', AI_MODELS: 'm1,m2' });
});
afterAll(() => t.close());

describe('readiness and the AI provider', () => {
  it('reports AI ok, then degraded (still 200) once every model of the chain is cooling down', async () => {
    const ok = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ok.json()).toMatchObject({ status: 'ok', checks: { ai: { status: 'ok', details: { provider: 'openai', offline: false, models: ['m1', 'm2'] } } } });
    for (let i = 0; i < 3; i++) t.app.ai.breaker.failure('m1');
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).json().status).toBe('ok');
    for (let i = 0; i < 3; i++) t.app.ai.breaker.failure('m2');
    const degraded = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(degraded.statusCode).toBe(200);
    expect(degraded.json()).toMatchObject({ status: 'degraded', checks: { store: { status: 'ok' }, ai: { status: 'degraded' } } });
    expect(degraded.body).not.toContain('127.0.0.1:9');
  });
});
