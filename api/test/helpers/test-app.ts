import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import app, { serverOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Clock } from '../../src/services/clock.js';
import type { GoogleKeySource } from '../../src/services/google-verifier.js';
import { openConfiguredStore } from '../../src/plugins/external/store.js';
import type { Store } from '../../src/stores/types.js';
import { installContractCheck } from './openapi-contract.js';

export const ADMIN_TOKEN = 'aa_test-admin-token-0123456789abcdef';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  /** Issues a new author (or admin) and returns their id and token. */
  newUser(role?: 'author' | 'admin'): Promise<{ id: string; token: string; email: string }>;
  /** inject with a bearer token. */
  as(token: string, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let userCounter = 0;

/** Builds the real app on a fresh SQLite data directory (each test file gets its own). */
export async function buildTestApp(
  env: Record<string, string> = {},
  extra: { clock?: Clock; googleKeySource?: GoogleKeySource; dataDir?: string; docsBackoffMs?: number } = {},
): Promise<TestApp> {
  const dataDir = extra.dataDir ?? mkdtempSync(path.join(tmpdir(), 'aa-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir, LOG_LEVEL: 'silent', ADMIN_TOKEN, RATE_LIMIT_DEFAULT_PER_MIN: '100000',
    RATE_LIMIT_AUTH_PER_MIN: '1000', ...env,
  });
  const instance = Fastify(serverOptions(config));
  // Every response this app sends is checked against its own /openapi.json (see openapi-contract.ts).
  const contract = installContractCheck(instance);
  await instance.register(app, { config, clock: extra.clock, googleKeySource: extra.googleKeySource, docsBackoffMs: extra.docsBackoffMs });
  await instance.ready();
  const as = (token: string, options: InjectOptions) =>
    instance.inject({ ...options, headers: { authorization: `Bearer ${token}`, ...options.headers } });
  return {
    app: instance,
    config,
    dataDir,
    as,
    async newUser(role = 'author') {
      const email = `author${++userCounter}-${Date.now()}@example.com`;
      const created = await as(ADMIN_TOKEN, { method: 'POST', url: '/v1/admin/users', payload: { email, role } });
      if (created.statusCode !== 201) throw new Error(`create user failed: ${created.body}`);
      const id = created.json<{ id: string }>().id;
      const issued = await as(ADMIN_TOKEN, { method: 'POST', url: `/v1/admin/users/${id}/tokens`, payload: {} });
      if (issued.statusCode !== 201) throw new Error(`issue token failed: ${issued.body}`);
      return { id, email, token: issued.json<{ token: string }>().token };
    },
    async close() {
      await instance.close();
      if (!extra.dataDir) rmSync(dataDir, { recursive: true, force: true });
      const mismatches = contract.mismatches();
      // CONTRACT_MISMATCH_LOG=<file> collects them across the whole suite (to count or fix them in one go).
      if (process.env.CONTRACT_MISMATCH_LOG) appendFileSync(process.env.CONTRACT_MISMATCH_LOG, mismatches.map((line) => `${line}\n`).join(''));
      if (mismatches.length > 0) throw new Error(`Responses that break /openapi.json:\n${mismatches.join('\n')}`);
    },
  };
}

/**
 * Opens the store a test app was built on, after the app closed: to read what it left behind, or to play a crash
 * (a job left running) through the Store interface. The caller closes it.
 */
export function openStoreOf(t: Pick<TestApp, 'config'>): Promise<Store> {
  return openConfiguredStore(t.config, () => {});
}

/** Asserts the shared error shape and returns the error. */
export function errorOf(response: { json: () => unknown }) {
  const body = response.json() as { error: { code: string; message: string; requestId: string; details?: unknown } };
  if (!body.error || typeof body.error.code !== 'string' || typeof body.error.requestId !== 'string') {
    throw new Error(`Not the error shape: ${JSON.stringify(body)}`);
  }
  return body.error;
}
