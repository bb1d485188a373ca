// npm run build:addon — ADDON_API_URL=https://api.example.com/ npm run build:addon
import { buildAddon } from './build.js';

try {
  await buildAddon({ log: (line) => process.stdout.write(`build:addon: ${line}\n`) });
} catch (error) {
  process.stderr.write(`build:addon: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
