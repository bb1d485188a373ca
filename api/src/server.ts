import Fastify from 'fastify';
import app, { serverOptions } from './app.js';
import { ConfigError, loadConfig, loadDotEnv, type Config } from './config.js';

const SHUTDOWN_GRACE_MS = 20_000;

function readConfig(): Config {
  loadDotEnv();
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
const server = Fastify(serverOptions(config));
await server.register(app, { config });
await server.listen({ port: config.port, host: config.host });

const address = server.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const url = config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
process.stdout.write(`Auto-Author API listening on ${url} (store: ${config.store}, AI: ${config.ai.provider})\n`);
if (server.bootstrapToken) {
  process.stderr.write(
    `\nCreated the first admin. Its API token is shown only this once:\n  ${server.bootstrapToken}\n` +
      `Open ${url}/app#token=${server.bootstrapToken}\n  or ${url}/admin#token=${server.bootstrapToken}\n\n`,
  );
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    server.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      () => process.exit(1),
    );
  });
}
