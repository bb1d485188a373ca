import { startServer, type ChildServer } from './processes.js';

/**
 * Starts the OpenAI-compatible test server (`api/test/support/openai-test-server.ts`) with a fixed answer delay and
 * the characters per chunk of its streamed answers.
 */
export function startOpenAiTestServerProcess(options: { port: number; delayMs: number; streamChunkChars: number }): Promise<ChildServer> {
  return startServer('OpenAI test server', 'api/test/support/openai-test-server.ts', {
    env: process.env as Record<string, string>,
    args: ['--port', String(options.port), '--host', '127.0.0.1', '--delay-ms', String(options.delayMs), '--stream-chunk-chars', String(options.streamChunkChars)],
  });
}
