// The deferred request logger must write exactly what pino's child would: same lines, bindings and redaction.
import Fastify, { type FastifyServerOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { serverOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';

async function logLines(level: 'info' | 'warn', childLoggerFactory: FastifyServerOptions['childLoggerFactory'] | undefined) {
  const lines: Array<Record<string, unknown>> = [];
  const options = serverOptions(loadConfig({ LOG_LEVEL: level }));
  const app = Fastify({
    ...options,
    ...(childLoggerFactory === undefined ? {} : { childLoggerFactory }),
    logger: { ...(options.logger as object), stream: { write: (line: string) => lines.push(JSON.parse(line)) } },
  } as FastifyServerOptions);
  if (childLoggerFactory === undefined) expect(options.childLoggerFactory).toBeTypeOf('function');
  app.get('/quiet', async (request) => {
    request.log.debug('not written below debug');
    return { ok: true };
  });
  app.get('/loud', async (request) => {
    request.log.warn({ details: { token: 'aa_secret' } }, 'careful');
    request.log.child({ step: 'inner' }).error('from a child');
    throw new Error('boom');
  });
  await app.ready();
  for (const url of ['/quiet', '/loud']) await app.inject({ method: 'GET', url, headers: { 'x-request-id': `req-${url.slice(1)}` } });
  await app.close();
  // Request ids are the server's own (a random prefix per server): compared by their position, not their value.
  const ids = [...new Set(lines.map((line) => line.reqId))];
  return lines.map(({ time: _time, pid: _pid, hostname: _hostname, responseTime: _responseTime, reqId, ...rest }): Record<string, unknown> => ({
    ...rest, reqId: `#${ids.indexOf(reqId)}`,
  }));
}

describe('request logger', () => {
  for (const level of ['info', 'warn'] as const) {
    it(`at LOG_LEVEL=${level} writes the same lines as pino's own child loggers`, async () => {
      const deferred = await logLines(level, undefined);
      const eager = await logLines(level, (logger, bindings, options) => logger.child(bindings, options));
      expect(deferred).toEqual(eager);
      expect(deferred.length).toBeGreaterThanOrEqual(3);
      const careful = deferred.find((line) => line.msg === 'careful');
      expect(careful).toMatchObject({ details: { token: '[redacted]' } });
      expect(deferred.find((line) => line.msg === 'from a child')).toMatchObject({ reqId: careful?.reqId, step: 'inner' });
    });
  }
});
