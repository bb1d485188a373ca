import Fastify from 'fastify';
import { TEMPLATE_MODE, TEMPLATE_PROVIDER } from '../../shared/template-mode.js';
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
// A wildcard bind address is not something a browser can open: print the loopback name for it instead.
const shownHost = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
const url = (config.publicUrl ?? `http://${shownHost}:${port}`).replace(/\/+$/u, '');
const aiMode = config.ai.provider === TEMPLATE_PROVIDER ? TEMPLATE_MODE : config.ai.provider;
process.stdout.write(
  `Auto-Author API listening on ${url} (store: ${config.store}, AI: ${aiMode})\n` +
    `  Author app:      ${url}/app\n  Admin dashboard: ${url}/admin\n`,
);
if (server.bootstrapToken) {
  process.stderr.write(
    `\nCreated the first admin. Its API token is shown only this once:\n  ${server.bootstrapToken}\n` +
      `Open ${url}/app#token=${server.bootstrapToken}\n  or ${url}/admin#token=${server.bootstrapToken}\n\n`,
  );
} else {
  process.stdout.write('  (The dashboard asks for an admin token; a lost one is replaced with: npm run admin:token -- --email <admin email>)\n');
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
