// Standalone Docs emulator for browser tests: `npm run docs-emulator -- --port 8790 [--token T]… [--seed file.json]…`
import { parseArgs } from 'node:util';
import { startDocsEmulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8790' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string', multiple: true },
    seed: { type: 'string', multiple: true },
  },
});

const emulator = await startDocsEmulator({ host: values.host, port: Number(values.port), tokens: values.token });
for (const file of values.seed ?? []) console.log(`seeded ${emulator.seedFromFixture(file)} from ${file}`);
console.log(`Docs API emulator listening on ${emulator.url}`);

const stop = () => { void emulator.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
