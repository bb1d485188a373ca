import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openAiTestEnv, startOpenAiTestServer, type OpenAiTestServer, type OpenAiTestServerOptions } from '../support/openai-test-server.js';
import { buildTestApp, type TestApp } from './test-app.js';

/**
 * One OpenAI-compatible test server for a test file (reset before each test), and the apps its tests build against it
 * (closed after each test), so a file states only what it tests.
 */
export function useModelServer(options: OpenAiTestServerOptions = {}) {
  const opened: TestApp[] = [];
  const model = {
    server: null as unknown as OpenAiTestServer,
    /** The real app with the `openai` provider pointed at this server (or `env` as given, with `plain`). */
    async app(env: Record<string, string> = {}, plain = false): Promise<TestApp> {
      const app = await buildTestApp(plain ? env : openAiTestEnv(model.server, env));
      opened.push(app);
      return app;
    },
  };
  beforeAll(async () => {
    model.server = await startOpenAiTestServer(options);
  });
  afterAll(() => model.server?.close());
  beforeEach(() => model.server.reset());
  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close();
  });
  return model;
}
